#!/usr/bin/env bash
# Install the Debian packages dtrace-lite builds and tests with.
# Idempotent: does nothing when everything is present. Needs root (or sudo) only
# when something is missing.
set -euo pipefail

# Build: compiler toolchain and the libraries found by CMake.
build_pkgs=(build-essential cmake pkg-config clang-format
	libcapstone-dev libelf-dev libdw-dev libdwarf-dev libncurses-dev libcmocka-dev libpng-dev
	linux-headers-amd64)
# Integration tests and benchmarks compare against these tools.
test_pkgs=(strace python3 file git linux-perf procps)
# The emulated-hardware rig (tests/vm): QEMU TCG for AMD-V, Bochs for VT-x.
rig_pkgs=(qemu-system-x86 bochs bochsbios vgabios busybox-static cpio genisoimage
	isolinux syslinux-common xz-utils zstd lz4 kmod binutils)

want=("${build_pkgs[@]}" "${test_pkgs[@]}")
if [[ "${DTL_SKIP_VM_DEPS:-0}" != 1 ]]; then
	want+=("${rig_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing+=("$p")
	fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
	exit 0
fi

echo "deps: installing: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "deps: missing packages and not root. Run as root:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
