import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { standardColumns } from '../../api/migrations/standard-columns.js';

const group = (column: string, onDelete?: 'CASCADE') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: 'securitygroups', referencedColumnNames: ['id'], onDelete });

export class SecurityGroups1764000003000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'securitygroups',
        columns: [
          ...standardColumns(),
          { name: 'name', type: 'varchar', length: '255', default: "''" },
          { name: 'stateful', type: 'boolean', default: true },
        ],
        indices: [{ name: 'ix_securitygroups_project_id', columnNames: ['project_id'] }],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'securitygrouprules',
        columns: [
          ...standardColumns(),
          { name: 'security_group_id', type: 'varchar', length: '36' },
          { name: 'remote_group_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'direction', type: 'varchar', length: '16' },
          { name: 'ethertype', type: 'varchar', length: '40' },
          { name: 'protocol', type: 'varchar', length: '40', isNullable: true },
          { name: 'port_range_min', type: 'integer', isNullable: true },
          { name: 'port_range_max', type: 'integer', isNullable: true },
          { name: 'remote_ip_prefix', type: 'varchar', length: '255', isNullable: true },
          { name: 'normalized_cidr', type: 'varchar', length: '255', isNullable: true },
          { name: 'rule_key', type: 'varchar', length: '512' },
        ],
        // Two equal rules (Neutron's comparison) cannot both exist, whatever the interleaving of requests.
        uniques: [{ name: 'uniq_securitygrouprules_rule_key', columnNames: ['rule_key'] }],
        // A group's rules, and the rules of other groups naming it as remote, go with it (as in Neutron).
        foreignKeys: [group('security_group_id', 'CASCADE'), group('remote_group_id', 'CASCADE')],
      }),
      true,
    );
    for (const column of ['security_group_id', 'remote_group_id', 'project_id']) {
      await q.createIndex('securitygrouprules', new TableIndex({ name: `ix_securitygrouprules_${column}`, columnNames: [column] }));
    }
    await q.createTable(
      new Table({
        name: 'default_security_group',
        columns: [
          { name: 'project_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'security_group_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [group('security_group_id', 'CASCADE')],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'securitygroupportbindings',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'security_group_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['port_id'], referencedTableName: 'ports', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          group('security_group_id'),
        ],
        indices: [{ name: 'ix_securitygroupportbindings_security_group_id', columnNames: ['security_group_id'] }],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('securitygroupportbindings', true);
    await q.dropTable('default_security_group', true);
    await q.dropTable('securitygrouprules', true);
    await q.dropTable('securitygroups', true);
  }
}
