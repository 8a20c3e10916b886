import { Inject, Injectable } from '@nestjs/common';
import { httpNotFound } from '../errors/neutron-error.js';
import type { ApiRequest, ApiResponse, CustomHandler } from '../engine/ports.js';
import { ResourceRegistry } from '../engine/resource-registry.js';
import { EXTENSION_CATALOG } from './extension-catalog.js';

/** GET /v2.0/extensions[/{alias}]: only the aliases the running modules registered (§2.13). */
@Injectable()
export class ExtensionsHandler implements CustomHandler {
  readonly path = 'extensions';

  constructor(@Inject(ResourceRegistry) private readonly registry: ResourceRegistry) {}

  async handle(req: ApiRequest, rest: string[]): Promise<ApiResponse> {
    if (req.method !== 'GET' || rest.length > 1) throw httpNotFound();
    const all = this.registry.extensions.map((alias) => describe(alias));
    if (rest.length === 0) return { status: 200, body: { extensions: all } };
    const found = all.find((e) => e.alias === rest[0]);
    if (!found) throw httpNotFound(`Extension with alias ${rest[0]} does not exist`);
    return { status: 200, body: { extension: found } };
  }
}

function describe(alias: string) {
  const entry = EXTENSION_CATALOG[alias];
  return { name: entry?.name ?? alias, alias, description: entry?.description ?? '', updated: entry?.updated ?? '', links: [] };
}
