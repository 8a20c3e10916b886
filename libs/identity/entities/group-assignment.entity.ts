import { EntitySchema } from 'typeorm';
import type { TargetType } from './role-assignment.entity.js';

export interface GroupAssignmentRow {
  group_id: string;
  target_type: Exclude<TargetType, 'system'>;
  target_id: string;
  role_id: string;
}

/**
 * A role granted to a group on a project or a domain: every member holds it there. A table of its own beside
 * identity_role_assignments (whose actor is a user, by foreign key), so that deleting a group or a role cascades.
 */
export const GroupAssignmentEntity = new EntitySchema<GroupAssignmentRow>({
  name: 'IdentityGroupAssignment',
  tableName: 'identity_group_assignments',
  columns: {
    group_id: { type: 'varchar', length: 64, primary: true },
    target_type: { type: 'varchar', length: 16, primary: true },
    target_id: { type: 'varchar', length: 64, primary: true },
    role_id: { type: 'varchar', length: 64, primary: true },
  },
  indices: [
    { name: 'ix_identity_group_assignments_target', columns: ['target_type', 'target_id'] },
    { name: 'ix_identity_group_assignments_role', columns: ['role_id'] },
  ],
});
