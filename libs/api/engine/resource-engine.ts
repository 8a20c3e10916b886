import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { type AfterCommit, Database } from '../../db/index.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { badRequest, httpNotFound, methodNotAllowed, NeutronError, policyNotAuthorized } from '../errors/neutron-error.js';
import { parseJsonBody, prepareRequestBody } from '../request/body-parser.js';
import { paginationLinks, parseFields, parseListQuery } from '../request/list-params.js';
import type { ApiObject, FragmentFilter, ListQuery, RequestContext, ResourceDefinition } from '../resource/resource-definition.js';
import { renderItem } from './render.js';
import { checkRevision, parseIfMatch } from './revision.js';
import { type ApiRequest, type ApiResponse, AUTHORIZER, type Authorizer } from './ports.js';
import { ResourceRegistry } from './resource-registry.js';
import { ResourceWriter } from './resource-writer.js';
import { TagsHandler } from './tags-handler.js';

/** The parent of a sub-resource request: `/ports/{id}/bindings` → (ports, id). */
export interface ParentRef {
  def: ResourceDefinition;
  id: string;
  /** The sub-resource asked for (set by handle). */
  child?: ResourceDefinition;
}

type Verb = 'get' | 'create' | 'update' | 'delete';

/**
 * The one generic implementation of list/show/create/update/delete for every standard resource and sub-resource,
 * in Neutron's order: parent visible (404) → policyTarget (404/403) → quota (409) → policy (403) → the write.
 */
@Injectable()
export class ResourceEngine {
  private readonly tags: TagsHandler;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(AUTHORIZER) private readonly authz: Authorizer,
    @Inject(ResourceWriter) private readonly writer: ResourceWriter,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tags = new TagsHandler(
      db,
      (def, ctx, id) => this.visibleItem(def, ctx, id),
      (auth, em, forUpdate) => this.context(auth, em, forUpdate),
    );
  }

  /** A request below /v2.0 (path already split): a resource, a sub-resource, or a custom handler. */
  async route(req: ApiRequest): Promise<ApiResponse> {
    const match = this.registry.match(req.segments);
    if (!match) throw httpNotFound();
    if (match.handler) return match.handler.handle(req, match.rest);
    const def = match.resource!;
    const [id, sub, ...more] = match.rest;
    if (sub !== undefined) {
      const child = this.registry.childAt(def.path, sub);
      if (child) return this.handle(child, req, more, { def, id });
      const handler = this.registry.subResource(def.path, sub);
      if (handler) return handler(req, id, more);
    }
    return this.handle(def, req, match.rest);
  }

  async handle(def: ResourceDefinition, req: ApiRequest, rest: string[], parent?: ParentRef): Promise<ApiResponse> {
    const [id, sub, ...more] = rest;
    if (parent) parent.child = def;
    if (def.readOnly && req.method !== 'GET' && sub === undefined) throw methodNotAllowed(req.method);
    if (id === undefined) {
      if (req.method === 'GET') return this.list(def, req, parent);
      if (req.method === 'POST') return this.create(def, req, parent);
      throw methodNotAllowed(req.method);
    }
    if (sub === undefined) {
      if (req.method === 'GET') return this.show(def, req, id, parent);
      if (req.method === 'PUT') return this.update(def, req, id, parent);
      if (req.method === 'DELETE') return this.delete(def, req, id, parent);
      throw methodNotAllowed(req.method);
    }
    if (sub === 'tags' && def.taggable && !parent && more.length <= 1) return this.tags.handle(def, req, id, more[0]);
    const actions = def.memberActions;
    const action = more.length === 0 && actions && Object.hasOwn(actions, sub) ? actions[sub] : undefined;
    if (action) {
      // Neutron's pecan PolicyHook skips member actions: the plug-in scopes the item (invisible → NotFound).
      if (req.method !== 'PUT') throw methodNotAllowed(req.method);
      const body = parseJsonBody(req.rawBody);
      const { run, fields } = typeof action === 'function' ? { run: action, fields: [] } : action;
      const result = await this.inTransaction(req.auth, parent, async (ctx) => run(ctx, await this.visibleItem(def, ctx, id, fields), body));
      return { status: 200, body: result };
    }
    throw httpNotFound();
  }

  private async list(def: ResourceDefinition, req: ApiRequest, parent?: ParentRef): Promise<ApiResponse> {
    const query = parseListQuery(req.query, def.attributes, {
      taggable: !!def.taggable,
      maxLimit: this.config.api.pagination_max_limit,
    });
    query.joins = (def.fragments ?? [])
      .filter((f) => f.join && (!query.fields.length || Object.keys(f.attributes).some((a) => query.fields.includes(a))))
      .map((f, i) => ({ alias: `fj${i}`, join: f.join! }));
    const fragmentFilters = this.fragmentFilters(def, query);
    if (fragmentFilters.length) {
      query.filters = query.filters.filter((f) => !fragmentFilters.some((ff) => ff.attr === f.attr));
      query.fragmentFilters = fragmentFilters;
    }
    const { items, ctx } = await this.db.read(async (em) => {
      const ctx = await this.enter(this.context(req.auth, em, false), parent);
      return { items: await this.writer.load(def, ctx, await def.service.list(ctx, query), query.fields, query.joins), ctx };
    });
    const readable = items.filter((item) => this.canRead(def, ctx, item));
    const body: ApiObject = { [def.collection]: readable.map((item) => this.render(def, ctx, item, query.fields)) };
    const links = paginationLinks(req.pathUrl, req.query, items, query.limit, query.pageReverse);
    if (links.length) body[`${def.collection}_links`] = links;
    return { status: 200, body };
  }

  private async show(def: ResourceDefinition, req: ApiRequest, id: string, parent?: ParentRef): Promise<ApiResponse> {
    const fields = parseFields(req.query);
    const { item, ctx } = await this.db.read(async (em) => {
      const ctx = await this.enter(this.context(req.auth, em, false), parent);
      return { item: await this.visibleItem(def, ctx, id), ctx };
    });
    return { status: 200, body: { [def.name]: this.render(def, ctx, item, fields) } };
  }

  private async create(def: ResourceDefinition, req: ApiRequest, parent?: ParentRef): Promise<ApiResponse> {
    const body = parseJsonBody(req.rawBody);
    const bulk = !!body && def.collection in body;
    const items = prepareRequestBody(body, {
      resource: def.name,
      collection: def.collection,
      attributes: def.attributes,
      isCreate: true,
      allowBulk: def.allowBulk !== false,
      caller: { projectId: req.auth.project_id, isAdmin: req.auth.is_admin },
    });
    const { created, ctx } = await this.inTransaction(req.auth, parent, async (ctx) => {
      // Neutron's order: the parent network's ownership (policyTarget: 404/403) → quota (409, a before_create
      // subscriber) → policy (403).
      if (items.length === 1 && def.policyTarget) return { created: [await this.createOne(def, ctx, items[0])], ctx };
      const targets: ApiObject[] = [];
      for (const item of items) targets.push({ ...item, ...(def.policyTarget ? await def.policyTarget(ctx, item) : {}) });
      const results: ApiObject[] = [];
      for (const [i, item] of items.entries()) {
        const authorize = () => this.enforce(def, ctx, 'create', targets[i], this.explicitlySet(def, item));
        results.push(await this.writer.create(def, ctx, item, authorize));
      }
      return { created: results, ctx };
    });
    const rendered = created.map((item) => this.render(def, ctx, item, []));
    return { status: 201, body: bulk ? { [def.collection]: rendered } : { [def.name]: rendered[0] } };
  }

  /**
   * One item: the parent's read (policyTarget) and before_create's (the quota lock) go out together, one round trip on
   * PostgreSQL; nothing is written before the parent was checked, and its 404/403 still wins over a quota 409.
   */
  private async createOne(def: ResourceDefinition, ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const target = def.policyTarget!(ctx, item);
    target.catch(() => undefined); // awaited below, whichever settles first
    const authorize = async () => this.enforce(def, ctx, 'create', { ...item, ...(await target) }, this.explicitlySet(def, item));
    try {
      return await this.writer.create(def, ctx, item, authorize);
    } catch (error) {
      await target;
      throw error;
    }
  }

  private async update(def: ResourceDefinition, req: ApiRequest, id: string, parent?: ParentRef): Promise<ApiResponse> {
    const revision = parseIfMatch(req.headers);
    const [changes] = prepareRequestBody(parseJsonBody(req.rawBody), {
      resource: def.name,
      collection: def.collection,
      attributes: def.attributes,
      isCreate: false,
      allowBulk: false,
      caller: { projectId: req.auth.project_id, isAdmin: req.auth.is_admin },
    });
    const { updated, ctx } = await this.inTransaction(req.auth, parent, async (ctx) => {
      const current = await this.visibleItem(def, ctx, id);
      checkRevision(current, revision);
      const target = { ...current, ...changes, ...(def.policyTarget ? await def.policyTarget(ctx, current) : {}) };
      this.enforceWrite(def, ctx, 'update', target, current, Object.keys(changes));
      return { updated: await this.writer.update(def, ctx, current, changes), ctx };
    });
    return { status: 200, body: { [def.name]: this.render(def, ctx, updated, []) } };
  }

  private async delete(def: ResourceDefinition, req: ApiRequest, id: string, parent?: ParentRef): Promise<ApiResponse> {
    if (req.rawBody && req.rawBody.trim() !== '') throw badRequest('Request body is not supported in DELETE.');
    const revision = parseIfMatch(req.headers);
    await this.inTransaction(req.auth, parent, async (ctx) => {
      const current = await this.visibleItem(def, ctx, id);
      checkRevision(current, revision);
      const target = { ...current, ...(def.policyTarget ? await def.policyTarget(ctx, current) : {}) };
      this.enforceWrite(def, ctx, 'delete', target, current, []);
      await this.writer.delete(def, ctx, current);
    });
    return { status: 204 };
  }

  /** Filters on attributes a fragment adds: the fragment knows its table, the service's list applies them. */
  private fragmentFilters(def: ResourceDefinition, query: ListQuery): { attr: string; filter: FragmentFilter; values: unknown[] }[] {
    const out: { attr: string; filter: FragmentFilter; values: unknown[] }[] = [];
    for (const f of query.filters) {
      const filter = def.fragments?.find((fragment) => fragment.filters?.[f.attr])?.filters?.[f.attr];
      if (filter) out.push({ attr: f.attr, filter, values: f.values });
    }
    return out;
  }

  /**
   * A sub-resource's request first finds its parent as the caller sees it (else the parent's NotFound), then checks
   * the sub-resource's get rule on the parent (403): who may see the parent but not its sub-resources is told so.
   */
  private async enter(ctx: RequestContext, parent: ParentRef | undefined): Promise<RequestContext> {
    if (!parent) return ctx;
    ctx.parent = await this.visibleItem(parent.def, ctx, parent.id);
    if (parent.child) this.enforce(parent.child, ctx, 'get', {}, []);
    return ctx;
  }

  /**
   * The item if the caller may see it (DB scoping, then the get policy), else the resource's NotFound; `fields`
   * (empty = all) limit what the service and the fragments load.
   */
  private async visibleItem(def: ResourceDefinition, ctx: RequestContext, id: string, fields: string[] = []): Promise<ApiObject> {
    const item = await def.service.get(ctx, id, fields);
    if (!item || !this.canRead(def, ctx, item)) throw def.notFound(id, ctx);
    return (await this.writer.load(def, ctx, [item], fields))[0];
  }

  private rule(def: ResourceDefinition, verb: Verb): string {
    return `${verb}_${def.policyName ?? def.name}`;
  }

  /** What policy rules see of an item; a sub-resource's also has its parent's owner (Neutron's ext_parent keys). */
  private target(ctx: RequestContext, item: ApiObject): ApiObject {
    if (!ctx.parent) return item;
    return { ...item, 'ext_parent:tenant_id': ctx.parent.project_id, 'ext_parent:project_id': ctx.parent.project_id };
  }

  private canRead(def: ResourceDefinition, ctx: RequestContext, item: ApiObject): boolean {
    return this.authz.authorize(this.rule(def, 'get'), this.target(ctx, item), ctx.auth, []) === undefined;
  }

  private enforce(def: ResourceDefinition, ctx: RequestContext, verb: Verb, target: ApiObject, attrs: string[]): void {
    // Neutron walks the attribute map, so its order (not the body's) shows in the PolicyNotAuthorized message.
    const withPolicy = Object.keys(def.attributes).filter((a) => def.attributes[a].enforcePolicy && attrs.includes(a));
    const denied = this.authz.authorize(this.rule(def, verb), this.target(ctx, target), ctx.auth, withPolicy);
    if (denied) throw policyNotAuthorized(denied);
  }

  /** §1.10: a failed update/delete policy is a 403 only for callers who may read the item, else a 404. */
  private enforceWrite(def: ResourceDefinition, ctx: RequestContext, verb: Verb, target: ApiObject, current: ApiObject, attrs: string[]): void {
    try {
      this.enforce(def, ctx, verb, target, attrs);
    } catch (e) {
      // A sub-resource's existence is its parent's, which the caller sees.
      if (e instanceof NeutronError && !ctx.parent && !this.canRead(def, ctx, current)) throw httpNotFound();
      throw e;
    }
  }

  /** Neutron checks attribute policies on create only for values that differ from the attribute's default. */
  private explicitlySet(def: ResourceDefinition, item: ApiObject): string[] {
    return Object.keys(item).filter((attr) => {
      const spec = def.attributes[attr];
      return spec && !('default' in spec && sameAsDefault(spec.default, item[attr]));
    });
  }

  private render(def: ResourceDefinition, ctx: RequestContext, item: ApiObject, fields: string[]): ApiObject {
    // Any attribute with a get_<resource>:<attr> rule may be hidden, not only the enforce_policy ones.
    const auth = ctx.auth;
    const hidden = auth.is_admin ? [] : this.authz.hiddenAttributes(this.rule(def, 'get'), this.target(ctx, item), auth, Object.keys(item));
    return renderItem(def.attributes, item, fields, hidden);
  }

  private inTransaction<T>(auth: AuthContext, parent: ParentRef | undefined, work: (ctx: RequestContext) => Promise<T>): Promise<T> {
    return this.db.unitOfWork(async (em, afterCommit) => work(await this.enter(this.context(auth, em, true, afterCommit), parent)));
  }

  /** A request's context; `afterCommit` is the unit of work's (reads outside one have no after-commit work). */
  context(auth: AuthContext, em: EntityManager, forUpdate: boolean, afterCommit: AfterCommit = noAfterCommit): RequestContext {
    return { auth, isAdmin: auth.is_admin, projectId: auth.project_id, em, forUpdate, afterCommit };
  }
}

/** Equal as JSON: two strings or booleans are without serializing them (most defaults are ''/true/false). */
function sameAsDefault(value: unknown, given: unknown): boolean {
  const simple = (v: unknown) => typeof v === 'string' || typeof v === 'boolean';
  if (simple(value) && simple(given)) return value === given;
  return JSON.stringify(value) === JSON.stringify(given);
}

const noAfterCommit: AfterCommit = () => {
  throw new Error('after-commit work queued outside a unit of work');
};
