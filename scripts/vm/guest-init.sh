#!/bin/sh
# /init of the jctl initiator VM (busybox sh). Runs the Linux kernel initiator (open-iscsi) against one target and
# reports each workload as a machine-readable line on the console and on the second serial port (/dev/ttyS1):
#   JCTL-VM RESULT <workload> PASS|FAIL <details>
#   JCTL-VM TIME <workload> <seconds>
#   JCTL-VM DONE
# then powers off. Parameters come from the kernel command line:
#   jctl.portal=IP:PORT  jctl.target=IQN  jctl.initiator=IQN  jctl.lun=N  jctl.mib=N (MiB of file data to write)
#   jctl.workloads=a,b,...  (default setup,discovery,login,inquiry,raw,ext4,relogin,xfs,logout; also badchap)
#   jctl.chap=USER:SECRET  jctl.chap_in=USER:SECRET (mutual CHAP: the target's name and secret)
#   jctl.probe (boot, report BOOTED, power off)
export PATH=/sbin:/bin
# busybox sh prefers its own applets to PATH: the real mke2fs, e2fsck and xfs tools are called by full path below.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run/lock/iscsi /var/lib/iscsi /mnt/fs /tmp/src

portal=10.0.2.100:3260
target=iqn.2026-11.io.jctl:target0
initiator=iqn.2026-11.io.jctl.vm:guest
lun=0
mib=32
workloads="setup discovery login inquiry raw ext4 relogin xfs logout"
chap=""
chap_in=""
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        jctl.portal=*) portal="${arg#*=}" ;;
        jctl.target=*) target="${arg#*=}" ;;
        jctl.initiator=*) initiator="${arg#*=}" ;;
        jctl.lun=*) lun="${arg#*=}" ;;
        jctl.mib=*) mib="${arg#*=}" ;;
        jctl.workloads=*) workloads="$(echo "${arg#*=}" | tr ',' ' ')" ;;
        jctl.chap=*) chap="${arg#*=}" ;;
        jctl.chap_in=*) chap_in="${arg#*=}" ;;
    esac
done

report() {
    echo "JCTL-VM $*"
    echo "JCTL-VM $*" > /dev/ttyS1
}
now() { cut -d' ' -f1 /proc/uptime; }
# one line, no control characters: details must not break the line format
oneline() { tr '\n\t\r' '   ' | tr -s ' ' | cut -c1-400; }

# run NAME FUNCTION [PREREQUISITE]: runs the workload, reports PASS/FAIL with the function's last message and the
# time it took. A workload whose prerequisite did not pass reports FAIL naming it, so every line is always printed.
passed=""
run() {
    name=$1
    fn=$2
    need=$3
    if [ -n "$need" ] && ! echo " $passed " | grep -q " $need "; then
        report RESULT "$name" FAIL "prerequisite $need did not pass"
        return
    fi
    start=$(now)
    msg=/tmp/msg.$name
    : > "$msg"
    if $fn > /tmp/out.$name 2>&1; then
        report RESULT "$name" PASS "$(oneline < "$msg")"
        passed="$passed $name"
    else
        report RESULT "$name" FAIL "$(oneline < "$msg") | $(tail -n 8 /tmp/out.$name | oneline)"
    fi
    report TIME "$name" "$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
}
# say TEXT: the detail of the current workload's result line
say() { echo "$*" > "$msg"; }

report BOOTED "$(uname -r) uptime=$(now)"
# jctl.probe: only show that the kernel boots (run-vm.sh asks this to decide whether KVM works here)
if grep -qw jctl.probe /proc/cmdline; then
    poweroff -f
fi

w_setup() {
    for m in virtio_pci virtio_net iscsi_tcp sd_mod sg xfs; do
        modprobe "$m" || { say "modprobe $m failed"; return 1; }
    done
    ip link set lo up
    ip link set eth0 up || { say "no eth0"; return 1; }
    ip addr add 10.0.2.15/24 dev eth0
    echo "InitiatorName=$initiator" > /etc/iscsi/initiatorname.iscsi
    cat > /etc/iscsi/iscsid.conf <<EOF
node.startup = manual
node.session.timeo.replacement_timeout = 15
node.conn[0].timeo.login_timeout = 15
node.conn[0].timeo.logout_timeout = 15
node.conn[0].timeo.noop_out_interval = 5
node.conn[0].timeo.noop_out_timeout = 10
node.session.cmds_max = 128
node.session.queue_depth = 32
node.session.iscsi.InitialR2T = No
node.session.iscsi.ImmediateData = Yes
node.session.iscsi.FirstBurstLength = 262144
node.session.iscsi.MaxBurstLength = 16776192
node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144
node.conn[0].iscsi.HeaderDigest = None
node.conn[0].iscsi.DataDigest = None
EOF
    iscsid || { say "iscsid did not start"; return 1; }
    say "$(uname -r) portal=$portal target=$target initiator=$initiator"
}

w_discovery() {
    out=$(iscsiadm -m discovery -t sendtargets -p "$portal" 2>&1)
    rc=$?
    echo "$out"
    echo "$out" | grep -q " $target\$" || { say "target $target not in SendTargets reply (iscsiadm exit $rc): $out"; return 1; }
    say "$out"
    # The reply names the daemon's own listen address (127.0.0.1 on the host), which the guest cannot reach:
    # log in through the forwarded portal instead, as an initiator behind NAT would.
    iscsiadm -m node -o delete
    iscsiadm -m node -T "$target" -p "$portal" -o new || { say "cannot create the node record"; return 1; }
    [ -z "$chap" ] || set_auth "${chap#*:}" || { say "cannot set CHAP in the node record"; return 1; }
}

# set_auth SECRET [TARGET_SECRET]: CHAP as jctl.chap's user with SECRET and, if jctl.chap_in is given, mutual
# CHAP expecting jctl.chap_in's user with TARGET_SECRET (default: jctl.chap_in's secret)
set_auth() {
    node="iscsiadm -m node -T $target -p $portal -o update -n"
    $node node.session.auth.authmethod -v CHAP &&
        $node node.session.auth.username -v "${chap%%:*}" &&
        $node node.session.auth.password -v "$1" || return 1
    [ -z "$chap_in" ] && return 0
    $node node.session.auth.username_in -v "${chap_in%%:*}" &&
        $node node.session.auth.password_in -v "${2:-${chap_in#*:}}"
}

# The target must refuse a login with a wrong CHAP secret: iscsiadm exit 24 is "authorization failure" (login
# status 02/01), and no session may exist afterwards. With mutual CHAP, the initiator must also refuse a target
# that does not know the secret the initiator expects (the target's answer is checked for real).
w_badchap() {
    [ -n "$chap" ] || { say "no jctl.chap given"; return 1; }
    set_auth "${chap#*:}-wrong" || { say "cannot set CHAP in the node record"; return 1; }
    iscsiadm -m node -T "$target" -p "$portal" --login
    rc=$?
    set_auth "${chap#*:}"
    [ -z "$(ls /sys/class/iscsi_session/ 2>/dev/null)" ] || { say "a session exists after a wrong secret"; return 1; }
    [ $rc -eq 24 ] || { say "iscsiadm exit $rc, expected 24 (authorization failure)"; return 1; }
    detail="login with a wrong CHAP secret refused (iscsiadm exit 24: authorization failure)"
    if [ -n "$chap_in" ]; then
        set_auth "${chap#*:}" "${chap_in#*:}-other" || { say "cannot set CHAP in the node record"; return 1; }
        iscsiadm -m node -T "$target" -p "$portal" --login
        rc=$?
        set_auth "${chap#*:}"
        [ -z "$(ls /sys/class/iscsi_session/ 2>/dev/null)" ] || { say "a session exists with a wrong target secret"; return 1; }
        [ $rc -ne 0 ] || { say "login succeeded although the target's mutual CHAP answer was for another secret"; return 1; }
        detail="$detail; a target answering mutual CHAP with another secret refused by the initiator (iscsiadm exit $rc)"
    fi
    say "$detail"
}

disk=""
# find_disk: waits for the block device of LUN $lun of the logged-in session and sets $disk (e.g. sda)
find_disk() {
    i=0
    while [ $i -lt 200 ]; do
        for d in /sys/class/iscsi_session/session*/device/target*/*:*:*:"$lun"/block/*; do
            if [ -e "$d" ] && [ -b "/dev/$(basename "$d")" ]; then
                disk=$(basename "$d")
                return 0
            fi
        done
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

w_login() {
    iscsiadm -m node -T "$target" -p "$portal" --login || { say "iscsiadm login failed"; return 1; }
    find_disk || { say "logged in but no block device for LUN $lun within 20 s"; return 1; }
    say "session up, LUN $lun is /dev/$disk, $(cat /sys/block/$disk/size) sectors"
}

w_inquiry() {
    sg_inq "/dev/$disk" || { say "sg_inq failed"; return 1; }
    vendor=$(sg_inq "/dev/$disk" | awk -F: '/Vendor identification/ { print $2 }' | oneline | tr -d ' ')
    for page in 0x00 0x80 0x83 0xb0 0xb2; do
        sg_vpd -p "$page" "/dev/$disk" || { say "sg_vpd -p $page failed"; return 1; }
    done
    cap=$(sg_readcap -l "/dev/$disk") || { say "sg_readcap -l failed"; return 1; }
    echo "$cap"
    blocks=$(echo "$cap" | awk '/Device size:/ { print $3 }')
    say "vendor=$vendor vpd=00,80,83,b0,b2 readcap16: $(echo "$cap" | grep -E 'Last LBA|Logical block length' | oneline)"
}

# Direct I/O on the raw device: random data of sizes from one 4 KiB block to 8 MiB (larger than one SCSI
# command, so split by the kernel) at 4 KiB-aligned offsets, one region partly overwritten afterwards; each region
# read back with O_DIRECT must equal what was written.
w_raw() {
    : > /tmp/raw.list
    n=0
    for region in 0:4096 69632:65536 1048576:1048576 5242880:3670016 16777216:8388608; do
        off=${region%:*}
        len=${region#*:}
        dd if=/dev/urandom of=/tmp/raw.$n bs=$len count=1 iflag=fullblock 2>/dev/null
        dd if=/tmp/raw.$n of="/dev/$disk" bs=$len count=1 seek=$off oflag=seek_bytes,direct conv=notrunc ||
            { say "direct write of $len bytes at $off failed"; return 1; }
        echo "$off $len $n" >> /tmp/raw.list
        n=$((n + 1))
    done
    # 1 MiB in the middle of the last region, mirrored in its expected copy
    dd if=/dev/urandom of=/tmp/raw.patch bs=1048576 count=1 2>/dev/null
    dd if=/tmp/raw.patch of="/dev/$disk" bs=1048576 count=1 seek=$((16777216 + 3145728)) oflag=seek_bytes,direct \
        conv=notrunc || { say "direct overwrite failed"; return 1; }
    dd if=/tmp/raw.patch of=/tmp/raw.$((n - 1)) bs=1048576 count=1 seek=3 conv=notrunc 2>/dev/null
    while read -r off len i; do
        dd if="/dev/$disk" of=/tmp/raw.back bs=$len count=1 skip=$off iflag=skip_bytes,direct,fullblock ||
            { say "direct read of $len bytes at $off failed"; return 1; }
        want=$(sha256sum < /tmp/raw.$i)
        got=$(sha256sum < /tmp/raw.back)
        [ "$want" = "$got" ] || { say "read back $len bytes at $off differ from what was written"; return 1; }
    done < /tmp/raw.list
    rm -f /tmp/raw.*
    say "$n regions (4 KiB to 8 MiB, one partly overwritten) written and read back with O_DIRECT, all equal"
}

# Files of known content: each starts with a 4 KiB block naming it (JCTL-VM-PAYLOAD ...) followed by random
# data, plus a directory of small files. Checksums are taken from the copy in RAM, before it reaches the disk.
make_payload() {
    n=0
    for part in 1 4 3; do
        f=/tmp/src/file$n.bin
        printf 'JCTL-VM-PAYLOAD file%s\n' "$n" | dd of="$f" bs=4096 conv=sync 2>/dev/null
        dd if=/dev/urandom bs=1048576 count=$((mib * part / 8)) 2>/dev/null >> "$f"
        n=$((n + 1))
    done
    mkdir -p /tmp/src/small
    for i in $(seq 1 100); do
        seq "$i" $((i * 20)) > /tmp/src/small/s$i.txt
    done
    (cd /tmp/src && find . -type f | sort | xargs sha256sum) > /tmp/sums
}

verify_files() {
    (cd /mnt/fs && sha256sum -c /tmp/sums) > /tmp/verify.out 2>&1
    status=$?
    bad=$(grep -v ': OK$' /tmp/verify.out | oneline)
    cat /tmp/verify.out
    [ $status -eq 0 ] && [ -z "$bad" ] || { say "checksum mismatch: $bad"; return 1; }
}

# fs_cycle NAME MKFS... : make the file system, copy the payload, unmount, drop caches, mount again, verify
fs_cycle() {
    fs=$1
    shift
    [ -f /tmp/sums ] || make_payload
    "$@" "/dev/$disk" || { say "$* failed"; return 1; }
    mount -t "$fs" "/dev/$disk" /mnt/fs || { say "mount failed"; return 1; }
    cp -a /tmp/src/. /mnt/fs/ || { say "copy to the file system failed"; return 1; }
    sync
    umount /mnt/fs || { say "umount failed"; return 1; }
    echo 3 > /proc/sys/vm/drop_caches
    mount -t "$fs" "/dev/$disk" /mnt/fs || { say "remount failed"; return 1; }
    verify_files || return 1
    umount /mnt/fs || { say "umount after verify failed"; return 1; }
}

w_ext4() {
    fs_cycle ext4 /sbin/mke2fs -t ext4 -F -q || return 1
    /sbin/e2fsck -fn "/dev/$disk" || { say "e2fsck -fn reports problems (exit $?)"; return 1; }
    say "mkfs, $(wc -l < /tmp/sums) files ($(du -sk /tmp/src | cut -f1) KiB) written, remounted, checksums equal, e2fsck -fn clean"
}

w_xfs() {
    fs_cycle xfs /sbin/mkfs.xfs -f -q || return 1
    /sbin/xfs_repair -n "/dev/$disk" || { say "xfs_repair -n reports problems (exit $?)"; return 1; }
    say "mkfs, $(wc -l < /tmp/sums) files ($(du -sk /tmp/src | cut -f1) KiB) written, remounted, checksums equal, xfs_repair -n clean"
}

w_relogin() {
    iscsiadm -m node -T "$target" -p "$portal" --logout || { say "logout failed"; return 1; }
    [ -z "$(ls /sys/class/iscsi_session/ 2>/dev/null)" ] || { say "session still present after logout"; return 1; }
    iscsiadm -m node -T "$target" -p "$portal" --login || { say "second login failed"; return 1; }
    find_disk || { say "no block device after the second login"; return 1; }
    echo 3 > /proc/sys/vm/drop_caches
    mount -t ext4 "/dev/$disk" /mnt/fs || { say "mount after relogin failed"; return 1; }
    verify_files || return 1
    umount /mnt/fs || { say "umount failed"; return 1; }
    say "logged out and in again (/dev/$disk), all $(wc -l < /tmp/sums) checksums equal"
}

w_logout() {
    iscsiadm -m node -T "$target" -p "$portal" --logout || { say "logout failed"; return 1; }
    say "logged out"
}

for w in $workloads; do
    case "$w" in
        setup) run setup w_setup ;;
        discovery) run discovery w_discovery setup ;;
        badchap) run badchap w_badchap discovery ;;
        login) run login w_login discovery ;;
        inquiry) run inquiry w_inquiry login ;;
        raw) run raw w_raw login ;;
        ext4) run ext4 w_ext4 login ;;
        relogin) run relogin w_relogin ext4 ;;
        xfs) run xfs w_xfs login ;;
        logout) run logout w_logout login ;;
        *) report RESULT "$w" FAIL "unknown workload" ;;
    esac
done
report DONE "uptime=$(now)"
sync
poweroff -f
