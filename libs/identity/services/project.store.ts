import type { JsonObject } from '../entities/json-text.js';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity } from '../entities/domain.entity.js';
import { ProjectEntity, type ProjectRow } from '../entities/project.entity.js';
import { ApplicationCredentialEntity } from '../entities/application-credential.entity.js';
import { GroupAssignmentEntity } from '../entities/group-assignment.entity.js';
import { RoleAssignmentEntity } from '../entities/role-assignment.entity.js';
import { forbiddenNotSecurity, notFound, projectConflict, validationError } from '../keystone-error.js';
import type { DomainRef } from './domain.store.js';
import { newId } from './ids.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

export interface ProjectInput {
  id?: string;
  name: string;
  domain_id: string;
  description?: string | null;
  enabled?: boolean;
  parent_id?: string | null;
  tags?: string[];
  extra?: JsonObject;
}

export interface ProjectPatch {
  name?: string;
  description?: string | null;
  enabled?: boolean;
  tags?: string[];
  extra?: JsonObject;
}

export interface ProjectFilter {
  name?: string;
  domain_id?: string;
  enabled?: boolean;
  parent_id?: string;
}

export interface ProjectRef {
  id?: string;
  name?: string;
  domain?: DomainRef;
}

@Injectable()
export class ProjectStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  get(id: string): Promise<ProjectRow> {
    return this.db.read((em) => this.require(em, id));
  }

  async require(em: EntityManager, id: string): Promise<ProjectRow> {
    const row = await em.findOneBy(ProjectEntity, { id });
    if (!row) throw notFound('project', id);
    return row;
  }

  byName(em: EntityManager, domainId: string, name: string): Promise<ProjectRow | null> {
    return em.findOneBy(ProjectEntity, { domain_id: domainId, name });
  }

  list(filter: ProjectFilter): Promise<ProjectRow[]> {
    const where: FindOptionsWhere<ProjectRow> = {};
    if (filter.name !== undefined) where.name = filter.name;
    if (filter.domain_id !== undefined) where.domain_id = filter.domain_id;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    if (filter.parent_id !== undefined) where.parent_id = filter.parent_id;
    return this.db.read((em) => em.find(ProjectEntity, { where, order: { name: 'ASC' } }));
  }

  byIds(em: EntityManager, ids: string[]): Promise<ProjectRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(ProjectEntity, { where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  async create(input: ProjectInput): Promise<ProjectRow> {
    const row: ProjectRow = {
      id: input.id ?? newId(),
      name: input.name,
      domain_id: input.domain_id,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      parent_id: input.parent_id || input.domain_id,
      tags: input.tags ?? [],
      extra: input.extra ?? {},
    };
    try {
      return await this.db.transaction(async (em) => {
        // Keystone maps a missing domain or parent to a ValidationError (400).
        if (!(await em.findOneBy(DomainEntity, { id: row.domain_id }))) {
          throw validationError(`Could not find domain: ${row.domain_id}.`);
        }
        if (row.parent_id !== row.domain_id) {
          const parent = await em.findOneBy(ProjectEntity, { id: row.parent_id });
          if (!parent) throw validationError(`Could not find project: ${row.parent_id}.`);
          if (parent.domain_id !== row.domain_id) {
            throw validationError('Cannot create project, the parent and child must be in the same domain.');
          }
        }
        if (await this.byName(em, row.domain_id, row.name)) throw projectConflict(row.name, row.id);
        await em.insert(ProjectEntity, row);
        return row;
      });
    } catch (e) {
      throw isUniqueViolation(e) ? projectConflict(row.name, row.id) : e;
    }
  }

  async update(id: string, patch: ProjectPatch): Promise<ProjectRow> {
    let disabled = false;
    const row = await this.db
      .transaction(async (em) => {
        const row = await this.require(em, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          if (await this.byName(em, row.domain_id, patch.name)) throw projectConflict(patch.name, id);
          row.name = patch.name;
        }
        if (patch.description !== undefined) row.description = patch.description ?? '';
        if (patch.tags !== undefined) row.tags = patch.tags;
        if (patch.extra !== undefined) row.extra = { ...row.extra, ...patch.extra };
        if (patch.enabled !== undefined) {
          disabled = row.enabled && !patch.enabled;
          row.enabled = patch.enabled;
        }
        const { name, description, tags, extra, enabled } = row;
        await em.update(ProjectEntity, { id }, { name, description, tags, extra, enabled });
        if (disabled) await this.tokens.revokeIn(em, { projectId: id });
        return row;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? projectConflict(patch.name ?? '', id) : e;
      });
    if (disabled) this.tokens.evict({ projectId: id });
    return row;
  }

  /** Deletes a leaf project, its role assignments, and revokes the tokens scoped to it. */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.require(em, id);
      if (await em.findOneBy(ProjectEntity, { parent_id: id })) {
        throw forbiddenNotSecurity(
          `Cannot delete the project ${id} since it is not a leaf in the hierarchy. ` +
            'Use the cascade option if you want to delete a whole subtree.',
        );
      }
      await em.delete(RoleAssignmentEntity, { target_type: 'project', target_id: id });
      await em.delete(GroupAssignmentEntity, { target_type: 'project', target_id: id });
      // Keystone deletes the application credentials delegating roles on a deleted project.
      await em.delete(ApplicationCredentialEntity, { project_id: id });
      await this.tokens.revokeIn(em, { projectId: id });
      await em.delete(ProjectEntity, { id });
    });
    this.tokens.evict({ projectId: id });
  }
}
