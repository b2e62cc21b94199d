// SPDX-License-Identifier: MIT
/*
 * kvm_smoke: the VM rig's self-test. Proves that /dev/kvm inside the emulated
 * machine really runs guest code: creates a VM with one vCPU in real mode,
 * runs a few instructions that compute a value, write it to an I/O port, read
 * a port, and halt, and checks every exit on the way.
 *
 * Exit status: 0 success, 1 failure, 77 (skip) when there is no /dev/kvm.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM 0x10000UL /* 64 KiB of guest-physical memory at 0 */
#define CODE_ADDR 0x1000UL
#define PORT_OUT  0xe9 /* Bochs/QEMU "debug port" number; any port exits */
#define PORT_IN   0xea
#define IN_VALUE  0x5a
#define SKIP_EXIT 77

/*
 * 16-bit real-mode guest code:
 *	mov  ax, 0x1234
 *	add  ax, 0x0101		; ax = 0x1335
 *	out  0xe9, ax		; KVM_EXIT_IO, OUT, 2 bytes, 0x1335
 *	in   al, 0xea		; KVM_EXIT_IO, IN, 1 byte: we supply IN_VALUE
 *	mov  bl, al
 *	hlt			; KVM_EXIT_HLT
 */
/* clang-format off */
static const uint8_t guest_code[] = {
	0xb8, 0x34, 0x12,	/* mov ax, 0x1234 */
	0x05, 0x01, 0x01,	/* add ax, 0x0101 */
	0xe7, PORT_OUT,		/* out imm8, ax */
	0xe4, PORT_IN,		/* in al, imm8 */
	0x88, 0xc3,		/* mov bl, al */
	0xf4,			/* hlt */
};
/* clang-format on */

static int fail(const char *what)
{
	fprintf(stderr, "kvm_smoke: FAIL: %s: %s\n", what, strerror(errno));
	return 1;
}

static int failx(const char *fmt, unsigned long a, unsigned long b)
{
	fprintf(stderr, "kvm_smoke: FAIL: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 1;
}

static const char *exit_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_IO:
		return "IO";
	case KVM_EXIT_HLT:
		return "HLT";
	case KVM_EXIT_MMIO:
		return "MMIO";
	case KVM_EXIT_SHUTDOWN:
		return "SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY:
		return "FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR:
		return "INTERNAL_ERROR";
	default:
		return "other";
	}
}

static int run_once(int vcpu, struct kvm_run *run, uint32_t want)
{
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("KVM_RUN");
	if (run->exit_reason != want) {
		fprintf(stderr, "kvm_smoke: FAIL: exit %u (%s), expected %u (%s)", run->exit_reason,
		        exit_name(run->exit_reason), want, exit_name(want));
		if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
			fprintf(stderr, " hw reason 0x%llx",
			        (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		fputc('\n', stderr);
		return 1;
	}
	return 0;
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		if (errno == ENOENT) {
			fprintf(stderr, "kvm_smoke: SKIP: no /dev/kvm\n");
			return SKIP_EXIT;
		}
		return fail("open /dev/kvm");
	}

	int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		return failx("KVM API version %lu, expected %lu", (unsigned long)api,
		             KVM_API_VERSION);

	int vm = ioctl(kvm, KVM_CREATE_VM, 0UL);
	if (vm < 0)
		return fail("KVM_CREATE_VM");

	uint8_t *mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap guest memory");
	memcpy(mem + CODE_ADDR, guest_code, sizeof(guest_code));

	struct kvm_userspace_memory_region region = {
	    .slot = 0,
	    .guest_phys_addr = 0,
	    .memory_size = GUEST_MEM,
	    .userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");

	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0UL);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_run *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");

	/* Real mode, CS:IP = 0:CODE_ADDR (the reset state has CS base 0xffff0000). */
	struct kvm_sregs sregs;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	struct kvm_regs regs = {.rip = CODE_ADDR, .rflags = 0x2 /* bit 1 is always set */};
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");

	/* 1: out 0xe9, ax */
	if (run_once(vcpu, run, KVM_EXIT_IO))
		return 1;
	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PORT_OUT || run->io.size != 2 ||
	    run->io.count != 1)
		return failx("OUT exit: port 0x%lx dir/size 0x%lx", run->io.port,
		             (unsigned long)run->io.direction << 8 | run->io.size);
	uint16_t out;
	memcpy(&out, (uint8_t *)run + run->io.data_offset, sizeof(out));
	if (out != 0x1335)
		return failx("OUT value 0x%lx, expected 0x%lx", out, 0x1335);

	/* 2: in al, 0xea -- KVM completes the IN with what we leave in the buffer. */
	if (run_once(vcpu, run, KVM_EXIT_IO))
		return 1;
	if (run->io.direction != KVM_EXIT_IO_IN || run->io.port != PORT_IN || run->io.size != 1)
		return failx("IN exit: port 0x%lx dir/size 0x%lx", run->io.port,
		             (unsigned long)run->io.direction << 8 | run->io.size);
	*((uint8_t *)run + run->io.data_offset) = IN_VALUE;

	/* 3: hlt */
	if (run_once(vcpu, run, KVM_EXIT_HLT))
		return 1;
	if (ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		return fail("KVM_GET_REGS");
	if ((regs.rbx & 0xff) != IN_VALUE || (regs.rax & 0xffff) != (0x1300 | IN_VALUE))
		return failx("guest registers rax 0x%lx rbx 0x%lx", regs.rax, regs.rbx);
	if (regs.rip != CODE_ADDR + sizeof(guest_code))
		return failx("guest rip 0x%lx, expected 0x%lx", regs.rip,
		             CODE_ADDR + sizeof(guest_code));

	printf("kvm_smoke: OK: real-mode guest ran: OUT 0x%x to port 0x%x, IN 0x%x from 0x%x, "
	       "HLT at rip 0x%llx\n",
	       out, PORT_OUT, IN_VALUE, PORT_IN, (unsigned long long)regs.rip);
	munmap(run, run_size);
	munmap(mem, GUEST_MEM);
	close(vcpu);
	close(vm);
	close(kvm);
	return 0;
}
