import { isUniqueViolation, sqlBool } from '../../db/index.js';
import { Injectable } from '@nestjs/common';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, revised } from '../../api/resource/standard-row.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { malformedValue, parseIpNetwork } from '../../api/validators/index.js';
import { formatCidr, intersects, mergeRanges, parseCidr, rangeOf, rangeToCidrs, subtractRanges } from './prefix-set.js';
import { type SubnetPoolActions, subnetPoolAttributes } from './subnetpool.definition.js';
import { SubnetPoolEntity, type SubnetPoolRow } from './subnetpool.entity.js';
import {
  addressScopeNotFound,
  addrFormatError,
  defaultSubnetPoolExists,
  illegalPrefixUpdate,
  invalidPrefixOpsBody,
  subnetPoolDeleteError,
  subnetPoolNotFound,
} from './subnetpool.errors.js';
import { grownPrefixes, readSubnetPool } from './subnetpool-reader.js';
import { allocatedSubnets, findPoolRow, hasSubnets, isVisible, presentPool } from './subnetpool.store.js';

const INT32_MAX = 2 ** 31 - 1;

/** /v2.0/subnetpools and its prefix member actions (db_base_plugin_v2's subnetpool part). */
@Injectable()
export class SubnetPoolsService implements ResourceService, SubnetPoolActions {
  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(SubnetPoolEntity).createQueryBuilder('r');
    if (!ctx.isAdmin) {
      qb.where('(r.project_id = :owner OR r.shared = :yes)', { owner: ctx.projectId, yes: sqlBool(ctx.em, true) });
    }
    const rows = await runListQuery(ctx.em, qb, query, {
      alias: 'r',
      attributes: subnetPoolAttributes,
      taggable: true,
      notFound: subnetPoolNotFound,
    });
    return rows.map((row) => presentPool(row, undefined));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await findPoolRow(ctx, id, ctx.forUpdate);
    if (!row || !isVisible(ctx, row)) return undefined;
    return presentPool(row, undefined);
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const pool = readSubnetPool(item.prefixes as string[], {
      minPrefixlen: item.min_prefixlen as number | undefined,
      maxPrefixlen: item.max_prefixlen as number | undefined,
      defaultPrefixlen: item.default_prefixlen as number | undefined,
    });
    const isDefault = item.is_default as boolean;
    if (isDefault) await this.checkNoDefault(ctx, pool.ipVersion);
    checkAddressScope(item.address_scope_id);
    const row: SubnetPoolRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      ip_version: pool.ipVersion,
      prefixes: pool.prefixes,
      min_prefixlen: pool.minPrefixlen,
      max_prefixlen: pool.maxPrefixlen,
      default_prefixlen: pool.defaultPrefixlen,
      default_quota: quotaOf(item.default_quota),
      shared: item.shared as boolean,
      is_default: isDefault,
      default_for_version: isDefault ? pool.ipVersion : null,
      address_scope_id: null,
    };
    await this.write(ctx, () => ctx.em.getRepository(SubnetPoolEntity).insert(row));
    return presentPool(row, undefined);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const next = await this.updateRow(ctx, current.id as string, changes);
    return presentPool(next, undefined, true);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const id = current.id as string;
    if (await hasSubnets(ctx, id)) throw subnetPoolDeleteError('Subnet pool has existing allocations');
    await ctx.em.getRepository(SubnetPoolEntity).delete({ id });
  }

  /** add_prefixes is an update of the prefix list to old + new (so it may only grow, and bumps the revision). */
  async addPrefixes(ctx: RequestContext, current: ApiObject, body: ApiObject | undefined): Promise<unknown> {
    const prefixes = operationPrefixes(body);
    const row = this.ownedRow(ctx, current);
    const next = await this.updateRow(ctx, row.id, { prefixes: [...row.prefixes, ...prefixes] });
    return { prefixes: next.prefixes };
  }

  async removePrefixes(ctx: RequestContext, current: ApiObject, body: ApiObject | undefined): Promise<unknown> {
    const prefixes = operationPrefixes(body).map(parseCidr);
    const row = await this.lockedRow(ctx, this.ownedRow(ctx, current).id);
    const version = row.ip_version as 4 | 6;
    const all = mergeRanges(row.prefixes.map((p) => rangeOf(parseCidr(p))));
    const removal = mergeRanges(prefixes.filter((c) => c.version === version).map(rangeOf));
    if (!intersects(all, removal)) return { prefixes: row.prefixes };
    const allocated = mergeRanges((await allocatedSubnets(ctx, row.id)).map((s) => rangeOf(parseCidr(s.cidr))));
    if (intersects(allocated, removal)) {
      throw illegalPrefixUpdate('One or more the prefixes to be removed is in use by a subnet');
    }
    const next = subtractRanges(all, removal).flatMap((r) => rangeToCidrs(version, r).map(formatCidr));
    // Neutron only rewrites the prefix rows here, not the pool row: no revision bump.
    await ctx.em.getRepository(SubnetPoolEntity).update({ id: row.id }, { prefixes: next });
    return { prefixes: next };
  }

  private async updateRow(ctx: RequestContext, id: string, changes: ApiObject): Promise<SubnetPoolRow> {
    const row = await this.lockedRow(ctx, id);
    const prefixes = 'prefixes' in changes ? grownPrefixes(row.prefixes, changes.prefixes as string[]) : row.prefixes;
    const pool = readSubnetPool(prefixes, {
      minPrefixlen: (changes.min_prefixlen as number | undefined) ?? row.min_prefixlen,
      maxPrefixlen: (changes.max_prefixlen as number | undefined) ?? row.max_prefixlen,
      defaultPrefixlen: (changes.default_prefixlen as number | undefined) ?? row.default_prefixlen,
    });
    const isDefault = 'is_default' in changes ? (changes.is_default as boolean) : row.is_default;
    if (isDefault && !row.is_default) await this.checkNoDefault(ctx, pool.ipVersion);
    checkAddressScope(changes.address_scope_id);
    const next = revised(row, {
      ...('name' in changes ? { name: changes.name as string } : {}),
      ...('description' in changes ? { description: changes.description as string } : {}),
      ...('default_quota' in changes ? { default_quota: quotaOf(changes.default_quota) } : {}),
      // A pool emptied by remove_prefixes takes the version of whatever prefixes it gets next, as in Neutron.
      ip_version: pool.ipVersion,
      prefixes: pool.prefixes,
      min_prefixlen: pool.minPrefixlen,
      max_prefixlen: pool.maxPrefixlen,
      default_prefixlen: pool.defaultPrefixlen,
      is_default: isDefault,
      default_for_version: isDefault ? pool.ipVersion : null,
    });
    await this.write(ctx, () => ctx.em.getRepository(SubnetPoolEntity).update({ id: next.id }, next));
    return next;
  }

  private async lockedRow(ctx: RequestContext, id: string): Promise<SubnetPoolRow> {
    const row = await findPoolRow(ctx, id, true);
    if (!row) throw subnetPoolNotFound(id);
    return row;
  }

  /** Member actions skip the policy hook; like Neutron's plug-in they act only on the caller's own pools. */
  private ownedRow(ctx: RequestContext, current: ApiObject): { id: string; prefixes: string[] } {
    if (!ctx.isAdmin && current.project_id !== ctx.projectId) throw subnetPoolNotFound(current.id as string);
    return { id: current.id as string, prefixes: current.prefixes as string[] };
  }

  /** _check_default_subnetpool_exists; the unique index on default_for_version settles concurrent requests. */
  private async checkNoDefault(ctx: RequestContext, ipVersion: number): Promise<void> {
    const exists = await ctx.em.getRepository(SubnetPoolEntity).existsBy({ default_for_version: ipVersion });
    if (exists) throw defaultSubnetPoolExists();
  }

  private async write(ctx: RequestContext, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (isUniqueViolation(e)) throw defaultSubnetPoolExists();
      throw e;
    }
  }
}

/** Address scopes are not implemented: only "no scope" exists, any id is unknown. */
function checkAddressScope(value: unknown): void {
  if (typeof value === 'string') throw addressScopeNotFound(value);
}

function quotaOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  // Neutron's Integer column would fail in the database: a 500 either way, but not a driver-specific one.
  if ((value as number) > INT32_MAX) throw malformedValue();
  return value as number;
}

/** subnetpool_prefix_ops.get_operation_request_body, then netaddr's parsing of each prefix. */
function operationPrefixes(body: ApiObject | undefined): string[] {
  const prefixes = body?.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw invalidPrefixOpsBody();
  for (const p of prefixes) {
    if (typeof p !== 'string') throw malformedValue();
    try {
      parseIpNetwork(p);
    } catch {
      throw addrFormatError(p);
    }
  }
  return prefixes as string[];
}
