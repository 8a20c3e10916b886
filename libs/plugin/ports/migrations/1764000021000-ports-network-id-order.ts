import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Pages of a network's ports (`?network_id=X&limit=100&marker=M`, sorted by id) read one page of the index instead of
 * sorting every port of the network for each page: (network_id, id). The (network_id, device_id) and
 * (network_id, device_owner) indexes end with id too, so a filter on either still uses its own index, already in
 * the list's order (SQLite, which keeps no statistics, would otherwise walk the whole network by id).
 */
export class PortsNetworkIdOrder1764000021000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('ports', 'ix_ports_network_id_device_id');
    await q.dropIndex('ports', 'ix_ports_network_id_device_owner');
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_device_id_id', columnNames: ['network_id', 'device_id', 'id'] }));
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_device_owner_id', columnNames: ['network_id', 'device_owner', 'id'] }));
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_id', columnNames: ['network_id', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('ports', 'ix_ports_network_id_id');
    await q.dropIndex('ports', 'ix_ports_network_id_device_owner_id');
    await q.dropIndex('ports', 'ix_ports_network_id_device_id_id');
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_device_owner', columnNames: ['network_id', 'device_owner'] }));
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_device_id', columnNames: ['network_id', 'device_id'] }));
  }
}
