import { EntitySchema } from 'typeorm';

export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
}

/** Global roles only (no domain-specific roles). Implications are fixed: admin ⇒ member ⇒ reader (see implied-roles.ts). */
export const RoleEntity = new EntitySchema<RoleRow>({
  name: 'IdentityRole',
  tableName: 'identity_roles',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    description: { type: 'text', nullable: true },
  },
  uniques: [{ name: 'uq_identity_roles_name', columns: ['name'] }],
});
