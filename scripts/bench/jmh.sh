#!/usr/bin/env bash
# jmh.sh - build and run jctl's JMH microbenchmarks (module benchmarks/): PDU decode/encode, CRC32C digests,
# CDB dispatch through TargetCore (inline executor, RAM disk, with and without older tasks in the OOA) and the
# RAM disk backend alone.
#
#   scripts/bench/jmh.sh [--quick] [--out DIR] [JMH ARGS...]
#
#   --quick     1 fork, 2 warm-up and 3 measurement iterations of 1 s (default: 1 fork, 3 x 2 s warm-up,
#               5 x 2 s measurement); the whole default set takes about 8 minutes on 2 cores.
#   --out DIR   where results go (default ./jmh-YYYYmmdd-HHMMSS): results.txt (JMH's table), results.json
#   JMH ARGS    passed to org.openjdk.jmh.Main, e.g. a benchmark regexp ("Crc32c", "Dispatch.read") or
#               "-p dataLength=4096" to pin a parameter; "-l" lists the benchmarks, "-h" JMH's options.
#
# The benchmarks never run during `mvn verify`: the module has no tests; this script is the only way to run them.
# Scores are average time per operation (ns/op, lower is better) with JMH's 99.9% error. Compare runs only on the
# same machine at a similar load (`uptime`); differences under ~10% are noise on a busy 2-core box.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
QUICK=0 OUT=""
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
[ -n "$OUT" ] || OUT="./jmh-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

echo "building benchmarks (mvn -q -B -DskipTests package -pl benchmarks -am) ..." >&2
mvn -q -B -Dstyle.color=never -f "$ROOT/pom.xml" -DskipTests package -pl benchmarks -am >&2

if [ "$QUICK" = 1 ]; then
    RUN=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
else
    RUN=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi
# An option given on the command line replaces the preset's (JMH refuses an option twice).
PRESET=("${RUN[@]}"); RUN=()
for ((k = 0; k < ${#PRESET[@]}; k += 2)); do
    given=0
    for a in ${ARGS[@]+"${ARGS[@]}"}; do [ "$a" = "${PRESET[k]}" ] && given=1; done
    [ "$given" = 1 ] || RUN+=("${PRESET[k]}" "${PRESET[k + 1]}")
done
{
    echo "date: $(date -Is)  host: $(nproc) cpus, $(uname -r), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java: $(java -version 2>&1 | head -n 1)"
} | tee "$OUT/meta.txt" >&2
# Leak detection off: the benchmarks measure the production setting (tests run it at PARANOID).
java -cp "$ROOT/benchmarks/target/benchmarks.jar:$ROOT/benchmarks/target/lib/*" org.openjdk.jmh.Main \
    -bm avgt -tu ns ${RUN[@]+"${RUN[@]}"} -jvmArgs "-Xms512m -Xmx512m -XX:MaxDirectMemorySize=1g -Dio.netty.leakDetection.level=disabled" \
    -rf json -rff "$OUT/results.json" -o "$OUT/results.txt" ${ARGS[@]+"${ARGS[@]}"}
sed -n '/^Benchmark/,$p' "$OUT/results.txt"
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"
