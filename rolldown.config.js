import { defineConfig } from 'rolldown';

/**
 * Bundles the compiled apps into one file each: loading ~1,500 small modules of Nest, TypeORM and fastify takes
 * about a second on this machine type; one file starts in about half that (README: start to first answer < 1 s).
 */
const external = [
  // native or loaded by name at run time: stay in node_modules
  'better-sqlite3',
  /^pg(\/.*)?$/,
  'pg-native',
  'pg-query-stream',
  // optional Nest/fastify peers this project does not install (Nest loads them in try/catch)
  /^@nestjs\/(microservices|websockets|platform-express)(\/.*)?$/,
  /^@fastify\/(multipart|static|view)$/,
  'class-transformer',
  'class-validator',
];

/**
 * TypeORM's DriverFactory requires all of its 17 drivers (MySQL, Oracle, SQL Server, MongoDB, React Native ...); the
 * appliance uses two. The others would be parsed and evaluated at every start (about 1.3 MB of the bundle), so the
 * factory gets a stub for each: choosing one fails as TypeORM fails for a driver it does not know.
 */
const TYPEORM_DRIVERS_USED = new Set(['better-sqlite3', 'postgres']);
const UNUSED_TYPEORM_DRIVER = '\0unused-typeorm-driver';
const typeormDriversUsed = {
  name: 'typeorm-drivers-used',
  resolveId(source, importer) {
    if (!importer?.replaceAll('\\', '/').endsWith('/typeorm/driver/DriverFactory.js')) return null;
    const driver = /^\.\/([a-z0-9-]+)\/\w+Driver$/.exec(source)?.[1];
    return driver && !TYPEORM_DRIVERS_USED.has(driver) ? `${UNUSED_TYPEORM_DRIVER}?${driver}` : null;
  },
  load(id) {
    if (!id.startsWith(UNUSED_TYPEORM_DRIVER)) return null;
    const driver = id.slice(UNUSED_TYPEORM_DRIVER.length + 1);
    const message = `the ${driver} driver of TypeORM is not in this bundle (it has: ${[...TYPEORM_DRIVERS_USED].join(', ')})`;
    return `module.exports = new Proxy({}, { get: () => class { constructor() { throw new Error(${JSON.stringify(message)}); } } });`;
  },
};

/**
 * Nest's two loggers each build an Intl.DateTimeFormat when their module loads, for the timestamp of a coloured console
 * line. The appliance logs JSON through its own logger, yet that one object makes ICU load its locale and calendar
 * data: 8 MB of RSS in every process. It is made on first use instead. The build fails if Nest changes that line, so
 * the saving is not lost silently.
 */
const NEST_LOGGER = /\/@nestjs\/common\/services\/(console-)?logger\.service\.js$/;
const EAGER_DATE_FORMAT = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const nestLoggerLazyDateFormat = {
  name: 'nest-logger-lazy-date-format',
  transform(code, id) {
    if (!NEST_LOGGER.test(id.replaceAll('\\', '/'))) return null;
    if (!code.includes(EAGER_DATE_FORMAT)) this.error(`${id} no longer has "${EAGER_DATE_FORMAT}": update this plugin`);
    const lazy =
      'const lazyDateTimeFormat = (locales, options) => { let made; ' +
      'return { format: (date) => (made ??= new Intl.DateTimeFormat(locales, options)).format(date) }; };\n';
    return { code: lazy + code.replace(EAGER_DATE_FORMAT, 'const dateTimeFormatter = lazyDateTimeFormat('), map: null };
  },
};

/** What both builds share: the drivers plugin, the externals, the output's text and comments. */
const shared = {
  plugins: [typeormDriversUsed, nestLoggerLazyDateFormat],
  platform: 'node',
  external,
};
const sharedOutput = {
  dir: 'dist/bundle',
  // V8 keeps every module's source for lazy compiling: one em dash in a comment makes a whole chunk a two-byte
  // string (7.5 MB instead of 3.7 MB for the server chunk); escaped, they stay one byte per character. JSDoc
  // comments are most of the rest of what it would keep and parse for nothing.
  charset: 'ascii',
  comments: { legal: true, annotation: true, jsdoc: false },
  sourcemap: true,
};

export default defineConfig([
  {
    ...shared,
    input: {
      // `npm start`: compiles appliance.cjs (below) with its V8 code cache (apps/appliance/code-cache.ts)
      appliance: 'dist/apps/appliance/start.js',
      'neutron-server': 'dist/apps/neutron-server/main.js',
      agent: 'dist/apps/agent/main.js',
      // the container's HEALTHCHECK: the API port from the same configuration the server loaded
      healthcheck: 'dist/apps/healthcheck/main.js',
      // the linux DHCP driver starts it in each qdhcp- namespace, found beside the bundle that runs the driver
      'dhcp-worker': 'dist/libs/agents/dhcp/drivers/dhcp-worker.js',
    },
    output: { ...sharedOutput, cleanDir: true, format: 'esm', entryFileNames: '[name].js' },
  },
  {
    // The appliance as one classic script: Node 20 has a code cache (vm.Script's cachedData) for scripts, none for
    // ES modules. What it loads only on demand (the Redis bus, CORS) stays in chunks of its own, required when needed.
    ...shared,
    input: { appliance: 'dist/apps/appliance/main.js' },
    output: { ...sharedOutput, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
  },
]);
