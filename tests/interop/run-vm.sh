#!/usr/bin/env bash
# Boot the interop VM (build-image.sh) under TCG with its PPP serial port (ttyS1) on a
# Unix socket that something else listens on, console (ttyS0) to a file.  Always
# bounded by a timeout; qemu is killed on any exit.
#   run-vm.sh IMAGE_DIR SOCKET CONSOLE_LOG TIMEOUT_S SCENARIO [args...]
# no_timer_check: on a loaded host TCG can miss the kernel's IO-APIC timer check, which
# then panics ("IO-APIC + timer doesn't work!"); seen once in the interop runs.
set -euo pipefail
img=$1 sock=$2 console=$3 limit=$4; shift 4
exec timeout --kill-after=5 "$limit" qemu-system-x86_64 -machine pc -accel tcg -m 256M -smp 1 \
  -nodefaults -no-user-config -display none -no-reboot \
  -kernel "$img/vmlinuz" -initrd "$img/initramfs.cpio.gz" \
  -append "console=ttyS0,115200 rdinit=/init panic=-1 loglevel=4 no_timer_check -- $*" \
  -serial "file:$console" \
  -chardev "socket,id=ppp,path=$sock" -serial chardev:ppp
