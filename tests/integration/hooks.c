// SPDX-License-Identifier: MIT
/*
 * Several tools in one process (dune/hook.h): the program runs in ring 3
 * (dune_enter_user) under three system-call entry hooks, two exit hooks, two
 * page-fault hooks and a vCPU-create hook, with a tool host call and the
 * protection overlay.
 *   - entry hooks run by priority until one handles the call; exit hooks in
 *     reverse order for every call, seeing (and changing) the result;
 *   - page faults no hook handles still reach demand paging (a growing stack);
 *   - a write-protection of two tools survives the program's own mprotect:
 *     the write faults into the #PF hook, which lifts one tool's restriction
 *     at a time;
 *   - munmap of a restricted page tells its tool;
 *   - a thread created in the VM runs the vCPU-create hook on its own vCPU,
 *     and the vCPU-exit hook when it ends;
 *   - a vCPU-create hook's own system call does not change what fork returns
 *     in the child
 *   - a fork child inherits hooks and overlay; demand paging does not map a
 *     page the overlay denies; the exec hook sees the path before exec.
 */
#include "dtl_test.h"

#include <dune/hook.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_HOOKTEST  0x7001 /* handled by hook B: the sum of its arguments */
#define SYS_HOOKTEST2 0x7002 /* nobody handles it: -ENOSYS, changed to 7 on exit */
#define PG            4096UL

/* checks in ring 3: ordinary stdio (its system calls go through the hooks) */
#define R3CHECK(cond)                                                                   \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                        \
		}                                                                       \
	} while (0)

/* written by the hooks behind the program's back: volatile */
static volatile char trail[64]; /* the hooks that ran for SYS_HOOKTEST, in order */
static volatile int ntrail;
static volatile long entries_seen, exits_seen;
static int sum_call;
static uintptr_t region, gone_region, forbidden;
static int tool1, tool2;
static volatile int wp_faults, pf_passed_first, pf_seen_second;
static volatile uint64_t wp_fec;
static volatile int notified, notified_tool;
static volatile uintptr_t notified_va;
static volatile size_t notified_len;
static volatile int created[8], created_tid[8], created_ppid[8], ncreated, vcpu_exits;

static void mark(char c)
{
	if (ntrail < (int)sizeof(trail) - 1)
		trail[ntrail++] = c;
}

static enum dune_hook_result entry_a(struct dune_tf *tf, void *arg)
{
	CHECK_EQ((long)arg, 'A');
	CHECK(dune_tf_from_user(tf));
	__atomic_add_fetch(&entries_seen, 1, __ATOMIC_RELAXED);
	if (tf->rax == SYS_HOOKTEST)
		mark('A');
	return DUNE_HOOK_PASS;
}

static enum dune_hook_result entry_b(struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (tf->rax != SYS_HOOKTEST)
		return DUNE_HOOK_PASS;
	mark('B');
	tf->rax = (uint64_t)dune_tool_hostcall(sum_call, tf->rdi, tf->rsi, 0, 0, 0, 0);
	return DUNE_HOOK_HANDLED;
}

static enum dune_hook_result entry_c(struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (tf->rax == SYS_HOOKTEST)
		mark('C'); /* never: B handled it */
	return DUNE_HOOK_PASS;
}

static void exit_x(struct dune_tf *tf, long nr, void *arg)
{
	(void)arg;
	__atomic_add_fetch(&exits_seen, 1, __ATOMIC_RELAXED);
	if (nr == SYS_HOOKTEST) {
		mark('x');
		CHECK_EQ(tf->rax, 42);
	}
}

static void exit_y(struct dune_tf *tf, long nr, void *arg)
{
	(void)arg;
	if (nr == SYS_HOOKTEST)
		mark('y');
	if (nr == SYS_HOOKTEST2) {
		CHECK_EQ((long)tf->rax, -ENOSYS); /* it went to the host */
		tf->rax = 7;
	}
}

/* runs in the monitor */
static long host_sum(const uint64_t args[6], void *arg)
{
	CHECK_EQ((long)arg, 99);
	CHECK(!dune_entered());
	return (long)(args[0] + args[1]);
}

/* the tool's #PF hook: the write-protected page only */
static enum dune_hook_result pf_first(uintptr_t addr, uint64_t fec, struct dune_tf *tf, void *arg)
{
	(void)tf;
	(void)arg;
	if (addr < region || addr >= region + PG) {
		pf_passed_first++;
		return DUNE_HOOK_PASS;
	}
	wp_faults++;
	wp_fec = fec;
	/* one tool at a time: the other's restriction must still hold */
	CHECK_EQ(dune_overlay_lift(wp_faults == 1 ? tool1 : tool2, region, PG), 0);
	return DUNE_HOOK_HANDLED;
}

static enum dune_hook_result pf_second(uintptr_t addr, uint64_t fec, struct dune_tf *tf, void *arg)
{
	(void)addr;
	(void)fec;
	(void)tf;
	(void)arg;
	pf_seen_second++;
	return DUNE_HOOK_PASS; /* on to demand paging */
}

static void on_vcpu_create(enum dune_vcpu_start how, void *arg)
{
	(void)arg;
	int i = __atomic_fetch_add(&ncreated, 1, __ATOMIC_RELAXED);
	if (i < 8) {
		created[i] = how;
		created_tid[i] = dune_vcpu_tid();
		/* a hook may make system calls, also in a fork child that has
		 * not yet returned from its fork: the fork still returns 0 */
		created_ppid[i] = (int)dune_syscall6(SYS_getppid, 0, 0, 0, 0, 0, 0);
	}
}

static void on_vcpu_exit(bool process_exit, void *arg)
{
	(void)arg;
	if (!process_exit)
		__atomic_add_fetch(&vcpu_exits, 1, __ATOMIC_RELAXED);
}

static int exec_pipe = -1;

/* runs in the monitor of the exec'ing thread: tell the parent the path */
static void on_exec(const char *path, void *arg)
{
	(void)arg;
	dune_syscall6(SYS_write, exec_pipe, (long)path, (long)strlen(path), 0, 0, 0);
}

static void on_unmapped(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va,
                        void *arg)
{
	(void)new_va;
	CHECK_EQ(ev, DUNE_OVERLAY_UNMAPPED);
	notified++;
	notified_tool = (int)(long)arg;
	notified_va = va;
	notified_len = len;
}

/* ~2.5 MiB of stack below what was mapped at entry: demand paging */
static __attribute__((noinline)) long grow_stack(int depth)
{
	volatile char frame[64 * 1024];
	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	long below = depth ? grow_stack(depth - 1) : 0;
	return below + frame[0] + frame[sizeof(frame) - 1];
}

static void *worker(void *arg)
{
	*(int *)arg = (int)syscall(SYS_gettid);
	return NULL;
}

int main(void)
{
	dtl_init_or_skip();
	CHECK(dune_hook_syscall_entry(20, entry_b, NULL) >= 0);
	CHECK(dune_hook_syscall_entry(30, entry_c, NULL) >= 0);
	CHECK(dune_hook_syscall_entry(10, entry_a, (void *)'A') >= 0);
	CHECK(dune_hook_syscall_exit(20, exit_y, NULL) >= 0);
	CHECK(dune_hook_syscall_exit(10, exit_x, NULL) >= 0);
	CHECK(dune_hook_pgflt(10, pf_second, NULL) >= 0);
	CHECK(dune_hook_pgflt(0, pf_first, NULL) >= 0);
	CHECK(dune_hook_vcpu_create(0, on_vcpu_create, NULL) >= 0);
	CHECK(dune_hook_vcpu_exit(0, on_vcpu_exit, NULL) >= 0);
	CHECK(dune_hook_exec(0, on_exec, NULL) >= 0);
	CHECK_EQ(dune_hook_vector(14, 0, NULL, NULL), -EINVAL);
	sum_call = dune_tool_hostcall_register(host_sum, (void *)99);
	CHECK(sum_call >= 0);
	/* a removed hook does not run */
	int h = dune_hook_syscall_entry(5, entry_c, NULL);
	CHECK_EQ(dune_hook_remove(h), 0);
	CHECK_EQ(dune_hook_remove(h), -ENOENT);

	void *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *g = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED && g != MAP_FAILED && f != MAP_FAILED);
	forbidden = (uintptr_t)f;
	region = (uintptr_t)m;
	gone_region = (uintptr_t)g;
	tool1 = dune_overlay_tool(on_unmapped, (void *)1L);
	tool2 = dune_overlay_tool(on_unmapped, (void *)2L);
	CHECK(tool1 >= 0 && tool2 >= 0 && tool1 != tool2);
	CHECK_EQ(dune_overlay_restrict(tool1, region, PG, DUNE_DENY_WRITE), 0);
	CHECK_EQ(dune_overlay_restrict(tool2, region, PG, DUNE_DENY_WRITE), 0);
	CHECK_EQ(dune_overlay_restrict(tool2, gone_region, PG, DUNE_DENY_ACCESS), 0);
	CHECK_EQ(dune_overlay_restrict(tool1, forbidden, PG, DUNE_DENY_ACCESS), 0);
	/* the runtime's pages are not the program's */
	CHECK_EQ(
	    dune_overlay_restrict(tool1, (uintptr_t)dune_page_pool()->base, PG, DUNE_DENY_WRITE),
	    -EINVAL);
	CHECK_EQ(dune_overlay_deny(region), DUNE_DENY_WRITE);
	CHECK_EQ(dune_overlay_deny(region + PG), 0);
	pid_t main_tid = (pid_t)syscall(SYS_gettid);

	if (dune_enter_user()) {
		printf("FAIL: dune_enter_user: %s\n", dune_last_error());
		return 1;
	}
	/* ring 3 from here on */
	R3CHECK(ncreated == 1 && created[0] == DUNE_VCPU_ENTER && created_tid[0] == main_tid);

	/* order: entry A, B (handles it: C never runs), exit y, x */
	R3CHECK(syscall(SYS_HOOKTEST, 40, 2) == 42);
	R3CHECK(ntrail == 4 && trail[0] == 'A' && trail[1] == 'B' && trail[2] == 'y' &&
	        trail[3] == 'x');
	R3CHECK(syscall(SYS_HOOKTEST2) == 7);
	/* every call reaches the entry and the exit chain once */
	long e0 = entries_seen, x0 = exits_seen;
	for (int i = 0; i < 10; i++)
		R3CHECK(syscall(SYS_getppid) == getppid());
	R3CHECK(entries_seen - e0 == 20 && exits_seen - x0 == 20);

	/* faults nobody handles still reach demand paging */
	R3CHECK(grow_stack(40) > 0);
	R3CHECK(pf_passed_first > 0 && pf_seen_second == pf_passed_first);
	char *fresh =
	    mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R3CHECK(fresh != MAP_FAILED);
	for (size_t off = 0; off < (4 << 20); off += PG)
		fresh[off] = (char)(off >> 12);
	for (size_t off = 0; off < (4 << 20); off += PG)
		R3CHECK(fresh[off] == (char)(off >> 12));

	/* the overlay survives the program's mprotect of the same range */
	R3CHECK(mprotect((void *)region, 2 * PG, PROT_READ | PROT_WRITE) == 0);
	R3CHECK(wp_faults == 0);
	((volatile char *)region)[PG] = 2; /* not restricted */
	R3CHECK(wp_faults == 0);
	((volatile char *)region)[8] = 1;
	R3CHECK(wp_faults == 2); /* tool1's, then tool2's restriction */
	R3CHECK(wp_fec & PF_ERR_P);
	R3CHECK(wp_fec & PF_ERR_W);
	R3CHECK(wp_fec & PF_ERR_U);
	R3CHECK(((volatile char *)region)[8] == 1);
	R3CHECK(pf_seen_second == pf_passed_first); /* the hook handled them */

	/* unmapping restricted memory tells its tool */
	R3CHECK(munmap((void *)gone_region, PG) == 0);
	R3CHECK(notified == 1 && notified_tool == 2 && notified_va == gone_region &&
	        notified_len == PG);

	/* a thread gets its own vCPU, and the hook ran there first */
	pthread_t t;
	int worker_tid = 0;
	R3CHECK(pthread_create(&t, NULL, worker, &worker_tid) == 0);
	R3CHECK(pthread_join(t, NULL) == 0);
	R3CHECK(ncreated == 2 && created[1] == DUNE_VCPU_THREAD && created_tid[1] == worker_tid);
	R3CHECK(vcpu_exits == 1);

	/* a fork child inherits hooks and overlay; demand paging does not map
	 * a page the overlay denies when no hook handles the fault */
	pid_t child = fork();
	R3CHECK(child >= 0);
	if (child == 0) {
		if (ncreated != 3 || created[2] != DUNE_VCPU_FORK || created_ppid[2] != getppid())
			_exit(3);
		int passed = pf_passed_first;
		(void)*(volatile char *)forbidden;
		_exit(pf_passed_first > passed ? 4 : 5); /* not reached */
	}
	int status;
	R3CHECK(waitpid(child, &status, 0) == child);
	R3CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);

	/* the exec hook runs before the image is replaced */
	int fds[2];
	char got[32] = "";
	R3CHECK(pipe(fds) == 0);
	exec_pipe = fds[1];
	child = fork();
	R3CHECK(child >= 0);
	if (child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	R3CHECK(waitpid(child, &status, 0) == child);
	R3CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[1]);
	R3CHECK(read(fds[0], got, sizeof(got) - 1) == 9 && strcmp(got, "/bin/true") == 0);
	printf("hooks: %ld calls through the chains, %d faults passed to demand paging, %d "
	       "write-protection faults, %d vCPUs created\n",
	       entries_seen, pf_passed_first, wp_faults, ncreated);
	return 0;
}
