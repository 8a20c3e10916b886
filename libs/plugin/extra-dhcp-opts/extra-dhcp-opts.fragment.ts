import type { ResourceFragment } from '../../api/resource/resource-definition.js';
import { convertToInt, type KeySpecs, validateAnyKeySpecsOrNone } from '../../api/validators/index.js';
import { type DhcpOpt, dhcpOptsForCreate, mergeDhcpOpts } from './extra-dhcp-opts.rules.js';
import { loadDhcpOpts, replaceDhcpOpts } from './extra-dhcp-opts.store.js';

const ATTR = 'extra_dhcp_opts';

const DHCP_OPT_VERSION = { convert_to: convertToInt, 'type:values': [4, 6], required: false } as const;
/** extra_dhcp_opt's EXTRA_DHCP_OPT_KEY_SPECS: blank-able options first, then any one-line option name. */
const EXTRA_DHCP_OPT_KEY_SPECS: KeySpecs[] = [
  {
    opt_name: { 'type:values': ['router', 'classless-static-route'], required: true },
    opt_value: { 'type:string_or_none': 255, required: true },
    ip_version: DHCP_OPT_VERSION,
  },
  {
    opt_name: { 'type:oneline_not_empty_string': 64, required: true },
    opt_value: { 'type:oneline_not_empty_string_or_none': 255, required: true },
    ip_version: DHCP_OPT_VERSION,
  },
];

/** extra_dhcp_opt on ports (Neutron's extradhcpopt_db); the DHCP agent serves them. */
export const extraDhcpOptsFragment: ResourceFragment = {
  name: 'extra_dhcp_opt',
  order: 30,
  attributes: {
    [ATTR]: { allowPost: true, allowPut: true, default: null, validate: [validateAnyKeySpecsOrNone(EXTRA_DHCP_OPT_KEY_SPECS)] },
  },

  async load(ctx, items, fields) {
    if (fields.length && !fields.includes(ATTR)) return;
    const opts = await loadDhcpOpts(ctx.em, items.map((p) => p.id as string));
    for (const port of items) port[ATTR] = opts.get(port.id as string) ?? [];
  },

  async create(ctx, port, request) {
    const opts = dhcpOptsForCreate(request[ATTR] as Record<string, unknown>[] | null);
    await replaceDhcpOpts(ctx.em, port.id as string, opts, false);
    port[ATTR] = opts;
  },

  async update(ctx, port, original, changes) {
    const updates = changes[ATTR] as Record<string, unknown>[] | null | undefined;
    if (!updates?.length) return;
    const old = original[ATTR] as DhcpOpt[];
    const merged = mergeDhcpOpts(old, updates);
    await replaceDhcpOpts(ctx.em, port.id as string, merged, old.length > 0);
    port[ATTR] = merged;
  },
};
