import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import type { PortRow } from './port.entity.js';

/** A binding computed before a write, stored by the matching after-hook. Opaque to the ports service. */
export interface PendingBinding {
  readonly host: string;
}

export const PORT_LIFECYCLE = Symbol('PORT_LIFECYCLE');

/**
 * What ML2 does around a port write (binding, provisioning blocks, mechanism driver hooks, agent and Nova
 * notifications). The ports service calls it; libs/plugin/ml2 implements it.
 */
export interface PortLifecycle {
  /** Before the insert: binds the port on `binding_host_id` and writes the result into the row. */
  beforeCreate(ctx: RequestContext, row: PortRow): Promise<PendingBinding>;
  /** After the insert and IP allocation, in the same transaction. */
  afterCreate(ctx: RequestContext, row: PortRow, port: ApiObject, pending: PendingBinding): Promise<void>;
  /**
   * Before the update: when host, vnic_type or profile change, the port is unbound, rebound and set DOWN; the new
   * binding columns and status are written into `next`.
   */
  beforeUpdate(ctx: RequestContext, row: PortRow, next: Partial<PortRow>): Promise<PendingBinding | undefined>;
  afterUpdate(ctx: RequestContext, before: PortRow, after: PortRow, port: ApiObject, original: ApiObject, pending?: PendingBinding): Promise<void>;
  beforeDelete(ctx: RequestContext, row: PortRow, port: ApiObject): Promise<void>;
}
