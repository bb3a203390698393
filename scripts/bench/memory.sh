#!/usr/bin/env bash
# memory.sh - where jctl's resident memory goes: idle, with N sessions, under QD32 load, and idle again.
#
#   scripts/bench/memory.sh [--sessions N] [--seconds S] [--size SIZE] [--fill] [--jctl-opts "JVM OPTIONS"]
#                           [--jar DIR] [--out DIR]
#
# Starts the daemon through scripts/ctld (so with its JVM defaults; JAVA_OPTS-style --jctl-opts go after them)
# plus -XX:NativeMemoryTracking=summary (--jar DIR: `java --jctl-opts -jar DIR/ctld.jar` instead, DIR holding a
# build's ctld.jar and lib/, without the launcher's defaults), with a RAM disk LUN (--size, default 256M; --fill writes it full of
# random data first) and a black-hole LUN, then measures in phases:
#   idle        after start
#   filled      after --fill (skipped without it)
#   sessions    N sessions (default 64) at QD1 random 4 KiB reads on the black hole for S seconds (default 10):
#               peak VmRSS, and the breakdown taken near the end while they still run
#   qd32        one session, 4 KiB random reads at QD32 on the RAM disk for S seconds
#   idle-after  S seconds after the load stopped
# For each phase: VmRSS, RssAnon, RssFile, threads, jctl's heap (used / committed), the RAM disks' data
# (used_bytes of ctladm devlist), and NMT's committed MiB per category: Java Heap, Class + Metaspace, Thread
# (stacks), Code (JIT code cache), GC (collector structures), Other (direct memory: Netty's chunks, RAM disk
# pages) and the rest. Output: DIR/memory.tsv (one row per phase), DIR/nmt-PHASE.txt, DIR/jctl.log; the table
# is printed. Needs libiscsi-bin (iscsi-perf), qemu-img (for --fill), a JDK (jcmd). Listens on 127.0.0.1 only.
set -u -o pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }

SESSIONS=64 SECS=10 SIZE=256M FILL=0 OPTS="" OUT="" JAR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sessions) SESSIONS="$2"; shift 2 ;;
        --seconds) SECS="$2"; shift 2 ;;
        --size) SIZE="$2"; shift 2 ;;
        --fill) FILL=1; shift ;;
        --jctl-opts) OPTS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --jar) JAR="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "memory.sh: unknown argument $1" >&2; usage ;;
    esac
done
[[ "$SESSIONS" =~ ^[0-9]+$ ]] && [ "$SESSIONS" -ge 1 ] || { echo "--sessions must be >= 1" >&2; exit 2; }
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -ge 2 ] || { echo "--seconds must be >= 2" >&2; exit 2; }
SIZE_BYTES=$(numfmt --from=iec "${SIZE%B}" 2>/dev/null) || { echo "--size $SIZE is not a size" >&2; exit 2; }
for t in iscsi-perf jcmd python3 numfmt; do
    command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 2; }
done
[ $FILL = 0 ] || command -v qemu-img >/dev/null || { echo "missing tool: qemu-img (for --fill)" >&2; exit 2; }

[ -n "$OUT" ] || OUT="./memory-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 2
WORK=$(mktemp -d /tmp/jctl-memory.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
IQN=iqn.2026-11.io.jctl:memory
PID=""
cleanup() {
    # only the daemon this script started, by its id
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && timeout 30 tail --pid="$PID" -f /dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

cat > "$WORK/jctl.json" <<EOF
{
  "portal-group": {"default": {"listen": ["127.0.0.1:$PORT"], "discovery-auth-group": "no-authentication"}},
  "target": {"$IQN": {"auth-group": "no-authentication", "portal-group": "default", "lun": {
    "0": {"backend": "ramdisk", "size": "$SIZE_BYTES", "options": {"capacity": "$SIZE_BYTES"}},
    "1": {"backend": "ramdisk", "size": "$SIZE_BYTES", "options": {"capacity": "0"}}}}}
}
EOF
URL_RAM="iscsi://127.0.0.1:$PORT/$IQN/0" URL_NULL="iscsi://127.0.0.1:$PORT/$IQN/1"

if [ -n "$JAR" ]; then
    [ -f "$JAR/ctld.jar" ] || { echo "no $JAR/ctld.jar" >&2; exit 2; }
    log "starting $JAR/ctld.jar on 127.0.0.1:$PORT (JVM options: '$OPTS')"
    # shellcheck disable=SC2086  # a word list
    java -XX:NativeMemoryTracking=summary $OPTS -jar "$JAR/ctld.jar" --config "$WORK/jctl.json" \
        --control-socket "$WORK/ctld.sock" --state-dir "$WORK/state" > "$OUT/jctl.log" 2>&1 &
else
    log "starting scripts/ctld on 127.0.0.1:$PORT (JAVA_OPTS after the defaults: '$OPTS')"
    JAVA_OPTS="-XX:NativeMemoryTracking=summary $OPTS" "$ROOT/scripts/ctld" --config "$WORK/jctl.json" \
        --control-socket "$WORK/ctld.sock" --state-dir "$WORK/state" > "$OUT/jctl.log" 2>&1 &
fi
PID=$!
for _ in $(seq 1 600); do
    (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || { echo "jctl did not start; see $OUT/jctl.log" >&2; exit 1; }
    sleep 0.5
done
grep -o 'memory: .*' "$OUT/jctl.log" >&2

status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
ramdisk_bytes() {
    "$ROOT/scripts/ctladm" --socket "$WORK/ctld.sock" devlist -v --json 2>/dev/null | python3 -c '
import json, sys
print(sum(int(l.get("backendInfo", {}).get("used_bytes", 0)) for l in json.load(sys.stdin) if l["backend"] == "ramdisk"))'
}
printf 'phase\tvmrss_mib\tpeak_rss_mib\trss_anon_mib\trss_file_mib\tthreads\theap_used_mib\theap_committed_mib\tramdisk_data_mib\tnmt_heap\tnmt_class\tnmt_thread\tnmt_code\tnmt_gc\tnmt_other\tnmt_rest\tnmt_total\n' \
    > "$OUT/memory.tsv"
snapshot() {   # snapshot PHASE PEAK_KIB
    local phase="$1" peak="$2"
    jcmd "$PID" VM.native_memory summary scale=KB > "$OUT/nmt-$phase.txt" 2>&1
    jcmd "$PID" GC.heap_info > "$OUT/heap-$phase.txt" 2>&1
    python3 - "$phase" "$peak" "$(status "$PID" VmRSS)" "$(status "$PID" RssAnon)" "$(status "$PID" RssFile)" \
        "$(status "$PID" Threads)" "$(ramdisk_bytes)" "$OUT/nmt-$phase.txt" "$OUT/heap-$phase.txt" \
        >> "$OUT/memory.tsv" <<'PY'
import re, sys
phase, peak, rss, anon, file_, threads, ram, nmt, heap = sys.argv[1:]
mib = lambda kib: f"{int(kib) / 1024:.1f}" if kib.isdigit() else "NA"
cats = {}
for line in open(nmt):
    m = re.match(r"-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", line)
    if m:
        cats[m.group(1)] = int(m.group(2))
    m = re.match(r"Total: reserved=\d+KB, committed=(\d+)KB", line)
    if m:
        cats["Total"] = int(m.group(1))
used = committed = None
text = open(heap).read()
m = re.search(r"garbage-first heap\s+total (\d+)K, used (\d+)K", text)  # G1
if m:
    committed, used = int(m.group(1)), int(m.group(2))
else:                                                                    # Serial, Parallel: generations
    gens = re.findall(r"(?:def new generation|tenured generation|PSYoungGen|ParOldGen)\s+total (\d+)K, used (\d+)K", text)
    if gens:
        committed, used = sum(int(g[0]) for g in gens), sum(int(g[1]) for g in gens)
pick = lambda *names: sum(cats.get(n, 0) for n in names)
main = {"Java Heap": 0, "Class": 0, "Metaspace": 0, "Thread": 0, "Code": 0, "GC": 0, "Other": 0, "Total": 0}
rest = cats.get("Total", 0) - sum(v for k, v in cats.items() if k in main and k != "Total")
if peak.isdigit() and rss.isdigit():
    peak = str(max(int(peak), int(rss)))
row = [phase, mib(rss), mib(peak), mib(anon), mib(file_), threads,
       mib(str(used)) if used is not None else "NA", mib(str(committed)) if committed is not None else "NA",
       f"{int(ram) / 1048576:.1f}" if ram.isdigit() else "NA",
       mib(str(pick("Java Heap"))), mib(str(pick("Class", "Metaspace"))), mib(str(pick("Thread"))),
       mib(str(pick("Code"))), mib(str(pick("GC"))), mib(str(pick("Other"))), mib(str(max(rest, 0))),
       mib(str(cats.get("Total", 0)))]
print("\t".join(row))
PY
}
# load PIDS...: waits for the clients, sampling VmRSS; prints the peak (KiB); takes the snapshot of PHASE when
# about a second of the run is left
run_load() {   # run_load PHASE CLIENT_PIDS...
    local phase="$1" peak r end snap=0; shift
    peak=$(status "$PID" VmRSS); end=$((SECONDS + SECS - 2))
    while kill -0 "$@" 2>/dev/null; do
        r=$(status "$PID" VmRSS); [ "${r:-0}" -gt "$peak" ] && peak=$r
        if [ $snap = 0 ] && [ $SECONDS -ge $end ]; then snapshot "$phase" "$peak"; snap=1; fi
        sleep 0.2
    done
    wait "$@"
    [ $snap = 1 ] || snapshot "$phase" "$peak"
}

snapshot idle "$(status "$PID" VmRSS)"
if [ $FILL = 1 ]; then
    log "filling the RAM disk ($SIZE) with random data"
    head -c "$SIZE_BYTES" /dev/urandom > "$WORK/seed.img"
    timeout 300 qemu-img convert -n -f raw -O raw "$WORK/seed.img" "$URL_RAM" || { echo "fill failed" >&2; exit 1; }
    rm -f "$WORK/seed.img"
    snapshot filled "$(status "$PID" VmRSS)"
fi
log "$SESSIONS sessions at QD1 for $SECS s"
clients=()
for ((i = 0; i < SESSIONS; i++)); do
    timeout -k 5 $((SECS * 4 + 30)) iscsi-perf -t "$SECS" -r -m 1 -b 8 -i "iqn.2026-11.io.jctl.memory:s$i" \
        "$URL_NULL" > /dev/null 2>&1 &
    clients+=($!)
done
run_load sessions "${clients[@]}"
log "one session at QD32 on the RAM disk for $SECS s"
timeout -k 5 $((SECS * 4 + 30)) iscsi-perf -t "$SECS" -r -m 32 -b 8 "$URL_RAM" > "$WORK/qd32.txt" 2>&1 &
run_load qd32 $!
log "idle for $SECS s"
sleep "$SECS"
snapshot idle-after "$(status "$PID" VmRSS)"

column -t -s $'\t' "$OUT/memory.tsv"
echo "NMT categories: committed MiB (nmt_other = direct memory: Netty's chunks and RAM disk pages). $OUT"
