import { type MigrationInterface, type QueryRunner, Table, TableColumn, type TableColumnOptions, TableForeignKey } from 'typeorm';

const id = (name: string, primary = false): TableColumnOptions => ({ name, type: 'varchar', length: '64', isPrimary: primary });
const short = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const cascade = (column: string, table: string): TableForeignKey =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/** Groups (membership, role grants) and application credentials; tokens remember the credential they came from. */
export class IdentityGroupsAppCreds1764000020000 implements MigrationInterface {
  name = 'IdentityGroupsAppCreds1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'identity_groups',
        columns: [id('id', true), short('name', 255), id('domain_id'), { name: 'description', type: 'text' }],
        uniques: [{ name: 'uq_identity_groups_domain_name', columnNames: ['domain_id', 'name'] }],
        foreignKeys: [cascade('domain_id', 'identity_domains')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_group_members',
        columns: [id('group_id', true), id('user_id', true)],
        indices: [{ name: 'ix_identity_group_members_user', columnNames: ['user_id'] }],
        foreignKeys: [cascade('group_id', 'identity_groups'), cascade('user_id', 'identity_users')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_group_assignments',
        columns: [id('group_id', true), { ...short('target_type', 16), isPrimary: true }, id('target_id', true), id('role_id', true)],
        indices: [
          { name: 'ix_identity_group_assignments_target', columnNames: ['target_type', 'target_id'] },
          { name: 'ix_identity_group_assignments_role', columnNames: ['role_id'] },
        ],
        foreignKeys: [cascade('group_id', 'identity_groups'), cascade('role_id', 'identity_roles')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_application_credentials',
        columns: [
          id('id', true),
          short('name', 255),
          id('user_id'),
          id('project_id'),
          { name: 'description', type: 'text', isNullable: true },
          short('secret_hash', 255),
          short('expires_at', 32, true),
          { name: 'unrestricted', type: 'boolean' },
          { name: 'roles', type: 'text' },
        ],
        uniques: [{ name: 'uq_identity_app_creds_user_name', columnNames: ['user_id', 'name'] }],
        indices: [{ name: 'ix_identity_app_creds_project', columnNames: ['project_id'] }],
        foreignKeys: [cascade('user_id', 'identity_users')],
      }),
      true,
    );
    await q.addColumn('identity_tokens', new TableColumn({ name: 'application_credential', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('identity_tokens', 'application_credential');
    for (const table of ['identity_application_credentials', 'identity_group_assignments', 'identity_group_members', 'identity_groups']) {
      await q.dropTable(table, true);
    }
  }
}
