import { Inject, Injectable } from '@nestjs/common';
import type { ApplicationCredentialRow } from '../entities/application-credential.entity.js';
import type { DomainRow } from '../entities/domain.entity.js';
import type { GroupRow } from '../entities/group.entity.js';
import type { ProjectRow } from '../entities/project.entity.js';
import type { RoleRow } from '../entities/role.entity.js';
import type { UserRow } from '../entities/user.entity.js';
import { CatalogService } from '../services/catalog.service.js';

export interface Links {
  self: string;
  previous: null;
  next: null;
}

/** Keystone's response shapes: entities with links.self, collections with self/previous/next links. */
@Injectable()
export class Renderer {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  /** Keystone's collection self link: the request URL on the public origin, trailing slash removed. */
  links(requestUrl: string): Links {
    const q = requestUrl.indexOf('?');
    const path = (q < 0 ? requestUrl : requestUrl.slice(0, q)).replace(/\/+$/, '');
    return { self: this.catalog.origin + path + (q < 0 ? '' : requestUrl.slice(q)), previous: null, next: null };
  }

  collection<T>(key: string, items: T[], requestUrl: string): Record<string, T[] | Links> {
    return { [key]: items, links: this.links(requestUrl) };
  }

  domain(d: DomainRow) {
    return {
      id: d.id,
      name: d.name,
      description: d.description,
      enabled: d.enabled,
      tags: d.tags,
      options: {},
      links: { self: this.catalog.url('domains', d.id) },
    };
  }

  project(p: ProjectRow) {
    return {
      ...p.extra,
      id: p.id,
      name: p.name,
      description: p.description,
      domain_id: p.domain_id,
      enabled: p.enabled,
      parent_id: p.parent_id,
      is_domain: false,
      tags: p.tags,
      options: {},
      links: { self: this.catalog.url('projects', p.id) },
    };
  }

  user(u: UserRow) {
    return {
      ...u.extra,
      id: u.id,
      name: u.name,
      domain_id: u.domain_id,
      enabled: u.enabled,
      password_expires_at: null,
      options: {},
      ...(u.default_project_id ? { default_project_id: u.default_project_id } : {}),
      links: { self: this.catalog.url('users', u.id) },
    };
  }

  role(r: RoleRow) {
    return {
      id: r.id,
      name: r.name,
      domain_id: null,
      description: r.description,
      options: {},
      links: { self: this.catalog.url('roles', r.id) },
    };
  }

  group(g: GroupRow) {
    return {
      id: g.id,
      name: g.name,
      domain_id: g.domain_id,
      description: g.description,
      links: { self: this.catalog.url('groups', g.id) },
    };
  }

  /** The secret is shown only in the answer to the create call. */
  applicationCredential(a: ApplicationCredentialRow & { secret?: string }) {
    return {
      id: a.id,
      name: a.name,
      description: a.description,
      expires_at: a.expires_at,
      project_id: a.project_id,
      user_id: a.user_id,
      roles: a.roles.map(({ id, name }) => ({ id, name, domain_id: null })),
      unrestricted: a.unrestricted,
      access_rules: [],
      ...(a.secret !== undefined ? { secret: a.secret } : {}),
      links: { self: this.catalog.url('users', a.user_id, 'application_credentials', a.id) },
    };
  }
}
