#!/usr/bin/env bash
# scripts/vm/build-vm.sh CACHE_DIR - builds the initiator VM: a Debian kernel (CACHE_DIR/vmlinuz) and an initramfs
# (CACHE_DIR/initramfs.gz) holding busybox, open-iscsi, e2fsprogs, xfsprogs, sg3-utils, fio and multipath-tools with
# their shared libraries, the kernel modules an iSCSI disk and dm-multipath need, and scripts/vm/guest-init.sh as /init.
#
# Everything comes from this Debian release's packages, fetched with `apt-get download` into CACHE_DIR/debs and
# reused by later runs (nothing is installed on the host; no root needed). The image is rebuilt only when this
# script, the guest init or the package set changes. Exit status 3 means "the packages cannot be downloaded"
# (a reason to skip the tests), anything else non-zero is a real failure.
set -euo pipefail

here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
cache="${1:?usage: build-vm.sh CACHE_DIR}"
mkdir -p "$cache/debs"
cache="$(readlink -f "$cache")"
# One build at a time per cache: test classes (or two Maven runs) preparing the VM at once would otherwise remove
# each other's work directory.
exec 9> "$cache/.lock"
flock 9

# The cloud kernel is half the size of the generic one and still has iscsi_tcp, sd_mod and virtio_net as modules;
# ext4, jbd2 and crc32c are built in.
KERNEL_META=linux-image-cloud-amd64
TOOLS=(busybox-static open-iscsi e2fsprogs xfsprogs sg3-utils fio multipath-tools dmsetup)
MODULES=(virtio_pci virtio_net iscsi_tcp sd_mod sg xfs dm-multipath dm-round-robin)
BINARIES=(sbin/iscsid sbin/iscsiadm sbin/mke2fs sbin/e2fsck sbin/mkfs.xfs sbin/xfs_repair
          usr/bin/sg_inq usr/bin/sg_vpd usr/bin/sg_readcap usr/bin/fio sbin/multipath sbin/dmsetup)
# Loaded with dlopen, so no NEEDED entry names them: multipath's default path checker and prioritizer.
PLUGINS=(lib/multipath/libchecktur.so lib/multipath/libprioconst.so)
# The shared libraries are not listed: resolve_libraries below follows the binaries' NEEDED entries and downloads
# the package providing each library from the Depends of the package that needs it (fio alone pulls in ceph's
# librados/librbd and glusterfs's libgfapi, whose own libraries differ between releases).

command -v readelf >/dev/null || { echo "build-vm: readelf is not installed (Debian: binutils)" >&2; exit 3; }
kernel_pkg="$(apt-cache depends --no-recommends --no-suggests "$KERNEL_META" 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')" || kernel_pkg=""
if [ -z "$kernel_pkg" ]; then
    echo "build-vm: apt-cache knows no $KERNEL_META (is this Debian, and has apt-get update run?)" >&2
    exit 3
fi
packages=("$kernel_pkg" "${TOOLS[@]}")

# The initramfs is two concatenated cpio archives (the kernel unpacks both): the large base, rebuilt only when this
# script or the package set changes, and /init alone, so that a change to the guest's workloads costs no rebuild.
stamp="$( { cat "${BASH_SOURCE[0]}"; printf '%s\n' "${packages[@]}"; } | sha256sum | cut -c1-16)"
# pack_init: CACHE_DIR/initramfs.gz = the base archive followed by a small one holding guest-init.sh as /init
pack_init() {
    local dir="$cache/init-root"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$here/guest-init.sh" "$dir/init"
    chmod 755 "$dir/init"
    (cd "$dir" && echo init | "$cache/busybox" cpio -o -H newc 2>/dev/null) | gzip -6 > "$cache/init.gz"
    cat "$cache/base.gz" "$cache/init.gz" > "$cache/initramfs.gz.new"
    mv "$cache/initramfs.gz.new" "$cache/initramfs.gz"
    rm -rf "$dir" "$cache/init.gz"
}
if [ -f "$cache/vmlinuz" ] && [ -f "$cache/base.gz" ] && [ -x "$cache/busybox" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
    if ! cmp -s "$here/guest-init.sh" "$cache/guest-init.sh" || [ ! -f "$cache/initramfs.gz" ]; then
        pack_init
        cp "$here/guest-init.sh" "$cache/guest-init.sh"
        echo "build-vm: new /init packed ($cache)"
    else
        echo "build-vm: up to date ($cache)"
    fi
    exit 0
fi

work="$cache/build"
rm -rf "$work"
mkdir -p "$work/pkgs" "$work/root" "$work/deb"
pkgs="$work/pkgs"
root="$work/root"
: > "$cache/download.log"
declare -A extracted=()   # package -> 1 once its files are in $pkgs
declare -A owner=()       # path inside $pkgs -> the package that ships it (binaries and libraries only)

# fetch PACKAGE...: downloads what the cache lacks (versions follow the apt lists) and extracts each package into
# $pkgs, remembering which package ships each file under a bin or lib directory.
fetch() {
    local p missing=() deb f
    for p in "$@"; do
        compgen -G "$cache/debs/${p}_*.deb" >/dev/null || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "build-vm: downloading ${missing[*]}"
        if ! (cd "$cache/debs" && apt-get download "${missing[@]}") >> "$cache/download.log" 2>&1; then
            grep -v 'unsandboxed as root' "$cache/download.log" >&2 || true
            echo "build-vm: apt-get download failed for: ${missing[*]}" >&2
            exit 3
        fi
        for p in "${missing[@]}"; do
            compgen -G "$cache/debs/${p}_*.deb" >/dev/null || { echo "build-vm: $p was not downloaded" >&2; exit 3; }
        done
    fi
    for p in "$@"; do
        deb="$(ls -t "$cache/debs/${p}_"*.deb | head -n 1)"
        dpkg-deb -x "$deb" "$work/deb/$p"
        while read -r f; do
            owner[$f]=$p
        done < <(cd "$work/deb/$p" && find . \( -type f -o -type l \) \( -path '*/lib/*' -o -path '*bin/*' \) \
                     ! -path './lib/modules/*' | cut -c3-)
        cp -a "$work/deb/$p/." "$pkgs/"
        rm -rf "${work:?}/deb/$p"
        extracted[$p]=1
    done
}

# load_depends PACKAGE...: what each of PACKAGE... and everything they depend on (recursively) depends on (Depends and
# Pre-Depends, alternatives included; virtual packages are left out: a library package is always named directly),
# into depends_of[package]. One apt-cache call for the whole graph: where apt keeps no binary cache each call
# parses the package lists again (seconds under load).
declare -A depends_of=()
load_depends() {
    local pkg="" line
    while IFS= read -r line; do
        case "$line" in
            "    "*) ;;                                        # a provider of a virtual package
            "  Depends: <"*|"  PreDepends: <"*|"  |"*": <"*) ;;  # a virtual package
            "  Depends: "*|"  PreDepends: "*|"  |Depends: "*|"  |PreDepends: "*)
                line=${line#*: }
                depends_of[$pkg]+=" ${line%:any}" ;;
            " "*) ;;
            *) pkg=$line; depends_of[$pkg]+="" ;;
        esac
    done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
                 --no-enhances "$@" 2>/dev/null)
}

# resolve_libraries FILE...: every shared library the ELF files FILE... (paths inside $pkgs) load, directly or
# through other libraries, as "SONAME PATH" lines on stdout (PATH inside $pkgs). A library no extracted package
# ships is looked for among the Depends of the package that needs it, and that package is downloaded: first the
# dependencies named after the library (libfoo.so.N -> libfoo*), then, if none ships it, all of them. Every
# library therefore comes from the packages, never from the host; one no dependency ships fails the build.
libdirs=(lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib)
resolve_libraries() {
    local round f so d found stem p key i
    for round in $(seq 1 30); do
        local -A seen=() libs=() wanted=()
        local queue=("$@")
        for f in "$@"; do seen[$f]=1; done
        for ((i = 0; i < ${#queue[@]}; i++)); do
            f=${queue[$i]}
            local dynamic
            dynamic=$(readelf -d "$pkgs/$f")
            # RUNPATH/RPATH directories (ceph's libraries keep theirs in a private directory)
            for d in $(echo "$dynamic" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p' | tr ':' ' '); do
                case " ${libdirs[*]} " in *" ${d#/} "*) ;; *) libdirs+=("${d#/}") ;; esac
            done
            for so in $(echo "$dynamic" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
                [ -z "${libs[$so]:-}" ] || continue
                found=""
                for d in "${libdirs[@]}"; do
                    if [ -e "$pkgs/$d/$so" ]; then found="$d/$so"; break; fi
                done
                if [ -z "$found" ]; then
                    wanted["$so ${owner[$f]:-?}"]=1
                    continue
                fi
                libs[$so]=$found
                [ -n "${seen[$found]:-}" ] || { seen[$found]=1; queue+=("$found"); }
            done
        done
        if [ "${#wanted[@]}" -eq 0 ]; then
            for so in "${!libs[@]}"; do echo "$so ${libs[$so]}"; done
            return 0
        fi
        # download, per missing library, the dependencies of its user named after it, else all of them
        local next=()
        for key in "${!wanted[@]}"; do
            so=${key% *}
            p=${key#* }
            [ "$p" != "?" ] || { echo "build-vm: $so is needed by a file no package owns" >&2; exit 1; }
            [ -n "${depends_of[$p]+x}" ] || load_depends "$p"
            stem=$(echo "${so%%.so*}" | tr 'A-Z_' 'a-z-')
            local named=() rest=()
            for d in ${depends_of[$p]}; do
                [ -z "${extracted[$d]:-}" ] || continue
                case "$d" in "$stem"*) named+=("$d") ;; *) rest+=("$d") ;; esac
            done
            [ "${#named[@]}" -gt 0 ] || [ "${#rest[@]}" -gt 0 ] ||
                { echo "build-vm: $p needs $so, which none of its dependencies ships" >&2; exit 1; }
            if [ "${#named[@]}" -gt 0 ]; then next+=("${named[@]}"); else next+=("${rest[@]}"); fi
        done
        fetch $(printf '%s\n' "${next[@]}" | sort -u) >&2
    done
    echo "build-vm: the library closure did not settle in 30 rounds" >&2
    exit 1
}

fetch "${packages[@]}"
load_depends "${TOOLS[@]}"
busybox="$pkgs/bin/busybox"

# --- kernel and modules: busybox depmod writes modules.dep, the closure of MODULES goes into the image ---
kver="$(ls "$pkgs/lib/modules")"
[ "$(echo "$kver" | wc -l)" -eq 1 ] || { echo "build-vm: expected one kernel, found: $kver" >&2; exit 1; }
"$busybox" depmod -b "$pkgs" "$kver"
moddir="lib/modules/$kver"
mkdir -p "$root/$moddir"
needed=()
for m in "${MODULES[@]}"; do
    line="$(grep -E "(^|/)$m\.ko:" "$pkgs/$moddir/modules.dep")" || { echo "build-vm: no module $m in $kver" >&2; exit 1; }
    needed+=(${line//:/})
done
for ko in $(printf '%s\n' "${needed[@]}" | sort -u); do
    mkdir -p "$root/$moddir/$(dirname "$ko")"
    cp "$pkgs/$moddir/$ko" "$root/$moddir/$ko"
done
cp "$pkgs/$moddir/modules.dep" "$pkgs/$moddir/modules.builtin" "$root/$moddir/"
cp "$pkgs/boot/vmlinuz-$kver" "$work/vmlinuz"

# --- userland: busybox applets, the tools and every library they load ---
mkdir -p "$root"/{bin,sbin,etc/iscsi,proc,sys,dev,tmp,run,mnt,var/lib/iscsi,var/lock/iscsi,lib64,lib/x86_64-linux-gnu}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
for b in "${BINARIES[@]}"; do
    cp "$pkgs/$b" "$root/sbin/"
done
for plugin in "${PLUGINS[@]}"; do
    mkdir -p "$root/$(dirname "$plugin")"
    cp "$pkgs/$plugin" "$root/$plugin"
done
resolve_libraries "${BINARIES[@]}" "${PLUGINS[@]}" > "$work/libraries"
# one directory for all of them: the loader's default path, whatever RUNPATH the package gave its libraries
while read -r soname path; do
    cp -L "$pkgs/$path" "$root/lib/x86_64-linux-gnu/$soname"
done < "$work/libraries"
cp -L "$pkgs/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$root/lib64/"
# iscsid only serves clients whose uid it can name
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"

# --- pack: cpio newc by busybox (no host cpio needed), gzip ---
(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -6 > "$work/base.gz"
# The host side of QEMU's guestfwd: one `busybox nc` per guest connection (see run-vm.sh).
cp "$busybox" "$cache/busybox"
mv "$work/vmlinuz" "$cache/vmlinuz"
mv "$work/base.gz" "$cache/base.gz"
pack_init
cp "$here/guest-init.sh" "$cache/guest-init.sh"
echo "$kver" > "$cache/kernel-version"
echo "$stamp" > "$cache/stamp"
echo "build-vm: built kernel $kver and initramfs ($(du -h "$cache/initramfs.gz" | cut -f1), $(du -sh "$root" | cut -f1) unpacked) with $(wc -l < "$work/libraries") libraries from ${#extracted[@]} packages in $cache"
rm -rf "$work"
