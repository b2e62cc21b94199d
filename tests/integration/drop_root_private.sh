#!/bin/sh
# drop_root_private.sh COMPARE DUNE_RUN INJECT_LIB PROG
# PROG drops root and execs (tests/behave/drop_root_exec.c), with the
# injected library in a directory only root may enter (mktemp -d: mode
# 0700), as a build tree made there is: the new image, whose user can no
# longer walk to the library, still gets it (ld.so would say on stderr that
# it cannot preload it), natively and under dune-run compared by COMPARE.
set -u
compare=$1 run=$2 lib=$3 prog=$4
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to drop it"; exit 77; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
cp "$lib" "$dir/" || exit 1
DUNE_INJECT_LIB="$dir/$(basename "$lib")" "$compare" "$run" - "$prog"
