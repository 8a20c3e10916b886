import { EntitySchema } from 'typeorm';

export interface GroupRow {
  id: string;
  name: string;
  domain_id: string;
  description: string;
}

export const GroupEntity = new EntitySchema<GroupRow>({
  name: 'IdentityGroup',
  tableName: 'identity_groups',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    domain_id: { type: 'varchar', length: 64 },
    description: { type: 'text' },
  },
  uniques: [{ name: 'uq_identity_groups_domain_name', columns: ['domain_id', 'name'] }],
});

export interface GroupMemberRow {
  group_id: string;
  user_id: string;
}

/** Membership; both sides go by ON DELETE CASCADE. */
export const GroupMemberEntity = new EntitySchema<GroupMemberRow>({
  name: 'IdentityGroupMember',
  tableName: 'identity_group_members',
  columns: {
    group_id: { type: 'varchar', length: 64, primary: true },
    user_id: { type: 'varchar', length: 64, primary: true },
  },
  indices: [{ name: 'ix_identity_group_members_user', columns: ['user_id'] }],
});
