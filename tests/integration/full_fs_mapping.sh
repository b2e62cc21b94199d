#!/bin/sh
# full_fs_mapping.sh COMPARE DUNE_RUN DTRACE_LITE PROG: run PROG (natively,
# under dune-run, traced) on a 64 KiB tmpfs of its own, in a mount
# namespace of its own. Needs root (a mount).
set -u
compare=$1 run=$2 dtl=$3 prog=$4
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for a tmpfs"; exit 77; }
dir=$(mktemp -d)
trap 'rmdir "$dir"' EXIT
unshare -m sh -c '
	mount -t tmpfs -o size=64k none "$1" || exit 77
	# each run starts from the same empty file system
	"$2" "$3" "$4" sh -c "rm -f \"\$1\"/*; exec \"\$2\" \"\$1\"" sh "$1" "$5"
' sh "$dir" "$compare" "$run" "$dtl" "$prog"
