import type { EntityManager } from 'typeorm';
import { AGENTS_TABLE } from '../agents-api/agent.entity.js';
import { anyOfSql, sqlAnyOf, sqlBool, sqlRows } from '../db/index.js';
import { SubnetEntity } from '../plugin/subnets/subnet.entity.js';
import { DHCP_BINDINGS_TABLE, NetworkDhcpAgentBindingEntity } from './network-dhcp-agent-binding.entity.js';

/** A DHCP agent hosting a network, as scheduling, the DHCP port and the notifier need it. */
export interface HostingAgent {
  network_id: string;
  agent_id: string;
  host: string;
  admin_state_up: boolean;
  availability_zone: string | null;
  binding_index: number;
}

/** The agents hosting each of the networks: one query for all of them. */
export async function hostingAgents(em: EntityManager, networkIds: readonly string[]): Promise<HostingAgent[]> {
  if (!networkIds.length) return [];
  // Hand-written: every port write's notice to the DHCP agents asks it.
  const [inNetworks, param] = sqlAnyOf(em, 'b.network_id', networkIds);
  const rows = await sqlRows<HostingAgent & { admin_state_up: boolean | number }>(
    em,
    `SELECT b.network_id AS network_id, b.dhcp_agent_id AS agent_id, b.binding_index AS binding_index, a.host AS host,
       a.admin_state_up AS admin_state_up, a.availability_zone AS availability_zone
     FROM ${DHCP_BINDINGS_TABLE} b JOIN ${AGENTS_TABLE} a ON a.id = b.dhcp_agent_id
     WHERE ${inNetworks} ORDER BY b.network_id, b.binding_index`,
    [param],
  );
  return rows.map((r) => ({ ...r, admin_state_up: Boolean(r.admin_state_up), binding_index: Number(r.binding_index) }));
}

/** Networks per agent (the WeightScheduler's load: fewest networks first). */
export async function networkCounts(em: EntityManager, agentIds: readonly string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await em
    .createQueryBuilder()
    .select('b.dhcp_agent_id', 'agent_id')
    .addSelect('COUNT(*)', 'n')
    .from(DHCP_BINDINGS_TABLE, 'b')
    .where(...anyOfSql(em, 'b.dhcp_agent_id', agentIds))
    .groupBy('b.dhcp_agent_id')
    .getRawMany<{ agent_id: string; n: string | number }>();
  return new Map(rows.map((r) => [r.agent_id, Number(r.n)]));
}

/** The network ids bound to one agent. */
export async function networksOfAgent(em: EntityManager, agentId: string): Promise<string[]> {
  const rows = await em.getRepository(NetworkDhcpAgentBindingEntity).find({ select: { network_id: true }, where: { dhcp_agent_id: agentId } });
  return rows.map((r) => r.network_id);
}

/**
 * Inserts a binding in the slot `index`; false when the agent already hosts the network or the slot is taken
 * (another server scheduled it first). ON CONFLICT DO NOTHING keeps the transaction usable on PostgreSQL.
 */
export async function bind(em: EntityManager, networkId: string, agentId: string, index: number): Promise<boolean> {
  const repo = em.getRepository(NetworkDhcpAgentBindingEntity);
  await repo.createQueryBuilder().insert().values({ network_id: networkId, dhcp_agent_id: agentId, binding_index: index }).orIgnore().execute();
  return repo.existsBy({ network_id: networkId, dhcp_agent_id: agentId, binding_index: index });
}

export async function unbind(em: EntityManager, networkId: string, agentId: string): Promise<boolean> {
  const result = await em.getRepository(NetworkDhcpAgentBindingEntity).delete({ network_id: networkId, dhcp_agent_id: agentId });
  return (result.affected ?? 0) > 0;
}

/** The DHCP-enabled subnets of each network (ids in Neutron's order: by id). */
export async function dhcpSubnetIds(em: EntityManager, networkIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(networkIds.map((id) => [id, []]));
  if (!networkIds.length) return out;
  const rows = await em
    .getRepository(SubnetEntity)
    .createQueryBuilder('s')
    .select(['s.id', 's.network_id'])
    .where(...anyOfSql(em, 's.network_id', networkIds))
    .andWhere('s.enable_dhcp = :yes', { yes: sqlBool(em, true) })
    .orderBy('s.id')
    .getMany();
  for (const row of rows) out.get(row.network_id)?.push(row.id);
  return out;
}

/**
 * Networks with a DHCP-enabled subnet, hosted by fewer than `perNetwork` agents and not by `agentId`
 * (auto_schedule_networks' candidates), in one query.
 */
export async function underscheduledNetworks(em: EntityManager, agentId: string, perNetwork: number): Promise<string[]> {
  const rows = await em
    .getRepository(SubnetEntity)
    .createQueryBuilder('s')
    .select('DISTINCT s.network_id', 'network_id')
    .where('s.enable_dhcp = :yes', { yes: sqlBool(em, true) })
    .andWhere(`s.network_id NOT IN (SELECT b.network_id FROM ${DHCP_BINDINGS_TABLE} b WHERE b.dhcp_agent_id = :agentId)`, { agentId })
    .andWhere(`(SELECT COUNT(*) FROM ${DHCP_BINDINGS_TABLE} c WHERE c.network_id = s.network_id) < :perNetwork`, { perNetwork })
    .orderBy('s.network_id')
    .getRawMany<{ network_id: string }>();
  return rows.map((r) => r.network_id);
}
