import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { MetricsRegistry } from './metrics-registry.js';

/**
 * `GET /metrics` for a process without the API port (an agent-only process of the split deployment): a bare HTTP
 * listener on its own port (metrics.agent_port). Anything else is a 404.
 */
export class MetricsListener {
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly port: number,
    private readonly host: string,
    private readonly log?: Logger,
  ) {}

  async start(): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?', 1)[0];
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found\n');
        return;
      }
      this.metrics.scrape().then(
        (text) => res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
        (err: Error) => {
          this.log?.error({ err }, 'metrics scrape failed');
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('scrape failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.port;
    this.log?.info({ port, host: this.host }, 'metrics listening');
    return port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
