#!/usr/bin/env bash
# profile.sh - where jctl's CPU goes under one workload: a JFR recording plus per-thread CPU and context switches.
#
#   scripts/bench/profile.sh [--kind ram|file|null] [--qd N] [--io BYTES] [--seconds S] [--write] [--tgtd] [--out DIR]
#
# Starts jctl (scripts/ctld) on a free 127.0.0.1 port with one LUN of the kind (default ram: a 256 MiB RAM disk
# filled with random data) and starts a JFR recording over jcmd (JDK settings "profile", Java samples every 2 ms), warms up for 15 s, then runs iscsi-perf
# random reads of --io bytes (default 4096) at --qd in flight (default 32) for S seconds (default 20) and
# records around that run (--write: qemu-img bench writes of --io bytes, spread as compare.sh's rw4k, a count
# sized from the warm-up's rate to take about S seconds), per thread of the daemon (/proc/PID/task/*): user and system CPU time and voluntary
# and involuntary context switches, each also per I/O. With --tgtd the same run and thread table are taken for
# tgtd on an equivalent LUN (rdwr file in /dev/shm, or null), for comparison.
# Then prints the JFR summary (scripts/bench/jfr-summary.py): samples per thread, hottest methods (self and
# inclusive), what the hot frames are spent on (copies, CRC, allocation, locks, thread hops, syscalls, logging),
# allocation by class and site, monitor and park events.
# Output (--out DIR, default ./profile-YYYYmmdd-HHMMSS): jctl.jfr, summary.txt, threads-jctl.tsv,
# threads-tgtd.tsv, perf-*.txt, jctl.log. Needs what compare.sh needs; run as root with --tgtd.
set -u -o pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KIND=ram QD=32 IO=4096 SECS=20 WITH_TGTD=0 WRITE=0 OUT="" JCTL_IOS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --kind) KIND="$2"; shift 2 ;;
        --qd) QD="$2"; shift 2 ;;
        --io) IO="$2"; shift 2 ;;
        --seconds) SECS="$2"; shift 2 ;;
        --tgtd) WITH_TGTD=1; shift ;;
        --write) WRITE=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help|*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
    esac
done
case "$KIND" in ram|file|null) ;; *) echo "--kind is ram, file or null" >&2; exit 2 ;; esac
[[ "$QD$IO$SECS" =~ ^[0-9]+$ ]] || { echo "--qd, --io and --seconds are whole numbers" >&2; exit 2; }
for t in iscsi-perf qemu-img jfr jcmd python3 timeout ss; do
    command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 2; }
done
[ "$WITH_TGTD" = 0 ] || command -v tgtd >/dev/null || { echo "missing tool: tgtd (apt-get install -y tgt)" >&2; exit 2; }
[ -n "$OUT" ] || OUT="./profile-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 2
SIZE=$((256 << 20))
TMO=$((SECS + 60))
WORK=$(mktemp -d /dev/shm/jctl-profile.XXXXXX)
JCTL_PID="" TGTD_PID=""
cleanup() {
    [ -n "$JCTL_PID" ] && kill "$JCTL_PID" 2>/dev/null && timeout 30 tail --pid="$JCTL_PID" -f /dev/null
    if [ -n "$TGTD_PID" ] && kill -0 "$TGTD_PID" 2>/dev/null; then
        # tgtd ignores SIGTERM while it has targets: remove them, then ask it to exit; SIGKILL as the last resort
        timeout 10 tgtadm -C "$PORT_B" --lld iscsi --op delete --mode target --tid 1 --force > /dev/null 2>&1
        timeout 10 tgtadm -C "$PORT_B" --lld iscsi --op delete --mode system > /dev/null 2>&1
        timeout 10 tail --pid="$TGTD_PID" -f /dev/null || kill -KILL "$TGTD_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
free_port() {
    local p
    for p in $(shuf -i 20000-29999 -n 50); do
        ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
    done
    return 1
}
wait_port() {
    local end=$((SECONDS + $3))
    while [ $SECONDS -lt $end ]; do
        kill -0 "$2" 2>/dev/null || return 1
        timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}
# threads PID -> "tid comm utime stime voluntary involuntary" per thread (comm with spaces squeezed to _)
threads() {
    local t
    for t in /proc/"$1"/task/*; do
        awk -v tid="${t##*/}" '
            FILENAME ~ /stat$/ { s = $0; sub(/^[^(]*\(/, "", s); name = s; sub(/\).*/, "", name); sub(/^.*\) /, "", s)
                                 split(s, f, " "); ut = f[12]; st = f[13] }
            /^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 }
            END { gsub(/ /, "_", name); print tid, name, ut, st, v, n }' "$t/stat" "$t/status" 2>/dev/null
    done
}
# thread_table BEFORE AFTER IOS -> per thread name group: cpu ms, us/io (user, sys), ctx switches per io
thread_table() {
    awk -v ios="$3" -v hz="$(getconf CLK_TCK)" '
        NR == FNR { u[$1] = $3; s[$1] = $4; v[$1] = $5; n[$1] = $6; next }
        { g = $2; gsub(/[-#]?[0-9]+$/, "", g); if (!(g in seen)) { seen[g] = 1; order[++k] = g }
          cnt[g]++; du[g] += $3 - u[$1]; ds[g] += $4 - s[$1]; dv[g] += $5 - v[$1]; dn[g] += $6 - n[$1] }
        END { printf "%-24s %4s %9s %9s %9s %10s %10s\n", "threads", "n", "user_ms", "sys_ms", "cpu_us/io", "vcsw/io", "ivcsw/io"
              for (i = 1; i <= k; i++) { g = order[i]; if (du[g] + ds[g] + dv[g] == 0) continue
                  tu += du[g]; ts += ds[g]; tv += dv[g]; tn += dn[g]
                  printf "%-24s %4d %9.0f %9.0f %9.2f %10.3f %10.3f\n", g, cnt[g], du[g] / hz * 1000, ds[g] / hz * 1000,
                      (du[g] + ds[g]) / hz * 1e6 / ios, dv[g] / ios, dn[g] / ios }
              printf "%-24s %4s %9.0f %9.0f %9.2f %10.3f %10.3f\n", "TOTAL", "", tu / hz * 1000, ts / hz * 1000,
                  (tu + ts) / hz * 1e6 / ios, tv / ios, tn / ios }' "$1" "$2"
}
# qemu_write URL COUNT -> seconds qemu-img bench took for COUNT writes of IO bytes at QD (empty on failure)
qemu_write() {
    timeout -k 5 "$TMO" qemu-img bench -f raw -c "$2" -w -d "$QD" -s "$IO" -S $((IO + (1 << 20))) "$1" 2>&1 \
        | awk '/Run completed in/ { print $4 }'
}
# run_perf NAME URL PID: warm-up, then the measured run with thread samples around it
run_perf() {
    local name="$1" url="$2" pid="$3" iops ios blocks=$((IO / 512)) what count t
    # Warm-up long enough for the JIT to finish compiling the hot path (its threads would count otherwise).
    if [ "$WRITE" = 1 ]; then
        timeout -k 5 60 iscsi-perf -t 10 -r -m "$QD" -b "$blocks" "$url" > /dev/null 2>&1
        count=$((QD > 1 ? 100000 : 20000))
        t=$(qemu_write "$url" "$count")
        [ -n "$t" ] || { echo "qemu-img bench against $name failed" >&2; return 1; }
        count=$(awk -v c="$count" -v t="$t" -v s="$SECS" 'BEGIN { printf "%d", c / t * s }')
    else
        timeout -k 5 60 iscsi-perf -t 15 -r -m "$QD" -b "$blocks" "$url" > /dev/null 2>&1
    fi
    [ "$name" = jctl ] && timeout 30 jcmd "$pid" JFR.start name=bench settings="$WORK/bench.jfc" > /dev/null
    threads "$pid" > "$WORK/before"
    if [ "$WRITE" = 1 ]; then
        what="write"
        t=$(qemu_write "$url" "$count")
        echo "$count writes in ${t:-?} s" > "$OUT/perf-$name.txt"
        ios=$count
        iops=$(awk -v c="$count" -v t="${t:-0}" 'BEGIN { if (t > 0) printf "%.0f", c / t; else print 0 }')
    else
        what="random read"
        timeout -k 5 "$TMO" iscsi-perf -t "$SECS" -r -m "$QD" -b "$blocks" "$url" 2>&1 | tr '\r' '\n' > "$OUT/perf-$name.txt"
        iops=$(awk '/^ *iops average/ { v = $3 } END { print v + 0 }' "$OUT/perf-$name.txt")
        ios=$((iops * SECS))
    fi
    threads "$pid" > "$WORK/after"
    [ "$name" = jctl ] && timeout 60 jcmd "$pid" JFR.stop name=bench filename="$OUT/jctl.jfr" > /dev/null
    [ "$name" = jctl ] && JCTL_IOS=$ios
    [ "$iops" -gt 0 ] && [ "$ios" -gt 0 ] || { echo "the run against $name failed; see $OUT/perf-$name.txt" >&2; return 1; }
    {
        echo "$name: $KIND LUN, $what of $IO bytes, QD $QD: $iops IOPS, $ios I/Os ($(cut -d' ' -f1-3 /proc/loadavg) load)"
        thread_table "$WORK/before" "$WORK/after" "$ios"
    } | tee "$OUT/threads-$name.tsv"
}

# JDK's "profile" settings with Java execution sampled every 2 ms instead of 10 ms (more samples per run).
JFC="$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc"
[ -r "$JFC" ] || { echo "no JFR settings file at $JFC" >&2; exit 2; }
sed '/method-sampling-java-interval/ s/>[^<]*</>2 ms</' "$JFC" > "$WORK/bench.jfc"
head -c "$SIZE" /dev/urandom > "$WORK/seed.img"
case "$KIND" in
    ram)  LUN="{\"backend\": \"ramdisk\", \"size\": \"$SIZE\", \"options\": {\"capacity\": \"$SIZE\"}}" ;;
    file) cp "$WORK/seed.img" "$WORK/jctl-file.img"; LUN="{\"backend\": \"block\", \"path\": \"$WORK/jctl-file.img\", \"size\": \"auto\"}" ;;
    null) LUN="{\"backend\": \"ramdisk\", \"size\": \"$SIZE\", \"options\": {\"capacity\": \"0\"}}" ;;
esac
PORT=$(free_port) || exit 2
cat > "$OUT/jctl.json" <<EOF
{"portal-group": {"default": {"listen": ["127.0.0.1:$PORT"], "discovery-auth-group": "no-authentication"}},
 "target": {"iqn.2026-11.io.jctl:profile": {"auth-group": "no-authentication", "portal-group": "default", "lun": {"0": $LUN}}}}
EOF
log "starting jctl on 127.0.0.1:$PORT"
"$ROOT/scripts/ctld" --config "$OUT/jctl.json" --control-socket "$WORK/ctld.sock" --state-dir "$WORK/state" \
    > "$OUT/jctl.log" 2>&1 &
JCTL_PID=$!
wait_port "$PORT" "$JCTL_PID" 600 || { echo "jctl did not start; see $OUT/jctl.log" >&2; exit 1; }
URL="iscsi://127.0.0.1:$PORT/iqn.2026-11.io.jctl:profile/0"
[ "$KIND" = ram ] && { timeout 300 qemu-img convert -n -f raw -O raw "$WORK/seed.img" "$URL" || exit 1; }
log "profiling jctl: $SECS s of $([ "$WRITE" = 1 ] && echo "qemu-img bench -w -d $QD -s $IO" || echo "iscsi-perf -r -m $QD -b $((IO / 512))")"
run_perf jctl "$URL" "$JCTL_PID" || exit 1
kill "$JCTL_PID" 2>/dev/null && timeout 30 tail --pid="$JCTL_PID" -f /dev/null; JCTL_PID=""

if [ "$WITH_TGTD" = 1 ]; then
    PORT_B=$(free_port) || exit 2
    tgtd -f -C "$PORT_B" --iscsi "portal=127.0.0.1:$PORT_B" > "$OUT/tgtd.log" 2>&1 &
    TGTD_PID=$!
    wait_port "$PORT_B" "$TGTD_PID" 30 || { echo "tgtd did not start" >&2; exit 1; }
    tgtadm -C "$PORT_B" --lld iscsi --mode target --op new --tid 1 --targetname iqn.2026-11.org.tgt:profile || exit 1
    if [ "$KIND" = null ]; then
        tgtadm -C "$PORT_B" --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --bstype null --backing-store null || exit 1
    else
        tgtadm -C "$PORT_B" --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --backing-store "$WORK/seed.img" || exit 1
    fi
    tgtadm -C "$PORT_B" --lld iscsi --mode target --op bind --tid 1 --initiator-address 127.0.0.1 || exit 1
    log "same run against tgtd"
    run_perf tgtd "iscsi://127.0.0.1:$PORT_B/iqn.2026-11.org.tgt:profile/1" "$TGTD_PID"
fi
python3 "$HERE/jfr-summary.py" "$OUT/jctl.jfr" --ios "$JCTL_IOS" | tee "$OUT/summary.txt"
