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
  /** Inside a write transaction: lock the rows read (PostgreSQL SELECT … FOR UPDATE). */
  forUpdate: boolean;
  /** Side effects (bus notifications) that must only happen once the transaction committed. */
  afterCommit(work: () => void | Promise<void>): void;
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
}

/** The plug-in side of a resource. Services never throw HTTP errors, only NeutronErrors. */
export interface ResourceService {
  list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]>;
  /** Visibility-scoped: undefined when the caller cannot see it. */
  get(ctx: RequestContext, id: string): Promise<ApiObject | undefined>;
  /** Called once per item of a (bulk) create, all inside one transaction. */
  create(ctx: RequestContext, item: ApiObject): Promise<ApiObject>;
  update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject>;
  delete(ctx: RequestContext, current: ApiObject): Promise<void>;
}

export type ItemExtender = (ctx: RequestContext, items: ApiObject[]) => Promise<void>;

export interface ResourceDefinition {
  /** Singular JSON key and policy name: 'network'. */
  name: string;
  /** Plural JSON key: 'networks'. */
  collection: string;
  /** URL path below /v2.0: 'networks', 'security-groups', 'metering/metering-labels'. */
  path: string;
  attributes: AttributeMap;
  service: ResourceService;
  notFound(id: string): NeutronError;
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
  memberActions?: Record<string, (ctx: RequestContext, current: ApiObject, body: ApiObject | undefined) => Promise<unknown>>;
  /** List and show only (e.g. network-ip-availabilities): POST, PUT and DELETE answer 405. */
  readOnly?: boolean;
  /**
   * Neutron's dict-extend functions (resource_extend): other modules add attributes to the items the service returns,
   * e.g. a network's `availability_zones`. The engine runs them once per request over all its items (batch them).
   * Filled through ResourceRegistry.extendItems.
   */
  extenders?: ItemExtender[];
  /** Extra keys policy rules need about the item (e.g. 'network:tenant_id' for ports and subnets). */
  policyTarget?(ctx: RequestContext, item: ApiObject): Promise<ApiObject>;
}
