# The corpus: inputs and cases shared by tests/corpus/run-corpus.sh (which
# compares native and dune-run output) and bench/corpus.sh (which times
# them). Source it with $work set to a scratch directory and $here to this
# directory.
export LC_ALL=C TZ=UTC
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.org GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' \
	GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'

# Inputs shared by the cases (made once, natively).
seq 1 200000 | awk '{ print ($1 * 7919) % 100003, $1 }' >"$work/big.txt"
mkdir -p "$work/tree/a/b" && for i in $(seq 1 50); do echo "file $i" >"$work/tree/a/b/f$i"; done
mkdir -p "$work/proj"
for i in 1 2 3 4; do
	printf 'int f%d(int x) { return x * %d; }\n' "$i" "$i" >"$work/proj/f$i.c"
done
printf 'int f1(int);int f2(int);int f3(int);int f4(int);\n#include <stdio.h>\nint main(void){printf("%%d\\n", f1(1)+f2(2)+f3(3)+f4(4));return 0;}\n' >"$work/proj/main.c"
printf 'OBJS=main.o f1.o f2.o f3.o f4.o\nprog: $(OBJS)\n\tgcc -o $@ $(OBJS)\n%%.o: %%.c\n\tgcc -O1 -c $<\nclean:\n\trm -f prog *.o\n' >"$work/proj/Makefile"

declare -A cases=(
	[ls]='ls -la /usr/bin'
	[sort]='sort -n big.txt | sha256sum; sort -k2,2nr big.txt | head -3'
	[sha256sum]='sha256sum big.txt tree/a/b/f1 tree/a/b/f50'
	[find]='find /usr/include -name "*.h" | head -2000'
	[tar]='rm -rf out t.tgz && tar czf t.tgz tree && mkdir out && tar xzf t.tgz -C out && find out | sort && cat out/tree/a/b/f7'
	[bash]='bash -c '\''trap "echo trapped USR1" USR1; x=$( (echo sub; echo shell) | tr a-z A-Z | sort -r); echo "$x"; kill -USR1 $$; for i in 1 2 3; do (exit $i); echo "status $?"; done; echo done >&2; exit 4'\'''
	[python]="python3 $here/corpus.py"
	[make]='make -C proj clean >/dev/null && make -s -j2 -C proj && ./proj/prog'
	[git]='rm -rf repo && git init -q repo && cd repo && echo hello >a && git add a && git commit -q -m first && git log --format="%H %s" && git status --short'
	[signals]="${DTL_SIGNALS_BIN:-false}"
	[memtime]="${DTL_MEMTIME_BIN:-false}"
	[mutexes]="${DTL_MUTEXES_BIN:-false}"
	[forks]='sh -c '\''n=0; while [ $n -lt 200 ]; do (exit $((n % 5))) ; n=$((n+1)); done; echo forked $n'\'''
)
order=(ls sort sha256sum find tar bash python make git forks signals memtime mutexes)
