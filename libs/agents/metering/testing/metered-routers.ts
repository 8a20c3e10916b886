/**
 * Small factories of get_sync_data_metering answers for the metering specs and the bench: routers with a gateway
 * (unless `gw: null`) and labels with rules.
 */
import type { MeteringLabelInfo, MeteringRouterInfo, MeteringRuleInfo } from '../../../rpc/metering-agent.contract.js';

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

export function meteredRouter(id: string, labels: MeteringLabelInfo[], opts: Partial<MeteringRouterInfo> = {}): MeteringRouterInfo {
  return {
    id,
    name: `router-${id.slice(0, 8)}`,
    project_id: 'project-1',
    admin_state_up: true,
    status: 'ACTIVE',
    gw_port_id: `${id.slice(0, 8)}-2222-4000-8000-00000000000c`,
    distributed: false,
    _metering_labels: labels,
    ...opts,
  };
}
