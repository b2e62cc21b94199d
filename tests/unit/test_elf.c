// SPDX-License-Identifier: MIT
#include <dune/elf.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

static void opens_own_executable(void **state)
{
	(void)state;
	struct dune_elf elf;
	char interp[256];

	assert_int_equal(dune_elf_open(&elf, "/proc/self/exe"), 0);
	assert_int_equal(elf.ehdr.e_machine, EM_X86_64);
	assert_int_equal(dune_elf_interp(&elf, interp, sizeof(interp)), 0);
	assert_non_null(strstr(interp, "ld-linux-x86-64.so"));
	assert_false(dune_elf_is_static(&elf));
	dune_elf_close(&elf);
}

struct load_ctx {
	int loads;
	uint64_t exec_vaddr;
};

static int count_loads(struct dune_elf *elf, const Elf64_Phdr *ph, void *arg)
{
	(void)elf;
	struct load_ctx *c = arg;
	if (ph->p_type == PT_LOAD) {
		c->loads++;
		if (ph->p_flags & PF_X)
			c->exec_vaddr = ph->p_vaddr;
	}
	return 0;
}

static int stop_early(struct dune_elf *elf, const Elf64_Phdr *ph, void *arg)
{
	(void)elf;
	(void)ph;
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void iterates_and_loads_segments(void **state)
{
	(void)state;
	struct dune_elf elf;
	struct load_ctx c = {0};

	assert_int_equal(dune_elf_open(&elf, "/proc/self/exe"), 0);
	assert_int_equal(dune_elf_iter_ph(&elf, count_loads, &c), 0);
	assert_true(c.loads >= 2);
	int n = 0;
	assert_int_equal(dune_elf_iter_ph(&elf, stop_early, &n), 7);

	/* load every PT_LOAD of this very file into a scratch area and compare
	 * the executable one with the code mapped in memory */
	Elf64_Phdr ph;
	for (unsigned i = 0; i < elf.ehdr.e_phnum; i++) {
		assert_int_equal(
		    pread(elf.fd, &ph, sizeof(ph), (off_t)(elf.ehdr.e_phoff + i * sizeof(ph))),
		    sizeof(ph));
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			break;
	}
	size_t len = (ph.p_memsz + 4095) & ~4095UL;
	char *scratch = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(scratch, MAP_FAILED);
	assert_int_equal(dune_elf_load_ph(&elf, &ph, (uintptr_t)scratch - ph.p_vaddr), 0);
	/* this function's own bytes are in the loaded text */
	extern char __executable_start[];
	uintptr_t bias = (uintptr_t)__executable_start; /* PIE: load address of vaddr 0 */
	const char *fn = (const char *)(uintptr_t)iterates_and_loads_segments;
	assert_memory_equal(scratch + ((uintptr_t)fn - bias - ph.p_vaddr), fn, 32);
	Elf64_Phdr bad = ph;
	bad.p_type = PT_NOTE;
	assert_int_equal(dune_elf_load_ph(&elf, &bad, 0), -EINVAL);
	munmap(scratch, len);
	dune_elf_close(&elf);
}

static void rejects_non_elf_files(void **state)
{
	(void)state;
	struct dune_elf elf;
	char path[] = "/tmp/dtl-elf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\necho hi\n", 18), 18);
	close(fd);
	assert_int_equal(dune_elf_open(&elf, path), -ENOEXEC);
	/* a truncated ELF header */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, ELFMAG, SELFMAG), SELFMAG);
	close(fd);
	assert_int_equal(dune_elf_open(&elf, path), -ENOEXEC);
	unlink(path);
	assert_int_equal(dune_elf_open(&elf, "/nonexistent/prog"), -ENOENT);
}

static void recognises_static_executables(void **state)
{
	(void)state;
	struct dune_elf elf;
	char interp[64];
	/* busybox-static is a dependency of the VM rig (scripts/deps.sh) */
	if (dune_elf_open(&elf, "/bin/busybox") != 0)
		skip();
	assert_true(dune_elf_is_static(&elf));
	assert_int_equal(dune_elf_interp(&elf, interp, sizeof(interp)), -ENOENT);
	dune_elf_close(&elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_own_executable),
	    cmocka_unit_test(iterates_and_loads_segments),
	    cmocka_unit_test(rejects_non_elf_files),
	    cmocka_unit_test(recognises_static_executables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
