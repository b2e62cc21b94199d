// SPDX-License-Identifier: MIT
/* Two calls whose effect arrives late or elsewhere (issue 11, item 17):
 * fcntl(F_NOTIFY) on a directory delivers its signal (with F_SETSIG, and
 * SIGIO by default) when a file is made in it; the nsfs ioctls
 * (NS_GET_USERNS, NS_GET_NSTYPE, NS_GET_PARENT) answer in a forked child,
 * which had died of SIGSEGV inside Dune. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t events, event_fd;

static void on_event(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	events++;
	event_fd = si->si_fd;
}

static void dnotify(int sig)
{
	char dir[] = "/tmp/dtl-dnotify.XXXXXX", path[64];
	if (!mkdtemp(dir))
		return;
	struct sigaction sa = {.sa_sigaction = on_event, .sa_flags = SA_SIGINFO};
	sigaction(sig, &sa, NULL);
	events = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (sig != SIGIO)
		fcntl(fd, F_SETSIG, sig);
	int r = fcntl(fd, F_NOTIFY, DN_CREATE | DN_MULTISHOT);
	snprintf(path, sizeof(path), "%s/new", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	for (int i = 0; i < 2000 && !events; i++)
		usleep(1000);
	printf("F_NOTIFY with %s: %d, events %d, si_fd %s\n", sig == SIGIO ? "SIGIO" : "SIGRTMIN+1",
	       r, (int)events,
	       sig == SIGIO     ? "(not set for SIGIO)"
	       : event_fd == fd ? "the directory"
	                        : "wrong");
	close(fd);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	dnotify(SIGRTMIN + 1);
	dnotify(SIGIO);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/proc/self/ns/pid", O_RDONLY);
		int user = ioctl(fd, NS_GET_USERNS);
		int type = ioctl(fd, NS_GET_NSTYPE);
		int parent = ioctl(fd, NS_GET_PARENT);
		printf("child: NS_GET_USERNS %s, NS_GET_NSTYPE %s, NS_GET_PARENT %s\n",
		       user >= 0 ? "a descriptor" : strerror(errno),
		       type == CLONE_NEWPID ? "CLONE_NEWPID" : "wrong",
		       parent >= 0 ? "a descriptor" : strerror(errno));
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
