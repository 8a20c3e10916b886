import type { RequestContext } from '../api/resource/resource-definition.js';

/** What networks and ports need from security groups, implemented by libs/security-groups. */
export interface PortSecurityGroups {
  /** Creates the project's `default` group (with its 4 rules) if it does not exist yet; returns its id. Idempotent and concurrency-safe. */
  ensureDefault(ctx: RequestContext, projectId: string): Promise<string>;
  /** Sends the default group's read ahead of ensureDefault in the same request, without waiting for it. */
  readDefaultEarly(ctx: RequestContext, projectId: string): void;
  /**
   * Checks that every id exists and is usable by the port's project (else 404 SecurityGroupNotFound), and replaces
   * the port's bindings with them (`newPort`: the port was inserted in this transaction and has none yet).
   */
  bindPort(ctx: RequestContext, portId: string, projectId: string, securityGroupIds: string[], opts?: { newPort?: boolean }): Promise<void>;
  unbindPort(ctx: RequestContext, portId: string): Promise<void>;
  /** Group ids of many ports in one query. */
  loadForPorts(ctx: RequestContext, portIds: string[]): Promise<Map<string, string[]>>;
}
export const PORT_SECURITY_GROUPS = Symbol('PORT_SECURITY_GROUPS');

/** Table binding ports to groups (port_id, security_group_id), for the ports `security_groups` filter. */
export const PORT_SECURITY_GROUP_BINDINGS_TABLE = 'securitygroupportbindings';
