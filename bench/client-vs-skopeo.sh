#!/usr/bin/env bash
# Wall time of `berth copy` and `berth pull --format oci` against `skopeo copy` on the same images and
# registries: a local berth (`berth serve`, no auth) and a local CNCF distribution (`docker-registry`),
# both on loopback. Images: the testkit's debian (one ~28 MB layer) and busybox-multi (an OCI index of
# two platforms, copied whole: --all-platforms / --all). Every scenario runs RUNS times (default 5),
# berth and skopeo interleaved and alternating who goes first. Every blob really moves: a pull writes
# into a fresh directory, and each copy goes to registries started afresh for that run and that tool
# (skopeo remembers where it has seen a blob, in its blob-info cache, and would otherwise mount it from
# an earlier run's repository instead of uploading it). Prints the median of each and the ratio
# berth / skopeo, and checks that both tools' copies have the same digests.
#
# berth's times are those of the command as users run it, JVM start included: the "startup" line is
# `berth --version` (JVM and command line only), the "fixed cost" line `berth digest` (one HEAD: JVM,
# HTTP client and TLS set-up, the HTTPS attempt before plain HTTP on loopback).
#
#   bench/client-vs-skopeo.sh            # RUNS=5 FIXTURES=/var/tmp/berth-fixtures
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
fixtures="${FIXTURES:-/var/tmp/berth-fixtures}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "client-vs-skopeo: $1 is not installed" >&2; exit 1; }; }
need skopeo
need docker-registry
need python3
for f in oci/debian oci/busybox-multi; do
  [ -d "$fixtures/$f" ] || { echo "client-vs-skopeo: fixture $fixtures/$f missing" >&2; exit 1; }
done

work="$(mktemp -d /tmp/berth-bench.XXXXXX)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Build (the launcher rebuilds when sources changed), then run from a private copy of the jars, so that
# a rebuild elsewhere during the run cannot pull classes from under the running registries.
"$root/berth" --version >/dev/null
mkdir -p "$work/jars"
cp "$root/berth-cli/target/berth-cli.jar" "$work/jars/"
cp -r "$root/berth-cli/target/lib" "$work/jars/lib"
java=""
for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null || true)"
  if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$jdk/bin/java" ]; then java="$jdk/bin/java"; break; fi
done
[ -n "$java" ] || { echo "client-vs-skopeo: no JDK >= 21 (set JAVA_HOME)" >&2; exit 1; }
# as ./berth runs it
berth() { "$java" --enable-native-access=ALL-UNNAMED -cp "$work/jars/berth-cli.jar:$work/jars/lib/*" dev.berth.cli.Main "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
await_port() {
  local _
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "client-vs-skopeo: nothing listens on port $1" >&2
  exit 1
}

# start_berth NAME PORT / start_distribution NAME PORT: a registry (no auth) in the background
start_berth() {
  berth serve --addr "127.0.0.1:$2" --data "$work/$1-data" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
start_distribution() {
  printf '%s\n' "version: 0.1" "log:" "  level: error" "  accesslog:" "    disabled: true" "storage:" "  filesystem:" \
    "    rootdirectory: $work/$1-data" "  delete:" "    enabled: true" "http:" "  addr: 127.0.0.1:$2" "  secret: bench" \
    >"$work/$1.yml"
  env -u REGISTRY_HTTP_ADDR docker-registry serve "$work/$1.yml" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
stop_last() {  # stop_last N: stops the N registries started last
  local i pid
  for ((i = 0; i < $1; i++)); do
    pid="${pids[-1]}"
    unset 'pids[-1]'
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

berth_port="$(free_port)"
start_berth source-berth "$berth_port"
dist_port="$(free_port)"
start_distribution source-distribution "$dist_port"
await_port "$berth_port"
await_port "$dist_port"
B="127.0.0.1:$berth_port"
D="127.0.0.1:$dist_port"
berth push -q "oci:$fixtures/oci/debian:bookworm" "$B/src/debian:bookworm"
berth push -q "oci:$fixtures/oci/busybox-multi:latest" "$B/src/busybox:multi"
berth copy -q --all-platforms "$B/src/debian:bookworm" "$D/src/debian:bookworm"
berth copy -q --all-platforms "$B/src/busybox:multi" "$D/src/busybox:multi"

declare -A times
timed() {  # timed KEY COMMAND...: runs it, records its wall time in ms under KEY
  local start end
  start="$(date +%s%N)"
  "${@:2}" >/dev/null 2>"$work/last.err" || { echo "client-vs-skopeo: failed: ${*:2}" >&2; cat "$work/last.err" >&2; exit 1; }
  end="$(date +%s%N)"
  times["$1"]+="$(( (end - start) / 1000000 )) "
}

tls="--src-tls-verify=false --dest-tls-verify=false"
# NAME|BERTH ARGS|SKOPEO ARGS, where %DB and %DD are this run's fresh destination berth and
# distribution of the tool at hand, and %OUT a fresh output directory.
scenarios=(
  "copy debian berth -> distribution|copy $B/src/debian:bookworm %DD/c/debian:bookworm|copy $tls docker://$B/src/debian:bookworm docker://%DD/c/debian:bookworm"
  "copy debian distribution -> berth|copy $D/src/debian:bookworm %DB/c/debian:bookworm|copy $tls docker://$D/src/debian:bookworm docker://%DB/c/debian:bookworm"
  "copy busybox-multi --all berth -> distribution|copy --all-platforms $B/src/busybox:multi %DD/c/busybox:multi|copy --all $tls docker://$B/src/busybox:multi docker://%DD/c/busybox:multi"
  "copy busybox-multi --all distribution -> berth|copy --all-platforms $D/src/busybox:multi %DB/c/busybox:multi|copy --all $tls docker://$D/src/busybox:multi docker://%DB/c/busybox:multi"
  "pull debian from berth (oci)|pull --format oci $B/src/debian:bookworm --output %OUT|copy --src-tls-verify=false docker://$B/src/debian:bookworm oci:%OUT:bookworm"
  "pull debian from distribution (oci)|pull --format oci $D/src/debian:bookworm --output %OUT|copy --src-tls-verify=false docker://$D/src/debian:bookworm oci:%OUT:bookworm"
  "pull busybox-multi --all from berth (oci)|pull --format oci --all-platforms $B/src/busybox:multi --output %OUT|copy --all --src-tls-verify=false docker://$B/src/busybox:multi oci:%OUT:multi"
  "pull busybox-multi --all from distribution (oci)|pull --format oci --all-platforms $D/src/busybox:multi --output %OUT|copy --all --src-tls-verify=false docker://$D/src/busybox:multi oci:%OUT:multi"
)

declare -A dest
expand() {  # expand TEMPLATE TOOL
  local text="$1"
  text="${text//%DB/${dest["$2:berth"]}}"
  text="${text//%DD/${dest["$2:distribution"]}}"
  echo "${text//%OUT/$work/out/$2}"
}

same=yes
mkdir -p "$work/out"
for run in $(seq 1 "$runs"); do
  for tool in berth skopeo; do
    port="$(free_port)"
    start_berth "dest-$tool-berth" "$port"
    dest["$tool:berth"]="127.0.0.1:$port"
    port="$(free_port)"
    start_distribution "dest-$tool-distribution" "$port"
    dest["$tool:distribution"]="127.0.0.1:$port"
  done
  for key in "${!dest[@]}"; do await_port "${dest[$key]#127.0.0.1:}"; done
  timed startup berth --version
  timed fixed berth digest "$B/src/debian:bookworm"
  for i in "${!scenarios[@]}"; do
    IFS='|' read -r _ berth_args skopeo_args <<<"${scenarios[$i]}"
    read -r -a b <<<"$(expand "$berth_args" berth)"
    read -r -a s <<<"$(expand "$skopeo_args" skopeo)"
    if (( (run + i) % 2 )); then
      timed "berth:$i" berth "${b[@]}" -q
      timed "skopeo:$i" skopeo "${s[@]}"
    else
      timed "skopeo:$i" skopeo "${s[@]}"
      timed "berth:$i" berth "${b[@]}" -q
    fi
    rm -rf "$work/out"; mkdir -p "$work/out"
    if (( i < 4 )); then  # both tools copied the same image: the same digest at both destinations
      by_berth="$(berth digest "${b[-1]}")"
      by_skopeo="$(berth digest "${s[-1]#docker://}")"
      [ "$by_berth" = "$by_skopeo" ] || { same=no; echo "differs: ${b[-1]} $by_berth, ${s[-1]} $by_skopeo" >&2; }
    fi
  done
  stop_last 4
  rm -rf "$work"/dest-*
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "berth $(berth --version | awk '{print $2}') ($("$java" -version 2>&1 | head -1)) vs $(skopeo --version)"
echo "sources: berth serve $B, docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') $D (no auth, loopback);" \
  "destinations started afresh per run and tool; $runs runs, interleaved; $(nproc) CPUs"
printf '%-50s %9s %9s %7s\n' "wall time, median (ms)" berth skopeo ratio
for i in "${!scenarios[@]}"; do
  IFS='|' read -r name _ _ <<<"${scenarios[$i]}"
  bm="$(median "${times["berth:$i"]}")"
  sm="$(median "${times["skopeo:$i"]}")"
  printf '%-50s %9s %9s %7s\n' "$name" "$bm" "$sm" "$(awk -v b="$bm" -v s="$sm" 'BEGIN {printf "%.2f", b / s}')"
done
printf '%-50s %9s\n' "startup (berth --version: JVM and command line)" "$(median "${times[startup]}")"
printf '%-50s %9s\n' "fixed cost (berth digest: a single HEAD)" "$(median "${times[fixed]}")"
echo "ratio = berth / skopeo (below 1: berth faster)"
echo "copies by berth and by skopeo have the same digests: $same"
