import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sqlAnyOf, sqlRows } from '../../../db/index.js';
import {
  type BoundDevicesRequest,
  type DeviceDetails,
  type DeviceDownResult,
  type DevicesDetailsRequest,
  type DeviceStatusRequest,
  tapDevice,
} from '../../../rpc/l2-agent.contract.js';
import { NetworkEntity } from '../../networks/network.entity.js';
import { bindingsOnHost } from '../binding/port-binding.store.js';
import { NETWORK_SEGMENTS, type NetworkSegments } from '../../segments/segments.contract.js';
import { internalContext } from '../../../api/resource/internal-context.js';
import { IPAM, type Ipam } from '../../ipam/ipam.contract.js';
import { BindingLevelEntity, type BindingLevelRow } from '../ml2.entities.js';
import { PortStatusService, UNPLUGGED_VIF_TYPES } from '../port-status.service.js';
import { L2_AGENT_ENTITY } from '../provisioning-blocks.js';
import { portsForDevices } from './device-ports.js';
import { PluginRpcEndpoints } from './plugin-rpc-endpoints.js';

/**
 * The server half of the L2 agent conversation (neutron/plugins/ml2/rpc.py RpcCallbacks), on PLUGIN_TOPIC through
 * PluginRpcEndpoints. Version and history: L2_AGENT_RPC_VERSION in libs/rpc/l2-agent.contract.ts.
 */
@Injectable()
export class L2AgentRpcService implements OnModuleInit {
  private readonly logger = new Logger('L2AgentRpc');

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(PluginRpcEndpoints) private readonly endpoints: PluginRpcEndpoints,
    @Inject(NETWORK_SEGMENTS) private readonly segments: NetworkSegments,
    @Inject(PortStatusService) private readonly status: PortStatusService,
    @Inject(IPAM) private readonly ipam: Ipam,
  ) {}

  onModuleInit(): void {
    this.endpoints.add({
      get_devices_details_list: (p) => this.getDevicesDetails(p as DevicesDetailsRequest),
      update_device_up: (p) => this.updateDeviceUp(p as DeviceStatusRequest),
      update_device_down: (p) => this.updateDeviceDown(p as DeviceStatusRequest),
      get_bound_devices: (p) => this.getBoundDevices(p as BoundDevicesRequest),
    });
  }

  /** Details of each device; a known, bound device asked for by its host goes BUILD (DOWN if disabled). */
  getDevicesDetails(req: DevicesDetailsRequest): Promise<DeviceDetails[]> {
    return this.db.unitOfWork(async (em, afterCommit) => {
      const ports = await portsForDevices(em, req.devices, req.host);
      const bound = [...ports.values()].filter((p) => !UNPLUGGED_VIF_TYPES.includes(p.binding_vif_type));
      const networkIds = [...new Set(bound.map((p) => p.network_id))];
      const [segments, mtu, levels, fixedIps] = await Promise.all([
        this.segments.forNetworks(em, networkIds),
        networkMtus(em, networkIds),
        bindingSegments(em, bound.map((p) => p.id)),
        this.ipam.loadForPorts(internalContext(em, afterCommit), bound.map((p) => p.id)),
      ]);
      const hostOf = new Map(bound.map((p) => [p.id, p.binding_host_id]));
      const segmentOf = new Map(levels.filter((l) => hostOf.get(l.port_id) === l.host).map((l) => [l.port_id, l.segment_id]));
      const out: DeviceDetails[] = [];
      for (const device of req.devices) {
        const port = ports.get(device);
        const segment = port && (segments.get(port.network_id) ?? []).find((s) => s.id === segmentOf.get(port.id));
        if (!port || !segment || UNPLUGGED_VIF_TYPES.includes(port.binding_vif_type)) {
          out.push({ device });
          continue;
        }
        if (req.host && port.binding_host_id !== req.host) {
          out.push({ device }); // no active binding on this host (moved away, or a migration target)
          continue;
        }
        out.push({
          device,
          port_id: port.id,
          network_id: port.network_id,
          mac_address: port.mac_address,
          admin_state_up: port.admin_state_up,
          network_type: segment.network_type,
          segmentation_id: segment.segmentation_id,
          physical_network: segment.physical_network,
          mtu: mtu.get(port.network_id),
          fixed_ips: fixedIps.get(port.id) ?? [],
          device_owner: port.device_owner,
        });
        await this.status.setStatus(em, port, port.admin_state_up ? 'BUILD' : 'DOWN', afterCommit);
      }
      return out;
    });
  }

  /** The agent wired the device: clear the L2 provisioning block (the port goes ACTIVE when nothing else blocks). */
  updateDeviceUp(req: DeviceStatusRequest): Promise<void> {
    return this.db.unitOfWork(async (em, afterCommit) => {
      const port = (await portsForDevices(em, [req.device], req.host)).get(req.device);
      if (!port) return;
      if (req.host && port.binding_host_id !== req.host) {
        this.logger.debug(`Device ${req.device} up on ${req.host}, but the port is bound to ${port.binding_host_id}`);
        return;
      }
      await this.status.provisioningComplete(em, port, L2_AGENT_ENTITY, afterCommit);
    });
  }

  updateDeviceDown(req: DeviceStatusRequest): Promise<DeviceDownResult> {
    return this.db.unitOfWork(async (em, afterCommit) => {
      const port = (await portsForDevices(em, [req.device], req.host)).get(req.device);
      if (!port) return { device: req.device, exists: false };
      if (req.host && port.binding_host_id !== req.host) return { device: req.device, exists: true };
      await this.status.setStatus(em, port, 'DOWN', afterCommit);
      return { device: req.device, exists: true };
    });
  }

  /** A (re)starting agent's inventory: the devices of every port bound to its host. */
  getBoundDevices(req: BoundDevicesRequest): Promise<string[]> {
    return this.db.read(async (em) => {
      const rows = await bindingsOnHost(em, req.host);
      return rows.filter((b) => !UNPLUGGED_VIF_TYPES.includes(b.vif_type)).map((b) => tapDevice(b.port_id));
    });
  }

}

const NETWORKS_TABLE = NetworkEntity.options.tableName!;

/** The MTU of each network: one hand-written statement (every device's details carry it). */
async function networkMtus(em: EntityManager, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const [inIds, param] = sqlAnyOf(em, 'id', ids);
  const rows = await sqlRows<{ id: string; mtu: unknown }>(em, `SELECT id, mtu FROM ${NETWORKS_TABLE} WHERE ${inIds}`, [param]);
  return new Map(rows.map((r) => [r.id, Number(r.mtu)]));
}

/** The binding levels of the ports (which segment each bound to, on which host). */
function bindingSegments(em: EntityManager, portIds: string[]): Promise<Pick<BindingLevelRow, 'port_id' | 'host' | 'segment_id'>[]> {
  if (!portIds.length) return Promise.resolve([]);
  const [inIds, param] = sqlAnyOf(em, 'port_id', portIds);
  return sqlRows(em, `SELECT port_id, host, segment_id FROM ${BindingLevelEntity.options.tableName} WHERE ${inIds}`, [param]);
}
