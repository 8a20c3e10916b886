import { defineConfig } from 'rolldown';

/**
 * Bundles the compiled apps into one file each: loading ~1,500 small modules of Nest, TypeORM and fastify takes
 * about a second on this machine type; one file starts in about half that (README: start to first answer < 1 s).
 */
const external = [
  // native or loaded by name at run time: stay in node_modules
  'better-sqlite3',
  'pg',
  'pg-native',
  'pg-query-stream',
  // optional Nest/fastify peers this project does not install (Nest loads them in try/catch)
  /^@nestjs\/(microservices|websockets|platform-express)(\/.*)?$/,
  /^@fastify\/(multipart|static|view)$/,
  'class-transformer',
  'class-validator',
];

export default defineConfig({
  input: {
    appliance: 'dist/apps/appliance/main.js',
    'neutron-server': 'dist/apps/neutron-server/main.js',
    agent: 'dist/apps/agent/main.js',
    // the container's HEALTHCHECK: the API port from the same configuration the server loaded
    healthcheck: 'dist/apps/healthcheck/main.js',
    // the linux DHCP driver starts it in each qdhcp- namespace, found beside the bundle that runs the driver
    'dhcp-worker': 'dist/libs/agents/dhcp/drivers/dhcp-worker.js',
  },
  platform: 'node',
  external,
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: '[name].js' },
});
