// SPDX-License-Identifier: MIT
/*
 * Starting a program inside Dune: find it, refuse what LD_PRELOAD cannot
 * inject (with the reason), start it with an injection library preloaded
 * (libdune-inject.so, or a tool's, such as the tracer's libdtl-inject.so)
 * and wait for the runtime's report that it entered the VM. Shared by
 * dune-run and dtrace-lite.
 */
#define _GNU_SOURCE
#include "launch.h"

#include <dune/elf.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HANDSHAKE_TIMEOUT_MS 30000

const char *dtl_prog_name = "dune-run";

bool dtl_find_program(const char *prog, char *out, size_t len)
{
	if (strchr(prog, '/')) {
		snprintf(out, len, "%s", prog);
		return access(out, F_OK) == 0;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(out, len, "%.*s/%s", (int)n, n ? p : ".", prog);
		struct stat st;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return true;
		p += n + (colon ? 1 : 0);
		if (!colon)
			break;
	}
	errno = ENOENT;
	return false;
}

/* Library @name: where DUNE_INJECT_LIB says, else where a build tree or an
 * installation puts it relative to this executable. */
static const char *inject_library(const char *name, char *buf, size_t len)
{
	const char *env = getenv("DUNE_INJECT_LIB");
	if (env)
		return env;
	/* next to this executable in the build tree or an installation */
	char self[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		const char *rel[] = {"../libdune/", "../tracer/", "../lib/dtrace-lite/", ""};
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, len, "%s/%s%s", self, rel[i], name);
			static char resolved[PATH_MAX];
			if (access(buf, R_OK) == 0)
				return realpath(buf, resolved) ? resolved : buf;
		}
	}
	return NULL;
}

/* Reasons the loader would ignore LD_PRELOAD, found before starting. */
static int check_injectable(const char *path)
{
	static int depth;
	if (++depth > 4) /* #! chains deeper than the kernel allows */
		return 0;
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: %s: %s\n", dtl_prog_name, path, strerror(errno));
		return 127;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		fprintf(stderr, "%s: %s: %s\n", dtl_prog_name, path,
		        S_ISDIR(st.st_mode) ? "Is a directory" : strerror(EACCES));
		return 126;
	}
	if (((st.st_mode & S_ISUID) && st.st_uid != getuid()) ||
	    ((st.st_mode & S_ISGID) && st.st_gid != getgid())) {
		fprintf(stderr,
		        "%s: %s is set-user-ID or set-group-ID: the dynamic loader ignores "
		        "LD_PRELOAD for it (secure-execution mode), so it cannot run inside "
		        "Dune. Run a copy without the bit, or as its owner.\n",
		        dtl_prog_name, path);
		return 126;
	}
	struct dune_elf elf;
	int r = dune_elf_open(&elf, path);
	if (r == 0) {
		bool is_static = dune_elf_is_static(&elf);
		dune_elf_close(&elf);
		if (is_static) {
			fprintf(stderr,
			        "%s: %s is statically linked: there is no dynamic loader to "
			        "LD_PRELOAD the Dune runtime into it. Rebuild it dynamically "
			        "linked.\n",
			        dtl_prog_name, path);
			return 126;
		}
	}
	if (r == -ENOEXEC) {
		/* a script: the kernel runs its #! interpreter, which must be
		 * injectable itself (anything subtler is caught by the handshake) */
		char line[PATH_MAX + 3];
		FILE *f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f) && line[0] == '#' && line[1] == '!') {
			char *interp = line + 2;
			interp += strspn(interp, " \t");
			interp[strcspn(interp, " \t\n")] = '\0';
			fclose(f);
			if (*interp && strcmp(interp, path) != 0)
				return check_injectable(interp);
		} else if (f) {
			fclose(f);
		}
	}
	return 0;
}

pid_t dtl_child;

/* End the way the program ended, so that a parent (a shell) sees the same
 * signal; the program already dumped any core, so this process does not. */
__attribute__((noreturn)) void dtl_die_like(int sig)
{
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(128 + sig); /* a signal whose default is to continue or stop */
}

void dtl_forward_signal(int sig)
{
	if (dtl_child > 0)
		kill(dtl_child, sig);
}

/* Wait for the library's report. Returns 0 once the program is inside. */
static int handshake(int fd, const char *path)
{
	char buf[1024];
	size_t have = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		int r = poll(&p, 1, HANDSHAKE_TIMEOUT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			fprintf(stderr,
			        "%s: %s did not report entering Dune within %d s; stopping it\n",
			        dtl_prog_name, path, HANDSHAKE_TIMEOUT_MS / 1000);
			return -1;
		}
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		if (strchr(buf, '\n'))
			break;
	}
	buf[have] = '\0';
	if (strncmp(buf, "ok\n", 3) == 0)
		return 0;
	if (strncmp(buf, "error: ", 7) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		fprintf(stderr, "%s: %s cannot run inside Dune: %s\n", dtl_prog_name, path,
		        buf + 7);
		return -2;
	}
	fprintf(stderr,
	        "%s: %s started without the Dune runtime: the dynamic loader did not honour "
	        "LD_PRELOAD (a statically linked interpreter, or an environment that "
	        "strips it); stopping it\n",
	        dtl_prog_name, path);
	return -1;
}

/* Is @path an ELF shared object for this machine (what ld.so preloads)? */
static bool is_shared_library(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool whole = read(fd, &eh, sizeof(eh)) == (ssize_t)sizeof(eh);
	close(fd);
	return whole && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	       eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_type == ET_DYN &&
	       eh.e_machine == EM_X86_64;
}

/* Find the program and the library, refuse what cannot be injected, and
 * make the pipe of the runtime's report. 0, or the exit status to end
 * with (after saying why). */
static int prepare(char **argv, const char *library, char *path, char *libbuf, const char **lib,
                   int pipefd[2])
{
	const char *prog = argv[0];
	if (!dtl_find_program(prog, path, PATH_MAX)) {
		fprintf(stderr, "%s: %s: command not found\n", dtl_prog_name, prog);
		return 127;
	}
	int r = check_injectable(path);
	if (r)
		return r;
	*lib = inject_library(library, libbuf, PATH_MAX);
	if (!*lib || access(*lib, R_OK) < 0) {
		fprintf(stderr, "%s: cannot find %s (set DUNE_INJECT_LIB)\n", dtl_prog_name,
		        library);
		return 127;
	}
	if (!is_shared_library(*lib)) {
		fprintf(stderr,
		        "%s: %s is not an x86-64 shared library: the dynamic loader would not "
		        "LD_PRELOAD it (check DUNE_INJECT_LIB)\n",
		        dtl_prog_name, *lib);
		return 126;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		perror(dtl_prog_name);
		return 127;
	}
	return 0;
}

/* In the process about to become the program: the report pipe (@report, the
 * write end), LD_PRELOAD with @lib first, @env_name=@env_value; then exec.
 * Returns only if the exec failed, with the status to end with. */
static int exec_program(const char *path, char **argv, int report, const char *lib,
                        const char *env_name, const char *env_value)
{
	char fdbuf[16], *preload;
	int wfd = dup(report); /* without O_CLOEXEC: survives the exec */
	snprintf(fdbuf, sizeof(fdbuf), "%d", wfd);
	setenv("DUNE_INJECT_FD", fdbuf, 1);
	const char *old = getenv("LD_PRELOAD");
	if (old && *old) {
		if (asprintf(&preload, "%s:%s", lib, old) < 0)
			return 127;
	} else {
		preload = (char *)lib;
	}
	setenv("LD_PRELOAD", preload, 1);
	if (env_name)
		setenv(env_name, env_value, 1);
	execv(path, argv);
	fprintf(stderr, "%s: %s: %s\n", dtl_prog_name, path, strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int dtl_launch(char **argv, const char *library, const char *env_name, const char *env_value)
{
	char path[PATH_MAX], libbuf[PATH_MAX];
	const char *lib;
	int pipefd[2];
	int r = prepare(argv, library, path, libbuf, &lib, pipefd);
	if (r)
		return r;
	pid_t launcher = getpid();
	dtl_child = fork();
	if (dtl_child < 0) {
		perror(dtl_prog_name);
		return 127;
	}
	if (dtl_child == 0) {
		/* The program dies with its launcher: a dtrace-lite killed by
		 * SIGKILL cannot pass anything on, and the program would run on
		 * orphaned and untraced. It survives the exec; the program may
		 * set its own. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != launcher)
			_exit(127); /* the launcher is gone already */
		_exit(exec_program(path, argv, pipefd[1], lib, env_name, env_value));
	}
	close(pipefd[1]);

	/* a shell's wait: the terminal's signals go to the program (same
	 * process group); ones sent to us are passed on */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	struct sigaction sa = {.sa_handler = dtl_forward_signal};
	int forwarded[] = {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH};
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);

	r = handshake(pipefd[0], path);
	close(pipefd[0]);
	if (r == -1)
		kill(dtl_child, SIGKILL);
	if (r < 0) {
		int status;
		while (waitpid(dtl_child, &status, 0) < 0 && errno == EINTR)
			;
		return r == -1 ? 126 : (WIFEXITED(status) ? WEXITSTATUS(status) : 127);
	}
	return 0;
}

int dtl_exec(char **argv, const char *library)
{
	char path[PATH_MAX], libbuf[PATH_MAX];
	const char *lib;
	int pipefd[2];
	int r = prepare(argv, library, path, libbuf, &lib, pipefd);
	if (r)
		return r;
	/* The watcher of the runtime's report: a grandchild, so that it is
	 * nobody's child once this process is the program (a child of the
	 * program would be one it never made, and its zombie its to reap). */
	pid_t program = getpid(), child = fork();
	if (child < 0) {
		perror(dtl_prog_name);
		return 127;
	}
	if (child == 0) {
		if (fork() != 0)
			_exit(0);
		close(pipefd[1]);
		if (handshake(pipefd[0], path) == -1)
			kill(program, SIGKILL); /* it runs outside Dune: never silently */
		_exit(0);                       /* closing the pipe lets an erring program end */
	}
	close(pipefd[0]);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	return exec_program(path, argv, pipefd[1], lib, NULL, NULL);
}
