// The compose file's load balancer: round-robin TCP to the neutron-server replicas, one listener per service port,
// skipping a replica that refuses the connection. TCP, not HTTP: keep-alive, Host and bodies pass untouched.
// Stand-in for the HAProxy or nginx a production deployment puts there.
//   node tcp-balancer.mjs 9696=neutron-server-1:9696,neutron-server-2:9696 5000=neutron-server-1:5000,...
import { connect, createServer } from 'node:net';

for (const spec of process.argv.slice(2)) {
  const [port, list] = spec.split('=');
  const backends = list.split(',').map((b) => {
    const i = b.lastIndexOf(':');
    return { host: b.slice(0, i), port: Number(b.slice(i + 1)) };
  });
  let next = 0;
  const server = createServer((client) => {
    client.on('error', () => undefined);
    const tryBackend = (left) => {
      const target = backends[next++ % backends.length];
      const upstream = connect(target.port, target.host);
      upstream.once('connect', () => {
        upstream.on('error', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      upstream.once('error', () => (left > 1 ? tryBackend(left - 1) : client.destroy()));
    };
    tryBackend(backends.length);
  });
  server.listen(Number(port), '0.0.0.0', () => console.log(JSON.stringify({ msg: 'balancing', port: Number(port), backends })));
}
process.on('SIGTERM', () => process.exit(0));
