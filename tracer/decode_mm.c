// SPDX-License-Identifier: MIT
/*
 * Memory mappings: protections, mmap/mremap/msync/mlock flags, madvise
 * advice, memfd_create's flags; the per-call decoders of mmap and mremap.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <sys/mman.h>

static const struct dtl_flag_name prot_flags[] = {
    X(PROT_READ),        X(PROT_WRITE),     X(PROT_EXEC),
    XN(0x8, "PROT_SEM"), X(PROT_GROWSDOWN), X(PROT_GROWSUP),
};

static const struct dtl_flag_name mmap_flags[] = {
    X(MAP_FIXED),
    X(MAP_ANONYMOUS),
    X(MAP_32BIT),
    X(MAP_NORESERVE),
    X(MAP_POPULATE),
    X(MAP_NONBLOCK),
    X(MAP_GROWSDOWN),
    X(MAP_DENYWRITE),
    X(MAP_EXECUTABLE),
    X(MAP_LOCKED),
    X(MAP_STACK),
    X(MAP_HUGETLB),
    XN(0x80000, "MAP_SYNC"),
    XN(0x100000, "MAP_FIXED_NOREPLACE"),
};

void dtl_print_mmap_flags(FILE *out, uint32_t v)
{
	static const char *types[] = {"MAP_FILE", "MAP_SHARED", "MAP_PRIVATE",
	                              "MAP_SHARED_VALIDATE"};
	if ((v & 0xf) > 3) {
		fprintf(out, "%#x /* MAP_??? */", v);
		return;
	}
	fputs(types[v & 0xf], out);
	unsigned huge = v >> 26;
	v &= ~0xfu & ((1u << 26) - 1);
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, mmap_flags, DTL_N(mmap_flags), NULL);
	}
	if (huge)
		fprintf(out, "|%u<<MAP_HUGE_SHIFT", huge);
}

static const struct dtl_flag_name mremap_flags[] = {X(MREMAP_MAYMOVE), X(MREMAP_FIXED),
                                                    XN(4, "MREMAP_DONTUNMAP")};
static const struct dtl_flag_name msync_flags[] = {X(MS_ASYNC), X(MS_SYNC), X(MS_INVALIDATE)};
static const struct dtl_flag_name madvise_advice[] = {
    XN(0, "MADV_NORMAL"),           XN(1, "MADV_RANDOM"),         XN(2, "MADV_SEQUENTIAL"),
    XN(3, "MADV_WILLNEED"),         XN(4, "MADV_DONTNEED"),       XN(8, "MADV_FREE"),
    XN(9, "MADV_REMOVE"),           XN(10, "MADV_DONTFORK"),      XN(11, "MADV_DOFORK"),
    XN(12, "MADV_MERGEABLE"),       XN(13, "MADV_UNMERGEABLE"),   XN(14, "MADV_HUGEPAGE"),
    XN(15, "MADV_NOHUGEPAGE"),      XN(16, "MADV_DONTDUMP"),      XN(17, "MADV_DODUMP"),
    XN(18, "MADV_WIPEONFORK"),      XN(19, "MADV_KEEPONFORK"),    XN(20, "MADV_COLD"),
    XN(21, "MADV_PAGEOUT"),         XN(22, "MADV_POPULATE_READ"), XN(23, "MADV_POPULATE_WRITE"),
    XN(24, "MADV_DONTNEED_LOCKED"), XN(25, "MADV_COLLAPSE"),      XN(100, "MADV_HWPOISON"),
    XN(101, "MADV_SOFT_OFFLINE"),
};

static const struct dtl_flag_name mfd_flags[] = {XN(1, "MFD_CLOEXEC"), XN(2, "MFD_ALLOW_SEALING"),
                                                 XN(4, "MFD_HUGETLB"), XN(8, "MFD_NOEXEC_SEAL"),
                                                 XN(0x10, "MFD_EXEC")};
static const struct dtl_flag_name mlock_flags[] = {XN(1, "MLOCK_ONFAULT")};

/* memfd_create: the flags, then the huge page size as strace writes it */
void dtl_print_mfd_flags(FILE *out, uint32_t v)
{
	uint32_t huge = v >> 26;
	v &= (1u << 26) - 1;
	if (!huge) {
		dtl_print_xflags(out, v, mfd_flags, DTL_N(mfd_flags), "0", "MFD_???");
		return;
	}
	if (v) {
		dtl_print_xflags(out, v, mfd_flags, DTL_N(mfd_flags), "0", "MFD_???");
		fputc('|', out);
	}
	fprintf(out, "%u<<MFD_HUGE_SHIFT", huge);
}

void dtl_print_prot(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, prot_flags, DTL_N(prot_flags), "PROT_NONE", "PROT_???");
}

void dtl_print_mremap_flags(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, mremap_flags, DTL_N(mremap_flags), "0", "MREMAP_???");
}

void dtl_print_msync_flags(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, msync_flags, DTL_N(msync_flags), "0", "MS_???");
}

void dtl_print_madvise(FILE *out, uint32_t v)
{
	dtl_print_xval(out, v, madvise_advice, DTL_N(madvise_advice), "MADV_???");
}

void dtl_print_mlock_flags(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, mlock_flags, DTL_N(mlock_flags), "0", "MLOCK_???");
}

/* mmap: the offset in hex */
bool dtl_decode_mmap_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i != 5)
		return false;
	dtl_print_hex(c->out, c->ev->args[i]);
	return true;
}

/* mremap: the new address only with MREMAP_FIXED */
int dtl_decode_mremap_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	if (!(c->ev->args[3] & MREMAP_FIXED))
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

bool dtl_decode_mremap_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i != 4)
		return false;
	dtl_print_addr(c->out, c->ev->args[i]);
	return true;
}
