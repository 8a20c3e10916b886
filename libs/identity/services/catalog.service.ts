import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { stableId } from './ids.js';

export interface CatalogEndpoint {
  id: string;
  interface: 'public' | 'internal' | 'admin';
  region: string;
  region_id: string;
  url: string;
}

export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

const INTERFACES = ['public', 'internal', 'admin'] as const;

/** Host for URLs handed to clients: the configured public host, else the bind address unless it is a wildcard. */
export function publicHost(config: AppConfig): string {
  const host = config.identity.public_url_host || (['0.0.0.0', '::', '[::]'].includes(config.host) ? '127.0.0.1' : config.host);
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The built-in, read-only service catalog (identity + network) and the public URLs derived from config.
 * Keystone's identity endpoint is the versioned /v3/ URL: tempest and keystoneauth take it from the catalog as is.
 */
@Injectable()
export class CatalogService {
  readonly region: string;
  /** http://H:5000 (no version), or identity.public_endpoint. */
  readonly origin: string;
  private readonly services: readonly CatalogEntry[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const host = publicHost(config);
    this.region = config.identity.region;
    // Keystone's public_endpoint: behind a published port, a proxy or TLS, the catalog gives what clients can reach.
    this.origin = config.identity.public_endpoint || `http://${host}:${config.identity.port}`;
    this.services = Object.freeze([
      // As Keystone's install guide registers them: no trailing slash on the network endpoint (a client joins
      // `/v2.0/...` to it), the identity endpoint as `keystone-manage bootstrap` writes it.
      this.service('network', 'neutron', config.api.public_endpoint ? config.api.public_endpoint.replace(/\/+$/, '') : `http://${host}:${config.api.port}`),
      this.service('identity', 'keystone', `${this.origin}/v3/`),
    ]);
  }

  /** Keystone's public URL, e.g. http://127.0.0.1:5000/v3 (used in WWW-Authenticate). */
  publicUrl(): string {
    return `${this.origin}/v3`;
  }

  /** A URL below /v3, e.g. url('projects', id). */
  url(...parts: string[]): string {
    return [this.publicUrl(), ...parts.map(encodeURIComponent)].join('/');
  }

  /** The catalog as it appears in a token (fresh objects: callers may serialize or mutate). */
  catalog(): CatalogEntry[] {
    return this.services.map((s) => ({ ...s, endpoints: s.endpoints.map((e) => ({ ...e })) }));
  }

  listServices(): CatalogEntry[] {
    return this.catalog();
  }

  private service(type: string, name: string, url: string): CatalogEntry {
    const endpoints = INTERFACES.map((iface) => ({
      id: stableId(`endpoint:${type}:${iface}:${this.region}`),
      interface: iface,
      region: this.region,
      region_id: this.region,
      url,
    }));
    return { id: stableId(`service:${type}`), type, name, endpoints };
  }
}
