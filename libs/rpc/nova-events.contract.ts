/**
 * The retried queue between server replicas for Nova's os-server-external-events (network-vif-plugged and the
 * like): any replica enqueues after commit, one processes, and the job survives a restart on Redis.
 *
 * API version history:
 *   1.0 - NOVA_EVENTS_QUEUE jobs: `{events}`, one batch of events per job (one POST to Nova).
 */
export const NOVA_EVENTS_RPC_VERSION = '1.0';

/** Retried queue for Nova os-server-external-events. */
export const NOVA_EVENTS_QUEUE = 'nova-events';
