import type { ResourceRegistry } from '../engine/resource-registry.js';

/**
 * The `resource` label of a request's duration: the registered collection (or custom handler) its path names,
 * followed by a registered sub-resource or member action (`routers/add_router_interface`, `ports/bindings`); ids
 * never appear, so the label set is bounded by what the server registered. Other paths: `root`, `healthcheck`,
 * `metrics`, `v2.0` (the index) or `unknown`.
 */
export function requestResource(registry: ResourceRegistry, url: string): string {
  const path = url.split('?', 1)[0];
  if (!path.startsWith('/v2.0/')) {
    if (path === '/') return 'root';
    if (path === '/healthcheck' || path === '/metrics') return path.slice(1);
    return 'unknown';
  }
  const segments = path.slice('/v2.0/'.length).split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  if (!segments.length) return 'v2.0';
  const last = segments.length - 1;
  if (segments[last].endsWith('.json')) segments[last] = segments[last].slice(0, -'.json'.length);
  const match = registry.match(segments);
  if (!match) return 'unknown';
  if (match.handler) return match.handler.path;
  const def = match.resource!;
  const sub = match.rest[1];
  if (sub === undefined) return def.collection;
  const known =
    sub === 'tags' ||
    registry.childAt(def.path, sub) !== undefined ||
    registry.subResource(def.path, sub) !== undefined ||
    (def.memberActions !== undefined && Object.hasOwn(def.memberActions, sub));
  return known ? `${def.collection}/${sub}` : def.collection;
}
