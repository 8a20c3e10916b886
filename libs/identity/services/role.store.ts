import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { RoleEntity, type RoleRow } from '../entities/role.entity.js';
import { conflict, notFound } from '../keystone-error.js';
import { newId } from './ids.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

export interface RoleInput {
  name: string;
  description?: string | null;
}

@Injectable()
export class RoleStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  get(id: string): Promise<RoleRow> {
    return this.db.read((em) => this.require(em, id));
  }

  async require(em: EntityManager, id: string): Promise<RoleRow> {
    const row = await em.findOneBy(RoleEntity, { id });
    if (!row) throw notFound('role', id);
    return row;
  }

  list(filter: { name?: string }): Promise<RoleRow[]> {
    const where: FindOptionsWhere<RoleRow> = {};
    if (filter.name !== undefined) where.name = filter.name;
    return this.db.read((em) => em.find(RoleEntity, { where, order: { name: 'ASC' } }));
  }

  byIds(em: EntityManager, ids: string[]): Promise<RoleRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return em.findBy(RoleEntity, { id: In(ids) });
  }

  byNames(em: EntityManager, names: string[]): Promise<RoleRow[]> {
    if (names.length === 0) return Promise.resolve([]);
    return em.findBy(RoleEntity, { name: In(names) });
  }

  async create(input: RoleInput): Promise<RoleRow> {
    const row: RoleRow = { id: newId(), name: input.name, description: input.description ?? null };
    try {
      return await this.db.transaction(async (em) => {
        if (await em.findOneBy(RoleEntity, { name: row.name })) throw conflict('role', row.name);
        await em.insert(RoleEntity, row);
        return row;
      });
    } catch (e) {
      throw isUniqueViolation(e) ? conflict('role', row.name) : e;
    }
  }

  async update(id: string, patch: Partial<RoleInput>): Promise<RoleRow> {
    return this.db
      .transaction(async (em) => {
        const row = await this.require(em, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          if (await em.findOneBy(RoleEntity, { name: patch.name })) throw conflict('role', patch.name);
          row.name = patch.name;
        }
        if (patch.description !== undefined) row.description = patch.description;
        await em.update(RoleEntity, { id }, { name: row.name, description: row.description });
        return row;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict('role', patch.name ?? id) : e;
      });
  }

  /** Deletes the role; its assignments go by ON DELETE CASCADE and tokens carrying it are revoked. */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.require(em, id);
      await this.tokens.revokeIn(em, { roleId: id });
      await em.delete(RoleEntity, { id });
    });
    this.tokens.evict({ roleId: id });
  }
}
