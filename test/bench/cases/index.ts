import type { BenchCase } from '../types.js';
import { dhcpCases } from './dhcp.js';
import { identityCases } from './identity.js';
import { l3Cases } from './l3.js';
import { l3LinuxCases } from './l3-linux.js';
import { meteringCases } from './metering.js';
import { metricsCases } from './metrics.js';
import { networkCases } from './networks.js';
import { portCases } from './ports.js';
import { routerCases } from './routers.js';

export interface CaseOptions {
  adminPassword: string;
}

/**
 * Every case, in run order. A new topic (ports, subnets, DHCP, ...) is one file in this folder exporting its
 * cases, added here; later cases see what earlier ones left (e.g. the networks), but each `prepare` makes sure
 * of what its case needs, so `--only` works on any subset.
 */
export function allCases(opts: CaseOptions): BenchCase[] {
  return [
    ...identityCases(opts.adminPassword),
    ...networkCases,
    ...portCases,
    ...dhcpCases,
    ...routerCases,
    ...l3Cases,
    ...l3LinuxCases,
    ...meteringCases,
    ...metricsCases,
  ];
}
