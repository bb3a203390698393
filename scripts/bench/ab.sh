#!/usr/bin/env bash
# ab.sh - two builds of jctl against each other, interleaved, to decide whether a change helps.
#
#   scripts/bench/ab.sh A_DIR B_DIR [KINDS] [WORKLOADS] [ROUNDS] [SECONDS]
#
# A_DIR and B_DIR each hold a ctld.jar with its lib/ (copy ctld/target/ctld.jar and ctld/target/lib of the two
# builds). Both daemons run at once on free 127.0.0.1 ports with the same LUN kinds (KINDS, default ram,null:
# ram = 256 MiB RAM disk filled with random data, null = black hole, file = block backend on a file in $FILEDIR,
# default /tmp); each is warmed up (WARM seconds of QD32 random reads, default 15), then every workload runs on A
# and B in turn, A/B then B/A, ROUNDS times (default 3) for about SECONDS each (default 4). WORKLOADS (default
# rr4k_qd1,rr4k_qd32,rw4k_qd32,lat4k_qd1): rr4k_qd1, rr4k_qd32 (iscsi-perf random 4 KiB reads), rw4k_qd1,
# rw4k_qd32, lat4k_qd1, sr128k_qd16 (qemu-img bench, fixed counts). Prints every pair, then per kind and workload
# the medians, the median of the per-round B/A ratios with its range, and each side's CPU microseconds per I/O
# (utime + stime of the whole daemon, JIT included). JOPTS: JVM options for both daemons; JOPTS_A / JOPTS_B:
# for one of them (instead of JOPTS), e.g. to compare JVM settings on one build: ab.sh D D with JOPTS_B set.
# The daemons start with `java -jar`, without scripts/ctld's JVM defaults: give those in JOPTS to measure them.
set -u
[ $# -ge 2 ] || { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
A=$1 B=$2 KINDS=${3:-ram,null} WLS=${4:-rr4k_qd1,rr4k_qd32,rw4k_qd32,lat4k_qd1} ROUNDS=${5:-3} SECS=${6:-4}
FILEDIR=${FILEDIR:-/tmp}
W=$(mktemp -d /tmp/jctl-ab.XXXXXX)
IQN=iqn.2026-11.io.jctl:target0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for i in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done; return 1; }
cpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }
IFS=, read -ra KL <<< "$KINDS"; IFS=, read -ra WL <<< "$WLS"
declare -A PORT PID LUN
SEED=$W/seed; head -c $((256<<20)) /dev/urandom > $SEED
for side in A B; do
  PORT[$side]=$(free_port)
  luns=""; n=0
  for k in "${KL[@]}"; do
    LUN[$k]=$n
    case $k in
      ram) luns+="\"$n\": {\"backend\": \"ramdisk\", \"size\": \"256M\", \"options\": {\"capacity\": \"256M\"}},";;
      null) luns+="\"$n\": {\"backend\": \"ramdisk\", \"size\": \"256M\", \"options\": {\"capacity\": \"0\"}},";;
      file) cp $SEED $FILEDIR/jctl-ab-$side.img; luns+="\"$n\": {\"backend\": \"block\", \"path\": \"$FILEDIR/jctl-ab-$side.img\", \"size\": \"auto\"},";;
    esac; n=$((n+1))
  done
  cat > $W/$side.json <<EOF
{"portal-group": {"default": {"listen": ["127.0.0.1:${PORT[$side]}"], "discovery-auth-group": "no-authentication"}},
 "target": {"$IQN": {"auth-group": "no-authentication", "portal-group": "default", "lun": {${luns%,}}}}}
EOF
  dir=$A opts=${JOPTS_A-${JOPTS:-}}; [ $side = B ] && dir=$B opts=${JOPTS_B-${JOPTS:-}}
  java $opts -jar $dir/ctld.jar --config $W/$side.json --control-socket $W/$side.sock --state-dir $W/$side-state > $W/$side.log 2>&1 &
  PID[$side]=$!
done
trap 'kill ${PID[A]} ${PID[B]} 2>/dev/null; rm -f $FILEDIR/jctl-ab-?.img; rm -rf $W/seed' EXIT
for side in A B; do wait_port ${PORT[$side]} || { echo "$side did not start"; tail $W/$side.log; exit 1; }; done
url() { echo "iscsi://127.0.0.1:${PORT[$1]}/$IQN/${LUN[$2]}"; }
for side in A B; do
  for k in "${KL[@]}"; do [ $k = ram ] && qemu-img convert -n -f raw -O raw $SEED "$(url $side ram)"; done
done
for side in A B; do for k in "${KL[@]}"; do timeout 60 iscsi-perf -t ${WARM:-15} -r -m 32 -b 8 "$(url $side $k)" >/dev/null 2>&1; done; done
run() { # side kind wl -> value
  local u=$(url $1 $2)
  case $3 in
    rr4k_qd1) timeout 60 iscsi-perf -t $SECS -r -m 1 -b 8 "$u" 2>&1 | tr '\r' '\n' | awk '/^ *iops average/ { v = $3 } END { print v + 0 }';;
    rr4k_qd32) timeout 60 iscsi-perf -t $SECS -r -m 32 -b 8 "$u" 2>&1 | tr '\r' '\n' | awk '/^ *iops average/ { v = $3 } END { print v + 0 }';;
    rw4k_qd32) c=$((SECS*20000)); t=$(timeout 120 qemu-img bench -f raw -c $c -w -d 32 -s 4096 -S 1052672 "$u" 2>&1 | awk '/Run completed in/ { print $4 }'); awk -v c=$c -v t=$t 'BEGIN{printf "%.0f", c/t}';;
    rw4k_qd1) c=$((SECS*5000)); t=$(timeout 120 qemu-img bench -f raw -c $c -w -d 1 -s 4096 -S 1052672 "$u" 2>&1 | awk '/Run completed in/ { print $4 }'); awk -v c=$c -v t=$t 'BEGIN{printf "%.0f", c/t}';;
    lat4k_qd1) c=$((SECS*5000)); t=$(timeout 120 qemu-img bench -f raw -c $c -d 1 -s 4096 -S 1052672 "$u" 2>&1 | awk '/Run completed in/ { print $4 }'); awk -v c=$c -v t=$t 'BEGIN{printf "%.1f", t/c*1e6}';;
    sr128k_qd16) c=$((SECS*6000)); t=$(timeout 120 qemu-img bench -f raw -c $c -d 16 -s 131072 "$u" 2>&1 | awk '/Run completed in/ { print $4 }'); awk -v c=$c -v t=$t 'BEGIN{printf "%.0f", c*131072/t/1e6}';;
  esac
}
printf 'round\tkind\twl\tA\tB\tB/A\tcpuA_us\tcpuB_us\n' > $W/raw.tsv
for r in $(seq 1 $ROUNDS); do
  for k in "${KL[@]}"; do for w in "${WL[@]}"; do
    order="A B"; [ $((r % 2)) = 0 ] && order="B A"
    declare -A V C
    for s in $order; do
      c0=$(cpu ${PID[$s]}); t0=$(date +%s.%N)
      V[$s]=$(run $s $k $w)
      c1=$(cpu ${PID[$s]}); t1=$(date +%s.%N)
      # cpu us per io: ticks*10000 / (iops*secs) ; for lat: ios = secs/lat
      C[$s]=$(awk -v d=$((c1-c0)) -v v=${V[$s]} -v w=$w -v t0=$t0 -v t1=$t1 -v S=$SECS 'BEGIN{ if (w=="lat4k_qd1") ios=S*5000; else if (w ~ /^rr/) ios=v*S; else if (w=="sr128k_qd16") ios=S*6000; else if (w=="rw4k_qd1") ios=S*5000; else ios=S*20000; printf "%.1f", d*10000/ios }')
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $r $k $w ${V[A]} ${V[B]} $(awk -v a=${V[A]} -v b=${V[B]} 'BEGIN{printf "%.2f", b/a}') ${C[A]} ${C[B]} | tee -a $W/raw.tsv
  done; done
done
echo "== medians (B/A; for lat4k lower is better) $W/raw.tsv"
python3 - $W/raw.tsv <<'EOF'
import sys, statistics, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])][1:]
g = collections.defaultdict(list)
for r in rows: g[(r[1], r[2])].append(r)
for (k, w), rs in g.items():
    med = lambda i: statistics.median(float(x[i]) for x in rs)
    print(f"{k}\t{w}\tA={med(3):.0f}\tB={med(4):.0f}\tB/A={med(5):.2f} [{min(float(x[5]) for x in rs):.2f}-{max(float(x[5]) for x in rs):.2f}]\tcpu A={med(6)} B={med(7)} us/io")
EOF
