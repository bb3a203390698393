#!/usr/bin/env bash
# compare.sh - jctl against tgtd (Debian `tgt`) on this machine, side by side, with initiators nobody here wrote.
#
#   scripts/bench/compare.sh [--kinds ram,file,null] [--workloads LIST|all] [--seconds S] [--rounds N]
#                            [--warmup S] [--size SIZE] [--file-dir DIR] [--out DIR] [--jctl-opts "JVM OPTIONS"]
#                            [--list]
#   scripts/bench/compare.sh --table DIR      re-prints the table of an earlier run
#
# Starts both targets on 127.0.0.1 (free ports), each with the same three kinds of LUN:
#   ram   jctl: RAM disk, capacity = size            tgtd: rdwr file in /dev/shm (tgt has no RAM-disk store)
#   file  jctl: block backend on a file in --file-dir tgtd: rdwr file in --file-dir (default /tmp: page cache)
#   null  jctl: CTL's black hole (RAM disk, capacity 0)  tgtd: --bstype null
# The ram and file LUNs are filled with random data first (so nothing reads holes), then every workload runs on
# jctl and tgtd in turn, round by round, A/B then B/A, so drift and the neighbours' load hit both.
#
# Workloads (sizes in bytes; every run is bounded by a timeout of 4*S+30 s and counted NA if it fails):
#   rr4k_qd32   4 KiB random read, 32 in flight        iscsi-perf -r -m 32              IOPS
#   rr4k_qd1    4 KiB random read, 1 in flight         iscsi-perf -r -m 1               IOPS
#   rw4k_qd32   4 KiB write, 32 in flight, spread      qemu-img bench -w -d 32 -S 1M+4K IOPS
#   rw4k_qd1    4 KiB write, 1 in flight, spread       qemu-img bench -w -d 1 -S 1M+4K  IOPS
#   sr128k_qd16 128 KiB sequential read, 16 in flight  qemu-img bench -d 16             MB/s (1e6)
#   sw128k_qd16 128 KiB sequential write, 16 in flight qemu-img bench -w -d 16          MB/s
#   lat4k_qd1   4 KiB read, 1 in flight, spread        qemu-img bench -d 1 -S 1M+4K     usec per I/O
#   mix16       16 sessions at QD8, 4 KiB spread: 11 read + 5 write sessions (70/30), started together, each
#               a fixed count: IOPS = sum of the sessions' own rates; their max/min ratio goes to
#               starvation.tsv (target: < 2)
#   extras (with --workloads all): rr4k_qd32q (qemu-img 4 KiB spread read QD32, IOPS, same access method as
#               the writes), mem64 (64 sessions QD1 for S seconds: peak VmRSS of the target, MiB; jctl's
#               figure includes its RAM disks' data, --size bytes once the ram LUN is filled, so a second row,
#               mem64_net, shows jctl's peak without it: VmRSS minus the used_bytes `ctladm devlist -v` reports
#               for its RAM disk LUNs; tgtd's RAM-disk stand-in is a file in /dev/shm, outside its VmRSS, so its
#               two rows are the same)
# "spread": qemu-img steps 1 MiB + 4 KiB per I/O, which visits every 4 KiB block before repeating (iscsi-perf
# cannot write, so random writes use this instead). qemu-img runs a fixed count, sized by a calibration run
# per workload and side (also the warm-up) to take about S seconds.
#
# Cost: the CPU time (utime + stime of every thread, /proc/PID/stat) each target used during a measurement,
# divided by the I/Os done: target CPU microseconds per I/O; for jctl also the part its JIT compiler threads
# spent (a warm-up cost that fades; the table shows jctl's CPU with and without it). Memory: VmRSS idle (after
# start), after each kind's workloads and at the end, with the bytes jctl's RAM disks hold at that moment; jctl's
# heap (jcmd GC.heap_info) at the end. jctl runs with scripts/ctld's JVM defaults (docs/performance.md, Memory).
#
# Output (--out DIR, default ./bench-YYYYmmdd-HHMMSS): table.txt (also printed), raw.tsv (every measurement),
# memory.tsv, starvation.tsv, meta.txt (machine, load, versions, commands), jctl.log, tgtd.log, jctl.json.
# Options: --seconds S per measurement (default 5); --rounds N (default 3, at least 2); --warmup S of random
# reads on jctl's LUN before its first measurement (default 20: most JIT work is done by then); --size of each LUN
# (default 256M); --jctl-opts JVM options for jctl (JAVA_OPTS of scripts/ctld, e.g. a JFR recording).
# Needs: libiscsi-bin (iscsi-perf, iscsi-readcapacity16), qemu-utils + qemu-block-extra (qemu-img iscsi://),
# tgt (tgtd, tgtadm), python3, a JDK (java, jcmd). Run as root (tgtd needs it). Only 127.0.0.1 is used.
set -u -o pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }

DEFAULT_WL="rr4k_qd32,rr4k_qd1,rw4k_qd32,rw4k_qd1,sr128k_qd16,sw128k_qd16,lat4k_qd1,mix16"
ALL_WL="$DEFAULT_WL,rr4k_qd32q,mem64"
KINDS="ram,file,null" WL="$DEFAULT_WL" WARMUP=20 SECS=5 ROUNDS=3 SIZE=256M FILE_DIR=/tmp OUT="" JCTL_OPTS="" TABLE_DIR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kinds) KINDS="$2"; shift 2 ;;
        --workloads) WL="$2"; [ "$WL" = all ] && WL="$ALL_WL"; shift 2 ;;
        --seconds) SECS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --size) SIZE="$2"; shift 2 ;;
        --file-dir) FILE_DIR="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --jctl-opts) JCTL_OPTS="$2"; shift 2 ;;
        --table) TABLE_DIR="$2"; shift 2 ;;
        --list) echo "$ALL_WL" | tr ',' '\n'; exit 0 ;;
        -h|--help) usage ;;
        *) echo "compare.sh: unknown argument $1" >&2; usage ;;
    esac
done
if [ -n "$TABLE_DIR" ]; then
    exec python3 "$HERE/table.py" "$TABLE_DIR"
fi
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -ge 1 ] || { echo "--seconds must be a whole number >= 1" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && [ "$ROUNDS" -ge 2 ] || { echo "--rounds must be >= 2" >&2; exit 2; }
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "--warmup must be a whole number" >&2; exit 2; }
SIZE_BYTES=$(numfmt --from=iec "${SIZE%B}" 2>/dev/null) || { echo "--size $SIZE is not a size" >&2; exit 2; }
[ "$SIZE_BYTES" -ge $((16 << 20)) ] || { echo "--size must be at least 16M" >&2; exit 2; }
IFS=',' read -r -a KIND_LIST <<< "$KINDS"
IFS=',' read -r -a WLS <<< "$WL"
for k in "${KIND_LIST[@]}"; do
    case "$k" in ram|file|null) ;; *) echo "unknown LUN kind $k (ram, file, null)" >&2; exit 2 ;; esac
done
for t in iscsi-perf iscsi-readcapacity16 qemu-img tgtd tgtadm python3 java jcmd timeout ss numfmt; do
    command -v "$t" >/dev/null || {
        echo "missing tool: $t (apt-get install -y libiscsi-bin qemu-utils qemu-block-extra tgt python3 openjdk-17-jdk-headless)" >&2
        exit 2
    }
done
[ "$(id -u)" = 0 ] || { echo "compare.sh must run as root (tgtd needs it)" >&2; exit 2; }

[ -n "$OUT" ] || OUT="./bench-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 2
TMO=$((4 * SECS + 30))
HZ=$(getconf CLK_TCK)
STRIDE=1052672
IQN_A=iqn.2026-11.io.jctl:bench
IQN_B=iqn.2026-11.org.tgt:bench
WORK=$(mktemp -d /dev/shm/jctl-bench.XXXXXX)
FILE_WORK=$(mktemp -d "$FILE_DIR/jctl-bench.XXXXXX")
JCTL_PID="" TGTD_PID=""

cleanup() {
    # Only the two daemons this script started, by their ids.
    [ -n "$JCTL_PID" ] && kill "$JCTL_PID" 2>/dev/null && timeout 30 tail --pid="$JCTL_PID" -f /dev/null
    if [ -n "$TGTD_PID" ] && kill -0 "$TGTD_PID" 2>/dev/null; then
        # tgtd ignores SIGTERM while it has targets: remove them, then ask it to exit; SIGKILL as the last resort
        timeout 10 tgtadm -C "$PORT_B" --lld iscsi --op delete --mode target --tid 1 --force > /dev/null 2>&1
        timeout 10 tgtadm -C "$PORT_B" --lld iscsi --op delete --mode system > /dev/null 2>&1
        timeout 10 tail --pid="$TGTD_PID" -f /dev/null || kill -KILL "$TGTD_PID" 2>/dev/null
    fi
    rm -rf "$WORK" "$FILE_WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
free_port() {
    local p
    for p in $(shuf -i 20000-29999 -n 50); do
        ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
    done
    return 1
}
wait_port() {   # wait_port PORT PID SECONDS: until something accepts on 127.0.0.1:PORT, PID still alive
    local end=$((SECONDS + $3))
    while [ $SECONDS -lt $end ]; do
        kill -0 "$2" 2>/dev/null || return 1
        timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
# CPU ticks of a JVM's JIT compiler threads (C1/C2), which work only while code is still being compiled
jit_ticks() {
    local t sum=0 v
    for t in /proc/"$1"/task/*; do
        case "$(cat "$t/comm" 2>/dev/null)" in
            C1\ CompilerThre*|C2\ CompilerThre*) v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null)
                                              sum=$((sum + ${v:-0})) ;;
        esac
    done
    echo "$sum"
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# KiB of data jctl's RAM disk LUNs hold (their pages are in jctl's VmRSS), from the daemon's own count
ramdisk_kib() {
    timeout 30 "$ROOT/scripts/ctladm" --socket "$WORK/ctld.sock" devlist -v --json 2>/dev/null | python3 -c '
import json, sys
luns = json.load(sys.stdin)
print(sum(int(l.get("backendInfo", {}).get("used_bytes", 0)) for l in luns if l["backend"] == "ramdisk") // 1024)'
}
host_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

PORT_A=$(free_port) && PORT_B=$(free_port) || { echo "no free port" >&2; exit 2; }
while [ "$PORT_B" = "$PORT_A" ]; do PORT_B=$(free_port); done

# ---- backing files: random data, so no side reads holes -------------------------------------------------------
SEED="$WORK/seed.img"
head -c "$SIZE_BYTES" /dev/urandom > "$SEED" || exit 2
declare -A LUN_A LUN_B
JCTL_LUNS=""
n=0
for k in "${KIND_LIST[@]}"; do
    LUN_A[$k]=$n; LUN_B[$k]=$((n + 1))
    case "$k" in
        ram)  cp "$SEED" "$WORK/tgt-ram.img"
              JCTL_LUNS+="\"$n\": {\"backend\": \"ramdisk\", \"size\": \"$SIZE_BYTES\", \"options\": {\"capacity\": \"$SIZE_BYTES\"}}," ;;
        file) cp "$SEED" "$FILE_WORK/jctl-file.img"; cp "$SEED" "$FILE_WORK/tgt-file.img"
              JCTL_LUNS+="\"$n\": {\"backend\": \"block\", \"path\": \"$FILE_WORK/jctl-file.img\", \"size\": \"auto\"}," ;;
        null) JCTL_LUNS+="\"$n\": {\"backend\": \"ramdisk\", \"size\": \"$SIZE_BYTES\", \"options\": {\"capacity\": \"0\"}}," ;;
    esac
    n=$((n + 1))
done
cat > "$OUT/jctl.json" <<EOF
{
  "portal-group": {"default": {"listen": ["127.0.0.1:$PORT_A"], "discovery-auth-group": "no-authentication"}},
  "target": {"$IQN_A": {"auth-group": "no-authentication", "portal-group": "default", "lun": {${JCTL_LUNS%,}}}}
}
EOF

# ---- the two targets ------------------------------------------------------------------------------------------
log "starting jctl on 127.0.0.1:$PORT_A (scripts/ctld builds it first when needed)"
JAVA_OPTS="$JCTL_OPTS" "$ROOT/scripts/ctld" --config "$OUT/jctl.json" --control-socket "$WORK/ctld.sock" \
    --state-dir "$WORK/state" > "$OUT/jctl.log" 2>&1 &
JCTL_PID=$!
wait_port "$PORT_A" "$JCTL_PID" 600 || { echo "jctl did not start; see $OUT/jctl.log" >&2; tail -5 "$OUT/jctl.log" >&2; exit 1; }

log "starting tgtd on 127.0.0.1:$PORT_B (control port $PORT_B)"
tgtd -f -C "$PORT_B" --iscsi "portal=127.0.0.1:$PORT_B" > "$OUT/tgtd.log" 2>&1 &
TGTD_PID=$!
wait_port "$PORT_B" "$TGTD_PID" 30 || { echo "tgtd did not start; see $OUT/tgtd.log" >&2; exit 1; }
tgt() { timeout 30 tgtadm -C "$PORT_B" --lld iscsi "$@" || { echo "tgtadm $* failed" >&2; exit 1; }; }
tgt --mode target --op new --tid 1 --targetname "$IQN_B"
for k in "${KIND_LIST[@]}"; do
    case "$k" in
        ram)  tgt --mode logicalunit --op new --tid 1 --lun "${LUN_B[$k]}" --backing-store "$WORK/tgt-ram.img" ;;
        file) tgt --mode logicalunit --op new --tid 1 --lun "${LUN_B[$k]}" --backing-store "$FILE_WORK/tgt-file.img" ;;
        null) tgt --mode logicalunit --op new --tid 1 --lun "${LUN_B[$k]}" --bstype null --backing-store "null-$k" ;;
    esac
done
tgt --mode target --op bind --tid 1 --initiator-address 127.0.0.1

url() {   # url SIDE KIND
    if [ "$1" = jctl ]; then echo "iscsi://127.0.0.1:$PORT_A/$IQN_A/${LUN_A[$2]}"
    else echo "iscsi://127.0.0.1:$PORT_B/$IQN_B/${LUN_B[$2]}"; fi
}
pid_of() { [ "$1" = jctl ] && echo "$JCTL_PID" || echo "$TGTD_PID"; }

printf 'when\tside\tkind\tvmrss_kib\tramdisk_kib\n' > "$OUT/memory.tsv"
memory() {   # memory WHEN KIND
    printf '%s\tjctl\t%s\t%s\t%s\n%s\ttgtd\t%s\t%s\t0\n' "$1" "$2" "$(rss_kib "$JCTL_PID")" "$(ramdisk_kib)" \
        "$1" "$2" "$(rss_kib "$TGTD_PID")" >> "$OUT/memory.tsv"
}
memory idle -     # before the RAM disk holds any data
if [[ " ${KIND_LIST[*]} " == *" ram "* ]]; then
    log "filling jctl's RAM disk with the same random data"
    timeout 300 qemu-img convert -n -f raw -O raw "$SEED" "$(url jctl ram)" \
        || { echo "filling the jctl RAM disk failed" >&2; exit 1; }
fi
rm -f "$SEED"
declare -A BS
for k in "${KIND_LIST[@]}"; do
    for side in jctl tgtd; do
        BS[$side,$k]=$(timeout 20 iscsi-readcapacity16 "$(url $side "$k")" 2>/dev/null \
                      | awk -F: '/LOGICAL BLOCK LENGTH IN BYTES/ { print $2 + 0 }')
        [ -n "${BS[$side,$k]}" ] || { echo "READ CAPACITY(16) failed on $(url $side "$k")" >&2; exit 1; }
    done
done

{
    echo "date: $(date -Is)"
    echo "host: $(nproc) cpus, $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "jctl: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') pid $JCTL_PID, 127.0.0.1:$PORT_A, JAVA_OPTS='$JCTL_OPTS'"
    echo "tgtd: $(tgtd -V 2>&1 | head -n 1) pid $TGTD_PID, 127.0.0.1:$PORT_B"
    echo "tools: $(dpkg-query -W -f='libiscsi-bin ${Version}' libiscsi-bin 2>/dev/null), $(qemu-img --version | head -n 1)"
    echo "java: $(java -version 2>&1 | head -n 1)"
    echo "command: $0 --kinds $KINDS --workloads $WL --seconds $SECS --rounds $ROUNDS --warmup $WARMUP --size $SIZE --file-dir $FILE_DIR"
    echo "luns: size $SIZE_BYTES bytes; $(for k in "${KIND_LIST[@]}"; do printf '%s: jctl %s, tgtd %s; ' "$k" "$(url jctl "$k")" "$(url tgtd "$k")"; done)"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt" >&2

memory filled -   # jctl's RAM disk LUN holds --size bytes from here on (tgtd's copy is a file in /dev/shm)

# ---- workloads ------------------------------------------------------------------------------------------------
spec() {   # spec WORKLOAD -> "tool unit args"
    case "$1" in
        rr4k_qd32)   echo "perf IOPS -r -m 32 4096" ;;
        rr4k_qd1)    echo "perf IOPS -r -m 1 4096" ;;
        rw4k_qd32)   echo "qemu IOPS -w -d 32 -s 4096 -S $STRIDE" ;;
        rw4k_qd1)    echo "qemu IOPS -w -d 1 -s 4096 -S $STRIDE" ;;
        rr4k_qd32q)  echo "qemu IOPS -d 32 -s 4096 -S $STRIDE" ;;
        sr128k_qd16) echo "qemu MB/s -d 16 -s 131072" ;;
        sw128k_qd16) echo "qemu MB/s -w -d 16 -s 131072" ;;
        lat4k_qd1)   echo "qemu usec -d 1 -s 4096 -S $STRIDE" ;;
        mix16)       echo "mix IOPS" ;;
        mem64)       echo "mem64 MiB" ;;
        *) return 1 ;;
    esac
}
for w in "${WLS[@]}"; do spec "$w" >/dev/null || { echo "unknown workload $w (see --list)" >&2; exit 2; }; done

# qemu_bench URL COUNT ARGS... -> seconds the run took, empty on failure
qemu_bench() {
    local url="$1" count="$2"; shift 2
    timeout -k 5 "$TMO" qemu-img bench -f raw -c "$count" "$@" "$url" 2>&1 | awk '/Run completed in/ { print $4 }'
}
# qemu_bench_as NAME URL COUNT ARGS...: the same with its own initiator name (sessions of one mix must differ)
qemu_bench_as() {
    local name="$1" url="$2" count="$3" rest portal target lun; shift 3
    rest=${url#iscsi://}; portal=${rest%%/*}; rest=${rest#*/}; target=${rest%/*}; lun=${rest##*/}
    timeout -k 5 "$TMO" qemu-img bench -c "$count" "$@" --image-opts \
        "driver=raw,file.driver=iscsi,file.transport=tcp,file.portal=$portal,file.target=$target,file.lun=$lun,file.initiator-name=$name" \
        2>&1 | awk '/Run completed in/ { print $4 }'
}

# mix_run URL COUNT -> "wall_seconds per-session-iops..." (NA for a failed session)
MIX_READERS=11 MIX_WRITERS=5
mix_run() {
    local url="$1" count="$2" i t0 t1 dir
    dir=$(mktemp -d "$WORK/mix.XXXXXX")
    t0=$(now)
    for ((i = 0; i < MIX_READERS + MIX_WRITERS; i++)); do
        local w=""; [ $i -ge $MIX_READERS ] && w=-w
        qemu_bench_as "iqn.2026-11.io.jctl.bench:s$i" "$url" "$count" $w -d 8 -s 4096 -S $STRIDE -o $((i * 4096 * 37)) \
            > "$dir/$i" &
    done
    wait
    t1=$(now)
    {
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
        for ((i = 0; i < MIX_READERS + MIX_WRITERS; i++)); do
            awk -v c="$count" '{ s = $1 } END { if (s + 0 > 0) printf " %.1f", c / s; else printf " NA" }' "$dir/$i"
        done
    }
    rm -rf "$dir"
}

declare -A COUNT
calibrate() {   # calibrate WORKLOAD SIDE KIND: COUNT[w,side,kind] for about SECS seconds (0 = failed)
    local w="$1" side="$2" kind="$3" tool unit args c t tries=0 url
    read -r tool unit args <<< "$(spec "$w")"
    url=$(url "$side" "$kind")
    case "$tool" in
        qemu) c=500 ;;
        mix) c=200 ;;
        *) return 0 ;;
    esac
    while [ $tries -lt 6 ]; do
        # mix: the slowest session's own run time (logins excluded)
        if [ "$tool" = mix ]; then t=$(mix_run "$url" "$c" | awk -v c="$c" '{ lo = 0
                for (i = 2; i <= NF; i++) if ($i != "NA" && (lo == 0 || $i + 0 < lo)) lo = $i + 0
                if (lo > 0) printf "%.3f", c / lo }')
        else t=$(qemu_bench "$url" "$c" $args); fi
        [ -n "$t" ] || { COUNT[$w,$side,$kind]=0; log "calibration of $w on $side/$kind failed"; return; }
        awk -v t="$t" 'BEGIN { exit !(t >= 0.5) }' && break
        c=$((c * 4)); tries=$((tries + 1))
    done
    COUNT[$w,$side,$kind]=$(awk -v c="$c" -v t="$t" -v s="$SECS" 'BEGIN { n = int(c / (t > 0.001 ? t : 0.001) * s); print (n < 16 ? 16 : n) }')
}

printf 'round\tkind\tside\tworkload\tunit\tvalue\tseconds\tios\tcpu_us_per_io\tcpu_pct\thost_busy_pct\tjit_us_per_io\n' > "$OUT/raw.tsv"
printf 'round\tkind\tside\tsessions\twall_s\tmin_iops\tmax_iops\tmax_over_min\tper_session_iops\n' > "$OUT/starvation.tsv"

measure() {   # measure ROUND KIND SIDE WORKLOAD: one measurement, appended to raw.tsv
    local round="$1" kind="$2" side="$3" w="$4" tool unit args url pid bs c0 c1 h0 h1 t0 t1 value=NA secs=NA ios=0
    local out blocks count cpu_us=NA cpu_pct=NA host_pct peak j0 j1 jit_us=NA net=""
    read -r tool unit args <<< "$(spec "$w")"
    url=$(url "$side" "$kind"); pid=$(pid_of "$side"); bs=${BS[$side,$kind]}
    j0=$(jit_ticks "$pid"); c0=$(cpu_ticks "$pid"); h0=$(host_ticks); t0=$(now)
    case "$tool" in
        perf)
            blocks=$(( ${args##* } / bs )); args=${args% *}
            out=$(timeout -k 5 "$TMO" iscsi-perf -t "$SECS" $args -b "$blocks" \
                      -i "iqn.2026-11.io.jctl.bench:perf" "$url" 2>&1 | tr '\r' '\n' \
                  | awk '/^ *iops average/ { v = $3 } END { print v + 0 }')
            if [ "${out:-0}" -gt 0 ] 2>/dev/null; then
                value=$out; secs=$SECS; ios=$((out * SECS))
            fi ;;
        qemu)
            count=${COUNT[$w,$side,$kind]:-0}
            out=""; [ "$count" -gt 0 ] && out=$(qemu_bench "$url" "$count" $args)
            if [ -n "$out" ]; then
                secs=$out; ios=$count
                value=$(echo "$args" | awk -v n="$count" -v t="$out" -v u="$unit" '{
                    for (i = 1; i < NF; i++) if ($i == "-s") size = $(i + 1)
                    if (u == "IOPS") printf "%.0f", n / t; else if (u == "MB/s") printf "%.1f", n * size / t / 1e6
                    else printf "%.1f", t / n * 1e6 }')
            fi ;;
        mix)
            count=${COUNT[$w,$side,$kind]:-0}
            if [ "$count" -gt 0 ]; then
                out=$(mix_run "$url" "$count")
                read -r secs rest <<< "$out"
                if [[ "$rest" != *NA* ]]; then
                    # IOPS: the sum of every session's own rate (each timed by qemu-img without its login)
                    ios=$((count * (MIX_READERS + MIX_WRITERS)))
                    value=$(echo "$rest" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.0f", s }')
                fi
                echo "$rest" | awk -v r="$round" -v k="$kind" -v s="$side" -v w="$secs" '{
                    lo = ""; hi = ""; ok = 1
                    for (i = 1; i <= NF; i++) { if ($i == "NA") { ok = 0; continue }
                        if (lo == "" || $i + 0 < lo) lo = $i + 0; if (hi == "" || $i + 0 > hi) hi = $i + 0 }
                    printf "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r, k, s, NF, w, lo, hi,
                        (ok && lo > 0) ? sprintf("%.2f", hi / lo) : "NA", $0 }' >> "$OUT/starvation.tsv"
            fi ;;
        mem64)
            # 64 sessions at QD1 for SECS seconds; the target's peak VmRSS while they run. They only read, so
            # the RAM disks' data is the same before and after.
            local i end r clients=() data=0; peak=$(rss_kib "$pid")
            [ "$side" = jctl ] && data=$(ramdisk_kib)
            for ((i = 0; i < 64; i++)); do
                timeout -k 5 "$TMO" iscsi-perf -t "$SECS" -r -m 1 -b $((4096 / bs)) \
                    -i "iqn.2026-11.io.jctl.bench:m$i" "$url" > /dev/null 2>&1 &
                clients+=($!)
            done
            end=$((SECONDS + TMO + 10))
            while [ $SECONDS -lt $end ] && kill -0 "${clients[@]}" 2>/dev/null; do
                r=$(rss_kib "$pid"); [ "${r:-0}" -gt "$peak" ] && peak=$r
                sleep 0.2
            done
            wait "${clients[@]}"
            value=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }'); secs=$SECS
            net=$(awk -v k="$peak" -v d="${data:-0}" 'BEGIN { printf "%.1f", (k - d) / 1024 }') ;;
    esac
    t1=$(now); c1=$(cpu_ticks "$pid"); j1=$(jit_ticks "$pid"); h1=$(host_ticks)
    host_pct=$(echo "$h0 $h1" | awk -v n="$(nproc)" '{ d = $4 - $2; printf "%.0f", (d > 0) ? ($3 - $1) / d * 100 * n : 0 }')
    if [ -n "$c0" ] && [ -n "$c1" ]; then
        cpu_pct=$(awk -v d="$((c1 - c0))" -v hz="$HZ" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", d / hz / (b - a) * 100 }')
        if [ "$ios" -gt 0 ]; then
            cpu_us=$(awk -v d="$((c1 - c0))" -v hz="$HZ" -v n="$ios" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
            jit_us=$(awk -v d="$((j1 - j0))" -v hz="$HZ" -v n="$ios" 'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
        fi
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$side" "$w" "$unit" "$value" "$secs" \
        "$ios" "$cpu_us" "$cpu_pct" "$host_pct" "$jit_us" >> "$OUT/raw.tsv"
    [ -z "$net" ] || printf '%s\t%s\t%s\tmem64_net\tMiB\t%s\t%s\t0\tNA\tNA\t%s\tNA\n' "$round" "$kind" "$side" \
        "$net" "$secs" "$host_pct" >> "$OUT/raw.tsv"
    log "round $round $kind $side $w: $value $unit, target cpu ${cpu_us} us/io (JIT ${jit_us}; ${cpu_pct}% of a core), host busy ${host_pct}%"
}

T0=$SECONDS
for k in "${KIND_LIST[@]}"; do
    # Warm-up: the JIT compiles jctl's hot path in the first seconds; its compiler threads' CPU must not count.
    log "warming up on $k (jctl $WARMUP s, tgtd 3 s), then calibrating qemu-img counts"
    timeout -k 5 $((WARMUP + 30)) iscsi-perf -t "$WARMUP" -r -m 32 -b $((4096 / ${BS[jctl,$k]})) \
        "$(url jctl "$k")" > /dev/null 2>&1
    timeout -k 5 40 iscsi-perf -t 3 -r -m 32 -b $((4096 / ${BS[tgtd,$k]})) "$(url tgtd "$k")" > /dev/null 2>&1
    for w in "${WLS[@]}"; do calibrate "$w" jctl "$k"; calibrate "$w" tgtd "$k"; done
    for ((r = 1; r <= ROUNDS; r++)); do
        for w in "${WLS[@]}"; do
            if [ $((r % 2)) -eq 1 ]; then measure "$r" "$k" jctl "$w"; measure "$r" "$k" tgtd "$w"
            else measure "$r" "$k" tgtd "$w"; measure "$r" "$k" jctl "$w"; fi
        done
    done
    memory "after-$k" "$k"
done
memory end -
{
    echo "jctl heap at the end (jcmd GC.heap_info):"
    timeout 20 jcmd "$JCTL_PID" GC.heap_info 2>&1 | sed -n '2,4p'
    echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg); wall time $((SECONDS - T0)) s"
} >> "$OUT/meta.txt"
python3 "$HERE/table.py" "$OUT" | tee "$OUT/table.txt"
