import { isPostgres } from '../db/index.js';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AGENT_TYPES,
  type AgentState,
  type ReportStateRequest,
  type ReportStateResult,
} from '../rpc/agent-state.contract.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { Database } from '../db/index.js';
import { agentTimestamp, aliveSince } from './agent-time.js';
import { AgentEntity, type AgentRow } from './agent.entity.js';

/** The server side of `report_state` (Neutron's AgentDbMixin.create_or_update_agent). */
@Injectable()
export class AgentHeartbeatsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Upserts the (agent_type, host) row: heartbeat now, started_at now on start_flag, admin_state_up from
   * enable_new_agents for a new agent. 'revived' when the agent existed and was not alive until this report.
   */
  async reportState(request: ReportStateRequest, now = new Date()): Promise<ReportStateResult> {
    const state = parseAgentState(request);
    return this.db.transaction(async (em) => {
      const previous = await this.previousHeartbeat(em, state);
      await this.upsert(em, state, agentTimestamp(now));
      const wasAlive = previous === undefined || previous >= aliveSince(now, this.config.agents.agent_down_time);
      return wasAlive ? 'alive' : 'revived';
    });
  }

  private async previousHeartbeat(em: EntityManager, state: AgentState): Promise<string | undefined> {
    const qb = em
      .getRepository(AgentEntity)
      .createQueryBuilder('a')
      .select('a.heartbeat_timestamp', 'heartbeat_timestamp')
      .where('a.agent_type = :type AND a.host = :host', { type: state.agent_type, host: state.host });
    // Two replicas handling reports of one agent at once: the second waits and sees the first one's heartbeat.
    if (isPostgres(em)) qb.setLock('pessimistic_write');
    const row = await qb.getRawOne<{ heartbeat_timestamp: string }>();
    return row?.heartbeat_timestamp;
  }

  /** One INSERT … ON CONFLICT (agent_type, host) DO UPDATE: the unique key, not a prior SELECT, decides new vs known. */
  private async upsert(em: EntityManager, state: AgentState, now: string): Promise<void> {
    const row: AgentRow = {
      id: randomUUID(),
      agent_type: state.agent_type,
      binary: state.binary,
      topic: state.topic,
      host: state.host,
      availability_zone: state.availability_zone ?? null,
      admin_state_up: this.config.agents.enable_new_agents,
      created_at: now,
      started_at: now,
      heartbeat_timestamp: now,
      description: null,
      configurations: JSON.stringify(state.configurations ?? {}),
      resources_synced: null,
      load: agentLoad(state),
    };
    const overwrite = ['binary', 'topic', 'configurations', 'load', 'heartbeat_timestamp'];
    if (state.start_flag) overwrite.push('started_at');
    // Neutron keeps the known zone when a report does not mention one.
    if ('availability_zone' in state) overwrite.push('availability_zone');
    await em
      .createQueryBuilder()
      .insert()
      .into(AgentEntity)
      .values(row)
      .orUpdate(overwrite, ['agent_type', 'host'])
      .updateEntity(false)
      .execute();
  }
}

/** The payload crossed a transport as JSON: check what the upsert relies on (the caller gets the error back). */
function parseAgentState(request: ReportStateRequest): AgentState {
  const state = (request as Partial<ReportStateRequest> | undefined)?.agent_state;
  if (!state || typeof state !== 'object') throw new TypeError('report_state: agent_state missing');
  for (const key of ['agent_type', 'binary', 'host', 'topic'] as const) {
    if (typeof state[key] !== 'string' || state[key] === '') throw new TypeError(`report_state: agent_state.${key} must be a non-empty string`);
  }
  if (state.configurations !== undefined && (typeof state.configurations !== 'object' || state.configurations === null)) {
    throw new TypeError('report_state: agent_state.configurations must be an object');
  }
  const az = state.availability_zone;
  if (az !== undefined && az !== null && typeof az !== 'string') throw new TypeError('report_state: agent_state.availability_zone must be a string or null');
  return state;
}

/** Neutron's _get_agent_load with its default dhcp_load_type (networks): DHCP agents weigh their network count. */
function agentLoad(state: AgentState): number {
  if (state.agent_type !== AGENT_TYPES.dhcp.agent_type) return 0;
  const networks = Number(state.configurations?.networks ?? 0);
  return Number.isFinite(networks) ? Math.trunc(networks) : 0;
}
