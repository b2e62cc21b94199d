#!/bin/busybox sh
# shellcheck shell=dash
# /init of the rig's initramfs (runs as PID 1 in the emulated machine, under
# busybox ash). Loads KVM, runs the tests listed in /dtl/tests.list and prints
# machine-readable lines on the console (ttyS0) for run-tests.sh:
#   @@DTL-BOOT <uptime>                    init reached
#   @@DTL-KVM ok|FAIL <details>            KVM modules loaded and /dev/kvm present
#   @@DTL-BEGIN <name>                     test output follows, unfiltered
#   @@DTL-END <name>
#   @@DTL-RESULT <name> PASS|FAIL|SKIP rc=N [timeout] time=<s>
#   @@DTL-DONE                             all tests ran
# then powers the machine off.
# /dtl/config (sourced) sets DTL_PLATFORM, DTL_KVER, DTL_TEST_TIMEOUT.
# No "set -e": a failing step must be reported, and PID 1 exiting would
# panic the kernel.

/bin/busybox mkdir -p /proc /sys /dev /tmp /root /run /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# /tmp stays on the initramfs (rootfs): test binaries may live under /tmp.
chmod 1777 /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# the loopback interface, as on any booted system (programs connect to 127.0.0.1)
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

# shellcheck source=/dev/null
. /dtl/config
export DTL_VM_PLATFORM="$DTL_PLATFORM"

uptime_s() { cut -d' ' -f1 /proc/uptime; }
finish() {
	echo "@@DTL-DONE $(uptime_s)"
	# What is written to the console waits in the tty's buffer for the
	# (emulated) UART, and poweroff does not wait for it: drain it first.
	# stty sets the unchanged mode with tcsetattr(TCSADRAIN), which
	# returns once all output has been sent.
	stty -F /dev/console "$(stty -F /dev/console -g)" 2>/dev/null || sleep 5
	sync
	poweroff -f
	sleep 60 # not reached
}

echo "@@DTL-BOOT $(uptime_s)"
echo "@@DTL-INFO kernel $(uname -r); $(grep -m1 'model name' /proc/cpuinfo)"
echo "@@DTL-INFO $(grep -m1 'address sizes' /proc/cpuinfo)"
echo "@@DTL-INFO flags: $(grep -m1 ^flags /proc/cpuinfo | tr ' ' '\n' |
	grep -E '^(svm|npt|vmx|ept|vpid|nrip_save|flushbyasid|decodeassists|x2apic|pcid|la57)$' |
	tr '\n' ' ')"

# ---- KVM: insmod the platform's modules in dependency order (see deps.sh).
kvm_err=
while read -r ko; do
	[ -n "$ko" ] || continue
	if ! out=$(insmod "/lib/modules/$DTL_KVER/$ko" 2>&1); then
		kvm_err="insmod $ko failed: $out"
		break
	fi
done </dtl/modules.list
if [ -z "$kvm_err" ] && [ ! -c /dev/kvm ]; then
	kvm_err="/dev/kvm missing after loading modules"
fi
if [ -n "$kvm_err" ]; then
	echo "@@DTL-KVM FAIL $kvm_err"
	dmesg | grep -iE 'kvm|svm|vmx|ccp' | tail -20
	finish
fi
params=
for m in kvm_amd kvm_intel; do
	for p in npt nested ept vpid unrestricted_guest; do
		f=/sys/module/$m/parameters/$p
		[ -r "$f" ] && params="$params $m.$p=$(cat "$f")"
	done
done
echo "@@DTL-KVM ok$params ($(uptime_s))"

# ---- the host's root file system (run-tests.sh --host-root): tests run
# chrooted into it, with the guest's /proc, /sys, /dev and a tmpfs on /mnt as
# TMPDIR (not on /tmp: the project under test may itself live in /tmp).
run_in=
if [ "${DTL_HOST_ROOT:-0}" = 1 ]; then
	mkdir -p /host
	if mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /host &&
		mount -t tmpfs tmpfs /host/mnt && mount -t proc proc /host/proc &&
		mount -t sysfs sysfs /host/sys && mount -o bind /dev /host/dev; then
		mount -o bind /dev/pts /host/dev/pts 2>/dev/null
		mount -t tmpfs tmpfs /host/dev/shm 2>/dev/null
		run_in="chroot /host"
		echo "@@DTL-INFO host root mounted over 9p"
	else
		echo "@@DTL-KVM FAIL cannot mount the host root over 9p"
		finish
	fi
fi

# ---- tests
tab=$(printf '\t')
n=0
while IFS="$tab" read -r name cmd; do
	case $name in '' | '#'*) continue ;; esac
	n=$((n + 1))
	echo "@@DTL-BEGIN $name"
	t0=$(uptime_s)
	# The test runs in its own session/process group so that the watchdog
	# can kill it with everything it started. Output goes straight to the
	# console so a crash still leaves what was printed before it.
	if [ -n "$run_in" ]; then
		setsid $run_in /usr/bin/env TMPDIR=/mnt /bin/sh -c "cd /mnt && $cmd" </dev/null &
	else
		setsid sh -c "$cmd" </dev/null &
	fi
	pid=$!
	rm -f /tmp/.dtl-timeout
	setsid sh -c "sleep $DTL_TEST_TIMEOUT; kill -9 -$pid 2>/dev/null && touch /tmp/.dtl-timeout" \
		</dev/null >/dev/null 2>&1 &
	wd=$!
	wait $pid
	rc=$?
	# Cancel the watchdog. If it has not reached setsid yet there is no
	# group -$wd: kill the process itself.
	kill -9 -$wd 2>/dev/null || kill -9 $wd 2>/dev/null
	wait $wd 2>/dev/null
	t1=$(uptime_s)
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	extra=
	if [ -e /tmp/.dtl-timeout ]; then
		status=FAIL
		extra=" timeout"
	elif [ $rc -eq 0 ]; then
		status=PASS
	elif [ $rc -eq 77 ]; then
		status=SKIP
	else
		status=FAIL
	fi
	# A test's output may not end with a newline: start the markers on a
	# fresh line.
	echo
	echo "@@DTL-END $name"
	echo "@@DTL-RESULT $name $status rc=$rc$extra time=$dt"
done </dtl/tests.list
echo "@@DTL-INFO ran $n tests; tainted=$(cat /proc/sys/kernel/tainted)"
finish
