#!/usr/bin/env bash
# Build the interop VM: Debian's own kernel (with its ppp modules) and a tiny initramfs
# holding Debian's real pppd 2.4.9 (built with CBCP), busybox and chat.
#   build-image.sh OUTDIR      -> OUTDIR/vmlinuz, OUTDIR/initramfs.cpio.gz
# Needs (make deps installs them): qemu-system-x86 ppp busybox-static cpio.  The kernel
# .deb is fetched with `apt-get download` into OUTDIR/cache (kept between runs).
set -euo pipefail
out=$(realpath -m "$1"); cache=$out/cache; root=$out/root
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$cache"

kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kpkg" ] || { apt-get update >/dev/null; kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
kver=${kpkg#linux-image-}
if ! ls "$cache"/"$kpkg"_*.deb >/dev/null 2>&1; then
  echo "interop: apt-get download $kpkg"
  (cd "$cache" && apt-get download "$kpkg" 2>&1 | grep -v 'unsandboxed' || true)
fi
deb=$(ls "$cache"/"$kpkg"_*.deb | head -n1)

# Only the kernel image and the few modules PPP needs (the module tree is ~500 MB).
kx=$cache/kernel-$kver
if [ ! -f "$kx/boot/vmlinuz-$kver" ]; then
  rm -rf "$kx"; mkdir -p "$kx"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kx" --wildcards \
    "./boot/vmlinuz-$kver" \
    "./lib/modules/$kver/kernel/drivers/net/ppp/*" \
    "./lib/modules/$kver/kernel/drivers/net/slip/slhc.ko*"
fi
cp "$kx/boot/vmlinuz-$kver" "$out/vmlinuz"

rm -rf "$root"; mkdir -p "$root"/{bin,sbin,etc/ppp,dev,proc,sys,tmp,run,lib/modules,usr/sbin,var/run,var/log}
cp /bin/busybox "$root/bin/busybox"
for m in slhc ppp_generic ppp_async; do
  f=$(find "$kx/lib/modules/$kver" -name "$m.ko*" | head -n1)
  [ -n "$f" ] || { echo "interop: module $m not found in $kpkg" >&2; exit 1; }
  cp "$f" "$root/lib/modules/"
done
# pppd and chat with their shared-library closure, from the host's Debian packages
for bin in /usr/sbin/pppd /usr/sbin/chat; do
  cp "$bin" "$root/usr/sbin/"
  ldd "$bin" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
done
# the dynamic loader where the binaries expect it
mkdir -p "$root/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
: >"$root/etc/ppp/options"            # Debian's has `auth`, `lock`, `crtscts`: not wanted
printf '"callmeback" * "cisco" *\n"papuser" * "cisco" *\n"fixedcb" * "cisco" *\n' >"$root/etc/ppp/chap-secrets"
cp "$root/etc/ppp/chap-secrets" "$root/etc/ppp/pap-secrets"
chmod 600 "$root/etc/ppp/"*-secrets
install -m 755 "$here/vm-init.sh" "$root/init"
# dial the NAS / answer its callback (the simulator's Hayes modem on ttyS1)
printf '%s\n' 'TIMEOUT 120' 'ABORT BUSY' "ABORT 'NO CARRIER'" 'ABORT ERROR' \
  "'' ATZ" 'OK ATDT4084327528' 'CONNECT \c' >"$root/etc/ppp/dial.chat"
printf '%s\n' 'TIMEOUT 600' 'ABORT BUSY' 'ABORT ERROR' 'RING ATA' 'CONNECT \c' \
  >"$root/etc/ppp/answer.chat"
# IPCP up: interface, local and remote address for /init
printf '#!/bin/sh\necho "$1 $4 $5" >/tmp/ip-up\n' >"$root/etc/ppp/ip-up"
chmod 755 "$root/etc/ppp/ip-up"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 >"$out/initramfs.cpio.gz")
echo "interop: image ready: $out/vmlinuz ($kver), $out/initramfs.cpio.gz ($(du -h "$out/initramfs.cpio.gz" | cut -f1))"
