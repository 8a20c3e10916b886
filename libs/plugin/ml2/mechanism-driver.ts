import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import type { AgentRecord } from '../agents/agents.contract.js';
import type { Segment } from '../segments/segments.contract.js';

/** What a post-commit hook sees of a resource: its API dict, and the one before an update. */
export interface CommittedContext {
  current: Record<string, unknown>;
  original?: Record<string, unknown>;
}

/** A pre-commit hook also gets the open transaction, and the request's context for work that queues after-commit steps. */
export interface ResourceContext extends CommittedContext {
  em: EntityManager;
  ctx: RequestContext;
}

/** The port being bound: the segments to choose from and the agents on its host, loaded once by the binder. */
export interface BindingRequest {
  port: {
    id: string;
    network_id: string;
    device_owner: string;
    status: string;
    host: string;
    vnic_type: string;
    profile: Record<string, unknown>;
  };
  segments: Segment[];
  hostAgents: AgentRecord[];
}

/** A driver's answer to bind_port: the segment it bound at level 0 and what Nova needs to plug the VIF. */
export interface BindingResult {
  segment: Segment;
  vif_type: string;
  vif_details: Record<string, unknown>;
}

/**
 * ML2's mechanism driver. Pre-commit hooks run inside the request's transaction (a throw rolls it back); post-commit
 * hooks run after it committed (a throw is logged, the API call has already succeeded).
 */
export interface MechanismDriver {
  readonly name: string;
  /** Agent type this driver binds through; the binder loads the host's agents of that type. */
  readonly agentType?: string;
  /** Returns a binding, or undefined to let the next driver try. Must not write. */
  bindPort?(request: BindingRequest): BindingResult | undefined;

  createNetworkPrecommit?(ctx: ResourceContext): Promise<void> | void;
  createNetworkPostcommit?(ctx: CommittedContext): Promise<void> | void;
  updateNetworkPrecommit?(ctx: ResourceContext): Promise<void> | void;
  updateNetworkPostcommit?(ctx: CommittedContext): Promise<void> | void;
  deleteNetworkPrecommit?(ctx: ResourceContext): Promise<void> | void;
  deleteNetworkPostcommit?(ctx: CommittedContext): Promise<void> | void;

  createSubnetPrecommit?(ctx: ResourceContext): Promise<void> | void;
  createSubnetPostcommit?(ctx: CommittedContext): Promise<void> | void;
  updateSubnetPrecommit?(ctx: ResourceContext): Promise<void> | void;
  updateSubnetPostcommit?(ctx: CommittedContext): Promise<void> | void;
  deleteSubnetPrecommit?(ctx: ResourceContext): Promise<void> | void;
  deleteSubnetPostcommit?(ctx: CommittedContext): Promise<void> | void;

  createPortPrecommit?(ctx: ResourceContext): Promise<void> | void;
  createPortPostcommit?(ctx: CommittedContext): Promise<void> | void;
  updatePortPrecommit?(ctx: ResourceContext): Promise<void> | void;
  updatePortPostcommit?(ctx: CommittedContext): Promise<void> | void;
  deletePortPrecommit?(ctx: ResourceContext): Promise<void> | void;
  deletePortPostcommit?(ctx: CommittedContext): Promise<void> | void;
}

export type ResourceKind = 'Network' | 'Subnet' | 'Port';
export type HookPhase = 'create' | 'update' | 'delete';
