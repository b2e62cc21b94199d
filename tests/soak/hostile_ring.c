// SPDX-License-Identifier: MIT
/*
 * A hostile program against the trace (issue 11, item 25 and "Done when"):
 * it looks for the event ring among the memory its /proc/self/maps does
 * not show (MAP_FIXED_NOREPLACE bisection of every gap), recognises it by
 * its magic, and for a few seconds writes into it through the kernel
 * (process_vm_writev on itself, which no page protection of the guest
 * stops): garbage, well-formed forged records, a claim it never publishes,
 * zeroed commit words, a head moved off a record boundary, a torn tail;
 * all the while making system calls that are traced. Natively there is no
 * ring and it only makes the calls. Its output and status must be the same
 * either way; stderr says what it did (the harness checks the front-end
 * survived it and said the ring held records no tracer writes).
 */
#define _GNU_SOURCE
#include <dtl/ring.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../behave/hidden_memory.h"

#define PAGE HIDDEN_PAGE

static unsigned long hidden[256][2];
static int nhidden;

static void remember(unsigned long lo, unsigned long hi)
{
	if (nhidden && hidden[nhidden - 1][1] == lo) {
		hidden[nhidden - 1][1] = hi;
	} else if (nhidden < 256) {
		hidden[nhidden][0] = lo;
		hidden[nhidden++][1] = hi;
	}
}

/* Memory through the kernel, as the program's own calls reach it. */
static bool peek(unsigned long addr, void *buf, size_t n)
{
	struct iovec local = {buf, n}, remote = {(void *)addr, n};
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n;
}

static bool poke(unsigned long addr, const void *buf, size_t n)
{
	struct iovec local = {(void *)buf, n}, remote = {(void *)addr, n};
	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n;
}

static unsigned long find_ring(void)
{
	hidden_memory(remember);
	for (int i = 0; i < nhidden; i++)
		for (unsigned long a = hidden[i][0]; a < hidden[i][1]; a += PAGE) {
			struct dtl_ring r;
			if (peek(a, &r, sizeof(r)) && r.magic == DTL_RING_MAGIC &&
			    r.data_size >= 4096 && !(r.data_size & (r.data_size - 1)))
				return a;
		}
	return 0;
}

static uint64_t seed = 88172645463325252ull;
static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

#define FIELD(ring, f) ((ring) + offsetof(struct dtl_ring, f))

/* One attack of the kinds the header lists; returns its name. */
static const char *attack(unsigned long ring, uint64_t data_size, int kind)
{
	unsigned long data = FIELD(ring, data);
	uint64_t head = 0, tail = 0;
	peek(FIELD(ring, head), &head, 8);
	peek(FIELD(ring, tail), &tail, 8);
	switch (kind) {
	case 0: { /* garbage anywhere */
		uint64_t junk[8];
		for (int i = 0; i < 8; i++)
			junk[i] = rnd();
		poke(data + (rnd() % (data_size - sizeof(junk)) & ~7ul), junk, sizeof(junk));
		return "garbage";
	}
	case 1: { /* a well-formed record for a call never made, at the head */
		struct dtl_rec_signal rec;
		memset(&rec, 0, sizeof(rec));
		rec.hdr.size = sizeof(rec);
		rec.hdr.type = DTL_REC_SIGNAL;
		rec.hdr.pid = getpid();
		rec.hdr.tid = getpid();
		rec.signo = 9;
		uint64_t new_head = head + sizeof(rec);
		if ((head & (data_size - 1)) + sizeof(rec) <= data_size) {
			poke(data + (head & (data_size - 1)), &rec, sizeof(rec));
			poke(FIELD(ring, head), &new_head, 8);
		}
		return "forged record";
	}
	case 2: { /* the record at the tail zeroed */
		uint64_t zero = 0;
		poke(data + (tail & (data_size - 1)), &zero, 8);
		return "zeroed commit word";
	}
	case 3: { /* the head off a record boundary */
		uint64_t odd = head + 12;
		poke(FIELD(ring, head), &odd, 8);
		return "head moved";
	}
	case 4: { /* the tail somewhere else */
		uint64_t t = tail + (rnd() % data_size);
		poke(FIELD(ring, tail), &t, 8);
		return "tail moved";
	}
	}
	return "";
}

int main(void)
{
	unsigned long ring = find_ring();
	uint64_t data_size = 0;
	if (ring)
		peek(FIELD(ring, data_size), &data_size, 8);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long calls = 0;
	int attacks = 0;
	for (int round = 0; round < 400; round++) {
		for (int i = 0; i < 50; i++, calls++)
			syscall(SYS_getppid);
		if (ring && round % 4 == 0)
			attack(ring, data_size, attacks++ % 5);
		/* and once, a claim it never publishes, named after itself */
		if (ring && round == 200) {
			uint64_t head;
			peek(FIELD(ring, head), &head, 8);
			struct dtl_rec claim = {.size = 64, .pid = getpid(), .tid = getpid()};
			poke(FIELD(ring, data) + (head & (data_size - 1)), &claim, sizeof(claim));
			head += 64;
			poke(FIELD(ring, head), &head, 8);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ring)
		fprintf(stderr, "hostile: attacked the ring at %#lx %d times\n", ring, attacks);
	printf("made %ld calls\n", calls);
	return 0;
}
