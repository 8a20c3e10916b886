import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApiObject, ItemExtender, ResourceDefinition, ResourceFragment } from '../resource/resource-definition.js';
import { tagsFragment } from '../tags/tags.fragment.js';
import type { CustomHandler, SubResourceHandler } from './ports.js';

/**
 * Counts a project's rows of one resource (an indexed COUNT on its table). `countSql`, when given, is that count as one
 * statement with the project id as its only parameter, for callers that fold it into a statement of their own.
 */
export type UsageCounter = ((em: EntityManager, projectId: string) => Promise<number>) & { countSql?: string };

/** What a domain says when it adds a resource: the definition, how its quota counts, the extensions it implements. */
export interface ResourceRegistration {
  definition: ResourceDefinition;
  /** The quota resource (`definition.quotaResource`) is counted with this. */
  quota?: UsageCounter;
  extensions?: string[];
}

const DEFAULT_FRAGMENT_ORDER = 100;

/** Everything mounted below /v2.0, filled by the domain modules at start. */
@Injectable()
export class ResourceRegistry {
  private readonly resources = new Map<string, ResourceDefinition>();
  private readonly handlers = new Map<string, CustomHandler>();
  private readonly aliases = new Set<string>();
  private readonly subResources = new Map<string, SubResourceHandler>();
  private readonly fragments = new Map<string, ResourceFragment[]>();
  private readonly baseAttributes = new Map<string, ResourceDefinition['attributes']>();
  private readonly counters = new Map<string, UsageCounter>();
  private readonly children = new Map<string, ResourceDefinition>();

  /** One call per resource: the definition, its quota counter and its extension aliases. */
  register(registration: ResourceRegistration): void {
    const { definition, quota, extensions } = registration;
    this.addResource(definition);
    if (quota && definition.quotaResource) this.counters.set(definition.quotaResource, quota);
    if (extensions) this.addExtensions(...extensions);
  }

  addResource(def: ResourceDefinition): void {
    if (def.parent) {
      this.children.set(`${def.parent}/${def.path}`, def);
      return;
    }
    this.resources.set(def.path, def);
    this.baseAttributes.set(def.path, def.attributes);
    if (def.taggable) this.extend(def.path, tagsFragment);
    else this.applyFragments(def.path);
  }

  /** Another domain's attributes on the resource at `path` (whichever module registers first). */
  extend(path: string, fragment: ResourceFragment, ...extensions: string[]): void {
    const list = [...(this.fragments.get(path) ?? []), fragment];
    // A stable sort: equal orders keep the order in which the domains registered.
    list.sort((a, b) => (a.order ?? DEFAULT_FRAGMENT_ORDER) - (b.order ?? DEFAULT_FRAGMENT_ORDER));
    this.fragments.set(path, list);
    this.applyFragments(path);
    if (extensions.length) this.addExtensions(...extensions);
  }

  /** Neutron's resource_extend: a read-only fragment that sets attributes the resource's map already declares. */
  extendItems(path: string, extender: ItemExtender, name = 'extender'): void {
    this.extend(path, { name, attributes: {}, load: (ctx, items: ApiObject[]) => extender(ctx, items) });
  }

  resourceAt(path: string): ResourceDefinition | undefined {
    return this.resources.get(path);
  }

  /** The registered definition at `path`; a missing one is a wiring bug of the server, not a client error. */
  definition(path: string): ResourceDefinition {
    const def = this.resources.get(path);
    if (!def) throw new Error(`no resource registered at ${path}`);
    return def;
  }

  allResources(): ResourceDefinition[] {
    return [...this.resources.values()];
  }

  /** How a quota resource is counted; undefined for one without rows in this build. */
  usageCounter(quotaResource: string): UsageCounter | undefined {
    return this.counters.get(quotaResource);
  }

  addHandler(handler: CustomHandler): void {
    this.handlers.set(handler.path, handler);
  }

  /** A sub-resource definition (`definition.parent` set) under the parent's path. */
  childAt(parentPath: string, path: string): ResourceDefinition | undefined {
    return this.children.get(`${parentPath}/${path}`);
  }

  /** `/<parent>/{id}/<name>[/…]` served by hand, e.g. ('agents', 'dhcp-networks'). */
  addSubResource(parentPath: string, name: string, handler: SubResourceHandler): void {
    this.subResources.set(`${parentPath}/${name}`, handler);
  }

  subResource(parentPath: string, name: string): SubResourceHandler | undefined {
    return this.subResources.get(`${parentPath}/${name}`);
  }

  /** Only what is really implemented: clients switch behaviour on this list. */
  addExtensions(...aliases: string[]): void {
    for (const alias of aliases) this.aliases.add(alias);
  }

  get extensions(): string[] {
    return [...this.aliases].sort();
  }

  /** Longest registered path that prefixes the segments ('metering/metering-labels' before 'metering'). */
  match(segments: string[]): { resource?: ResourceDefinition; handler?: CustomHandler; rest: string[] } | undefined {
    for (let n = Math.min(segments.length, 2); n >= 1; n--) {
      const key = segments.slice(0, n).join('/');
      const resource = this.resources.get(key);
      if (resource) return { resource, rest: segments.slice(n) };
      const handler = this.handlers.get(key);
      if (handler) return { handler, rest: segments.slice(n) };
    }
    return undefined;
  }

  /** Resources listed by GET /v2.0/ (Neutron lists its core resources there). */
  coreResources(): ResourceDefinition[] {
    return ['networks', 'subnets', 'subnetpools', 'ports'].flatMap((p) => this.resources.get(p) ?? []);
  }

  /**
   * The definition's map = its own attributes, then each fragment's in order (a new object: maps are cached by
   * identity); `def.fragments` in hook order.
   */
  private applyFragments(path: string): void {
    const def = this.resources.get(path);
    if (!def) return;
    const fragments = this.fragments.get(path) ?? [];
    const hookOrder = (f: ResourceFragment) => f.hookOrder ?? f.order ?? DEFAULT_FRAGMENT_ORDER;
    def.fragments = [...fragments].sort((a, b) => hookOrder(a) - hookOrder(b));
    def.attributes = Object.assign({}, this.baseAttributes.get(path), ...fragments.map((f) => f.attributes));
  }
}
