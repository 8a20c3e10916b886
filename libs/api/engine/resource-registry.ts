import { Injectable } from '@nestjs/common';
import type { ItemExtender, ResourceDefinition } from '../resource/resource-definition.js';
import type { CustomHandler, SubResourceHandler } from './ports.js';

/** Everything mounted below /v2.0, filled by the domain modules at start. */
@Injectable()
export class ResourceRegistry {
  private readonly resources = new Map<string, ResourceDefinition>();
  private readonly handlers = new Map<string, CustomHandler>();
  private readonly aliases = new Set<string>();
  private readonly subResources = new Map<string, SubResourceHandler>();
  private readonly extenders = new Map<string, ItemExtender[]>();

  addResource(def: ResourceDefinition): void {
    this.resources.set(def.path, def);
    def.extenders = [...(def.extenders ?? []), ...(this.extenders.get(def.path) ?? [])];
  }

  /** Adds attributes to another module's resource (whichever module registers first). */
  extendItems(path: string, extender: ItemExtender): void {
    this.extenders.set(path, [...(this.extenders.get(path) ?? []), extender]);
    const def = this.resources.get(path);
    if (def) def.extenders = [...(def.extenders ?? []), extender];
  }

  resourceAt(path: string): ResourceDefinition | undefined {
    return this.resources.get(path);
  }

  addHandler(handler: CustomHandler): void {
    this.handlers.set(handler.path, handler);
  }

  /** `/<parent>/{id}/<name>[/…]`, e.g. ('ports', 'bindings') or ('agents', 'dhcp-networks'). */
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
}
