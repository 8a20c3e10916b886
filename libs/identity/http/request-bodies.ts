import type { JsonObject } from '../entities/json-text.js';
import { validationError } from '../keystone-error.js';
import { SchemaCheck, isObject, pyRepr } from '../schema-check.js';
import type { ApplicationCredentialInput } from '../services/application-credential.store.js';
import type { DomainInput, DomainPatch } from '../services/domain.store.js';
import type { GroupPatch } from '../services/group.store.js';
import type { ProjectPatch } from '../services/project.store.js';
import type { RoleInput } from '../services/role.store.js';
import type { UserPatch } from '../services/user.store.js';

/**
 * Request bodies checked as Keystone's JSON schemas do (resource/identity/assignment schema.py), with its texts.
 * Keystone reads `body.get('project', {})`, so a missing envelope reports the missing required property.
 */
function member(body: unknown, key: string): SchemaCheck {
  const value = isObject(body) && key in body ? body[key] : {};
  return SchemaCheck.object(value);
}

function requireMatchingId(check: SchemaCheck, id: string): void {
  if (check.has('id') && check.string('id') !== id) throw validationError('Cannot change ID');
}

const NAME_64 = { min: 1, max: 64, nonBlank: true };
const NAME_255 = { min: 1, max: 255, nonBlank: true };

export function domainCreate(body: unknown): DomainInput {
  const c = member(body, 'domain');
  return {
    name: c.string('name', { ...NAME_64, required: true })!,
    description: c.string('description', { nullable: true }),
    enabled: c.boolean('enabled'),
    tags: c.tags('tags'),
  };
}

export function domainUpdate(body: unknown, id: string): DomainPatch {
  const c = member(body, 'domain').minProperties(1);
  requireMatchingId(c, id);
  return {
    name: c.string('name', NAME_64),
    description: c.string('description', { nullable: true }),
    enabled: c.boolean('enabled'),
    tags: c.tags('tags'),
  };
}

const PROJECT_KNOWN = ['id', 'name', 'description', 'domain_id', 'enabled', 'is_domain', 'parent_id', 'tags', 'options', 'links'];

export interface ProjectCreateBody {
  name: string;
  domain_id?: string | null;
  description?: string | null;
  enabled?: boolean;
  parent_id?: string | null;
  tags?: string[];
  extra: JsonObject;
}

export function projectCreate(body: unknown): ProjectCreateBody {
  const c = member(body, 'project');
  const input = {
    name: c.string('name', { ...NAME_64, required: true })!,
    domain_id: c.string('domain_id', { nullable: true, min: 1, max: 64, idString: true }),
    description: c.string('description', { nullable: true }),
    enabled: c.boolean('enabled'),
    parent_id: c.string('parent_id', { nullable: true, min: 1, max: 64, idString: true }),
    tags: c.tags('tags'),
    extra: c.extra(PROJECT_KNOWN) as JsonObject,
  };
  if (c.boolean('is_domain')) throw validationError('Projects acting as domains are not supported by this identity service.');
  return input;
}

export function projectUpdate(body: unknown, current: { id: string; domain_id: string; parent_id: string }): ProjectPatch {
  const c = member(body, 'project').minProperties(1);
  requireMatchingId(c, current.id);
  if (c.has('domain_id') && c.string('domain_id', { nullable: true }) !== current.domain_id) {
    throw validationError('Cannot change Domain ID');
  }
  if (c.has('parent_id') && c.string('parent_id', { nullable: true }) !== current.parent_id) {
    throw validationError('Update of `parent_id` is not allowed.');
  }
  if (c.has('is_domain') && c.boolean('is_domain') !== false) throw validationError('Update of `is_domain` is not allowed.');
  return {
    name: c.string('name', NAME_64),
    description: c.string('description', { nullable: true }),
    enabled: c.boolean('enabled'),
    tags: c.tags('tags'),
    extra: c.extra(PROJECT_KNOWN) as JsonObject,
  };
}

const USER_KNOWN = ['id', 'name', 'domain_id', 'password', 'enabled', 'default_project_id', 'options', 'federated', 'links', 'password_expires_at'];

export interface UserCreateBody {
  name: string;
  domain_id?: string;
  password?: string | null;
  enabled?: boolean;
  default_project_id?: string | null;
  extra: JsonObject;
}

export function userCreate(body: unknown): UserCreateBody {
  const c = member(body, 'user');
  return {
    name: c.string('name', { ...NAME_255, required: true })!,
    domain_id: c.string('domain_id', { min: 1, max: 64, idString: true }),
    password: c.string('password', { nullable: true }),
    enabled: c.boolean('enabled'),
    default_project_id: c.string('default_project_id', { nullable: true, min: 1, max: 64, idString: true }),
    extra: c.extra(USER_KNOWN) as JsonObject,
  };
}

export function userUpdate(body: unknown, current: { id: string; domain_id: string }): UserPatch {
  const c = member(body, 'user').minProperties(1);
  requireMatchingId(c, current.id);
  if (c.has('domain_id') && c.string('domain_id') !== current.domain_id) throw validationError('Cannot change Domain ID');
  return {
    name: c.string('name', NAME_255),
    password: c.string('password', { nullable: true }),
    enabled: c.boolean('enabled'),
    default_project_id: c.string('default_project_id', { nullable: true, min: 1, max: 64, idString: true }),
    extra: c.extra(USER_KNOWN) as JsonObject,
  };
}

export function passwordChange(body: unknown): { original: string; password: string } {
  const c = member(body, 'user');
  return {
    original: c.string('original_password', { required: true })!,
    password: c.string('password', { required: true })!,
  };
}

export function roleCreate(body: unknown): RoleInput {
  const c = member(body, 'role');
  if (c.has('domain_id') && c.string('domain_id', { nullable: true }) !== null) {
    throw validationError('Domain-specific roles are not supported by this identity service.');
  }
  return { name: c.string('name', { ...NAME_255, required: true })!, description: c.string('description') };
}

export function roleUpdate(body: unknown, id: string): Partial<RoleInput> {
  const c = member(body, 'role').minProperties(1);
  requireMatchingId(c, id);
  return { name: c.string('name', NAME_255), description: c.string('description') };
}

export function groupCreate(body: unknown): { name: string; domain_id?: string; description?: string | null } {
  const c = member(body, 'group');
  return {
    name: c.string('name', { ...NAME_255, required: true })!,
    domain_id: c.string('domain_id', { min: 1, max: 64, idString: true }),
    description: c.string('description', { nullable: true }),
  };
}

export function groupUpdate(body: unknown, current: { id: string; domain_id: string }): GroupPatch {
  const c = member(body, 'group').minProperties(1);
  requireMatchingId(c, current.id);
  if (c.has('domain_id') && c.string('domain_id') !== current.domain_id) throw validationError('Cannot change Domain ID');
  return { name: c.string('name', NAME_255), description: c.string('description', { nullable: true }) };
}

export function applicationCredentialCreate(body: unknown): ApplicationCredentialInput {
  const c = member(body, 'application_credential');
  const input: ApplicationCredentialInput = {
    name: c.string('name', { ...NAME_255, required: true })!,
    description: c.string('description', { nullable: true }),
    secret: c.string('secret', { nullable: true }) ?? undefined,
    expires_at: c.string('expires_at', { nullable: true }),
    unrestricted: c.has('unrestricted') && c.raw('unrestricted') === null ? undefined : c.boolean('unrestricted'),
  };
  const roles = c.raw('roles');
  if (roles !== undefined) {
    if (!Array.isArray(roles)) throw validationError(`Invalid input for field 'roles': ${pyRepr(roles)} is not of type 'array'`);
    input.roles = roles.map((r, i) => {
      const role = SchemaCheck.object(r, `roles/${i}`);
      const ref = { id: role.string('id'), name: role.string('name') };
      if (ref.id === undefined && ref.name === undefined) throw validationError(`Invalid input for field 'roles/${i}': id or name must be present.`);
      return ref;
    });
  }
  const rules = c.raw('access_rules');
  if (rules !== undefined && rules !== null && !(Array.isArray(rules) && rules.length === 0)) {
    throw validationError('Access rules are not supported by this identity service: create the application credential without access_rules.');
  }
  return input;
}
