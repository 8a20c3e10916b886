import { ConfigError, failedToStart, loadConfig } from '../../libs/config/index.js';

/**
 * The container's HEALTHCHECK: GET /healthcheck on the API port of the same configuration the server loaded
 * (config file, APPLIANCE_API_PORT or APPLIANCE__API__PORT alike); exit 0 when it answers 200.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.host);
  const host = wildcard ? '127.0.0.1' : config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${config.api.port}/healthcheck`;
  const res = await fetch(url, { signal: AbortSignal.timeout(4_000) }).catch((e: Error) => {
    throw new ConfigError(`${url}: ${e.message}`);
  });
  if (res.status !== 200) throw new ConfigError(`${url}: ${res.status}`);
}

main().catch(failedToStart('healthcheck'));
