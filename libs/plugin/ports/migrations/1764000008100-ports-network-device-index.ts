import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * `GET /ports?network_id=X&device_id=Y` (what Nova and the DHCP agent ask) reads only the matching rows instead of
 * every port of the network.
 */
export class PortsNetworkDeviceIndex1764000008100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('ports', new TableIndex({ name: 'ix_ports_network_id_device_id', columnNames: ['network_id', 'device_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('ports', 'ix_ports_network_id_device_id');
  }
}
