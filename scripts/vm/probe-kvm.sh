#!/usr/bin/env bash
# scripts/vm/probe-kvm.sh CACHE_DIR - exits 0 when the VM built in CACHE_DIR boots under KVM on this host.
# /dev/kvm can exist and still not run a guest (nested hypervisors): the kernel must boot and /init report BOOTED
# within 20 s. The answer is remembered per host and kernel in CACHE_DIR/accel-probe.
set -euo pipefail
cache="${1:?usage: probe-kvm.sh CACHE_DIR}"
key="$(uname -n) $(uname -r) $(cat "$cache/stamp")"
memo="$cache/accel-probe"
if [ -f "$memo" ] && [ "$(sed -n 2p "$memo")" = "$key" ]; then
    [ "$(sed -n 1p "$memo")" = kvm ]
    exit
fi
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { printf 'tcg\n%s\n' "$key" > "$memo"; exit 1; }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
timeout --kill-after=5 20 qemu-system-x86_64 -accel kvm -m 256 -display none -vga none -monitor none -no-reboot \
    -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.gz" -append "console=ttyS0 panic=-1 loglevel=4 jctl.probe" \
    -serial "file:$out" -nic none >/dev/null 2>&1 || true
if grep -q 'JCTL-VM BOOTED' "$out"; then
    printf 'kvm\n%s\n' "$key" > "$memo"
else
    printf 'tcg\n%s\n' "$key" > "$memo"
    exit 1
fi
