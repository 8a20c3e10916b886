/**
 * Small factories of get_metering_labels / get_metering_routers answers for the metering specs and the bench:
 * routers with a gateway (unless `gw_port_id: null`) and labels with rules.
 */
import type { MeteringLabelInfo, MeteringRouterInfo, MeteringRuleInfo } from '../../../rpc/metering-agent.contract.js';
import { compileLabel, type MeteredRouter, meteredRouter } from '../core/metering-state.js';

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

export const meterRouterId = (n: number) => `${hex(n, 8)}-0000-4000-8000-00000000000a`;
export const meterLabelId = (n: number) => `${hex(n, 8)}-1111-4000-8000-00000000000b`;
export const meterGatewayPort = (n: number) => `${hex(n, 8)}-2222-4000-8000-00000000000c`;

export function meterRule(labelId: string, rule: Partial<MeteringRuleInfo> & Pick<MeteringRuleInfo, 'direction'>, n = 0): MeteringRuleInfo {
  return {
    id: `${labelId.slice(0, 8)}-${hex(n, 4)}-4000-8000-00000000000d`,
    metering_label_id: labelId,
    remote_ip_prefix: null,
    source_ip_prefix: null,
    destination_ip_prefix: null,
    excluded: false,
    ...rule,
  };
}

export function meterLabel(id: string, rules: Omit<Parameters<typeof meterRule>[1], never>[] = [], opts: Partial<MeteringLabelInfo> = {}): MeteringLabelInfo {
  return { id, name: `label-${id.slice(0, 8)}`, shared: false, project_id: 'project-1', rules: rules.map((r, i) => meterRule(id, r, i)), ...opts };
}

export function meterRouter(id: string, opts: Partial<MeteringRouterInfo> = {}): MeteringRouterInfo {
  return { id, project_id: 'project-1', gw_port_id: `${id.slice(0, 8)}-2222-4000-8000-00000000000c`, ...opts };
}

/** A router's state with these labels (compiled, by id), as the agent builds it. */
export function compiledRouter(router: MeteringRouterInfo, labels: MeteringLabelInfo[]): MeteredRouter {
  return meteredRouter(router, labels.map(compileLabel).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}
