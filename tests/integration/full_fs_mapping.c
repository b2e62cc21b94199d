// SPDX-License-Identifier: MIT
/*
 * Writing through a shared mapping of a file on a full file system: each
 * page that needs a block the file system no longer has is SIGBUS
 * (BUS_ADRERR) at the write, natively (issue 11, item 20). Inside Dune the
 * hypervisor's fault-in of the page failed inside KVM_RUN and the VM
 * stopped. usage: full_fs_mapping DIR, DIR a small file system of its own
 * (tests/integration/full_fs_mapping.sh mounts one).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf back;
static volatile int code;
static void *volatile at;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	code = si->si_code;
	at = si->si_addr;
	siglongjmp(back, 1);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char path[4096], page[PAGE];
	memset(page, 1, sizeof(page));
	/* two pages kept free, the rest filled */
	snprintf(path, sizeof(path), "%s/room", argv[1]);
	int room = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (room < 0 || write(room, page, PAGE) != PAGE || write(room, page, PAGE) != PAGE)
		return 1;
	close(room);
	snprintf(path, sizeof(path), "%s/fill", argv[1]);
	int fill = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	while (write(fill, page, PAGE) > 0)
		;
	close(fill);
	snprintf(path, sizeof(path), "%s/room", argv[1]);
	unlink(path);

	snprintf(path, sizeof(path), "%s/mapped", argv[1]);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 8 * PAGE) < 0)
		return 1;
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};
	sigaction(SIGBUS, &sa, NULL);
	static volatile int written;
	for (int i = 0; i < 8; i++) {
		if (sigsetjmp(back, 1)) {
			printf("page %d: SIGBUS, si_code %d, at the page written: %s\n", i, code,
			       at == p + i * PAGE ? "yes" : "no");
			continue;
		}
		p[i * PAGE] = 'x';
		written++;
	}
	printf("%d of 8 pages written\n", written);
	/* what was written is in the file */
	char c = 0;
	pread(fd, &c, 1, 0);
	printf("the file's first byte: %c\n", c);
	return 0;
}
