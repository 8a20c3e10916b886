# The all-in-one appliance: Networking API (9696) + Keystone v3 stub (5000), SQLite in a volume by default.
#   docker build -t neutron-appliance .
#   docker run -d --name neutron -p 9696:9696 -p 5000:5000 -v neutron-data:/var/lib/neutron-appliance neutron-appliance
# Published on other ports or host names, tell the catalog what clients reach (Keystone's public_endpoint):
#   -p 59696:9696 -p 55000:5000 -e APPLIANCE_API_PUBLIC_ENDPOINT=http://HOST:59696 \
#   -e APPLIANCE_IDENTITY_PUBLIC_ENDPOINT=http://HOST:55000
# PostgreSQL instead of SQLite: -e APPLIANCE_DATABASE_URL=postgres://user:pass@host:5432/neutron
# The split deployment (PostgreSQL, Redis, two neutron-server replicas, agents): compose.yaml.
# Without a registry: docs/container-image.md builds a base image from Debian packages (debootstrap + Node).

# Node 22 LTS: Node 20 reached its end of life in April 2026, and two production dependencies (cookie, file-type) declare Node >= 22.
# The code itself still runs on Node >= 20.19 (package.json engines): NODE_IMAGE=node:20-bookworm-slim works too.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: compile TypeScript, bundle it (rolldown), build the native better-sqlite3 module, drop dev dependencies
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# better-sqlite3 is compiled here against this Node's own headers: nothing is downloaded (no prebuilt binary from
# GitHub, no headers from nodejs.org), so the build needs only Debian's archive and the npm registry.
# /usr/local is where the official node images keep include/node; a Debian-packaged Node keeps it under /usr.
ARG NODE_HEADERS_DIR=/usr/local
ENV npm_config_nodedir=${NODE_HEADERS_DIR} \
    npm_config_build_from_source=true
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, copied below; better-sqlite3's own build runs by rebuild.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 \
 && node -e "require('better-sqlite3')(':memory:').close()"
COPY tsconfig.json tsconfig.build.json rolldown.config.js ./
COPY apps ./apps
COPY libs ./libs
COPY config ./config
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf dist/test \
 && node -e "require('better-sqlite3')(':memory:').close()"

# ---- runtime
FROM ${NODE_IMAGE}
# APPLIANCE_AGENT_HOST: a container's hostname is new with every container, and agents registered under it would
# pile up dead on a kept volume; this name stays. Give each appliance sharing one database its own.
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's GC helpers) an arena of its own, up
# to 8 per core; two arenas keep the appliance's RSS about 8 MB lower after the bench, with no slower request measured.
# MALLOC_MMAP_THRESHOLD_=131072: a block of 128 KiB or more (a large response's buffer) gets pages of its own, given
# back when freed; glibc would otherwise raise the threshold after the first such block and keep the later ones in its
# heap, where freed memory mostly stays in RSS (about 5 MB lower after the bench).
ENV NODE_ENV=production \
    APPLIANCE_HOST=0.0.0.0 \
    APPLIANCE_API_PORT=9696 \
    APPLIANCE_IDENTITY_PORT=5000 \
    APPLIANCE_DATA_DIR=/var/lib/neutron-appliance \
    APPLIANCE_AGENT_HOST=neutron-appliance \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
RUN mkdir -p /var/lib/neutron-appliance && chown node:node /var/lib/neutron-appliance
# A named volume (-v neutron-data:/var/lib/neutron-appliance) keeps the SQLite database across `docker rm`; a bind
# mount must be writable by uid 1000 (node), else the start says which path and why.
VOLUME ["/var/lib/neutron-appliance"]
EXPOSE 9696 5000
USER node
# Reads the same configuration as the server (APPLIANCE_API_PORT, APPLIANCE__API__PORT, APPLIANCE_CONFIG).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/bundle/healthcheck.js"]
# The appliance handles SIGTERM itself (finishes in-flight requests, closes keep-alive connections, then exits).
STOPSIGNAL SIGTERM
# What `npm start` runs: the rolldown bundle (starts in about half the time of the ~1,500 separate modules of
# dist/apps/appliance/main.js, which is also in the image). better-sqlite3 and pg stay external in node_modules.
# `npm run build` wrote the bundle's V8 code cache under these flags (package.json's build script): V8 ignores it under
# other ones, and the appliance then compiles its source at each start.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=128", "dist/bundle/appliance.js"]
