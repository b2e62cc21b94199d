// SPDX-License-Identifier: MIT
/* ELF helpers (dune/elf.h); header checks follow the System V gABI. */
#include <dune/elf.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_exact(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOEXEC; /* truncated */
		done += (size_t)n;
	}
	return 0;
}

int dune_elf_open_fd(struct dune_elf *elf, int fd)
{
	struct stat st;
	const Elf64_Ehdr *h = &elf->ehdr;

	elf->fd = fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	elf->file_size = (uint64_t)st.st_size;
	int r = read_exact(fd, &elf->ehdr, sizeof(elf->ehdr), 0);
	if (r)
		return r;
	if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0 || h->e_ident[EI_CLASS] != ELFCLASS64 ||
	    h->e_ident[EI_DATA] != ELFDATA2LSB || h->e_machine != EM_X86_64 ||
	    (h->e_type != ET_EXEC && h->e_type != ET_DYN) || h->e_phentsize != sizeof(Elf64_Phdr) ||
	    h->e_phoff + (uint64_t)h->e_phnum * sizeof(Elf64_Phdr) > elf->file_size)
		return -ENOEXEC;
	return 0;
}

int dune_elf_open(struct dune_elf *elf, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = dune_elf_open_fd(elf, fd);
	if (r)
		close(fd);
	return r;
}

void dune_elf_close(struct dune_elf *elf)
{
	if (elf->fd >= 0)
		close(elf->fd);
	elf->fd = -1;
}

int dune_elf_iter_ph(struct dune_elf *elf, dune_elf_ph_cb cb, void *arg)
{
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		Elf64_Phdr ph;
		int r = read_exact(elf->fd, &ph, sizeof(ph), elf->ehdr.e_phoff + i * sizeof(ph));
		if (r)
			return r;
		r = cb(elf, &ph, arg);
		if (r)
			return r;
	}
	return 0;
}

int dune_elf_load_ph(struct dune_elf *elf, const Elf64_Phdr *ph, uintptr_t bias)
{
	if (ph->p_type != PT_LOAD || ph->p_filesz > ph->p_memsz ||
	    ph->p_offset + ph->p_filesz > elf->file_size)
		return -EINVAL;
	char *dst = (char *)(ph->p_vaddr + bias);
	int r = read_exact(elf->fd, dst, ph->p_filesz, ph->p_offset);
	if (r)
		return r;
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

struct interp_ctx {
	char *buf;
	size_t len;
	int found;
	bool dynamic;
};

static int find_interp(struct dune_elf *elf, const Elf64_Phdr *ph, void *arg)
{
	struct interp_ctx *c = arg;

	if (ph->p_type == PT_DYNAMIC)
		c->dynamic = true;
	if (ph->p_type != PT_INTERP || c->found)
		return 0;
	if (!c->buf)
		c->found = 1;
	else if (ph->p_filesz == 0 || ph->p_filesz > c->len)
		c->found = -ENAMETOOLONG;
	else if (read_exact(elf->fd, c->buf, ph->p_filesz, ph->p_offset) == 0) {
		c->buf[ph->p_filesz - 1] = '\0';
		c->found = 1;
	} else
		c->found = -ENOEXEC;
	return 0;
}

int dune_elf_interp(struct dune_elf *elf, char *buf, size_t len)
{
	struct interp_ctx c = {buf, len, 0, false};
	int r = dune_elf_iter_ph(elf, find_interp, &c);
	if (r)
		return r;
	return c.found == 1 ? 0 : c.found < 0 ? c.found : -ENOENT;
}

bool dune_elf_is_static(struct dune_elf *elf)
{
	struct interp_ctx c = {NULL, 0, 0, false};
	if (dune_elf_iter_ph(elf, find_interp, &c))
		return false;
	return !c.found && !c.dynamic;
}
