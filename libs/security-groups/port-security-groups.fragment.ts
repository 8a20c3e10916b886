import { NOT_SPECIFIED } from '../api/resource/attribute.js';
import type { RequestContext, ResourceFragment } from '../api/resource/resource-definition.js';
import { convertNoneToEmptyList, validateUuidList } from '../api/validators/index.js';
import { loadInChunks } from '../db/index.js';
import { groupsForNewPort, sameGroups } from '../plugin/port-security/port-security.rules.js';
import { isTrusted } from '../plugin/ports/port-rules.js';
import type { PortSecurityGroups } from './security-groups.contract.js';
import { PORT_SECURITY_GROUP_BINDINGS_TABLE } from './security-groups.contract.js';

const ATTR = 'security_groups';

/** Neutron's _ensure_default_security_group: never for another project unless admin (bug 1987410). */
export async function ensureDefaultGroup(groups: PortSecurityGroups, ctx: RequestContext, projectId: string): Promise<string | undefined> {
  if (!projectId || (projectId !== ctx.projectId && !ctx.isAdmin)) return undefined;
  return groups.ensureDefault(ctx, projectId);
}

/** security-group on ports (securitygroups_db's port part): the bindings, the default group, the filter. */
export function portSecurityGroupsFragment(groups: PortSecurityGroups): ResourceFragment {
  return {
    name: 'security-group',
    order: 50,
    attributes: {
      [ATTR]: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: convertNoneToEmptyList, validate: [validateUuidList()], isFilter: true },
    },
    filters: {
      // port-security-groups-filtering: an EXISTS on the bindings, so the list stays one query.
      [ATTR]: (alias, values, param) => {
        const ids = values.flatMap((v) => (Array.isArray(v) ? v : [v])).map(String);
        if (!ids.length) return undefined;
        const p = param();
        return [
          `EXISTS (SELECT 1 FROM ${PORT_SECURITY_GROUP_BINDINGS_TABLE} sgb WHERE sgb.port_id = ${alias}.id AND sgb.security_group_id IN (:...${p}))`,
          { [p]: ids },
        ];
      },
    },

    async load(ctx, items, fields) {
      if (fields.length && !fields.includes(ATTR)) return;
      const bound = await loadInChunks(items.map((p) => p.id as string), (ids) => groups.loadForPorts(ctx, ids));
      for (const port of items) port[ATTR] = bound.get(port.id as string) ?? [];
    },

    async create(ctx, port, request) {
      const projectId = port.project_id as string;
      const chosen = groupsForNewPort({
        portSecurity: port.port_security_enabled !== false,
        trusted: isTrusted(port.device_owner as string),
        requested: request[ATTR] as string[] | undefined,
        addressPairs: request.allowed_address_pairs as unknown[] | undefined,
        defaultGroup: await ensureDefaultGroup(groups, ctx, projectId),
      });
      if (chosen.length) await groups.bindPort(ctx, port.id as string, projectId, chosen, { newPort: true });
      port[ATTR] = chosen;
    },

    async update(ctx, port, original, changes) {
      await ensureDefaultGroup(groups, ctx, original.project_id as string);
      const old = original[ATTR] as string[];
      if (!(ATTR in changes) || sameGroups(old, changes[ATTR] as string[])) return;
      // _get_security_groups_on_port looks at the request's device_owner only.
      const trustedOwner = typeof changes.device_owner === 'string' && isTrusted(changes.device_owner);
      const chosen = trustedOwner ? [] : (changes[ATTR] as string[]);
      if (chosen.length) await groups.bindPort(ctx, port.id as string, original.project_id as string, chosen);
      else await groups.unbindPort(ctx, port.id as string);
      port[ATTR] = chosen;
    },
  };
}
