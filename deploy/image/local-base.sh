#!/bin/sh
# Makes the Containerfile's base image locally, for machines that cannot pull
# docker.io/library/node:24-bookworm-slim but reach Debian's archive and the npm
# registry (Wharf's build machines): Debian bookworm (debootstrap, minbase) with
# this machine's Node 24 in /usr/local/bin and npm from the npm registry, as the
# official image lays them out. Run as root; needs debootstrap and podman.
#
#   deploy/image/local-base.sh [image name]      default: localhost/node:24-bookworm-slim
#   podman build --isolation chroot --build-arg NODE_IMAGE=localhost/node:24-bookworm-slim -t wharf -f Containerfile .
set -eu
name=${1:-localhost/node:24-bookworm-slim}
node_bin=$(command -v node)
case "$("$node_bin" --version)" in
  v24.*) ;;
  *) echo "local-base.sh: node on PATH is $("$node_bin" --version); Node 24 is needed (npm install --prefix .tools node@24)" >&2 && exit 1 ;;
esac
work=$(mktemp -d /var/tmp/wharf-base-XXXXXX)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase bookworm "$work/root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }
install -D -m 0755 "$node_bin" "$work/root/usr/local/bin/node"
(cd "$work" && npm pack --silent "npm@${NPM_VERSION:-11}" >npm.name)
mkdir -p "$work/root/usr/local/lib/node_modules/npm"
tar -xzf "$work/$(cat "$work/npm.name")" --strip-components=1 -C "$work/root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/root/usr/local/bin/npx"
# A machine whose traffic passes a TLS-inspecting proxy names its CA in NODE_EXTRA_CA_CERTS: the base trusts it too, so
# the build stage's npm ci reaches the registry. Only the build stage sees it: the runtime root copies none of it.
ca_change=
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  install -D -m 0644 "$NODE_EXTRA_CA_CERTS" "$work/root/usr/local/share/wharf-build/extra-ca.crt"
  # Node reads NODE_EXTRA_CA_CERTS; npm does not (its own agent takes only cafile).
  ca_change="NODE_EXTRA_CA_CERTS=/usr/local/share/wharf-build/extra-ca.crt NPM_CONFIG_CAFILE=/usr/local/share/wharf-build/extra-ca.crt"
fi
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/var/log/"*
tar -C "$work/root" -c . | podman import --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${ca_change}" \
  --change 'CMD ["node"]' --quiet - "$name" >/dev/null
echo "local-base.sh: $name ($(podman image inspect --format '{{.Size}}' "$name") bytes)"
