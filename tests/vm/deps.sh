#!/usr/bin/env bash
# Prepare the emulated-hardware test rig (tests/vm):
#   1. install the Debian packages it needs (only those missing; needs root then);
#   2. fetch Debian's kernel (the package linux-image-amd64 points at) into a
#      cache WITHOUT installing it: `apt-get download` + `dpkg -x`, keep
#      vmlinuz, its uncompressed vmlinux (for a faster boot, see below) and the
#      KVM modules with their dependencies, drop the rest.
#
# Idempotent: a second run with the same kernel version does no work. The cache
# entry's directory is printed on stdout (everything else goes to stderr), so
# run-tests.sh can do  kdir=$(deps.sh).
#
# Environment:
#   DTL_VM_CACHE        cache root (default ~/.cache/dtrace-lite-vm)
#   DTL_VM_KERNEL_PKG   kernel package to use (default linux-image-amd64; a
#                       meta package is resolved to the versioned package it
#                       depends on, e.g. linux-image-6.1.0-56-amd64)
#   DTL_VM_SKIP_APT=1   do not check/install Debian packages (kernel only)
set -euo pipefail

cache=${DTL_VM_CACHE:-${HOME:-/tmp}/.cache/dtrace-lite-vm}
kpkg=${DTL_VM_KERNEL_PKG:-linux-image-amd64}
# depmod/modprobe live in /usr/sbin, which is not on a normal user's PATH.
export PATH=$PATH:/usr/sbin:/sbin

log() { echo "vm-deps: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# Modules the guest loads, by platform; their dependencies are resolved with
# modules.dep. (kvm_amd pulls in ccp, the AMD Secure Processor driver, for
# SEV; kvm pulls in irqbypass.)
platform_modules() {
	case $1 in
	amd) echo kvm kvm_amd ;;
	intel) echo kvm kvm_intel ;;
	# amd + the host's root file system over 9p (run-tests.sh --host-root)
	amdroot) echo kvm kvm_amd 9p 9pnet_virtio virtio_pci ;;
	esac
}

# ---------------------------------------------------------------- packages
pkgs=(
	qemu-system-x86         # AMD-V: TCG with -cpu EPYC exposes SVM + NPT
	bochs bochsbios vgabios # VT-x: Debian's Bochs is built with VMX + EPT
	busybox-static          # the guest's userland
	cpio                    # initramfs
	genisoimage isolinux syslinux-common # Bochs boots only from disk/CD
	kmod                    # depmod/modprobe on the host, for modules.dep
	xz-utils zstd lz4       # kernel payload, .deb and initramfs (de)compression
	binutils                # readelf/objcopy/as/ld: uncompressed-kernel boot
)

as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo "$@"
	else
		return 99
	fi
}

apt_updated=0
apt_update() {
	[[ $apt_updated == 1 ]] && return 0
	log "apt-get update"
	if ! as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2; then
		die "apt-get update failed (not root and no passwordless sudo?)"
	fi
	apt_updated=1
}

# One instance at a time (ctest -j runs the amd and intel rigs side by side,
# and both may find an empty cache).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

if [[ ${DTL_VM_SKIP_APT:-0} != 1 ]]; then
	missing=()
	for p in "${pkgs[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
			missing+=("$p")
		fi
	done
	if [[ ${#missing[@]} -gt 0 ]]; then
		log "installing: ${missing[*]}"
		if ! as_root true; then
			log "missing packages and not root (and no passwordless sudo). Run as root:"
			log "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
			exit 1
		fi
		apt_update
		as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
			--no-install-recommends "${missing[@]}" >&2
	fi
fi

# ------------------------------------------------------------------ kernel
# Resolve the meta package to the real one, from its stanza:
#   Package: linux-image-amd64 / Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)
# Prints "PACKAGE VERSION"; fails if apt does not know the package.
resolve_kernel() {
	apt-cache show --no-all-versions "$kpkg" 2>/dev/null | awk '
		$1=="Package:" {pkg=$2}
		$1=="Version:" {ver=$2}
		$1=="Depends:" && $2 ~ /^linux-image-[0-9]/ && $3=="(=" {
			dep=$2; dver=$4; sub(/\)$/, "", dver)
		}
		END {
			if (dep != "") print dep, dver
			else if (pkg ~ /^linux-image-[0-9]/) print pkg, ver
			else exit 1
		}'
}

if ! resolved=$(resolve_kernel); then
	# A fresh machine (e.g. a container) may have no package lists at all.
	if as_root true; then
		apt_update
		resolved=$(resolve_kernel) || resolved=
	else
		resolved=
	fi
fi

if [[ -z $resolved ]]; then
	# Offline or no lists: fall back to the kernel fetched last time (only for
	# the default; an explicitly named package must exist).
	if [[ -z ${DTL_VM_KERNEL_PKG:-} && -e $cache/kernel/current/vmlinuz ]]; then
		log "apt does not know $kpkg; using cached $(readlink "$cache/kernel/current")"
		realpath "$cache/kernel/current"
		exit 0
	fi
	die "cannot resolve kernel package $kpkg (run apt-get update as root)"
fi

read -r pkg ver <<<"$resolved"
kver=${pkg#linux-image-} # 6.1.0-56-amd64
kdir=$cache/kernel/${kver}_${ver}

# Bump when the layout of a cache entry changes: older entries are rebuilt.
cache_format=3
if [[ $(cat "$kdir/.complete" 2>/dev/null) == "$cache_format" ]]; then
	realpath "$kdir"
	exit 0
fi

log "fetching $pkg $ver into $kdir"
mkdir -p "$cache/kernel"
tmp=$(mktemp -d "$cache/kernel/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

download() {
	(cd "$tmp" && apt-get download -q "$pkg=$ver" >&2 2>"$tmp/apt.err") ||
		{
			cat "$tmp/apt.err" >&2
			return 1
		}
}
if ! download; then
	# Debian drops superseded kernel ABIs from the mirror: refresh and retry.
	if as_root true && [[ $apt_updated == 0 ]]; then
		apt_update
		resolved=$(resolve_kernel) || die "cannot resolve $kpkg after apt-get update"
		read -r pkg ver <<<"$resolved"
		kver=${pkg#linux-image-}
		kdir=$cache/kernel/${kver}_${ver}
		download || die "apt-get download $pkg=$ver failed"
	else
		die "apt-get download $pkg=$ver failed"
	fi
fi

deb=$(ls "$tmp"/*.deb)
dpkg -x "$deb" "$tmp/root"
rm -f "$deb"

kroot=$tmp/root
[[ -d $kroot/usr/lib/modules/$kver ]] && ! [[ -d $kroot/lib/modules/$kver ]] &&
	mkdir -p "$kroot/lib" && ln -s ../usr/lib/modules "$kroot/lib/modules"
[[ -f $kroot/boot/vmlinuz-$kver ]] || die "no boot/vmlinuz-$kver in $pkg"
# The .deb ships no modules.dep (its postinst runs depmod): make one.
depmod -b "$kroot" "$kver"

stage=$tmp/out
mkdir -p "$stage/lib/modules/$kver"
cp "$kroot/boot/vmlinuz-$kver" "$stage/vmlinuz"
cp "$kroot/boot/config-$kver" "$stage/config"
echo "$kver" >"$stage/kver"
echo "$pkg $ver" >"$stage/package"

# For each platform, the insmod order (dependencies first), paths relative to
# /lib/modules/KVER. The guest uses insmod with this list: busybox's modprobe
# would work too, but insmod keeps the guest side trivial.
for plat in amd intel amdroot; do
	: >"$stage/modules-$plat.list"
	for m in $(platform_modules "$plat"); do
		modprobe -d "$kroot" -S "$kver" --show-depends "$m" |
			awk '$1=="insmod" {print $2}'
	done | awk '!seen[$0]++' | while read -r ko; do
		rel=${ko#"$kroot"/lib/modules/"$kver"/}
		mkdir -p "$stage/lib/modules/$kver/$(dirname "$rel")"
		case $ko in
		*.ko.xz) xz -dc "$ko" >"$stage/lib/modules/$kver/${rel%.xz}" && rel=${rel%.xz} ;;
		*.ko.zst) zstd -qdc "$ko" >"$stage/lib/modules/$kver/${rel%.zst}" && rel=${rel%.zst} ;;
		*) cp "$ko" "$stage/lib/modules/$kver/$rel" ;;
		esac
		echo "$rel" >>"$stage/modules-$plat.list"
	done
	[[ -s $stage/modules-$plat.list ]] || die "no modules found for $plat"
done
# The uncompressed kernel, for a boot that skips the bzImage's decompressor
# (on an emulated CPU it is slow: ~60 s in Bochs, ~3 s in QEMU TCG for 6.1's
# XZ payload). Both emulators then enter it through its PVH entry point:
# QEMU itself for `-kernel vmlinux`; for Bochs, run-tests.sh wraps the
# flattened image in a bzImage with pvh-stub.s. Optional: without these
# files run-tests.sh boots the bzImage as it is.
extract_vmlinux() {
	local bz=$1 out=$2 setup_sects off len magic
	# Setup header: setup_sects at 0x1f1; payload_offset/payload_length at
	# 0x248/0x24c, relative to the protected-mode code after the setup.
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
	off=$(od -An -tu4 -j $((0x248)) -N4 "$bz" | tr -d ' ')
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$bz" | tr -d ' ')
	off=$(((setup_sects + 1) * 512 + off))
	magic=$(od -An -tx1 -j "$off" -N4 "$bz" | tr -d ' ')
	local dec
	case $magic in
	fd377a58) dec=(xz -dc) ;;
	28b52ffd) dec=(zstd -dcq) ;;
	1f8b*) dec=(gzip -dc) ;;
	02214c18) dec=(lz4 -dc) ;;
	*)
		log "unknown kernel payload format (magic $magic)"
		return 1
		;;
	esac
	tail -c +$((off + 1)) "$bz" | head -c "$len" | "${dec[@]}" >"$out" 2>/dev/null || true
	[[ $(od -An -tx1 -N4 "$out" | tr -d ' ') == 7f454c46 ]]
}
if extract_vmlinux "$kroot/boot/vmlinuz-$kver" "$tmp/vmlinux"; then
	# XEN_ELFNOTE_PHYS32_ENTRY (type 0x12): the 32-bit physical PVH entry.
	pvh_entry=$(LC_ALL=C readelf -nW "$tmp/vmlinux" | awk '
		/\(0x00000012\)/ { want = 1; if (sub(/.*description data: /, "")) { print; exit } next }
		want && /description data:/ { sub(/.*description data: /, ""); print; exit }' |
		awk '{ printf "0x%s%s%s%s", $4, $3, $2, $1 }')
	load_addr=$(LC_ALL=C readelf -lW "$tmp/vmlinux" | awk '$1=="LOAD" {print $4}' | sort | head -n1)
	if [[ $pvh_entry =~ ^0x[0-9a-f]{8}$ && $load_addr =~ ^0x[0-9a-f]+$ ]]; then
		mv "$tmp/vmlinux" "$stage/vmlinux"
		# Flat image of the PT_LOAD segments from the lowest physical address
		# (objcopy -O binary places sections at their load addresses).
		objcopy -O binary "$stage/vmlinux" "$stage/vmlinux.bin"
		truncate -s %4096 "$stage/vmlinux.bin"
		echo "$pvh_entry" >"$stage/pvh-entry"
		printf '0x%x\n' "$load_addr" >"$stage/load-addr"
	else
		log "no PVH entry in vmlinux; the rig will boot the compressed bzImage"
	fi
else
	log "could not extract vmlinux; the rig will boot the compressed bzImage"
fi
rm -f "$tmp/vmlinux"

cp "$kroot/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
	"$stage/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$stage" "$kver"

echo "$cache_format" >"$stage/.complete"
rm -rf "$kdir"
mv "$stage" "$kdir"
ln -sfn "$(basename "$kdir")" "$cache/kernel/current"
log "kernel $kver ready: $(du -sh "$kdir" | cut -f1)"
realpath "$kdir"
