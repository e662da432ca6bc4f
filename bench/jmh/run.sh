#!/usr/bin/env bash
# Builds the JMH microbenchmarks and runs them: bench/jmh/run.sh [JMH options] [benchmark regexps].
#   bench/jmh/run.sh -l                                   # list the benchmarks
#   bench/jmh/run.sh Token                                # one class, with its own warm-up settings
#   bench/jmh/run.sh -f 1 -wi 2 -w 1s -i 3 -r 1s -rf json -rff /tmp/jmh.json   # everything, quickly
# The JDK is found as ./berth finds it: $JAVA_HOME, then the usual JVM folders, the first >= 21.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

java_major() {  # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk*; do
  [ -n "$candidate" ] && [ -d "$candidate" ] || continue
  major="$(java_major "$candidate")"
  if [ -n "$major" ] && [ "$major" -ge 21 ]; then jdk="$candidate"; break; fi
done
[ -n "$jdk" ] || { echo "run.sh: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$jdk"

(cd "$root" && ./mvnw -q -B -DskipTests -pl bench/jmh -am package >&2)
cd "$root"
# JMH 1.37 reads field offsets through sun.misc.Unsafe, which JDK 24+ warns about in every fork (the
# forks inherit this option).
opts=(); [ "$major" -lt 23 ] || opts=(--sun-misc-unsafe-memory-access=allow)
exec "$JAVA_HOME/bin/java" "${opts[@]}" -cp "bench/jmh/target/berth-bench.jar:bench/jmh/target/lib/*" org.openjdk.jmh.Main "$@"
