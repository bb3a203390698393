#!/bin/sh
# /init of the jctl initiator VM (busybox sh). Runs the Linux kernel initiator (open-iscsi) against one target and
# reports each workload as a machine-readable line on the console and on the second serial port (/dev/ttyS1):
#   JCTL-VM RESULT <workload> PASS|FAIL <details>
#   JCTL-VM TIME <workload> <seconds>
#   JCTL-VM DONE
# then powers off. Parameters come from the kernel command line:
#   jctl.portal=IP:PORT  jctl.target=IQN  jctl.initiator=IQN  jctl.lun=N  jctl.mib=N (MiB of file data to write)
#   jctl.portal2=IP:PORT (the same target through a second portal, for multipath)
#   jctl.workloads=a,b,...  (default setup,discovery,login,inquiry,raw,fio,ext4,relogin,xfs,logout;
#                           also badchap, trim, multipath)
#   jctl.chap=USER:SECRET  jctl.chap_in=USER:SECRET (mutual CHAP: the target's name and secret)
#   jctl.probe (boot, report BOOTED, power off)
export PATH=/sbin:/bin
# busybox sh prefers its own applets to PATH: the real mke2fs, e2fsck and xfs tools are called by full path below.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run/lock/iscsi /var/lib/iscsi /mnt/fs /tmp/src

portal=10.0.2.100:3260
portal2=""
target=iqn.2026-11.io.jctl:target0
initiator=iqn.2026-11.io.jctl.vm:guest
lun=0
mib=32
workloads="setup discovery login inquiry raw fio ext4 relogin xfs logout"
chap=""
chap_in=""
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        jctl.portal=*) portal="${arg#*=}" ;;
        jctl.portal2=*) portal2="${arg#*=}" ;;
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
    for m in virtio_pci virtio_net iscsi_tcp sd_mod sg xfs dm-multipath dm-round-robin; do
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
        sg_vpd -p "$page" "/dev/$disk" > /tmp/vpd.$page || { say "sg_vpd -p $page failed"; return 1; }
        cat /tmp/vpd.$page
    done
    cap=$(sg_readcap -l "/dev/$disk") || { say "sg_readcap -l failed"; return 1; }
    echo "$cap"
    # logical block provisioning (0xb2) and the block limits' unmap fields (0xb0), as NAME=VALUE
    lbp=$(sed -n 's/.*(\(LBPU\|LBPWS\|LBPWS10\|LBPRZ\)): *\([0-9]*\).*/\1=\2/p' /tmp/vpd.0xb2 | oneline)
    unmap=$(awk -F: 'function f(name) { v = $2; gsub(/ /, "", v); printf "%s=%s ", name, v }
                    /Maximum unmap LBA count/ { f("max_unmap_lba") }
                    /Maximum unmap block descriptor count/ { f("max_unmap_descriptors") }
                    /Optimal unmap granularity/ { f("unmap_granularity") }' /tmp/vpd.0xb0)
    say "vendor=$vendor vpd=00,80,83,b0,b2 readcap16: $(echo "$cap" | grep -E 'Last LBA|Logical block length' | oneline)" \
        "lbp: $lbp unmap: $unmap"
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

# fio: random writes of 4 KiB to 64 KiB over 64 MiB of the raw device (O_DIRECT, libaio, queue depth 16), each
# block carrying a crc32c of its content and its own offset, then every block read back and checked; a bad block
# stops fio with an error (verify_fatal). Bounded: 64 MiB, at most 90 s.
w_fio() {
    /sbin/fio --name=jctl-verify --filename="/dev/$disk" --offset=64m --size=64m --rw=randwrite --bsrange=4k-64k \
        --direct=1 --ioengine=libaio --iodepth=16 --verify=crc32c --do_verify=1 --verify_fatal=1 --thread \
        --runtime=90 --output-format=json --output=/tmp/fio.json > /tmp/fio.err 2>&1
    rc=$?
    cat /tmp/fio.err /tmp/fio.json
    # the job's error, and the bytes written and read (verify reads count as reads)
    set -- $(awk '/"error" :/ && err == "" { gsub(/[^0-9]/, "", $3); err = $3 }
                  /"read" : \{/ { sec = "r" } /"write" : \{/ { sec = "w" } /"trim" : \{/ { sec = "t" }
                  /"io_bytes" :/ && sec != "" && !(sec in io) { gsub(/[^0-9]/, "", $3); io[sec] = $3 }
                  END { print err + 0, io["w"] + 0, io["r"] + 0 }' /tmp/fio.json)
    err=$1 written=$2 verified=$3
    detail="fio randwrite 4k-64k iodepth=16 verify=crc32c: exit=$rc error=$err written=$written verified=$verified"
    [ $rc -eq 0 ] && [ "$err" -eq 0 ] || { say "$detail $(grep -i -m 3 'verify\|bad\|error' /tmp/fio.err | oneline)"; return 1; }
    [ "$written" -gt 0 ] && [ "$verified" -ge "$written" ] || { say "$detail: not everything written was verified"; return 1; }
    say "$detail"
}

# Discard on a LUN with unmap: the kernel must see it (LBPU in VPD 0xb2, discard_max_bytes > 0); blkdiscard on the
# raw device must make 8 MiB of random data read back as zeros (LBPRZ); fstrim on a mounted ext4 whose files were
# deleted must trim something, and the file system stays clean.
w_trim() {
    sg_vpd -p lbpv "/dev/$disk" > /tmp/lbpv || { say "sg_vpd -p lbpv failed"; return 1; }
    cat /tmp/lbpv
    max=$(cat "/sys/block/$disk/queue/discard_max_bytes")
    gran=$(cat "/sys/block/$disk/queue/discard_granularity")
    grep -q '(LBPU): 1' /tmp/lbpv || { say "the LUN does not advertise UNMAP (LBPU=0), discard_max_bytes=$max"; return 1; }
    [ "$max" -gt 0 ] || { say "LBPU=1 but the kernel sees no discard support (discard_max_bytes=0)"; return 1; }
    sg_readcap -l "/dev/$disk" | grep -qi 'lbprz=1' || { say "LBPRZ=0: discarded blocks need not read as zeros"; return 1; }
    off=$((256 << 20))
    len=$((8 << 20))
    dd if=/dev/urandom of="/dev/$disk" bs=1048576 count=8 seek=256 oflag=direct conv=notrunc ||
        { say "direct write before blkdiscard failed"; return 1; }
    blkdiscard -o $off -l $len "/dev/$disk" || { say "blkdiscard -o $off -l $len failed"; return 1; }
    zeros=$(dd if=/dev/zero bs=1048576 count=8 2>/dev/null | sha256sum)
    back=$(dd if="/dev/$disk" bs=1048576 count=8 skip=256 iflag=direct 2>/dev/null | sha256sum)
    [ "$zeros" = "$back" ] || { say "8 MiB at $off do not read back as zeros after blkdiscard"; return 1; }
    /sbin/mke2fs -t ext4 -F -q -E nodiscard "/dev/$disk" || { say "mke2fs failed"; return 1; }
    mount -t ext4 "/dev/$disk" /mnt/fs || { say "mount failed"; return 1; }
    dd if=/dev/urandom of=/mnt/fs/scratch bs=1048576 count=32 2>/dev/null && sync && rm /mnt/fs/scratch && sync ||
        { say "writing and deleting a file failed"; umount /mnt/fs; return 1; }
    trimmed=$(fstrim -v /mnt/fs) || { say "fstrim failed"; umount /mnt/fs; return 1; }
    echo "$trimmed"
    umount /mnt/fs || { say "umount failed"; return 1; }
    bytes=$(echo "$trimmed" | sed -n 's/.*(\([0-9]*\) bytes).*/\1/p; s/.*: \([0-9]*\) bytes trimmed.*/\1/p' | head -n 1)
    [ -n "$bytes" ] && [ "$bytes" -gt 0 ] || { say "fstrim trimmed nothing: $trimmed"; return 1; }
    /sbin/e2fsck -fn "/dev/$disk" || { say "e2fsck -fn after fstrim reports problems"; return 1; }
    say "LBPU=1 LBPRZ=1 discard_max_bytes=$max granularity=$gran; blkdiscard of 8 MiB reads back zeros;" \
        "fstrim on ext4 trimmed $bytes bytes, e2fsck -fn clean"
}

# session_of IP: the sysfs directory of the iSCSI session whose connection goes to IP
session_of() {
    for s in /sys/class/iscsi_session/session*; do
        for c in "$s"/device/connection*/iscsi_connection/connection*; do
            [ "$(cat "$c/persistent_address" 2>/dev/null)" = "$1" ] && { echo "$s"; return 0; }
        done
    done
    return 1
}

# disk_of SESSION_DIR: the block device of LUN $lun in that session, waiting for it up to 20 s
disk_of() {
    i=0
    while [ $i -lt 200 ]; do
        for d in "$1"/device/target*/*:*:*:"$lun"/block/*; do
            [ -e "$d" ] && [ -b "/dev/$(basename "$d")" ] && { basename "$d"; return 0; }
        done
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# paths_in MAP: the state of each path of a dm-multipath map as "MAJ:MIN A|F ..." (A active, F failed)
paths_in() { dmsetup status "$1" | grep -o '[0-9]*:[0-9]* [AF]' | oneline; }

# mp_io DEVICE MIB_OFFSET NAME: 16 MiB of random data through the map at MIB_OFFSET (O_DIRECT), read back and
# compared; bounded by 90 s each way (a failed path holds I/O until iSCSI's replacement timeout, then dm-multipath
# retries it on the other path)
mp_io() {
    dd if=/dev/urandom of=/tmp/mp.$3 bs=1048576 count=16 2>/dev/null
    timeout 90 dd if=/tmp/mp.$3 of="$1" bs=1048576 count=16 seek="$2" oflag=direct conv=notrunc ||
        { say "$3: writing 16 MiB through $1 failed or took over 90 s (paths: $(paths_in "$map"))"; return 1; }
    timeout 90 dd if="$1" of=/tmp/mp.back bs=1048576 count=16 skip="$2" iflag=direct ||
        { say "$3: reading 16 MiB through $1 failed or took over 90 s (paths: $(paths_in "$map"))"; return 1; }
    [ "$(sha256sum < /tmp/mp.$3)" = "$(sha256sum < /tmp/mp.back)" ] ||
        { say "$3: 16 MiB read back through $1 differ from what was written"; return 1; }
}

# dm-multipath over two portals of the same target: log in through the second portal too, let multipath assemble
# one map of both paths (multibus: I/O goes down both), write and verify through it; then ask the host to take the
# first portal's port offline (JCTL-VM REQUEST port-off 1: the target drops that session and refuses logins), wait
# for the session to fail, write and verify again: I/O must go on over the second path, and what was written
# before must still read back. Without udevd, each path's udev record (its WWID) is written here and libdevmapper
# makes the /dev/mapper node itself (DM_DISABLE_UDEV).
w_multipath() {
    [ -n "$portal2" ] || { say "no jctl.portal2 given"; return 1; }
    ip1=${portal%:*}
    ip2=${portal2%:*}
    iscsiadm -m node -T "$target" -p "$portal2" -o new &&
        iscsiadm -m node -T "$target" -p "$portal2" --login || { say "login through $portal2 failed"; return 1; }
    s1=$(session_of "$ip1") && s2=$(session_of "$ip2") || { say "no sessions to both $ip1 and $ip2"; return 1; }
    # fail I/O on a lost path after 5 s (not iscsid.conf's 15 s) so that dm-multipath moves on quickly
    echo 5 > "$s1/recovery_tmo" && echo 5 > "$s2/recovery_tmo" || { say "cannot set the sessions' recovery_tmo"; return 1; }
    d1=$(disk_of "$s1") && d2=$(disk_of "$s2") || { say "no block device for LUN $lun in both sessions"; return 1; }
    w1=$(cat "/sys/block/$d1/device/wwid")
    w2=$(cat "/sys/block/$d2/device/wwid")
    [ -n "$w1" ] && [ "$w1" = "$w2" ] || { say "the two paths show different WWIDs: '$w1' and '$w2'"; return 1; }
    mkdir -p /run/udev/data /etc/multipath
    # ID_SERIAL is multipath's WWID, ID_WWN what its default property blacklist exception looks for
    uid=$(echo "$w1" | tr -c 'a-zA-Z0-9.\n' _)
    for d in $d1 $d2; do
        printf 'I:1\nE:ID_SERIAL=%s\nE:ID_WWN=%s\n' "$uid" "$uid" > "/run/udev/data/b$(cat "/sys/block/$d/dev")"
    done
    printf '%s\n' 'defaults {' '    user_friendly_names yes' '    find_multipaths off' '}' \
        'overrides {' '    path_grouping_policy multibus' '    path_selector "round-robin 0"' '    path_checker tur' '    prio const' \
        '    no_path_retry fail' '}' > /etc/multipath.conf
    export DM_DISABLE_UDEV=1
    timeout 60 multipath -v2 || { say "multipath -v2 failed"; return 1; }
    timeout 30 multipath -ll
    map=$(dmsetup ls --target multipath | awk 'NR == 1 { print $1 }')
    if [ -z "$map" ] || [ ! -b "/dev/mapper/$map" ]; then
        # why not: multipath's verbose dry run goes to the console log, too long for a result line
        timeout 30 multipath -v3 -d > /dev/console 2>&1
        say "multipath assembled no map over $d1 and $d2 (multipath -v3 -d is in the console log)"
        return 1
    fi
    dev=/dev/mapper/$map
    before=$(paths_in "$map")
    [ "$(echo "$before" | grep -o ' A' | wc -l)" -eq 2 ] || { say "the map does not have two active paths: $before"; return 1; }
    mp_io "$dev" 512 both || return 1
    report REQUEST port-off 1
    # the host takes the port offline: the session to the first portal leaves LOGGED_IN (bounded: 60 s)
    i=0
    while [ "$(cat "$s1/state" 2>/dev/null)" = LOGGED_IN ]; do
        [ $i -lt 600 ] || { say "the session to $portal was still logged in 60 s after the port-off request"; return 1; }
        sleep 0.1
        i=$((i + 1))
    done
    state1=$(cat "$s1/state" 2>/dev/null)
    mp_io "$dev" 640 one || return 1
    after=$(paths_in "$map")
    [ "$(echo "$after" | grep -o ' F' | wc -l)" -eq 1 ] || { say "expected one failed path after the port went offline: $after"; return 1; }
    timeout 90 dd if="$dev" of=/tmp/mp.back bs=1048576 count=16 skip=512 iflag=direct &&
        [ "$(sha256sum < /tmp/mp.both)" = "$(sha256sum < /tmp/mp.back)" ] ||
        { say "the data written over both paths no longer reads back over one"; return 1; }
    timeout 30 multipath -F
    timeout 30 iscsiadm -m node -T "$target" -p "$portal2" --logout
    rm -f /tmp/mp.*
    say "map $map over $d1 ($portal) and $d2 ($portal2), WWID $w1, paths: $before;" \
        "16 MiB written and verified over both; port of $portal taken offline (session $state1);" \
        "16 MiB written and verified over the remaining path, earlier data intact; paths: $after"
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
        fio) run fio w_fio login ;;
        trim) run trim w_trim login ;;
        multipath) run multipath w_multipath login ;;
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
