import type { MigrationInterface, QueryRunner } from 'typeorm';

/** floating-ip-port-forwarding-port-ranges: each port forwarding's last external and internal port (= the first for one port). */
export class PortForwardingRanges1764000010300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE portforwardings ADD COLUMN external_port_end integer');
    await q.query('ALTER TABLE portforwardings ADD COLUMN internal_port_end integer');
    await q.query('UPDATE portforwardings SET external_port_end = external_port, internal_port_end = internal_port');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE portforwardings DROP COLUMN external_port_end');
    await q.query('ALTER TABLE portforwardings DROP COLUMN internal_port_end');
  }
}
