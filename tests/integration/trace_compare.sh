#!/usr/bin/env bash
# Runs a program under strace and under dtrace-lite with the same options and
# compares the two traces after normalising what legitimately differs.
#
#   trace_compare.sh DTRACE_LITE NAME [--sort] [--status N] [--opts "OPTS"]
#                    -- PROG [ARGS...]
#
# runs, each in a fresh empty working directory with stdin from /dev/null:
#   PROG ARGS                                 (native: the reference status)
#   strace      -o A OPTS PROG ARGS
#   DTRACE_LITE -o B OPTS PROG ARGS
# and fails unless both traces normalise to the same text, both exit statuses
# equal the native one (and N, with --status), and the program's stdout and
# stderr are the same in all three runs. Prints the diff (strace's side is
# "-", dtrace-lite's "+") on failure; exits 77 (skipped) without a usable
# /dev/kvm, strace or python3. DTRACE_LITE may be strace itself, which
# checks that the program and the normalisation are deterministic.
#
# Normalisation (the Python below), in this order:
#  * pid prefixes: strace -f -o writes "PID  call(...)", on stderr
#    "[pid PID] call(...)"; both forms are parsed and each is written back in
#    its own form with the pid renumbered, so a difference of form shows.
#  * merging: "call(args <unfinished ...>" and the same pid's later
#    "<... call resumed>rest" become one line "call(argsrest" (at the place
#    of the resumed half).
#  * the start: everything before the program's marker line
#    write(1, "BEGIN\n", 6) goes (dtrace-lite starts tracing only once its
#    runtime is injected, after ld.so); likewise, after a successful execve,
#    a process's lines up to its next marker, exit_group/exit or +++/--- line
#    (the new image's ld.so start-up).
#  * pids and tids become P1, P2... Known pids: the prefixes, the results of
#    clone/clone3/fork/vfork (and clone3's parent_tid=[N]), of getpid,
#    gettid, getppid, getpgrp, getpgid, getsid. A number outside a string
#    that equals a known pid is replaced, nothing else. Numbering: P1 is the
#    process of the first line; then the pids in the order they occur in
#    P1's lines, breadth first through the processes so found; so it does not
#    depend on how the processes' lines interleave.
#  * masked values: addresses (0x + 6 or more hex digits, except after "|"
#    or before " /*", where they are flag bits) -> ADDR; decimal addresses
#    returned by rt_sigreturn (the interrupted rax) -> ADDR; -T's <0.000123>;
#    -t/-tt/-ttt/-r timestamps; the "left {...}" of ppoll/select; the times
#    written by clock_gettime, gettimeofday, time, times, getrusage, sysinfo,
#    timer/timerfd_gettime, getitimer; st_/stx_ [amcb]times; inode numbers
#    (st_ino, stx_ino, d_ino); the size of directories; si_utime/si_stime of
#    SIGCHLD; getrandom's bytes; ports: htons(N) where the program announced N
#    by writing "port NNNNN\n" somewhere (the announcement becomes PORTn too).
#  * alignment: strace pads the " = result" to column 40 counting the pid
#    prefix, whose width varies; in lines that had a prefix or were merged
#    the padding becomes one space. Lines without either keep it exactly.
#  * --sort: the lines are grouped by process (P1 first, each keeping its
#    order), for -f runs whose processes and threads interleave differently
#    from run to run.
set -uo pipefail

usage() {
	echo "usage: $0 DTRACE_LITE NAME [--sort] [--status N] [--opts \"OPTS\"] -- PROG [ARGS...]" >&2
	exit 2
}
[[ $# -ge 2 ]] || usage
tracer=$1 name=$2
shift 2
sort=0 opts="" want=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--sort) sort=1 ;;
	--status) want=$2; shift ;;
	--opts) opts=$2; shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
	shift
done
[[ $# -ge 1 ]] || usage
prog=$1
shift
# the runs happen in a scratch directory: make the program's path absolute
[[ $prog == */* ]] && prog=$(realpath "$prog")

[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: strace not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
[[ $tracer == */* ]] && tracer=$(realpath "$tracer")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
limit=${DTL_COMPARE_TIMEOUT:-120}

# run LABEL CMD...: in a fresh $tmp/work, no core files, a time limit;
# leaves the status in $tmp/LABEL.rc
run() {
	local label=$1
	shift
	rm -rf "$tmp/work"
	mkdir "$tmp/work"
	# (the braces keep bash's "Segmentation fault" notice quiet)
	{
		(
			cd "$tmp/work" || exit 1
			ulimit -c 0
			# only 0, 1 and 2 open, whatever the caller (ctest, make) left open
			for fd in "/proc/$BASHPID"/fd/*; do
				fd=${fd##*/}
				[[ $fd -gt 2 ]] && eval "exec $fd>&-"
			done
			exec timeout -k 5 "$limit" "$@" </dev/null >"$tmp/$label.out" 2>"$tmp/$label.err"
		)
		echo $? >"$tmp/$label.rc"
	} 2>/dev/null
}

# shellcheck disable=SC2086 # OPTS are words
run native "$prog" "$@"
# shellcheck disable=SC2086
run strace strace -o "$tmp/strace.trace" $opts "$prog" "$@"
# shellcheck disable=SC2086
run dtl "$tracer" -o "$tmp/dtl.trace" $opts "$prog" "$@"
rc0=$(<"$tmp/native.rc") rc1=$(<"$tmp/strace.rc") rc2=$(<"$tmp/dtl.rc")

read -r -d '' NORMALISE <<'PYEOF'
import re, sys

sort_mode = sys.argv[1] == "1"
lines = open(sys.argv[2], errors="surrogateescape").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()

MARKER = 'write(1, "BEGIN\\n", 6)'
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')

# 1. parse the prefixes: (pid or None, style, text)
recs = []  # [pid, style, text, the raw line that ends with the result]
for raw in lines:
    m = re.match(r'^(\d+) +(.*)$', raw)
    if m:
        recs.append([m.group(1), "num", m.group(2), raw])
        continue
    m = re.match(r'^\[pid +(\d+)\] (.*)$', raw)
    if m:
        recs.append([m.group(1), "bracket", m.group(2), raw])
        continue
    recs.append([None, "", raw, raw])
for r in recs:  # -t, -tt, -ttt, -r timestamps come after the prefix
    r[2] = re.sub(r'^(\d\d:\d\d:\d\d(\.\d+)?|\d+\.\d+) +', 'TIME ', r[2])

# 2. the start: from the program's marker on
start = next((i for i, r in enumerate(recs)
              if re.sub(r'^TIME ', '', r[2]).startswith(MARKER)), None)
if start is None:
    print("!!! no line " + MARKER + " in this trace")
    sys.exit(0)
recs = recs[start:]

# 3. merge "<unfinished ...>" with "<... NAME resumed>" per pid
out, pending = [], {}
for pid, style, text, raw in recs:
    if text.endswith(" <unfinished ...>") and not text.startswith("<..."):
        pending[pid] = (len(out), text[:-len(" <unfinished ...>")])
        out.append([pid, style, text, False, raw])
        continue
    m = re.match(r'^(?:TIME )?<\.\.\. (\w+) resumed>(.*)$', text)
    if m and pid in pending:
        at, head = pending.pop(pid)
        if re.match(r'^(TIME )?' + re.escape(m.group(1)) + r'\(', head):
            out[at] = None
            out.append([pid, style, head + m.group(2), True, raw])
            continue
    out.append([pid, style, text, False, raw])
recs = [r for r in out if r is not None]

def call_of(text):
    m = re.match(r'^(?:TIME )?(\w+)\(', text)
    return m.group(1) if m else None

# 4. after a successful execve, the new image's ld.so start-up
out, skipping = [], set()
for r in recs:
    pid, text = r[0], re.sub(r'^TIME ', '', r[2])
    if pid in skipping:
        if (text.startswith(MARKER) or text.startswith("+++") or text.startswith("---")
                or call_of(text) in ("exit_group", "exit")):
            skipping.discard(pid)
        else:
            continue
    out.append(r)
    if call_of(text) in ("execve", "execveat") and re.search(r'\) += 0$', text):
        skipping.add(pid)
recs = out

# 5. pids: which numbers are pids, then their numbering
RESULT = re.compile(r'\) += (\d+)(?: |$)')
known = set(r[0] for r in recs if r[0] is not None)
for r in recs:
    text = r[2]
    c = call_of(text)
    if c in ("clone", "clone3", "fork", "vfork", "getpid", "gettid", "getppid",
             "getpgrp", "getpgid", "getsid"):
        m = RESULT.search(text)
        if m:
            known.add(m.group(1))
    for m in re.finditer(r'parent_tid=\[(\d+)\]', text):
        known.add(m.group(1))
known.discard("0")

def numbers(text):
    # the decimal tokens outside strings, in order
    res = []
    for part in STRING.split(text):
        for m in re.finditer(r'(?<![\w.])\d+(?![\w.])', part):
            res.append(m.group(0))
    return res

order = {}
def number(p):
    if p not in order:
        order[p] = len(order) + 1
by_pid = {}
for r in recs:
    by_pid.setdefault(r[0], []).append(r)
roots = [recs[0][0]] if recs else []
queue = list(roots)
if roots and roots[0] is not None:
    number(roots[0])
seen_q = set(queue)
while queue:
    p = queue.pop(0)
    for r in by_pid.get(p, []):
        for n in numbers(r[2]):
            if n in known:
                number(n)
                if n in by_pid and n not in seen_q:
                    seen_q.add(n)
                    queue.append(n)
for r in recs:  # pids of processes no line of the first one leads to
    if r[0] is not None:
        number(r[0])
    for n in numbers(r[2]):
        if n in known:
            number(n)

def pid_name(n):
    return "P%d" % order[n]

# 6. ports the program announced
ports = {}
for r in recs:
    if call_of(r[2]) == "write":
        for m in re.finditer(r'"port (\d{5})\\n"', r[2]):
            ports.setdefault(str(int(m.group(1))), "PORT%d" % (len(ports) + 1))

TIME_CALLS = ("clock_gettime", "gettimeofday", "getrusage", "times", "sysinfo",
              "timer_gettime", "timerfd_gettime", "getitimer", "time")

def mask_code(seg, call):
    # a piece of a line outside strings
    seg = re.sub(r'(?<![\w|])0x[0-9a-f]{6,}(?![0-9a-f]| /\* \w+\?\?\? \*/)', 'ADDR', seg)
    seg = re.sub(r'<\d+\.\d+>', '<T>', seg)
    seg = re.sub(r'left \{[^}]*\}', 'left {TIME}', seg)
    seg = re.sub(r'\b(st_[amc]time(?:_nsec)?)=[^,}]*', r'\1=TIME', seg)
    seg = re.sub(r'\b(stx_[abcm]time)=\{[^}]*\}', r'\1={TIME}', seg)
    seg = re.sub(r'\b(st_ino|stx_ino|d_ino)=\d+', r'\1=INO', seg)
    seg = re.sub(r'\b(si_utime|si_stime)=\d+( /\* [0-9.]+ s \*/)?', r'\1=T', seg)
    seg = re.sub(r'(S_IFDIR\|[0-7]+, (?:st|stx)_size=)\d+', r'\1SIZE', seg)
    if call in TIME_CALLS:
        seg = re.sub(r'\b(tv_sec|tv_nsec|tv_usec)=\d+', r'\1=TIME', seg)
        seg = re.sub(r'\b(ru_\w+|tms_\w+)=\d+', r'\1=N', seg)
        if call == "sysinfo":
            seg = re.sub(r'=\d+', '=N', seg)
            seg = re.sub(r'loads=\[[\d, ]*\]', 'loads=[N]', seg)
        if call in ("time", "times"):
            seg = re.sub(r'\) += \d+ *(\([^)]*\))?$', ') = TIME', seg)
            seg = re.sub(r'^\[\d+\]', '[TIME]', seg)
    def port(m):
        return "htons(%s)" % ports.get(m.group(1), m.group(1))
    seg = re.sub(r'htons\((\d+)\)', port, seg)
    def pid(m):
        return pid_name(m.group(0)) if m.group(0) in known else m.group(0)
    seg = re.sub(r'(?<![\w.])\d+(?![\w.])', pid, seg)
    return seg

def mask(text):
    call = call_of(text)
    strings = STRING.findall(text)
    codes = STRING.split(text)
    if call == "getrandom" and strings:
        strings[0] = '"RANDOM"'
    if call == "write":
        strings = [re.sub(r'^"port (\d{5})\\n"$',
                          lambda m: '"port %s\\n"' % ports.get(str(int(m.group(1))), m.group(1)), s)
                   for s in strings]
    res = mask_code(codes[0], call)
    for s, c in zip(strings, codes[1:]):
        res += s + mask_code(c, call)
    if call == "rt_sigreturn":
        m = re.search(r'= (\d+)$', res)
        if m and 0x500000000000 <= int(m.group(1)) < 0x800000000000:
            res = res[:m.start(1)] + "ADDR"
    return res

# strace pads "call(...)" with spaces to column 39 of the line (its pid
# prefix included) and then writes " = result" (at least one space before
# the "="); a resumed line is padded on its own. Whether a line is padded so is judged on the raw line; a line that
# is becomes padded afresh after masking (its own padding when it has no
# prefix and is whole, one space otherwise), a line that is not says so.
SEP = re.compile(r'\)( +)= ')
def last_sep(text):
    found = list(SEP.finditer(text))
    return found[-1] if found else None

result = []
for pid, style, text, merged, raw in recs:
    text = mask(text)
    m, r = last_sep(text), last_sep(raw)
    if m and r:
        width = r.start(1)
        want = max(1, 40 - width)
        if len(r.group(1)) != want:
            pad = " <padded with %d spaces, not %d> " % (len(r.group(1)), want)
        elif style or merged:
            pad = " "
        else:
            pad = " " * max(1, 40 - m.start(1))
        text = text[:m.start(1)] + pad + text[m.end(1):]
    name = pid_name(pid) if pid is not None else None
    if style == "num":
        line = "%s %s" % (name, text)
    elif style == "bracket":
        line = "[pid %s] %s" % (name, text)
    else:
        line = text
    result.append((name, line))

if sort_mode:
    groups = {}
    for name, line in result:
        groups.setdefault(name, []).append(line)
    keys = sorted((k for k in groups if k is not None), key=lambda k: int(k[1:]))
    if None in groups:
        keys.append(None)
    for k in keys:
        print("=== %s" % (k or "lines without a pid"))
        for line in groups[k]:
            print(line)
else:
    for name, line in result:
        print(line)
PYEOF

fail=0
for side in strace dtl; do
	if [[ ! -s $tmp/$side.trace ]]; then
		echo "FAIL: $name: no trace from $side (status ${rc1}/${rc2}); its stderr:"
		cat "$tmp/$side.err"
		fail=1
	fi
done
python3 -c "$NORMALISE" "$sort" "$tmp/strace.trace" >"$tmp/strace.norm" 2>&1 || fail=1
python3 -c "$NORMALISE" "$sort" "$tmp/dtl.trace" >"$tmp/dtl.norm" 2>&1 || fail=1
if grep -q '^!!! ' "$tmp/strace.norm"; then
	echo "FAIL: $name: strace's trace has no marker line: the program or its options are wrong"
	fail=1
fi
if ! diff -u --label "strace $opts" --label "dtrace-lite $opts" "$tmp/strace.norm" "$tmp/dtl.norm" >"$tmp/diff"; then
	echo "FAIL: $name: the traces differ after normalisation ($(tail -n +3 "$tmp/diff" | grep -c '^[-+]') lines):"
	cat "$tmp/diff"
	fail=1
fi
for stream in out err; do
	for side in strace dtl; do
		if ! cmp -s "$tmp/native.$stream" "$tmp/$side.$stream"; then
			echo "FAIL: $name: the program's std$stream under $side differs from its native run:"
			diff -u --label native --label "$side" "$tmp/native.$stream" "$tmp/$side.$stream" | head -40
			fail=1
		fi
	done
done
if [[ -n $want && $rc0 != "$want" ]]; then
	echo "FAIL: $name: the program exits $rc0 natively, expected $want"
	fail=1
fi
if [[ $rc1 != "$rc0" || $rc2 != "$rc0" ]]; then
	echo "FAIL: $name: exit status: native $rc0, strace $rc1, dtrace-lite $rc2"
	fail=1
fi
if [[ -n ${DTL_COMPARE_KEEP:-} ]]; then # a directory for the traces, raw and normalised
	mkdir -p "$DTL_COMPARE_KEEP"
	cp "$tmp"/*.trace "$tmp"/*.norm "$tmp"/*.out "$tmp"/*.err "$tmp/diff" "$DTL_COMPARE_KEEP"/ 2>/dev/null
	echo "(traces kept in $DTL_COMPARE_KEEP)"
fi
[[ $fail -eq 0 ]] || exit 1
echo "PASS: $name: $(wc -l <"$tmp/strace.norm") lines the same, exit status $rc0"
