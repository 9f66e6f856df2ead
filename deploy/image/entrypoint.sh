#!/bin/sh
# The container image's entrypoint (Containerfile, decision 0055): one Wharf
# process per container, chosen by the first argument, with its heap sized
# from the container's memory limit rather than the node's memory.
#
#   entrypoint.sh web              the web server (dist/web-server.mjs)
#   entrypoint.sh worker           background jobs (dist/worker.mjs)
#   entrypoint.sh migrate [--wait] apply migrations, or wait until none is pending (dist/migrate.mjs)
#
# V8 sizes its old generation from the machine's memory; in a pod with a
# 512 MiB limit on a 32 GiB node it would grow past the limit and the pod
# would be OOM-killed instead of collecting. The heap is WHARF_HEAP_PERCENT
# (default 70) of the cgroup's memory limit: cgroup v2 memory.max, or v1
# memory.limit_in_bytes; without a limit V8 keeps its own default.
# WHARF_MEMORY_LIMIT_FILE reads the limit from another file (tests).
set -eu
# The image has no dirname (decision 0070: node, its libraries and this shell only).
case "$0" in */*) cd "${0%/*}" ;; esac

usage() {
  echo "usage: entrypoint.sh web | worker | migrate [--wait]" >&2
  exit 64
}

memory_limit_bytes() {
  for file in ${WHARF_MEMORY_LIMIT_FILE:-/sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes}; do
    if [ -r "$file" ]; then
      read -r limit <"$file" || true
      case "$limit" in
        '' | max | *[!0-9]*) return 0 ;;
      esac
      # cgroup v1 reports "no limit" as a number near 2^63; anything from 1 TiB up is no limit here.
      if [ "${#limit}" -lt 13 ]; then echo "$limit"; fi
      return 0
    fi
  done
}

heap_flag() {
  percent=${WHARF_HEAP_PERCENT:-70}
  case "$percent" in
    '' | *[!0-9]*) echo "entrypoint.sh: WHARF_HEAP_PERCENT must be a whole number from 10 to 90; got \"$percent\"" >&2 && exit 64 ;;
  esac
  if [ "$percent" -lt 10 ] || [ "$percent" -gt 90 ]; then
    echo "entrypoint.sh: WHARF_HEAP_PERCENT must be a whole number from 10 to 90; got \"$percent\"" >&2
    exit 64
  fi
  limit=$(memory_limit_bytes)
  if [ -z "$limit" ]; then
    echo "entrypoint.sh: no container memory limit; V8 sizes the heap" >&2
    return 0
  fi
  heap_mb=$((limit / 1048576 * percent / 100))
  # Below 64 MB Next does not start; a limit that small is a mistake the OOM killer will report.
  if [ "$heap_mb" -lt 64 ]; then heap_mb=64; fi
  echo "entrypoint.sh: heap ${heap_mb} MB (${percent}% of the container's $((limit / 1048576)) MiB memory limit)" >&2
  echo "--max-old-space-size=$heap_mb"
}

[ $# -ge 1 ] || usage
role=$1
shift
case "$role" in
  web) script=dist/web-server.mjs ;;
  worker) script=dist/worker.mjs ;;
  migrate) script=dist/migrate.mjs ;;
  *) usage ;;
esac
flag=$(heap_flag)
# exec: node becomes the container's main process and receives the kubelet's SIGTERM itself.
# shellcheck disable=SC2086
exec node $flag "$script" "$@"
