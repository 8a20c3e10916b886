import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import type { RequestContext, ResourceFragment } from '../../api/resource/resource-definition.js';
import { convertToBoolean } from '../../api/validators/index.js';
import { loadInChunks, sqlAnyOf, sqlBool, sqlFlag, sqlRows, sqlRun } from '../../db/index.js';
import { findPortNetwork } from '../ports/port-network.js';
import { isTrusted } from '../ports/port-rules.js';
import { PORT_SECURITY_TABLE } from './port-security.entity.js';
import { checkPortSecurityCreate, checkPortSecurityUpdate } from './port-security.rules.js';

const ATTR = 'port_security_enabled';

/**
 * port-security on ports (ML2's port_security extension driver). Its checks run before address pairs and groups are
 * stored (Neutron's order), its attribute comes after them in the map.
 */
export const portSecurityFragment: ResourceFragment = {
  name: 'port-security',
  order: 40,
  hookOrder: 5,
  attributes: {
    [ATTR]: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertToBoolean, enforcePolicy: true },
  },

  join: {
    table: PORT_SECURITY_TABLE,
    key: 'port_id',
    columns: ['port_security_enabled'],
    // No row: on (Neutron's default).
    read: (port, column) => void (port[ATTR] = column('port_security_enabled') === null || sqlFlag(column('port_security_enabled'))),
  },

  async load(ctx, items, fields) {
    if (fields.length && !fields.includes(ATTR)) return;
    const off = await portsWithoutSecurity(ctx, items.map((p) => p.id as string));
    for (const port of items) port[ATTR] = !off.has(port.id as string);
  },

  async create(ctx, port, request) {
    // A trusted (network:*) port has none; otherwise the request's value, else the network's.
    const requested = request[ATTR] as boolean | undefined;
    const enabled = isTrusted(port.device_owner as string)
      ? false
      : (requested ?? (await findPortNetwork(ctx, port.network_id as string))?.port_security_enabled ?? true);
    checkPortSecurityCreate({
      portSecurity: enabled,
      requested: request.security_groups as string[] | undefined,
      addressPairs: request.allowed_address_pairs as unknown[] | undefined,
    });
    if (!enabled) await setPortSecurity(ctx, port.id as string, false, false);
    port[ATTR] = enabled;
  },

  async update(ctx, port, original, changes) {
    const enabled = (changes[ATTR] as boolean | undefined) ?? (original[ATTR] as boolean);
    checkPortSecurityUpdate({
      portSecurity: enabled,
      changes,
      hasPairs: (original.allowed_address_pairs as unknown[]).length > 0,
      hasGroups: (original.security_groups as unknown[]).length > 0,
    });
    if (enabled !== original[ATTR]) await setPortSecurity(ctx, port.id as string, enabled, true);
    port[ATTR] = enabled;
  },
};

async function portsWithoutSecurity(ctx: RequestContext, portIds: string[]): Promise<Set<string>> {
  const off = await loadInChunks(portIds, async (ids) => {
    const [cond, param] = sqlAnyOf(ctx.em, 'port_id', ids);
    const rows = await sqlRows<{ port_id: string }>(ctx.em, `SELECT port_id FROM ${PORT_SECURITY_TABLE} WHERE ${cond}`, [param]);
    return new Map(rows.map((r) => [r.port_id, true]));
  });
  return new Set(off.keys());
}

async function setPortSecurity(ctx: RequestContext, portId: string, enabled: boolean, existing: boolean): Promise<void> {
  if (existing) await sqlRun(ctx.em, `DELETE FROM ${PORT_SECURITY_TABLE} WHERE port_id = ?`, [portId]);
  if (!enabled) await sqlRun(ctx.em, `INSERT INTO ${PORT_SECURITY_TABLE} (port_id, port_security_enabled) VALUES (?, ?)`, [portId, sqlBool(ctx.em, false)]);
}
