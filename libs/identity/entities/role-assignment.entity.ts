import { EntitySchema } from 'typeorm';

export type TargetType = 'project' | 'domain' | 'system';

/** The target id of a system assignment, as Keystone stores it. */
export const SYSTEM_ALL = 'all';

export interface RoleAssignmentRow {
  actor_id: string;
  target_type: TargetType;
  target_id: string;
  role_id: string;
}

/** One row per (user, target, role): the primary key makes a grant unique and PUT idempotent. */
export const RoleAssignmentEntity = new EntitySchema<RoleAssignmentRow>({
  name: 'IdentityRoleAssignment',
  tableName: 'identity_role_assignments',
  columns: {
    actor_id: { type: 'varchar', length: 64, primary: true },
    target_type: { type: 'varchar', length: 16, primary: true },
    target_id: { type: 'varchar', length: 64, primary: true },
    role_id: { type: 'varchar', length: 64, primary: true },
  },
  indices: [
    { name: 'ix_identity_assignments_target', columns: ['target_type', 'target_id'] },
    { name: 'ix_identity_assignments_role', columns: ['role_id'] },
  ],
});
