import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { isUniqueViolation } from '../../db/index.js';
import { DomainEntity } from '../entities/domain.entity.js';
import { GroupEntity, GroupMemberEntity, type GroupRow } from '../entities/group.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import { conflict, notFound, notInGroup } from '../keystone-error.js';
import { newId } from './ids.js';
import { TokenService } from './token.service.js';

export interface GroupInput {
  name: string;
  domain_id: string;
  description?: string | null;
}

export interface GroupPatch {
  name?: string;
  description?: string | null;
}

/** Keystone's groups: CRUD and membership. A member's tokens are revoked when it leaves (its roles may shrink). */
@Injectable()
export class GroupStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  get(id: string): Promise<GroupRow> {
    return this.db.read((em) => this.require(em, id));
  }

  async require(em: EntityManager, id: string): Promise<GroupRow> {
    const row = await em.findOneBy(GroupEntity, { id });
    if (!row) throw notFound('group', id);
    return row;
  }

  list(filter: { name?: string; domain_id?: string }): Promise<GroupRow[]> {
    const where: FindOptionsWhere<GroupRow> = {};
    if (filter.name !== undefined) where.name = filter.name;
    if (filter.domain_id !== undefined) where.domain_id = filter.domain_id;
    return this.db.read((em) => em.find(GroupEntity, { where, order: { name: 'ASC' } }));
  }

  async create(input: GroupInput): Promise<GroupRow> {
    const row: GroupRow = { id: newId(), name: input.name, domain_id: input.domain_id, description: input.description ?? '' };
    try {
      return await this.db.transaction(async (em) => {
        if (!(await em.findOneBy(DomainEntity, { id: row.domain_id }))) throw notFound('domain', row.domain_id);
        if (await em.findOneBy(GroupEntity, { domain_id: row.domain_id, name: row.name })) {
          throw conflict('group', row.name, row.domain_id);
        }
        await em.insert(GroupEntity, row);
        return row;
      });
    } catch (e) {
      throw isUniqueViolation(e) ? conflict('group', row.name, row.domain_id) : e;
    }
  }

  async update(id: string, patch: GroupPatch): Promise<GroupRow> {
    return this.db
      .transaction(async (em) => {
        const row = await this.require(em, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          if (await em.findOneBy(GroupEntity, { domain_id: row.domain_id, name: patch.name })) {
            throw conflict('group', patch.name, row.domain_id);
          }
          row.name = patch.name;
        }
        if (patch.description !== undefined) row.description = patch.description ?? '';
        await em.update(GroupEntity, { id }, { name: row.name, description: row.description });
        return row;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict('group', patch.name ?? id) : e;
      });
  }

  /** Deletes the group (membership and grants go by ON DELETE CASCADE); its members' tokens are revoked. */
  async delete(id: string): Promise<void> {
    const members = await this.db.transaction(async (em) => {
      await this.require(em, id);
      const members = await this.memberIds(em, id);
      if (members.length) await this.tokens.revokeIn(em, { userIds: members });
      await em.delete(GroupEntity, { id });
      return members;
    });
    if (members.length) this.tokens.evict({ userIds: members });
  }

  members(groupId: string): Promise<UserRow[]> {
    return this.db.read(async (em) => {
      await this.require(em, groupId);
      const ids = await this.memberIds(em, groupId);
      return ids.length ? em.find(UserEntity, { where: { id: In(ids) }, order: { name: 'ASC' } }) : [];
    });
  }

  /** The groups a user belongs to. */
  groupsOf(userId: string): Promise<GroupRow[]> {
    return this.db.read(async (em) => {
      if (!(await em.findOneBy(UserEntity, { id: userId }))) throw notFound('user', userId);
      const rows = await em.findBy(GroupMemberEntity, { user_id: userId });
      if (rows.length === 0) return [];
      return em.find(GroupEntity, { where: { id: In(rows.map((r) => r.group_id)) }, order: { name: 'ASC' } });
    });
  }

  /** PUT: idempotent. */
  async addMember(groupId: string, userId: string): Promise<void> {
    await this.db
      .transaction(async (em) => {
        await this.requireBoth(em, groupId, userId);
        const row = { group_id: groupId, user_id: userId };
        if (!(await em.findOneBy(GroupMemberEntity, row))) await em.insert(GroupMemberEntity, row);
      })
      .catch((e: unknown) => {
        if (!isUniqueViolation(e)) throw e;
      });
  }

  async checkMember(groupId: string, userId: string): Promise<void> {
    await this.db.read(async (em) => {
      await this.requireBoth(em, groupId, userId);
      if (!(await em.findOneBy(GroupMemberEntity, { group_id: groupId, user_id: userId }))) throw notInGroup(userId, groupId);
    });
  }

  /** As Keystone: the user's tokens are revoked, since roles held through the group may be gone. */
  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.requireBoth(em, groupId, userId);
      const row = { group_id: groupId, user_id: userId };
      if (!(await em.findOneBy(GroupMemberEntity, row))) throw notInGroup(userId, groupId);
      await em.delete(GroupMemberEntity, row);
      await this.tokens.revokeIn(em, { userId });
    });
    this.tokens.evict({ userId });
  }

  async memberIds(em: EntityManager, groupId: string): Promise<string[]> {
    const rows = await em.find(GroupMemberEntity, { select: { user_id: true }, where: { group_id: groupId } });
    return rows.map((r) => r.user_id);
  }

  /** Keystone resolves the group, then the user. */
  private async requireBoth(em: EntityManager, groupId: string, userId: string): Promise<void> {
    await this.require(em, groupId);
    if (!(await em.findOneBy(UserEntity, { id: userId }))) throw notFound('user', userId);
  }
}
