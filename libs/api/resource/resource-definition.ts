import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../../identity/auth-context.js';
import type { NeutronError } from '../errors/neutron-error.js';
import type { AttributeMap } from './attribute.js';

/** What a resource service gets with every call: who asks, and the open unit of work. */
export interface RequestContext {
  auth: AuthContext;
  isAdmin: boolean;
  projectId: string;
  em: EntityManager;
  /** For a sub-resource: its parent item as the caller sees it (`/ports/{id}/bindings` → the port). */
  parent?: ApiObject;
  /** Inside a write transaction: lock the rows read (PostgreSQL SELECT … FOR UPDATE). */
  forUpdate: boolean;
  /** Side effects (bus notifications) that must only happen once the transaction committed. */
  afterCommit(work: () => void | Promise<void>): void;
  /** The server acting for itself (agent RPC, scheduling), not an API caller: no quota, no policy. */
  internal?: boolean;
}

export type ApiObject = Record<string, unknown>;

export interface Filter {
  attr: string;
  values: unknown[];
}

export interface TagFilters {
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
}

export interface SortKey {
  attr: string;
  dir: 'asc' | 'desc';
}

export interface ListQuery {
  filters: Filter[];
  tagFilters: TagFilters;
  /** Always ends with id as the tie-breaker. */
  sorts: SortKey[];
  limit?: number;
  marker?: string;
  pageReverse: boolean;
  /** Attributes requested with fields= (empty = all); a service may use it to skip loading related rows. */
  fields: string[];
  /** Filters on fragments' attributes, as the engine took them out of `filters`: conditions on the list's main alias. */
  fragmentFilters?: { filter: FragmentFilter; values: unknown[] }[];
  /** Fragments' 1:1 tables to LEFT JOIN (array list queries only), by alias; the service keeps the page's rows (keepJoinedRows). */
  joins?: { alias: string; join: FragmentJoin }[];
}

/** The plug-in side of a resource. Services never throw HTTP errors, only NeutronErrors. */
export interface ResourceService {
  list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]>;
  /**
   * Visibility-scoped: undefined when the caller cannot see it. `fields` (empty = all) are the attributes the caller
   * reads; a service may use it to skip loading related rows, as on lists.
   */
  get(ctx: RequestContext, id: string, fields?: string[]): Promise<ApiObject | undefined>;
  /** Called once per item of a (bulk) create, all inside one transaction. */
  create(ctx: RequestContext, item: ApiObject): Promise<ApiObject>;
  update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject>;
  delete(ctx: RequestContext, current: ApiObject): Promise<void>;
}

export type ItemExtender = (ctx: RequestContext, items: ApiObject[]) => Promise<void>;

/**
 * Attributes that one domain adds to another domain's resource (neutron-lib's API definition fragments plus ML2's
 * extension drivers): the attribute map fragment, a batch loader for reads, and what to do inside the unit of work
 * when the resource is written. Registered with ResourceRegistry.extend; the owning service never hears of it.
 */
export interface ResourceFragment {
  /** The extension it implements, e.g. 'port-security'. */
  name: string;
  /**
   * Attributes merge in ascending order (default 100): Neutron walks the merged map in order, which shows in
   * PolicyNotAuthorized messages. Hooks run in that order too, unless `hookOrder` says otherwise.
   */
  order?: number;
  /** When the hooks must run earlier than the attributes come (port security checks before address pairs are stored). */
  hookOrder?: number;
  attributes: AttributeMap;
  /** Sets the fragment's attributes on a page of items: one query per page (never per item), none when `fields` leaves them out. */
  load?(ctx: RequestContext, items: ApiObject[], fields: string[]): Promise<void>;
  /**
   * A fragment kept in a 1:1 table (keyed by the resource's id) can ride the list's own query as a LEFT JOIN instead of
   * a query of its own: `read` gets the joined columns of one row (all null when the row is absent).
   */
  join?: FragmentJoin;
  /** List filters on its attributes that are not a column of the resource's table (an EXISTS on the fragment's own table). */
  filters?: Record<string, FragmentFilter>;
  /** After the resource's row is written: store the request's values and set them on `created`. */
  create?(ctx: RequestContext, created: ApiObject, request: ApiObject): Promise<void>;
  /** After the row is updated: apply `changes`, set the result on `updated` (which starts as the original's values). */
  update?(ctx: RequestContext, updated: ApiObject, original: ApiObject, changes: ApiObject): Promise<void>;
  /** Before the row is deleted (rows with a cascading foreign key need nothing). */
  delete?(ctx: RequestContext, current: ApiObject): Promise<void>;
}

export interface FragmentJoin {
  table: string;
  /** The column holding the resource's id. */
  key: string;
  columns: readonly string[];
  read(item: ApiObject, column: (name: string) => unknown): void;
}

/** A page's rows as arrays: the resource's own columns first, the joins' columns from `at` on (ListQuery.joins' order). */
export interface JoinedRows {
  rows: unknown[][];
  at: number;
}

const joinedRows = new WeakMap<ApiObject[], JoinedRows>();
const pendingReads = new WeakMap<ApiObject[], Promise<unknown>>();

/** A service that honours `ListQuery.joins` keeps the page's rows (rows[i] is items[i]'s) for the fragments. */
export function keepJoinedRows(items: ApiObject[], rows: unknown[][], at: number): ApiObject[] {
  joinedRows.set(items, { rows, at });
  return items;
}

export const joinedRowsOf = (items: ApiObject[]): JoinedRows | undefined => joinedRows.get(items);

export const forgetJoinedRows = (items: ApiObject[]): void => void joinedRows.delete(items);

/**
 * A list may return its page before its own related rows (a port's addresses) are read: they go out with the
 * fragments' reads (one round trip on PostgreSQL), and ResourceWriter.load awaits both before anyone reads the items.
 */
export function keepReading(items: ApiObject[], reads: Promise<unknown>): ApiObject[] {
  reads.catch(() => undefined); // awaited by ResourceWriter.load; a request failing before then drops it
  pendingReads.set(items, reads);
  return items;
}

export const pendingReadsOf = (items: ApiObject[]): Promise<unknown> | undefined => pendingReads.get(items);

/** An SQL condition on the list's main alias for the given filter values: [sql with :named params, params]. */
export type FragmentFilter = (alias: string, values: unknown[], param: () => string) => [string, Record<string, unknown>] | undefined;

export type MemberAction = (ctx: RequestContext, current: ApiObject, body: ApiObject | undefined) => Promise<unknown>;

/** A member action that reads only some attributes of its item: the service and fragments may skip the others. */
export interface MemberActionSpec {
  run: MemberAction;
  /** The attributes `run` reads of `current` (as `fields=`; the item is still found and checked as the caller sees it). */
  fields: string[];
}

export interface ResourceDefinition {
  /** Singular JSON key and policy name: 'network'. */
  name: string;
  /** The policy rules' resource name when it is not `name` (sub-resources: 'port_binding' for `binding`). */
  policyName?: string;
  /**
   * A sub-resource: the parent's path (`ports` for `/ports/{id}/bindings`). The engine checks the parent is visible,
   * puts it in `ctx.parent`, and gives the sub-resource the same parsing, fields, filters, paging, errors and policy.
   * Its policy target carries the parent's owner as `ext_parent:tenant_id` (Neutron's ext_parent_owner rule).
   */
  parent?: string;
  /** Plural JSON key: 'networks'. */
  collection: string;
  /** URL path below /v2.0: 'networks', 'security-groups', 'metering/metering-labels'. */
  path: string;
  attributes: AttributeMap;
  service: ResourceService;
  /** The resource's NotFound; `ctx` has the parent of a sub-resource. */
  notFound(id: string, ctx?: RequestContext): NeutronError;
  allowBulk?: boolean;
  /** Has the tags sub-resource and tag filters. */
  taggable?: boolean;
  /** Quota resource counted on create, e.g. 'network'. */
  quotaResource?: string;
  /** Table whose revision_number the tags sub-resource bumps. */
  table?: string;
  /**
   * `PUT /<collection>/<id>/<action>` (Neutron's member actions): raw JSON body in, raw body out (no envelope), run
   * in one transaction on the item the caller can see. The policy hook is bypassed, as in Neutron: the action scopes.
   */
  memberActions?: Record<string, MemberAction | MemberActionSpec>;
  /** List and show only (e.g. network-ip-availabilities): POST, PUT and DELETE answer 405. */
  readOnly?: boolean;
  /** Other domains' attributes on this resource (filled through ResourceRegistry.extend, in `order`). */
  fragments?: ResourceFragment[];
  /** Extra keys policy rules need about the item (e.g. 'network:tenant_id' for ports and subnets). */
  policyTarget?(ctx: RequestContext, item: ApiObject): Promise<ApiObject>;
}
