import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity, type DomainRow } from '../entities/domain.entity.js';
import { ProjectEntity } from '../entities/project.entity.js';
import { ApplicationCredentialEntity } from '../entities/application-credential.entity.js';
import { GroupAssignmentEntity } from '../entities/group-assignment.entity.js';
import { RoleAssignmentEntity } from '../entities/role-assignment.entity.js';
import { domainConflict, forbiddenNotSecurity, notFound } from '../keystone-error.js';
import { newId } from './ids.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

export const DEFAULT_DOMAIN_ID = 'default';

export interface DomainInput {
  id?: string;
  name: string;
  description?: string | null;
  enabled?: boolean;
  tags?: string[];
}

export type DomainPatch = Partial<Omit<DomainInput, 'id'>>;

export interface DomainFilter {
  name?: string;
  enabled?: boolean;
}

/** Reference to a domain in an auth request or a query: by id or by name. */
export interface DomainRef {
  id?: string;
  name?: string;
}

@Injectable()
export class DomainStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  get(id: string): Promise<DomainRow> {
    return this.db.read((em) => this.require(em, id));
  }

  async require(em: EntityManager, id: string): Promise<DomainRow> {
    const row = await em.findOneBy(DomainEntity, { id });
    if (!row) throw notFound('domain', id);
    return row;
  }

  /** By id, else by name; null when absent. */
  async lookup(em: EntityManager, ref: DomainRef): Promise<DomainRow | null> {
    if (ref.id !== undefined) return em.findOneBy(DomainEntity, { id: ref.id });
    if (ref.name !== undefined) return em.findOneBy(DomainEntity, { name: ref.name });
    return null;
  }

  list(filter: DomainFilter): Promise<DomainRow[]> {
    const where: FindOptionsWhere<DomainRow> = {};
    if (filter.name !== undefined) where.name = filter.name;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    return this.db.read((em) => em.find(DomainEntity, { where, order: { name: 'ASC' } }));
  }

  byIds(ids: string[]): Promise<DomainRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.read((em) => em.find(DomainEntity, { where: { id: In(ids) }, order: { name: 'ASC' } }));
  }

  async create(input: DomainInput): Promise<DomainRow> {
    const row: DomainRow = {
      id: input.id ?? newId(),
      name: input.name,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      tags: input.tags ?? [],
    };
    try {
      return await this.db.transaction(async (em) => {
        if (await em.findOneBy(DomainEntity, { name: row.name })) throw domainConflict(row.name);
        if (await em.findOneBy(DomainEntity, { id: row.id })) throw domainConflict(row.name);
        await em.insert(DomainEntity, row);
        return row;
      });
    } catch (e) {
      throw isUniqueViolation(e) ? domainConflict(row.name) : e;
    }
  }

  async update(id: string, patch: DomainPatch): Promise<DomainRow> {
    let disabled = false;
    const row = await this.db
      .transaction(async (em) => {
        const row = await this.require(em, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          if (await em.findOneBy(DomainEntity, { name: patch.name })) throw domainConflict(patch.name);
          row.name = patch.name;
        }
        if (patch.description !== undefined) row.description = patch.description ?? '';
        if (patch.tags !== undefined) row.tags = patch.tags;
        if (patch.enabled !== undefined) {
          disabled = row.enabled && !patch.enabled;
          row.enabled = patch.enabled;
        }
        const { name, description, tags, enabled } = row;
        await em.update(DomainEntity, { id }, { name, description, tags, enabled });
        if (disabled) await this.revokeDomainTokens(em, id);
        return row;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? domainConflict(patch.name ?? id) : e;
      });
    if (disabled) this.evictDomainTokens(id);
    return row;
  }

  /** Keystone refuses to delete an enabled domain; deleting one removes its projects and users. */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const row = await this.require(em, id);
      if (row.enabled) {
        throw forbiddenNotSecurity('Cannot delete a domain that is enabled, please disable it first.');
      }
      const projects = await em.find(ProjectEntity, { select: { id: true }, where: { domain_id: id } });
      for (const p of projects) {
        await em.delete(RoleAssignmentEntity, { target_type: 'project', target_id: p.id });
        await em.delete(GroupAssignmentEntity, { target_type: 'project', target_id: p.id });
        await em.delete(ApplicationCredentialEntity, { project_id: p.id });
      }
      await em.delete(RoleAssignmentEntity, { target_type: 'domain', target_id: id });
      await em.delete(GroupAssignmentEntity, { target_type: 'domain', target_id: id });
      await this.revokeDomainTokens(em, id);
      // Projects and users (with their assignments and tokens) go by ON DELETE CASCADE.
      await em.delete(DomainEntity, { id });
    });
    this.evictDomainTokens(id);
  }

  private async revokeDomainTokens(em: EntityManager, id: string): Promise<void> {
    await this.tokens.revokeIn(em, { domainId: id });
    await this.tokens.revokeIn(em, { userDomainId: id });
  }

  private evictDomainTokens(id: string): void {
    this.tokens.evict({ domainId: id });
    this.tokens.evict({ userDomainId: id });
  }
}
