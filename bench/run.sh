#!/usr/bin/env bash
# bench/run.sh [--quick] [--only IDS] [--token] [--fresh-limits]
#
# Measures berth side by side with CNCF distribution 2.8.2 (Debian docker-registry) using the shared
# harness in ${SHARED:-<repo>/../shared}/bench (see its README.md) and writes docs/performance.md.
#   1. builds berth (./mvnw -q -B -DskipTests package; retried while a build fails mid-edit)
#   2. limits.sh (--quick when --quick); /tmp/regbench-limits.json is reused if younger than a day
#   3. start-up of `./berth serve`: launch to first 200 on /v2/, polled every 10 ms, 5 fresh data dirs
#   4. distribution on 127.0.0.1:5201 and `./berth serve` on 127.0.0.1:5202, empty temp dirs, no auth,
#      the launcher's default JVM flags (BERTH_JAVA_OPTS and other BERTH_* variables are unset)
#   5. bench.sh http://127.0.0.1:5202 http://127.0.0.1:5201 --candidate-pid JAVA --baseline-pid GO
#   6. stops both and writes docs/performance.md (date, commit, machine, limits, the table, start-up)
#
# --token: both registries with Bearer token auth instead. berth runs `--auth token` with an admin user
#   and issues tokens for distribution too (auth.otherServices); distribution uses berth as its realm
#   and trusts `berth auth cert`. Runs bench/token/bench-token.py (scenarios a,d,g,h) and writes
#   docs/performance-token.md; no start-up timing.
# --quick          bench.py --quick (~4 min in all) and limits.sh --quick
# --only IDS       bench.py scenario ids, e.g. a,g (the doc then holds only those)
# --fresh-limits   run limits.sh even if a recent /tmp/regbench-limits.json exists
#
# The whole run holds /tmp/berth-bench.lock (flock): benchmark runs on this machine never overlap.
# Needs: wrk, ab (apache2-utils), curl, docker-registry, python3, flock; iperf3 for the TCP limits.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
harness="$shared/bench"
lock=/tmp/berth-bench.lock
limits_json=/tmp/regbench-limits.json
berth_port=5202 dist_port=5201
token_user=bench token_pass=bench-pass token_service=bench-distribution token_issuer=berth

quick=0 only="" token=0 fresh_limits=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift;;
    --only) only="$2"; shift 2;;
    --only=*) only="${1#--only=}"; shift;;
    --token) token=1; shift;;
    --fresh-limits) fresh_limits=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2;;
  esac
done
[ -f "$harness/bench.py" ] || { echo "run.sh: harness not found in $harness (set SHARED)" >&2; exit 1; }
for tool in wrk ab curl flock python3 /usr/bin/docker-registry; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (see $harness/README.md)" >&2; exit 1; }
done

export LC_ALL=C  # "." in EPOCHREALTIME and in the tools' numbers
# measure berth's defaults: no JVM flags, no configuration from the environment
while read -r v; do unset "$v"; done < <(compgen -e | grep '^BERTH_' || true)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

exec 9>>"$lock"
if ! flock -n 9; then
  log "waiting for $lock (another benchmark is running)"
  flock 9
fi

work="$(mktemp -d /tmp/berth-bench.XXXXXX)"
berth_pid="" dist_pid=""
stop() {  # PID: TERM, wait, KILL after 10 s
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # called from the trap
cleanup() {
  stop "$berth_pid"; stop "$dist_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------ build
jar="$root/berth-cli/target/berth-cli.jar"
jar_stale() {  # the launcher's own test: would ./berth rebuild?
  [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root"/berth-*/pom.xml "$root"/berth-*/src/main -newer "$jar" -print -quit)" ]
}
build() {
  local attempt
  for attempt in 1 2 3 4 5 6; do
    log "building berth (./mvnw -q -B -DskipTests package)"
    touch "$work/build-started"  # the jar is dated to it: Maven leaves it alone when only another module changed
    if (cd "$root" && ./mvnw -q -B -DskipTests package) >"$work/build.log" 2>&1 &&
        touch -r "$work/build-started" "$jar" && ! jar_stale; then
      return 0
    fi
    log "build failed or sources changed meanwhile (attempt $attempt); retrying in 60 s"
    tail -5 "$work/build.log" >&2
    sleep 60
  done
  log "giving up on the build"; return 1
}
build

# ------------------------------------------------------------------------------------ quiet check
# The lock keeps benchmarks apart, not builds and tests: wait (up to 10 min) for the machine to calm down.
machine_busy() {  # percent of all CPUs busy over 3 s (every process, kernel included)
  python3 - <<'PY'
import time
def busy():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(v) - v[3] - v[4], sum(v)
b0, t0 = busy(); time.sleep(3); b1, t1 = busy()
print(round(100 * (b1 - b0) / max(1, t1 - t0)))
PY
}
wait_quiet() {
  for _ in $(seq 40); do
    busy="$(machine_busy)"
    [ "$busy" -le 25 ] && { log "machine ${busy}% busy before the run"; return 0; }
    log "machine ${busy}% busy with other work; waiting"
    sleep 12
  done
  log "machine still ${busy}% busy after 10 min; running anyway"
}

# ----------------------------------------------------------------------------------------- limits
wait_quiet
if [ $fresh_limits = 0 ] && [ -n "$(find "$limits_json" -mmin -1440 2>/dev/null)" ]; then
  log "reusing $limits_json ($(date -r "$limits_json" '+%F %T'))"
  limits_note="reused from $(date -r "$limits_json" '+%F %T')"
else
  limits_args=(--out "$limits_json")
  [ $quick = 1 ] && limits_args+=(--quick)
  log "measuring this machine's limits (limits.sh ${limits_args[*]})"
  "$harness/limits.sh" "${limits_args[@]}" >&2
  limits_note="measured now with limits.sh ${limits_args[*]}"
fi

# berth sets reno on connections from this host (http.loopbackCongestionControl) and limits.sh's iperf3 keeps
# the system's: one iperf3 stream under reno is the loopback limit for berth's c1 (not in the token run)
system_cc="$(cat /proc/sys/net/ipv4/tcp_congestion_control)"
unpaced_limit="not measured (iperf3 missing)"
if [ $token = 0 ] && command -v iperf3 >/dev/null; then
  iperf3 -s -1 -B 127.0.0.1 -p 5210 >/dev/null 2>&1 &
  iperf_pid=$!
  for _ in $(seq 50); do ss -ltnH 'sport = :5210' | grep -q . && break; sleep 0.1; done
  unpaced_limit="$(iperf3 -c 127.0.0.1 -p 5210 -t "$([ $quick = 1 ] && echo 2 || echo 5)" -C reno -J 2>/dev/null | python3 -c \
    'import json,sys; print("%.1f MB/s" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 8e6))' 2>/dev/null || echo "not measured (iperf3 -C reno failed)")"
  kill "$iperf_pid" 2>/dev/null || true; wait "$iperf_pid" 2>/dev/null || true
fi

# ------------------------------------------------------------------------------ servers, helpers
now_ms() { local t="${EPOCHREALTIME/./}"; echo $((t / 1000)); }  # bash 5: no fork for the clock
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true; }
port_free() { [ "$(http_code "http://127.0.0.1:$1/v2/")" = 000 ] || { log "port $1 is in use"; return 1; }; }

start_berth() {  # DATA_DIR [serve options]: ./berth serve in the background; sets berth_pid
  local data="$1"; shift
  "$root/berth" serve --addr "127.0.0.1:$berth_port" --data "$data" "$@" >"$data.log" 2>&1 9>&- &
  berth_pid=$!
}
wait_berth() {  # WANT_CODE TIMEOUT_S: polls /v2/ every 10 ms until it answers WANT_CODE. One poller
  # process, not a curl and a sleep per poll: on 2 cores those forks took CPU from the start they timed
  # (start-up medians 1328 against 1157 ms, interleaved).
  python3 - "$berth_port" "$berth_pid" "$1" "$2" <<'PY' || { log "berth did not answer $1 on /v2/ within $2 s"; return 1; }
import os, socket, sys, time
port, pid, want, deadline = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), time.monotonic() + float(sys.argv[4])
while time.monotonic() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            status = b""
            while len(status) < 12 and (more := s.recv(12 - len(status))):
                status += more
            if status == b"HTTP/1.1 " + want:
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("berth exited")
    time.sleep(0.01)
sys.exit(1)
PY
}
check_berth_pid() {  # the PID handed to bench.py must be the JVM itself (./berth ends with exec java)
  local exe listener
  exe="$(readlink "/proc/$berth_pid/exe" || true)"
  listener="$(ss -ltnpH "sport = :$berth_port" | grep -o 'pid=[0-9]*' | head -1 || true)"
  if [[ "$exe" != */java ]] || [ "$listener" != "pid=$berth_pid" ]; then
    log "PID $berth_pid is $exe, the listener on :$berth_port is ${listener:-nobody}: not the java process"
    return 1
  fi
}

port_free $berth_port
port_free $dist_port
wait_quiet
busy_before=$busy

# ---------------------------------------------------------------------------------------- startup
startup_ms=()
if [ $token = 0 ]; then
  # one untimed start first, so the timed ones see warm file caches and the start-up cache
  # (berth-serve.aot) the launcher trains once per build
  log "start-up: one untimed start, then 5 timed ones"
  mkdir -p "$work/startup"
  start_berth "$work/startup/warm"; wait_berth 200 300; stop "$berth_pid"; berth_pid=""
  run=0 tries=0
  while [ $run -lt 5 ] && [ $tries -lt 10 ]; do
    tries=$((tries + 1))
    data="$work/startup/run$tries"
    t0="$(now_ms)"
    start_berth "$data"
    wait_berth 200 300
    t1="$(now_ms)"
    stop "$berth_pid"; berth_pid=""
    if grep -q 'berth: building' "$data.log"; then
      log "  start $tries rebuilt the jar (sources changed): not counted"; continue
    fi
    startup_ms+=($((t1 - t0))); run=$((run + 1))
    log "  start $run: $((t1 - t0)) ms"
  done
fi

# ------------------------------------------------------------------------------------------ bench
mkdir -p "$work/distribution"
if [ $token = 1 ]; then
  echo "$token_pass" | "$root/berth" user add "$token_user" --admin --password-stdin --data "$work/berth" >&2
  # distribution trusts berth's signing certificate: start-distribution.sh keeps an existing token.crt
  "$root/berth" auth cert --data "$work/berth" >"$work/distribution/token.crt"
  BERTH_AUTH_OTHER_SERVICES="$token_service" start_berth "$work/berth" --auth token
  wait_berth 401 300
  dist_pid="$("$harness/start-distribution.sh" --token "http://127.0.0.1:$berth_port/token" \
    --service "$token_service" --issuer "$token_issuer" "$work/distribution" "$dist_port" 9>&-)"
else
  dist_pid="$("$harness/start-distribution.sh" "$work/distribution" "$dist_port" 9>&-)"
  start_berth "$work/berth"
  wait_berth 200 300
fi
check_berth_pid
java_bin="$(readlink "/proc/$berth_pid/exe")"
log "distribution pid $dist_pid, berth (java) pid $berth_pid"

stamp="$(date +%Y%m%d-%H%M%S)"
out="/tmp/berth-bench-$stamp"
[ $token = 1 ] && out="/tmp/berth-bench-token-$stamp"
args=("http://127.0.0.1:$berth_port" "http://127.0.0.1:$dist_port" --candidate-pid "$berth_pid"
      --baseline-pid "$dist_pid" --out "$out" --limits "$limits_json")
[ $quick = 1 ] && args+=(--quick)
[ -n "$only" ] && args+=(--only "$only")
bench_rc=0
if [ $token = 1 ]; then
  SHARED="$shared" python3 "$root/bench/token/bench-token.py" "${args[@]}" --user "$token_user:$token_pass" || bench_rc=$?
else
  "$harness/bench.sh" "${args[@]}" || bench_rc=$?
fi
stop "$berth_pid"; berth_pid=""
stop "$dist_pid"; dist_pid=""
[ -f "$out/table.txt" ] || { log "no table from the benchmark (exit $bench_rc)"; exit 1; }

# -------------------------------------------------------------------------------------------- doc
commit="$(git -C "$root" rev-parse --short HEAD)"
dirty="$(git -C "$root" status --porcelain -- . ':!docs/performance.md' ':!docs/performance-token.md' | wc -l)"
[ "$dirty" -gt 0 ] && commit="$commit-dirty"
median_range() {  # numbers -> "median N ms (min..max A..B ms; runs: ...)"
  python3 -c 'import statistics,sys; v=[int(x) for x in sys.argv[1:]]
print("median %d ms, min..max %d..%d ms (runs: %s)" % (statistics.median(v), min(v), max(v), ", ".join(map(str, v))))' "$@"
}
limits_table() {
  python3 - "$limits_json" <<'PY'
import json, sys
lim = json.load(open(sys.argv[1]))
print("| limit | value |\n| --- | --- |")
for k in sorted(lim):
    print("| `%s` | %s |" % (k, lim[k]))
PY
}
mode=full repro="bench/run.sh" doc="$root/docs/performance.md"
if [ $token = 1 ]; then repro+=" --token"; doc="$root/docs/performance-token.md"; fi
if [ $quick = 1 ]; then mode="--quick"; repro+=" --quick"; fi
if [ -n "$only" ]; then mode+=", scenarios $only"; repro+=" --only $only"; fi
mkdir -p "$root/docs"
{
  if [ $token = 1 ]; then
    echo "# Performance with token auth: berth vs CNCF distribution 2.8.2"
    echo
    echo "Both registries with Bearer token auth, berth as the token service of both: berth runs"
    echo "\`--auth token\` with an admin user \`$token_user\` and \`auth.otherServices=$token_service\`;"
    echo "distribution 2.8.2 names \`http://127.0.0.1:$berth_port/token\` as its realm, service \`$token_service\`,"
    echo "issuer \`$token_issuer\`, and trusts \`berth auth cert\` as its rootcertbundle. The harness is the"
    echo "shared \`bench.py\` driven by \`bench/token/bench-token.py\`: its clients log in with Basic credentials"
    echo "and follow the 401 → token → retry flow; wrk gets \`Authorization: Bearer\` with a pull token for"
    echo "the URL (renewed between slices before it expires). Tokens for *both* registries are signed by"
    echo "the berth process, so in \`h\` (pushes, about two token requests per image) part of the baseline's"
    echo "work runs in berth and shows in the \`other\` column, not in distribution's CPU."
  else
    echo "# Performance: berth vs CNCF distribution 2.8.2"
    echo
    echo "Side-by-side run of the shared harness (\`shared/bench\`, see its README.md): berth is the"
    echo "candidate, CNCF distribution 2.8.2 (Debian \`docker-registry\`) the baseline; both start on"
    echo "empty data dirs, no auth, on the same 2-core machine, measured in alternation."
    echo "berth runs with the launcher's default JVM flags (\`./berth serve\`, nothing added)."
  fi
  echo
  echo "- date: $(date '+%F %T %Z')"
  echo "- commit: \`$commit\`$([ "$dirty" -gt 0 ] && echo " (the build included uncommitted changes: $dirty paths in \`git status\`)")"
  echo "- mode: $mode"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, kernel $(uname -r)"
  echo "- JDK: $("$java_bin" -version 2>&1 | sed -n 2p) (\`$java_bin\`)"
  echo "- baseline: $(/usr/bin/docker-registry --version 2>&1 | head -1)"
  echo "- machine load: ${busy_before}% of the CPUs busy in the 3 s before the run; during it see the \`other\` column"
  echo "- TCP congestion control: the system's is \`$system_cc\`, which distribution and limits.sh's iperf3 use; berth"
  echo "  gives connections from this host \`reno\` (its default \`http.loopbackCongestionControl\`), which is not paced."
  if [ $token = 0 ]; then
    echo "  One iperf3 stream over loopback under reno carried $unpaced_limit in this run, the limit for berth's c1;"
    echo "  the %lim column divides by the system's (below)."
  fi
  echo
  if [ $token = 0 ]; then
    echo "## Start-up"
    echo
    echo "Time from launching \`./berth serve\` (jar up to date, empty data dir) to the first 200 on"
    echo "\`GET /v2/\`, polled every 10 ms by one Python process (so ±~15 ms), 5 starts after one untimed start:"
    echo
    echo "**$(median_range "${startup_ms[@]}")**"
    echo
    aot="$root/berth-cli/target/berth-serve.aot"
    echo "Jar built $(date -r "$jar" '+%F %T'); the launcher's start-up cache"
    echo "\`berth-cli/target/berth-serve.aot\`: $(if [ ! -f "$aot" ]; then echo "absent (JDK < 25)"; else date -r "$aot" '+written %F %T'
      [ "$aot" -ot "$jar" ] && echo "(older than the jar: stale)"; fi)."
    echo
  fi
  echo "## Results"
  echo
  echo "Ratio > 1: berth faster; cpu-eff > 1: berth uses less CPU per operation. The harness's A/A noise"
  echo "floor on this machine: ratios inside 0.90–1.10 (quick) / 0.93–1.07 (full) are no difference."
  echo
  echo '```'
  cat "$out/table.txt"
  echo '```'
  echo
  echo "Raw samples: \`$out/results.json\` on the machine that ran it (not kept)."
  echo
  echo "## Machine limits"
  echo
  echo "From \`limits.sh\` ($limits_note; MB = 10^6 bytes):"
  echo
  limits_table
  echo
  echo "## Reproduce"
  echo
  echo '```'
  echo "apt-get install -y docker-registry wrk apache2-utils curl iperf3"
  echo "SHARED=/path/to/shared $repro      # --fresh-limits re-measures limits.sh"
  echo '```'
  echo
  echo "\`bench/run.sh\` builds berth, takes \`/tmp/berth-bench.lock\` for the whole run, starts both"
  echo "registries on empty temp dirs (distribution on 127.0.0.1:$dist_port, berth on 127.0.0.1:$berth_port),"
  echo "runs the harness and rewrites this file. \`bench/run.sh --help\` lists the options."
} >"$doc.tmp"
mv "$doc.tmp" "$doc"
log "wrote $doc"
cat "$out/table.txt"
exit $bench_rc
