#!/usr/bin/env bash
# scripts/vm/run-vm.sh - boots the initiator VM (built by build-vm.sh) against a running jctl daemon and runs the
# guest workloads: SendTargets discovery, login, sg_inq/sg_vpd/sg_readcap, mkfs.ext4 + write + remount + verify +
# e2fsck -fn, logout and login again with the data intact, the same with xfs + xfs_repair -n, logout (badchap,
# a login with a wrong CHAP secret that must fail, on request). Prints the guest's result lines and exits 0 only
# when every workload passed.
#
#   scripts/vm/run-vm.sh --portal 127.0.0.1:3260 [--portal2 127.0.0.1:3261] [--target IQN] [--lun N] [--mib N]
#                        [--initiator IQN]
#                        [--workloads a,b,...] [--chap USER:SECRET] [--chap-in USER:SECRET]
#                        [--cache DIR] [--logs DIR] [--accel tcg|kvm|auto] [--timeout SECONDS]
#
# The guest reaches nothing but the daemon: QEMU user networking with restrict=on and one guestfwd rule that maps
# 10.0.2.100:3260 in the guest to the portal on the host (with --portal2, a second one: 10.0.2.101:3260, for the
# multipath workload, whose "JCTL-VM REQUEST port-off 1" line asks the host to take the first portal's port offline). The whole run is bounded by --timeout (default 300 s).
# THE LUN IS OVERWRITTEN (mkfs).
set -euo pipefail

here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
repo="$(dirname "$(dirname "$here")")"
portal=""
portal2=""
target="iqn.2026-11.io.jctl:target0"
initiator="iqn.2026-11.io.jctl.vm:guest"
lun=0
mib=32
cache="${JCTL_VM_CACHE:-$repo/src-test-integration/target/vm-cache}"
logs="$repo/src-test-integration/target/it-logs"
accel="${JCTL_VM_ACCEL:-auto}"
timeout_s=300
workloads=""
chap=""
chap_in=""

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --portal) portal="$2"; shift 2 ;;
        --portal2) portal2="$2"; shift 2 ;;
        --target) target="$2"; shift 2 ;;
        --initiator) initiator="$2"; shift 2 ;;
        --lun) lun="$2"; shift 2 ;;
        --mib) mib="$2"; shift 2 ;;
        --workloads) workloads="$2"; shift 2 ;;
        --chap) chap="$2"; shift 2 ;;
        --chap-in) chap_in="$2"; shift 2 ;;
        --cache) cache="$2"; shift 2 ;;
        --logs) logs="$2"; shift 2 ;;
        --accel) accel="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "run-vm: unknown argument: $1" >&2; usage ;;
    esac
done
[ -n "$portal" ] || { echo "run-vm: --portal HOST:PORT is required" >&2; usage; }
for p in "$portal" ${portal2:+"$portal2"}; do
    case "$p" in *:*) ;; *) echo "run-vm: a portal must be HOST:PORT, got $p" >&2; exit 2 ;; esac
done
case "$accel" in tcg|kvm|auto) ;; *) echo "run-vm: --accel must be tcg, kvm or auto, got $accel" >&2; exit 2 ;; esac
command -v qemu-system-x86_64 >/dev/null || { echo "run-vm: qemu-system-x86_64 not installed (Debian: qemu-system-x86)" >&2; exit 3; }

"$here/build-vm.sh" "$cache"
mkdir -p "$logs"
console="$logs/vm-console.log"
results="$logs/vm-results.log"
: > "$results"

# KVM only where it really boots the kernel: on nested hypervisors /dev/kvm can exist and still fail.
if [ "$accel" = auto ]; then
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && "$here/probe-kvm.sh" "$cache" >/dev/null 2>&1; then
        accel=kvm
    fi
fi
echo "run-vm: accel=$accel portal=$portal${portal2:+ portal2=$portal2} target=$target lun=$lun console=$console results=$results" >&2

# guestfwd to a "tcp:" chardev would be one host connection for the VM's whole life, shared by every guest
# connection (discovery, then login, ...); "cmd:" spawns a fresh `busybox nc` to the portal per guest connection.
append="console=ttyS0 panic=-1 loglevel=4 jctl.portal=10.0.2.100:3260 jctl.target=$target"
append+=" jctl.initiator=$initiator jctl.lun=$lun jctl.mib=$mib"
[ -z "$workloads" ] || append+=" jctl.workloads=$workloads"
[ -z "$portal2" ] || append+=" jctl.portal2=10.0.2.101:3260"
[ -z "$chap" ] || append+=" jctl.chap=$chap"
[ -z "$chap_in" ] || append+=" jctl.chap_in=$chap_in"
netdev="user,id=net0,restrict=on,guestfwd=tcp:10.0.2.100:3260-cmd:$cache/busybox nc ${portal%:*} ${portal##*:}"
[ -z "$portal2" ] || netdev+=",guestfwd=tcp:10.0.2.101:3260-cmd:$cache/busybox nc ${portal2%:*} ${portal2##*:}"
set +e
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 \
    -accel "$accel" -m 1024 -smp 1 \
    -display none -vga none -monitor none -no-reboot \
    -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.gz" \
    -append "$append" \
    -serial "file:$console" -serial "file:$results" \
    -netdev "$netdev" \
    -device virtio-net-pci,netdev=net0
status=$?
set -e
tr -d '\r' < "$results"
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "run-vm: the VM did not finish within $timeout_s s (console: $console)" >&2
    exit 1
fi
grep -q '^JCTL-VM DONE' "$results" || { echo "run-vm: the guest did not finish (qemu exit $status; console: $console)" >&2; exit 1; }
! grep -q '^JCTL-VM RESULT [^ ]* FAIL' "$results"
