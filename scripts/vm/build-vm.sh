#!/usr/bin/env bash
# scripts/vm/build-vm.sh CACHE_DIR - builds the initiator VM: a Debian kernel (CACHE_DIR/vmlinuz) and an initramfs
# (CACHE_DIR/initramfs.gz) holding busybox, open-iscsi, e2fsprogs, xfsprogs and sg3-utils with their shared libraries, the
# kernel modules an iSCSI disk needs, and scripts/vm/guest-init.sh as /init.
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

# The cloud kernel is half the size of the generic one and still has iscsi_tcp, sd_mod and virtio_net as modules;
# ext4, jbd2 and crc32c are built in.
KERNEL_META=linux-image-cloud-amd64
TOOLS=(busybox-static open-iscsi e2fsprogs xfsprogs sg3-utils)
# The shared libraries of the tools above (checked below: a library resolved from outside the image fails the build).
LIBS=(libc6 libssl3 libkmod2 libzstd1 liblzma5 libopeniscsiusr libisns0 libmount1 libblkid1 libselinux1
      libpcre2-8-0 libsystemd0 libcap2 libgcrypt20 liblz4-1 libgpg-error0 libext2fs2 libcom-err2 libuuid1
      libsgutils2-1.46-2 libinih1 liburcu8)
MODULES=(virtio_pci virtio_net iscsi_tcp sd_mod sg xfs)
BINARIES=(sbin/iscsid sbin/iscsiadm sbin/mke2fs sbin/e2fsck sbin/mkfs.xfs sbin/xfs_repair
          usr/bin/sg_inq usr/bin/sg_vpd usr/bin/sg_readcap)

kernel_pkg="$(apt-cache depends --no-recommends --no-suggests "$KERNEL_META" 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')" || kernel_pkg=""
if [ -z "$kernel_pkg" ]; then
    echo "build-vm: apt-cache knows no $KERNEL_META (is this Debian, and has apt-get update run?)" >&2
    exit 3
fi
packages=("$kernel_pkg" "${TOOLS[@]}" "${LIBS[@]}")

stamp="$( { cat "${BASH_SOURCE[0]}" "$here/guest-init.sh"; printf '%s\n' "${packages[@]}"; } | sha256sum | cut -c1-16)"
if [ -f "$cache/vmlinuz" ] && [ -f "$cache/initramfs.gz" ] && [ -x "$cache/busybox" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "build-vm: up to date ($cache)"
    exit 0
fi

# Download what the cache lacks (a .deb per package name; versions follow the apt lists).
missing=()
for p in "${packages[@]}"; do
    compgen -G "$cache/debs/${p}_*.deb" >/dev/null || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "build-vm: downloading ${missing[*]}"
    if ! (cd "$cache/debs" && apt-get download "${missing[@]}") > "$cache/download.log" 2>&1; then
        grep -v 'unsandboxed as root' "$cache/download.log" >&2 || true
        echo "build-vm: apt-get download failed for: ${missing[*]}" >&2
        exit 3
    fi
    for p in "${missing[@]}"; do
        compgen -G "$cache/debs/${p}_*.deb" >/dev/null || { echo "build-vm: $p was not downloaded" >&2; exit 3; }
    done
fi

work="$cache/build"
rm -rf "$work"
mkdir -p "$work/pkgs" "$work/root"
for p in "${packages[@]}"; do
    deb="$(ls -t "$cache/debs/${p}_"*.deb | head -n 1)"
    dpkg-deb -x "$deb" "$work/pkgs"
done
pkgs="$work/pkgs"
root="$work/root"
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
libpath="$pkgs/lib/x86_64-linux-gnu:$pkgs/usr/lib/x86_64-linux-gnu"
for b in "${BINARIES[@]}"; do
    # ldd only reads the dynamic section through the loader; LD_LIBRARY_PATH makes it resolve inside the packages.
    while read -r soname arrow path _; do
        [ "$arrow" = "=>" ] || continue
        case "$path" in
            "$pkgs"/*) cp -L "$path" "$root/lib/x86_64-linux-gnu/$soname" ;;
            *) echo "build-vm: $b needs $soname, which no package in LIBS provides ($path)" >&2; exit 1 ;;
        esac
    done < <(LD_LIBRARY_PATH="$libpath" ldd "$pkgs/$b")
done
cp -L "$pkgs/lib64/ld-linux-x86-64.so.2" "$root/lib64/"
# iscsid only serves clients whose uid it can name
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"

# --- pack: cpio newc by busybox (no host cpio needed), gzip ---
(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -6 > "$work/initramfs.gz"
# The host side of QEMU's guestfwd: one `busybox nc` per guest connection (see run-vm.sh).
cp "$busybox" "$cache/busybox"
mv "$work/vmlinuz" "$cache/vmlinuz"
mv "$work/initramfs.gz" "$cache/initramfs.gz"
echo "$kver" > "$cache/kernel-version"
echo "$stamp" > "$cache/stamp"
rm -rf "$work"
echo "build-vm: built kernel $kver and initramfs ($(du -h "$cache/initramfs.gz" | cut -f1)) in $cache"
