#!/bin/sh
# launcher_killed.sh DUNE_RUN DTRACE_LITE
# A program run by dune-run or dtrace-lite dies with its launcher, however
# the launcher dies: SIGKILL (which it cannot pass on) or SIGTERM, while the
# program computes in ring 3 or sleeps in a system call (issue 11, item 18).
# dune-run becomes the program, so a signal to it is one to the program.
set -u
run=$1 dtl=$2
fail=0

# a machine without a backend: libdune's reason, which ctest takes as a skip
# (dtl_needs_backend); the checks below would pass on a program never started
if ! why=$("$run" true 2>&1); then
	case $why in *"no usable backend"*) echo "$why"; exit 0 ;; esac
fi

# the program: the launcher's child (pgrep -P), or the launcher itself once
# it has become the program (dune-run execs it: comm is the program's)
child_of() {
	i=0
	while [ $i -lt 100 ]; do
		c=$(pgrep -P "$1" | head -n 1)
		[ -n "$c" ] && { echo "$c"; return; }
		case $(cat "/proc/$1/comm" 2>/dev/null) in
		sh | sleep) echo "$1"; return ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
}

gone_within_5s() {
	i=0
	while [ $i -lt 100 ]; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

for launcher in "$run" "$dtl -o /dev/null"; do
	for prog in "sh -c 'while :; do :; done'" "sleep 60"; do
		for sig in KILL TERM; do
			eval "exec $launcher $prog" >/dev/null 2>&1 &
			l=$!
			p=$(child_of $l)
			if [ -z "$p" ]; then
				echo "FAIL: $launcher $prog: no program started"
				fail=1
				kill -9 $l 2>/dev/null
				continue
			fi
			sleep 0.5 # inside the VM by now
			kill -$sig $l
			if gone_within_5s "$p"; then
				echo "ok: SIG$sig to '$launcher $prog': the program ended"
			else
				echo "FAIL: SIG$sig to '$launcher $prog': the program ($p) runs on"
				kill -9 "$p" 2>/dev/null
				fail=1
			fi
			wait $l 2>/dev/null
		done
	done
done
exit $fail
