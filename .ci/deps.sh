#!/usr/bin/env bash
# (Recommends stay on: fpga-icestorm needs them for the chip database icetime reads.)
# Install the Debian 12 packages dialback needs to build, test, simulate and synthesise.
# As root: installs what is missing (and says so).  Otherwise: prints the exact
# apt-get line and fails, so nothing half-works.
set -euo pipefail

# compilers and the libFuzzer runtime
PKGS="build-essential pkg-config g++ clang libclang-rt-14-dev"
# RTL simulation, synthesis, formal (yosys-smtbmc uses z3)
PKGS="$PKGS verilator yosys nextpnr-ice40 fpga-icestorm z3"
# libraries the C code links
PKGS="$PKGS libusb-1.0-0-dev nettle-dev libcmocka-dev libpcap-dev"
# the emulated USB card (sim/)
PKGS="$PKGS umockdev libumockdev-dev libglib2.0-dev"
# the interop VM: qemu (TCG), Debian's pppd and chat, busybox for its initramfs
PKGS="$PKGS qemu-system-x86 ppp busybox-static cpio"
# test helpers: python3 (attach client, TCP echo), iproute2 (netns for the TUN tests)
PKGS="$PKGS python3 iproute2"
# make lint; pcap checks; bench plots; instruction counts
PKGS="$PKGS cppcheck clang-tidy tshark gnuplot-nox valgrind"

missing=()
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all Debian packages present"
  exit 0
fi

line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive $line" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y "${missing[@]}"; then
  echo "deps: apt-get update"
  apt-get update
  apt-get install -y "${missing[@]}"
fi
echo "deps: done"
