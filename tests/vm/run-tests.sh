#!/usr/bin/env bash
# Run test programs inside a real Linux kernel with real KVM, on emulated
# hardware virtualization:
#   --platform amd    QEMU TCG, -cpu EPYC: the guest sees SVM + NPT, kvm_amd loads
#   --platform intel  Bochs, corei7_sandy_bridge_2600k: VMX + EPT, kvm_intel loads
#
# usage: run-tests.sh --platform amd|intel --list LISTFILE --results RESULTS
#                     [--log LOG] [--phys-bits N] [--timeout SECONDS]
#                     [--vm-timeout SECONDS] [--memory MIB] [--workdir DIR] [--keep]
#
# LISTFILE: one test per line, "NAME<TAB>COMMAND"; blank lines and lines that
# start with # are ignored. NAME: letters, digits, '.', '_', '-'. COMMAND is a
# shell command line (run by busybox sh in the guest) whose first word, after
# any VAR=value assignments, is the absolute path of a host program. It, every
# other word that is the absolute path of an existing host file, the
# interpreter of a #! script, and all their shared libraries (found with ldd)
# plus the dynamic loader are packed into the initramfs at the same absolute
# paths, so build-tree RUNPATHs keep working. The guest has busybox for
# everything else. Exit status 0 is PASS, 77 SKIP, anything else (or running
# past the per-test timeout) FAIL.
#
# RESULTS: one line per listed test, "NAME PASS|FAIL|SKIP rc=N[ reason=WHY]";
# rc=-1 when the test never reported (reason says why). LOG: the guest console.
#
# Exit status: 0 when the machine booted, KVM loaded and every test reported
# (whatever the tests' own results), 1 when not (the affected tests are
# written as FAIL with a reason), 2 on usage errors.
#
# Environment: DTL_VM_CACHE (see deps.sh), DTL_VM_KDIR (use this prepared
# kernel directory instead of calling deps.sh), DTL_VM_INITRD_COMP (gzip, lz4,
# zstd, xz or none; default lz4), DTL_VM_APPEND (extra kernel arguments),
# DTL_VM_DIRECT_BOOT=0 (boot Debian's compressed bzImage as it is, not the
# uncompressed kernel), DTL_VM_MODULE_SIGS=keep (see strip_signature).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	sed -n '7,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
die() {
	echo "vm-rig: error: $*" >&2
	exit 2
}
log() { echo "vm-rig[$platform]: $*" >&2; }

platform='' list='' results='' logfile='' phys_bits='' vm_timeout='' workdir='' host_root=0
test_timeout=120 memory=1024 keep=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--platform) platform=${2:-} && shift ;;
	--list) list=${2:-} && shift ;;
	--results) results=${2:-} && shift ;;
	--log) logfile=${2:-} && shift ;;
	--phys-bits) phys_bits=${2:-} && shift ;;
	--host-root) host_root=1 ;;
	--timeout) test_timeout=${2:-} && shift ;;
	--vm-timeout) vm_timeout=${2:-} && shift ;;
	--memory) memory=${2:-} && shift ;;
	--workdir) workdir=${2:-} && shift ;;
	--keep) keep=1 ;;
	-h | --help) usage ;;
	*) die "unknown argument: $1" ;;
	esac
	shift
done
[[ $platform == amd || $platform == intel ]] || usage
[[ -n $list && -n $results ]] || usage
[[ -r $list ]] || die "cannot read list file $list"
[[ $test_timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout wants seconds"
[[ $memory =~ ^[1-9][0-9]*$ ]] || die "--memory wants MiB"
# --host-root (QEMU only): the guest mounts this machine's / read-only over
# 9p and runs each test chrooted into it, with TMPDIR a tmpfs on /mnt: for tests that
# need real programs (bash, python3, gcc, git) rather than packed binaries.
modset=$platform
if [[ $host_root == 1 ]]; then
	[[ $platform == amd ]] || die "--host-root needs --platform amd (Bochs has no 9p)"
	modset=amdroot
fi
if [[ -n $phys_bits ]]; then
	[[ $phys_bits =~ ^[1-9][0-9]*$ ]] || die "--phys-bits wants a number"
	# Bochs 2.7 reports a fixed physical-address width (40 bits, also for
	# its Sandy Bridge model) and has no option to change it.
	[[ $platform == amd ]] || die "--phys-bits is only supported with --platform amd (QEMU)"
fi
export PATH=$PATH:/usr/sbin:/sbin

# ------------------------------------------------------------ test list
names=() cmds=()
declare -A seen=()
while IFS= read -r line || [[ -n $line ]]; do
	[[ -z ${line//[[:space:]]/} || $line == '#'* ]] && continue
	[[ $line == *$'\t'* ]] || die "$list: no TAB in line: $line"
	name=${line%%$'\t'*}
	cmd=${line#*$'\t'}
	[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "$list: bad test name '$name'"
	[[ -z ${seen[$name]:-} ]] || die "$list: duplicate test name '$name'"
	seen[$name]=1
	names+=("$name")
	cmds+=("$cmd")
done <"$list"
[[ ${#names[@]} -gt 0 ]] || die "$list: no tests"

# Start from nothing: a stale RESULTS must never be read as this run's.
mkdir -p "$(dirname "$results")"
rm -f "$results"

# --------------------------------------------------------------- kernel
if [[ -n ${DTL_VM_KDIR:-} ]]; then
	kdir=$DTL_VM_KDIR
else
	kdir=$("$here/deps.sh") || {
		echo "vm-rig: deps.sh failed" >&2
		exit 1
	}
fi
kver=$(cat "$kdir/kver")
[[ -f $kdir/vmlinuz && -f $kdir/modules-$modset.list ]] || die "incomplete kernel dir $kdir"

# -------------------------------------------------------------- workdir
own_workdir=0
if [[ -z $workdir ]]; then
	workdir=$(mktemp -d "${TMPDIR:-/tmp}/dtl-vm-$platform.XXXXXX")
	[[ $keep == 1 ]] || own_workdir=1
fi
# shellcheck disable=SC2317 # called from traps
cleanup() { [[ $own_workdir == 0 ]] || rm -rf "$workdir"; }
trap cleanup EXIT
mkdir -p "$workdir"
stage=$workdir/root
rm -rf "$stage"
mkdir -p "$stage"/{dtl,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin,usr/lib,usr/lib64}
# Mirror the host's merged-/usr symlinks (/lib -> usr/lib, ...) so a file
# reached through either path on the host is reachable the same way in the
# guest. Directories the host has as real directories stay real.
for d in bin sbin lib lib32 lib64 libx32; do
	if [[ -L /$d ]]; then
		ln -s "$(readlink "/$d")" "$stage/$d"
		mkdir -p "$stage/$(readlink -f "/$d")"
	else
		mkdir -p "$stage/$d"
	fi
done

add_file() { # host path -> same path in the initramfs (dereferenced)
	local f=$1
	[[ -e $stage$f ]] && return 0
	mkdir -p "$stage$(dirname "$f")"
	cp -L "$f" "$stage$f"
}

is_elf() { [[ $(head -c4 "$1" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; }

add_with_deps() { # a program or file and whatever it needs to run
	local f=$1 l
	[[ -e $stage$f ]] && return 0
	add_file "$f"
	if is_elf "$f"; then
		# ldd prints "libx.so => /path (0x..)", "/lib64/ld-linux-x86-64.so.2 (0x..)",
		# "linux-vdso.so.1 (0x..)" (no file), "libx.so => not found", or
		# "statically linked"/"not a dynamic executable" (exit 1).
		local out
		out=$(LC_ALL=C ldd "$f" 2>&1) || return 0
		if grep -q 'not found' <<<"$out"; then
			die "ldd $f: missing libraries:"$'\n'"$(grep 'not found' <<<"$out")"
		fi
		while read -r l; do
			[[ -n $l ]] && add_file "$l"
		done < <(awk '$2=="=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out")
	elif [[ $(head -c2 "$f") == '#!' ]]; then
		# A script: bring its interpreter (for "#!/usr/bin/env prog", prog as
		# found on the host's PATH) unless busybox provides it.
		local interp
		read -r interp l < <(head -n1 "$f" | sed 's/^#![[:space:]]*//')
		if [[ $interp == /usr/bin/env && -n ${l:-} ]]; then
			interp=$(command -v "${l%% *}" || true)
		fi
		if [[ $interp == /* && -x $interp ]] && ! busybox_provides "$interp"; then
			add_with_deps "$interp"
		fi
	fi
}

# The guest's shell is busybox's: a host /bin/sh (dash) named in a command
# is not packed, nor is busybox itself.
busybox_provides() {
	case $1 in
	/bin/sh | /usr/bin/sh | /bin/busybox | /usr/bin/busybox | /usr/bin/env) return 0 ;;
	esac
	return 1
}

for i in "${!names[@]}"; do
	read -r -a words <<<"${cmds[$i]}"
	# Skip leading VAR=value assignments ("DUNE_PHYS_BITS=36 /path/test").
	k=0
	while [[ $k -lt ${#words[@]} && ${words[$k]} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
		k=$((k + 1))
	done
	prog=${words[$k]:-}
	[[ $prog == /* ]] || die "test ${names[$i]}: command must start with an absolute path: ${cmds[$i]}"
	[[ -f $prog && -x $prog ]] || die "test ${names[$i]}: $prog is not an executable file"
	for w in "${words[@]:$k}"; do
		if [[ $w == /* && -f $w ]] && ! busybox_provides "$w"; then add_with_deps "$w"; fi
	done
done

# busybox (busybox-static's: no libraries) is the guest's userland; /init is
# guest-init.sh.
add_with_deps /bin/busybox
cp "$here/guest-init.sh" "$stage/init"
chmod 755 "$stage/init"
# The loader's cache: libraries the host finds through ld.so.conf.d (e.g.
# /usr/local/lib) are found the same way in the guest.
[[ -f /etc/ld.so.cache ]] && cp /etc/ld.so.cache "$stage/etc/"
# Only this platform's modules, to keep the initramfs small for Bochs.
# Their signatures are cut off (unless DTL_VM_MODULE_SIGS=keep): checking
# Debian's RSA-4096 signatures on the emulated CPU takes ~4 s of a Bochs run
# (kvm.ko is 2.4 MB). The kernel then loads them as unsigned modules, which
# only sets taint flag E (Debian does not enforce signatures without Secure
# Boot).
strip_signature() {
	local f=$1 magic='~Module signature appended~' size siglen
	size=$(stat -c %s "$f")
	# Layout: module, signature (sig_len bytes), struct module_signature
	# (12 bytes, big-endian sig_len last), magic + "\n" (28 bytes).
	[[ $size -gt 40 && $(tail -c 28 "$f") == "$magic" ]] || return 0
	siglen=$(od -An -tu1 -j $((size - 28 - 4)) -N4 "$f" |
		awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
	truncate -s $((size - 28 - 12 - siglen)) "$f"
}
mkdir -p "$stage/lib/modules/$kver"
while read -r ko; do
	mkdir -p "$stage/lib/modules/$kver/$(dirname "$ko")"
	cp "$kdir/lib/modules/$kver/$ko" "$stage/lib/modules/$kver/$ko"
	[[ ${DTL_VM_MODULE_SIGS:-strip} == keep ]] || strip_signature "$stage/lib/modules/$kver/$ko"
done <"$kdir/modules-$modset.list"
cp "$kdir/modules-$modset.list" "$stage/dtl/modules.list"
for i in "${!names[@]}"; do
	printf '%s\t%s\n' "${names[$i]}" "${cmds[$i]}"
done >"$stage/dtl/tests.list"
cat >"$stage/dtl/config" <<EOF
DTL_PLATFORM=$platform
DTL_KVER=$kver
DTL_TEST_TIMEOUT=$test_timeout
DTL_HOST_ROOT=$host_root
EOF

# Compression: the guest kernel unpacks the initramfs on the emulated CPU.
# Measured in Bochs with kvm_smoke (7.4 MB of files), guest seconds to /init:
# none 7.0, lz4 7.3, zstd 8.1, gzip 8.4; an uncompressed one must instead be
# read through the BIOS from the emulated CD (slower in wall time). lz4 it is.
comp=${DTL_VM_INITRD_COMP:-lz4}
initrd=$workdir/initrd.img
case $comp in
none) compress=(cat) ;;
gzip) compress=(gzip -1) ;;
lz4) compress=(lz4 -l -9 -q) ;; # -l: the legacy frame format, the only one the kernel reads
zstd) compress=(zstd -q -19) ;;
xz) compress=(xz -q --check=crc32 -6) ;; # the kernel's xz supports crc32 only
*) die "DTL_VM_INITRD_COMP: unknown compression '$comp'" ;;
esac
command -v "${compress[0]}" >/dev/null || die "'${compress[0]}' not installed (for DTL_VM_INITRD_COMP=$comp)"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	"${compress[@]}" >"$initrd"
log "initramfs: $(du -sh "$stage" | cut -f1) of files, $(stat -c %s "$initrd") bytes ($comp), kernel $kver"

# ------------------------------------------------------------- emulator
# Kernel command line: serial console; panic=-1 reboots at once on a panic,
# which QEMU's -no-reboot turns into an exit (Bochs: caught by the monitor
# below); loglevel=5 shows warnings (a KVM WARN_ON splat) but not the chatter.
# cryptomgr.notests: the crypto self-tests take ~7 s of an emulated boot.
# mitigations=off: no speculative-execution workarounds (PTI etc.); they
# cost emulated time and matter not in a throw-away test machine.
cmdline="console=ttyS0,115200 panic=-1 loglevel=5 cryptomgr.notests mitigations=off"
cmdline+=" ${DTL_VM_APPEND:-}"
console=$workdir/console.log
emu_out=$workdir/emulator.log
: >"$console"
n=${#names[@]}
if [[ -z $vm_timeout ]]; then
	# Boot + module load allowance plus every test's timeout. The per-test
	# timeout counts guest time; QEMU's guest clock follows the host's, but
	# Bochs' follows its instruction count and runs ~1.7x slower than wall.
	if [[ $platform == amd ]]; then
		vm_timeout=$((120 + n * test_timeout))
	else
		vm_timeout=$((400 + 2 * n * test_timeout))
	fi
fi

# Direct boot of the uncompressed kernel (see deps.sh and pvh-stub.s) unless
# DTL_VM_DIRECT_BOOT=0 or the cache entry has no vmlinux.
direct=0
if [[ ${DTL_VM_DIRECT_BOOT:-1} != 0 && -f $kdir/vmlinux && -f $kdir/vmlinux.bin && -f $kdir/pvh-entry ]]; then
	direct=1
fi

if [[ $platform == amd ]]; then
	# TCG has no VMX, but its AMD models expose SVM with nested paging:
	# "EPYC" gives kvm_amd with npt=1. (max,+svm or qemu64,+svm do not give
	# a usable kvm_amd.) Default physical-address width under TCG is 40 bits.
	# QEMU warns about EPYC features TCG lacks (rdseed, sha-ni, nrip-save,
	# ...); kvm_amd does not need them.
	cpu=EPYC
	[[ -n $phys_bits ]] && cpu+=",phys-bits=$phys_bits"
	# An ELF vmlinux with a PVH note is started by QEMU at its PVH entry.
	kernel=$kdir/vmlinuz
	[[ $direct == 1 ]] && kernel=$kdir/vmlinux
	emu=(qemu-system-x86_64 -accel tcg -cpu "$cpu" -m "$memory" -smp 1
		-nodefaults -nographic -monitor none -no-reboot -serial "file:$console"
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline")
	[[ $host_root == 1 ]] &&
		emu+=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on")
else
	kernel=$kdir/vmlinuz
	if [[ $direct == 1 ]]; then
		# bzImage = Debian's real-mode setup sectors + pvh-stub + flat vmlinux.
		kernel=$workdir/vmlinuz-direct
		setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$kdir/vmlinuz" | tr -d ' ')
		setup_bytes=$(((setup_sects + 1) * 512))
		flat_size=$(stat -c %s "$kdir/vmlinux.bin")
		load_addr=$(cat "$kdir/load-addr")
		as --32 -o "$workdir/pvh-stub.o" \
			--defsym KERNEL_PADDR="$load_addr" --defsym KERNEL_SIZE="$flat_size" \
			--defsym PVH_ENTRY="$(cat "$kdir/pvh-entry")" "$here/pvh-stub.s"
		ld -m elf_i386 -Ttext=0 --oformat binary -o "$workdir/pvh-stub.bin" "$workdir/pvh-stub.o"
		{
			head -c "$setup_bytes" "$kdir/vmlinuz"
			cat "$workdir/pvh-stub.bin" "$kdir/vmlinux.bin"
		} >"$kernel"
		prot_size=$(($(stat -c %s "$kernel") - setup_bytes))
		le32() { # a 32-bit value as 4 little-endian bytes
			local v=$1
			# shellcheck disable=SC2059 # the format is the data
			printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $(((v >> 8) & 255)) \
				$(((v >> 16) & 255)) $(((v >> 24) & 255)))"
		}
		poke() { dd of="$kernel" bs=1 seek=$(($1)) conv=notrunc status=none; }
		# Setup header fields: syssize (protected-mode size in 16-byte
		# units); relocatable_kernel=0 so that isolinux loads the stub at
		# code32_start (0x100000), not at some aligned address; init_size
		# covers the kernel's final place.
		le32 $(((prot_size + 15) / 16)) | poke 0x1f4
		printf '\0' | poke 0x234
		le32 $((load_addr + flat_size - 0x100000)) | poke 0x260
	fi
	# Bochs cannot load a kernel itself: boot an isolinux CD.
	iso=$workdir/boot.iso
	iso_root=$workdir/iso
	rm -rf "$iso_root"
	mkdir -p "$iso_root/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso_root/isolinux/"
	cp "$kernel" "$iso_root/vmlinuz"
	cp "$initrd" "$iso_root/initrd"
	cat >"$iso_root/isolinux/isolinux.cfg" <<EOF
default dtl
prompt 0
timeout 0
label dtl
  kernel /vmlinuz
  append initrd=/initrd $cmdline
EOF
	genisoimage -quiet -o "$iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table -J -R "$iso_root"
	rm -rf "$iso_root"
	rm -f "$workdir/vmlinuz-direct"
	# Notes on this configuration:
	# - Debian's Bochs has the VMX (with EPT, VPID, unrestricted guest) CPU
	#   models built in; corei7_sandy_bridge_2600k advertises vmx ept vpid.
	#   Its AMD models do not boot Debian's kernel.
	# - ips: instructions per emulated second. With clock sync=none, guest
	#   time is derived from the instruction count (and skips ahead while
	#   the CPU halts), so runs are repeatable and as fast as the host allows.
	# - display: Debian's bochs has no "nogui"; the rfb (VNC) display with
	#   timeout=0 starts without waiting for a client.
	# - sound: Debian's build aborts in its ALSA thread unless sound is dummy.
	# - ignore_bad_msrs: the kernel probes MSRs the model does not implement.
	cat >"$workdir/bochsrc" <<EOF
megs: $memory
cpu: model=corei7_sandy_bridge_2600k, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: rfb, options="timeout=0"
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$console
clock: sync=none, time0=local
sound: driver=dummy
speaker: enabled=0
log: $workdir/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
	# bochs-bin is built with the internal debugger, which stops before the
	# first instruction: -rc feeds it "c" (continue). stdin is /dev/null so
	# that, should the debugger be entered again, it reads EOF and quits.
	echo c >"$workdir/debugger.rc"
	emu=(bochs-bin -q -f "$workdir/bochsrc" -rc "$workdir/debugger.rc")
fi

log "booting ($(basename "${emu[0]}"), $([[ $direct == 1 ]] && echo "uncompressed kernel" || echo bzImage), $n tests, per-test timeout ${test_timeout}s, VM timeout ${vm_timeout}s)"
t_start=$(date +%s.%N)
# setsid: own process group, so the monitor can kill the emulator and anything
# it spawned; timeout: the hard limit even if this script is killed.
setsid timeout -k 10 "$vm_timeout" "${emu[@]}" </dev/null >"$emu_out" 2>&1 &
emu_pid=$!
# shellcheck disable=SC2317 # called from traps
stop_emu() { kill -KILL -- "-$emu_pid" 2>/dev/null || true; }
trap 'stop_emu; cleanup' EXIT
trap 'exit 143' TERM INT HUP

# Monitor the console: the emulator normally exits on the guest's power-off
# (QEMU exits 0; Bochs exits 1 on ACPI power-off, which is normal). On a
# kernel panic Bochs would reboot into the BIOS and boot again: stop it.
ended=
while kill -0 "$emu_pid" 2>/dev/null; do
	if grep -q -a '@@DTL-DONE' "$console"; then
		ended=finished
		# Give the power-off a moment, then make sure.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$emu_pid" 2>/dev/null || break
			sleep 0.5
		done
		break
	fi
	if grep -q -a 'Kernel panic' "$console"; then
		ended=panic
		sleep 2 # let the panic message reach the log
		break
	fi
	sleep 0.5
done
stop_emu
emu_rc=0
wait "$emu_pid" || emu_rc=$?
t_end=$(date +%s.%N)
wall=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')
if grep -q -a 'Kernel panic' "$console"; then
	ended="kernel-panic"
elif [[ -z $ended ]]; then
	if grep -q -a '@@DTL-DONE' "$console"; then
		ended=finished
	elif [[ $emu_rc == 124 || $emu_rc == 137 ]]; then
		ended=vm-timeout
	else
		ended="emulator-exit-$emu_rc"
	fi
fi

# ---------------------------------------------------------------- results
# Console lines end in \r\n; a kernel message can interleave with a line, so
# markers are searched anywhere in a line.
clean=$workdir/console.clean
tr -d '\r' <"$console" >"$clean"
if [[ -n $logfile ]]; then
	mkdir -p "$(dirname "$logfile")"
	cp "$clean" "$logfile"
	if [[ $platform == intel && -s $workdir/bochs.log ]]; then
		{
			echo "==== bochs.log (tail)"
			tail -n 40 "$workdir/bochs.log"
		} >>"$logfile"
	fi
	{
		echo "==== emulator output (rc=$emu_rc, ended=$ended, wall=${wall}s)"
		tail -n 40 "$emu_out"
	} >>"$logfile"
fi

rig_fail=
if ! grep -q -a '@@DTL-BOOT' "$clean"; then
	rig_fail="vm-did-not-boot($ended)"
elif kvm_line=$(grep -a -o '@@DTL-KVM FAIL.*' "$clean"); then
	rig_fail=kvm-load-failed
	log "${kvm_line#@@DTL-KVM }"
elif ! grep -q -a '@@DTL-KVM ok' "$clean"; then
	rig_fail="kvm-not-reported($ended)"
fi

missing=0 npass=0 nfail=0 nskip=0
tmp_results=$results.tmp
: >"$tmp_results"
for name in "${names[@]}"; do
	r=
	if [[ -z $rig_fail ]]; then
		r=$(grep -a -o -E "@@DTL-RESULT ${name//./\\.} (PASS|FAIL|SKIP) rc=-?[0-9]+( timeout)?" "$clean" |
			tail -n1) || true
	fi
	if [[ -n $r ]]; then
		read -r _ _ status rc to <<<"$r"
		echo "$name $status $rc${to:+ reason=timeout}" >>"$tmp_results"
	else
		reason=$rig_fail
		if [[ -z $reason ]]; then
			reason="no-result($ended)"
			missing=$((missing + 1))
		fi
		status=FAIL
		echo "$name FAIL rc=-1 reason=$reason" >>"$tmp_results"
	fi
	case $status in
	PASS) npass=$((npass + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
done
mv "$tmp_results" "$results"

log "$npass passed, $nfail failed, $nskip skipped; VM ${wall}s wall ($ended)"
sed 's/^/  /' "$results" >&2
if [[ -n $rig_fail || $missing -gt 0 ]]; then
	log "RIG FAILURE: ${rig_fail:-$missing test result(s) missing}; console tail:"
	tail -n 30 "$clean" | sed 's/^/    | /' >&2
	exit 1
fi
exit 0
