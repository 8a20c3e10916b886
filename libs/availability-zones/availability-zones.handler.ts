import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { httpNotFound, methodNotAllowed } from '../api/errors/neutron-error.js';
import type { ApiRequest, ApiResponse, CustomHandler } from '../api/engine/ports.js';
import { parseFields, parseFilters } from '../api/request/list-params.js';
import type { AttributeMap } from '../api/resource/attribute.js';
import { renderItem } from '../api/engine/render.js';

const attributes: AttributeMap = {
  name: { allowPost: false, allowPut: false, isFilter: true },
  resource: { allowPost: false, allowPut: false, isFilter: true },
  state: { allowPost: false, allowPut: false, isFilter: true },
};

/**
 * GET /v2.0/availability_zones (§2.15), readable by anyone. Neutron derives zones from its agents; the appliance's
 * agents all run in the zones named in `network.availability_zones`, so those are the zones for networks.
 */
@Injectable()
export class AvailabilityZonesHandler implements CustomHandler {
  readonly path = 'availability_zones';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async handle(req: ApiRequest, rest: string[]): Promise<ApiResponse> {
    if (rest.length) throw httpNotFound();
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    const { filters } = parseFilters(req.query, attributes, false);
    const fields = parseFields(req.query);
    const zones = this.config.network.availability_zones
      .map((name) => ({ name, resource: 'network', state: 'available' }))
      .filter((zone) => filters.every((f) => f.values.includes(zone[f.attr as keyof typeof zone])));
    return { status: 200, body: { availability_zones: zones.map((z) => renderItem(attributes, z, fields, [])) } };
  }
}
