import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableForeignKey } from 'typeorm';

const id = (name: string, primary = false): TableColumnOptions => ({ name, type: 'varchar', length: '64', isPrimary: primary });
const name = (n = 'name', nullable = false): TableColumnOptions => ({ name: n, type: 'varchar', length: '255', isNullable: nullable });
const text = (n: string, nullable = false): TableColumnOptions => ({ name: n, type: 'text', isNullable: nullable });
const bool = (n: string): TableColumnOptions => ({ name: n, type: 'boolean' });
const short = (n: string, length: number, nullable = false): TableColumnOptions => ({
  name: n,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

const cascade = (column: string, table: string): TableForeignKey =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/** Keystone's tables, written with the schema builder only so that one class serves SQLite and PostgreSQL. */
export class Identity1764000000000 implements MigrationInterface {
  name = 'Identity1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'identity_domains',
        columns: [id('id', true), name(), text('description'), bool('enabled'), text('tags')],
        uniques: [{ name: 'uq_identity_domains_name', columnNames: ['name'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_projects',
        columns: [
          id('id', true),
          name(),
          id('domain_id'),
          text('description'),
          bool('enabled'),
          id('parent_id'),
          text('tags'),
          text('extra'),
        ],
        uniques: [{ name: 'uq_identity_projects_domain_name', columnNames: ['domain_id', 'name'] }],
        indices: [{ name: 'ix_identity_projects_parent', columnNames: ['parent_id'] }],
        foreignKeys: [cascade('domain_id', 'identity_domains')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_users',
        columns: [
          id('id', true),
          name(),
          id('domain_id'),
          name('password_hash', true),
          bool('enabled'),
          { ...id('default_project_id'), isNullable: true },
          text('extra'),
          short('created_at', 32),
        ],
        uniques: [{ name: 'uq_identity_users_domain_name', columnNames: ['domain_id', 'name'] }],
        foreignKeys: [cascade('domain_id', 'identity_domains')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_roles',
        columns: [id('id', true), name(), text('description', true)],
        uniques: [{ name: 'uq_identity_roles_name', columnNames: ['name'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_role_assignments',
        columns: [id('actor_id', true), { ...short('target_type', 16), isPrimary: true }, id('target_id', true), id('role_id', true)],
        indices: [
          { name: 'ix_identity_assignments_target', columnNames: ['target_type', 'target_id'] },
          { name: 'ix_identity_assignments_role', columnNames: ['role_id'] },
        ],
        foreignKeys: [cascade('actor_id', 'identity_users'), cascade('role_id', 'identity_roles')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'identity_tokens',
        columns: [
          id('id', true),
          id('user_id'),
          name('user_name'),
          id('user_domain_id'),
          name('user_domain_name'),
          short('scope_type', 16),
          { ...id('project_id'), isNullable: true },
          name('project_name', true),
          { ...id('domain_id'), isNullable: true },
          name('domain_name', true),
          text('roles'),
          text('methods'),
          text('audit_ids'),
          short('issued_at', 32),
          short('expires_at', 32),
          bool('revoked'),
        ],
        indices: [
          { name: 'ix_identity_tokens_user', columnNames: ['user_id'] },
          { name: 'ix_identity_tokens_project', columnNames: ['project_id'] },
          { name: 'ix_identity_tokens_expires', columnNames: ['expires_at'] },
        ],
        foreignKeys: [cascade('user_id', 'identity_users')],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'identity_tokens',
      'identity_role_assignments',
      'identity_roles',
      'identity_users',
      'identity_projects',
      'identity_domains',
    ]) {
      await q.dropTable(table, true);
    }
  }
}
