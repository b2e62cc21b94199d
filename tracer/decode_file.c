// SPDX-License-Identifier: MIT
/*
 * Files: open's and fcntl's flags and commands, modes, the *at() flags,
 * flock; the file status structs (stat, statx, statfs, open_how); and the
 * per-call decoders of open/openat, fcntl, mknod/mknodat, dup3/pipe2,
 * statx, faccessat2, the p{read,write}v family and getcwd.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* --- flags and modes -------------------------------------------------------------- */

static const struct dtl_flag_name open_flags[] = {
    X(O_CREAT),
    X(O_EXCL),
    X(O_NOCTTY),
    X(O_TRUNC),
    X(O_APPEND),
    X(O_NONBLOCK),
    X(O_SYNC),
    X(O_DSYNC),
    X(O_DIRECT),
    XN(0100000, "O_LARGEFILE"),
    X(O_NOFOLLOW),
    X(O_NOATIME),
    X(O_CLOEXEC),
    X(O_PATH),
    X(O_TMPFILE),
    X(O_DIRECTORY),
    XN(O_ASYNC, "FASYNC"),
};

void dtl_print_open_flags(FILE *out, uint32_t v)
{
	static const char *acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	fputs(acc[v & O_ACCMODE], out);
	v &= ~(uint32_t)O_ACCMODE;
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, open_flags, DTL_N(open_flags), NULL);
	}
}

void dtl_print_mode(FILE *out, uint32_t v)
{
	fprintf(out, "%#03o", v & 0177777);
}

/* mknod's mode: the file type by name */
static void print_mknod_mode(FILE *out, uint32_t v)
{
	static const struct dtl_flag_name types[] = {
	    XN(0140000, "S_IFSOCK"), XN(0120000, "S_IFLNK"), XN(0100000, "S_IFREG"),
	    XN(0060000, "S_IFBLK"),  XN(0040000, "S_IFDIR"), XN(0020000, "S_IFCHR"),
	    XN(0010000, "S_IFIFO"),
	};
	const char *t = dtl_xlookup(v & 0170000, types, DTL_N(types));
	if (t)
		fprintf(out, "%s|%#03o", t, v & 07777);
	else
		dtl_print_mode(out, v);
}

static const struct dtl_flag_name at_flags[] = {
    X(AT_SYMLINK_NOFOLLOW), X(AT_REMOVEDIR),  X(AT_SYMLINK_FOLLOW),
    X(AT_NO_AUTOMOUNT),     X(AT_EMPTY_PATH), XN(0x8000, "AT_RECURSIVE"),
};
/* faccessat2: 0x200 is AT_EACCESS there */
static const struct dtl_flag_name at_flags_access[] = {
    X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS),    X(AT_SYMLINK_FOLLOW),
    X(AT_NO_AUTOMOUNT),     X(AT_EMPTY_PATH), XN(0x8000, "AT_RECURSIVE"),
};

static void print_statx_at_flags(FILE *out, uint32_t v)
{
	static const char *sync[] = {"AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC",
	                             "AT_STATX_DONT_SYNC",
	                             "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC"};
	fputs(sync[(v >> 13) & 3], out);
	v &= ~0x6000u;
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, at_flags, DTL_N(at_flags), NULL);
	}
}

static const struct dtl_flag_name fcntl_cmds[] = {
    X(F_DUPFD),         X(F_GETFD),      X(F_SETFD),
    X(F_GETFL),         X(F_SETFL),      X(F_GETLK),
    X(F_SETLK),         X(F_SETLKW),     X(F_SETOWN),
    X(F_GETOWN),        X(F_SETSIG),     X(F_GETSIG),
    X(F_SETOWN_EX),     X(F_GETOWN_EX),  X(F_OFD_GETLK),
    X(F_OFD_SETLK),     X(F_OFD_SETLKW), X(F_SETLEASE),
    X(F_GETLEASE),      X(F_NOTIFY),     XN(1029, "F_CANCELLK"),
    X(F_DUPFD_CLOEXEC), X(F_SETPIPE_SZ), X(F_GETPIPE_SZ),
    X(F_ADD_SEALS),     X(F_GET_SEALS),
};
static const struct dtl_flag_name fd_flags[] = {X(FD_CLOEXEC)};
static const struct dtl_flag_name lease_types[] = {X(F_RDLCK), X(F_WRLCK), X(F_UNLCK)};
static const struct dtl_flag_name dn_flags[] = {
    X(DN_ACCESS), X(DN_MODIFY), X(DN_CREATE),    X(DN_DELETE),
    X(DN_RENAME), X(DN_ATTRIB), X(DN_MULTISHOT),
};
static const struct dtl_flag_name seals[] = {
    X(F_SEAL_SEAL),
    X(F_SEAL_SHRINK),
    X(F_SEAL_GROW),
    X(F_SEAL_WRITE),
    XN(0x10, "F_SEAL_FUTURE_WRITE"),
};

static const struct dtl_flag_name flock_ops[] = {
    X(LOCK_SH),          X(LOCK_EX),         X(LOCK_NB),          X(LOCK_UN),
    XN(32, "LOCK_MAND"), XN(192, "LOCK_RW"), XN(64, "LOCK_READ"), XN(128, "LOCK_WRITE"),
};

static const struct dtl_flag_name statx_mask[] = {
    XN(0xfff, "STATX_ALL"),       XN(0x7ff, "STATX_BASIC_STATS"), XN(0x1, "STATX_TYPE"),
    XN(0x2, "STATX_MODE"),        XN(0x4, "STATX_NLINK"),         XN(0x8, "STATX_UID"),
    XN(0x10, "STATX_GID"),        XN(0x20, "STATX_ATIME"),        XN(0x40, "STATX_MTIME"),
    XN(0x80, "STATX_CTIME"),      XN(0x100, "STATX_INO"),         XN(0x200, "STATX_SIZE"),
    XN(0x400, "STATX_BLOCKS"),    XN(0x800, "STATX_BTIME"),       XN(0x1000, "STATX_MNT_ID"),
    XN(0x2000, "STATX_DIOALIGN"),
};

void dtl_print_access_mode(FILE *out, uint32_t v)
{
	static const struct dtl_flag_name f[] = {X(R_OK), X(W_OK), X(X_OK)};
	dtl_print_xflags(out, v, f, DTL_N(f), "F_OK", "?_OK");
}

void dtl_print_at_flags(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, at_flags, DTL_N(at_flags), "0", "AT_???");
}

void dtl_print_fcntl_cmd(FILE *out, uint32_t v)
{
	dtl_print_xval(out, v, fcntl_cmds, DTL_N(fcntl_cmds), "F_???");
}

void dtl_print_flock_op(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, flock_ops, DTL_N(flock_ops), "0", "LOCK_???");
}

void dtl_print_statx_mask(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, statx_mask, DTL_N(statx_mask), "0", "STATX_???");
}

/* --- file status ------------------------------------------------------------------- */

static void print_stat_mode(FILE *out, uint32_t mode)
{
	static const struct {
		uint32_t type;
		const char *name;
	} types[] = {
	    {S_IFREG, "S_IFREG"}, {S_IFSOCK, "S_IFSOCK"}, {S_IFIFO, "S_IFIFO"},
	    {S_IFLNK, "S_IFLNK"}, {S_IFDIR, "S_IFDIR"},   {S_IFBLK, "S_IFBLK"},
	    {S_IFCHR, "S_IFCHR"},
	};
	const char *t = NULL;
	for (size_t k = 0; k < DTL_N(types); k++)
		if ((mode & S_IFMT) == types[k].type)
			t = types[k].name;
	if (t)
		fprintf(out, "%s|", t);
	else if (mode & S_IFMT)
		fprintf(out, "%#o|", mode & S_IFMT);
	if (mode & S_ISUID)
		fputs("S_ISUID|", out);
	if (mode & S_ISGID)
		fputs("S_ISGID|", out);
	if (mode & S_ISVTX)
		fputs("S_ISVTX|", out);
	fprintf(out, "%#03o", mode & 0777);
}

void dtl_print_stat(FILE *out, const uint8_t *p)
{
	uint32_t mode = u32_at(p, 24);
	fputs("{st_mode=", out);
	print_stat_mode(out, mode);
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		uint64_t rdev = u64_at(p, 40);
		fprintf(out, ", st_rdev=makedev(%#x, %#x), ...}", major(rdev), minor(rdev));
	} else {
		fprintf(out, ", st_size=%ld, ...}", (long)u64_at(p, 48));
	}
}

void dtl_print_statx(FILE *out, const uint8_t *p)
{
	static const struct dtl_flag_name attrs[] = {
	    {0x4, "STATX_ATTR_COMPRESSED"},    {0x10, "STATX_ATTR_IMMUTABLE"},
	    {0x20, "STATX_ATTR_APPEND"},       {0x40, "STATX_ATTR_NODUMP"},
	    {0x800, "STATX_ATTR_ENCRYPTED"},   {0x1000, "STATX_ATTR_AUTOMOUNT"},
	    {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"},
	    {0x200000, "STATX_ATTR_DAX"},
	};
	uint16_t mode;
	memcpy(&mode, p + 28, 2);
	fputs("{stx_mask=", out);
	dtl_print_scalar(out, DTL_ARG_STATX_MASK, u32_at(p, 0));
	fputs(", stx_attributes=", out);
	dtl_print_flags(out, u64_at(p, 8), attrs, DTL_N(attrs), "0");
	fputs(", stx_mode=", out);
	print_stat_mode(out, mode);
	fprintf(out, ", stx_size=%lu, ...}", (unsigned long)u64_at(p, 40));
}

void dtl_print_statfs(FILE *out, const uint8_t *p)
{
	static const struct {
		uint64_t magic;
		const char *name;
	} fs[] = {
	    {0xef53, "EXT2_SUPER_MAGIC"},
	    {0x01021994, "TMPFS_MAGIC"},
	    {0x9fa0, "PROC_SUPER_MAGIC"},
	    {0x62656572, "SYSFS_MAGIC"},
	    {0x794c7630, "OVERLAYFS_SUPER_MAGIC"},
	    {0x9123683e, "BTRFS_SUPER_MAGIC"},
	    {0x58465342, "XFS_SUPER_MAGIC"},
	    {0x6969, "NFS_SUPER_MAGIC"},
	    {0x1cd1, "DEVPTS_SUPER_MAGIC"},
	    {0x63677270, "CGROUP2_SUPER_MAGIC"},
	    {0x27e0eb, "CGROUP_SUPER_MAGIC"},
	    {0x858458f6, "RAMFS_MAGIC"},
	    {0x4d44, "MSDOS_SUPER_MAGIC"},
	    {0x65735546, "FUSE_SUPER_MAGIC"},
	    {0x73636673, "SECURITYFS_MAGIC"},
	    {0x64626720, "DEBUGFS_MAGIC"},
	    {0x958458f6, "HUGETLBFS_MAGIC"},
	    {0x19800202, "MQUEUE_MAGIC"},
	    {0x6e736673, "NSFS_MAGIC"},
	    {0xcafe4a11, "BPF_FS_MAGIC"},
	    {0x74726163, "TRACEFS_MAGIC"},
	    {0x01021997, "V9FS_MAGIC"},
	    {0x9660, "ISOFS_SUPER_MAGIC"},
	    {0x73717368, "SQUASHFS_MAGIC"},
	    {0xf15f, "ECRYPTFS_SUPER_MAGIC"},
	    {0x2fc12fc1, "ZFS_SUPER_MAGIC"},
	    {0xff534d42, "CIFS_SUPER_MAGIC"},
	    {0x42494e4d, "BINFMTFS_MAGIC"},
	    {0x50495045, "PIPEFS_MAGIC"},
	    {0x534f434b, "SOCKFS_MAGIC"},
	};
	static const struct dtl_flag_name flags[] = {
	    {0x1, "ST_RDONLY"},      {0x2, "ST_NOSUID"},         {0x4, "ST_NODEV"},
	    {0x8, "ST_NOEXEC"},      {0x10, "ST_SYNCHRONOUS"},   {0x20, "ST_VALID"},
	    {0x40, "ST_MANDLOCK"},   {0x400, "ST_NOATIME"},      {0x800, "ST_NODIRATIME"},
	    {0x1000, "ST_RELATIME"}, {0x2000, "ST_NOSYMFOLLOW"},
	};
	uint64_t type = u64_at(p, 0);
	const char *name = NULL;
	for (size_t k = 0; k < DTL_N(fs); k++)
		if (fs[k].magic == type)
			name = fs[k].name;
	fputs("{f_type=", out);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%#lx", (unsigned long)type);
	fprintf(out,
	        ", f_bsize=%ld, f_blocks=%lu, f_bfree=%lu, f_bavail=%lu, f_files=%lu, f_ffree=%lu",
	        (long)u64_at(p, 8), (unsigned long)u64_at(p, 16), (unsigned long)u64_at(p, 24),
	        (unsigned long)u64_at(p, 32), (unsigned long)u64_at(p, 40),
	        (unsigned long)u64_at(p, 48));
	fprintf(out,
	        ", f_fsid={val=[%#x, %#x]}, f_namelen=%ld, f_frsize=%ld, f_flags=", u32_at(p, 56),
	        u32_at(p, 60), (long)u64_at(p, 64), (long)u64_at(p, 72));
	dtl_print_flags(out, u64_at(p, 80), flags, DTL_N(flags), "0");
	fputc('}', out);
}

void dtl_print_open_how(FILE *out, const uint8_t *p, size_t len)
{
	static const struct dtl_flag_name resolve[] = {
	    {0x01, "RESOLVE_NO_XDEV"},     {0x02, "RESOLVE_NO_MAGICLINKS"},
	    {0x04, "RESOLVE_NO_SYMLINKS"}, {0x08, "RESOLVE_BENEATH"},
	    {0x10, "RESOLVE_IN_ROOT"},     {0x20, "RESOLVE_CACHED"},
	};
	uint64_t f[3] = {0};
	memcpy(f, p, len < sizeof(f) ? len : sizeof(f));
	fputs("{flags=", out);
	dtl_print_scalar(out, DTL_ARG_OPEN_FLAGS, f[0]);
	if (f[1] || (f[0] & (O_CREAT | __O_TMPFILE))) {
		fputs(", mode=", out);
		dtl_print_scalar(out, DTL_ARG_MODE, f[1]);
	}
	fputs(", resolve=", out);
	dtl_print_xflags(out, f[2], resolve, DTL_N(resolve), "0", "RESOLVE_???");
	fputc('}', out);
}

/* --- open, openat ------------------------------------------------------------------ */

/* All arguments but the last; the mode only with O_CREAT or O_TMPFILE. */
int dtl_decode_open_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	if (!(c->ev->args[n - 2] & (O_CREAT | 020000000)))
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

/* --- fcntl -------------------------------------------------------------------------- */

/* fcntl's third argument, per command */
static void print_fcntl_arg(const struct dtl_decoder_ctx *c, unsigned cmd, uint64_t v)
{
	FILE *out = c->out;
	uint32_t u = (uint32_t)v;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETPIPE_SZ:
		fprintf(out, "%d", (int)u);
		break;
	case F_SETFD:
		dtl_print_xflags(out, u, fd_flags, DTL_N(fd_flags), "0", "FD_???");
		break;
	case F_SETFL:
		dtl_print_open_flags(out, u);
		break;
	case F_SETSIG:
		dtl_print_signal(out, (int)u);
		break;
	case F_SETLEASE:
		dtl_print_xval(out, u, lease_types, DTL_N(lease_types), "F_???");
		break;
	case F_NOTIFY:
		dtl_print_xflags(out, u, dn_flags, DTL_N(dn_flags), "0", "DN_???");
		break;
	case F_ADD_SEALS:
		dtl_print_xflags(out, u, seals, DTL_N(seals), "0", "F_SEAL_???");
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		dtl_print_addr(out, v);
		break;
	default:
		dtl_print_hex(out, v);
	}
}

static bool fcntl_has_arg(unsigned cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return false;
	}
	return true;
}

int dtl_decode_fcntl_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	if (!fcntl_has_arg((uint32_t)c->ev->args[1]))
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

bool dtl_decode_fcntl_arg(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_arg_desc *a = &c->d->args[i];
	if (a->kind != DTL_ARG_FCNTL_ARG)
		return false;
	print_fcntl_arg(c, (uint32_t)c->ev->args[a->len_arg], c->ev->args[i]);
	return true;
}

/* fcntl's results that strace explains */
bool dtl_decode_fcntl_ret(const struct dtl_decoder_ctx *c, long r)
{
	FILE *out = c->out;
	switch ((uint32_t)c->ev->args[1]) {
	case F_GETFD:
		fprintf(out, "%#lx", (unsigned long)r);
		if (r) {
			fputs(" (flags ", out);
			dtl_print_flags(out, (uint64_t)r, fd_flags, DTL_N(fd_flags), NULL);
			fputc(')', out);
		}
		return true;
	case F_GETFL:
		fprintf(out, "%#lx (flags ", (unsigned long)r);
		dtl_print_open_flags(out, (uint32_t)r);
		fputc(')', out);
		return true;
	case F_GETSIG:
		fprintf(out, "%ld", r);
		if (r) {
			fputs(" (", out);
			dtl_print_signal(out, (int)r);
			fputc(')', out);
		}
		return true;
	case F_GETLEASE: {
		const char *s = dtl_xlookup((uint64_t)r, lease_types, DTL_N(lease_types));
		fprintf(out, "%#lx", (unsigned long)r);
		if (s)
			fprintf(out, " (%s)", s);
		return true;
	}
	case F_GET_SEALS:
		fprintf(out, "%#lx", (unsigned long)r);
		if (r) {
			fputs(" (seals ", out);
			dtl_print_flags(out, (uint64_t)r, seals, DTL_N(seals), NULL);
			fputc(')', out);
		}
		return true;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		dtl_print_fd(c, (int)r);
		return true;
	}
	return false;
}

/* --- mknod, mknodat ----------------------------------------------------------------- */

/* The mode is the last argument but one; the device, last, is shown only
 * for S_IFCHR and S_IFBLK. */
int dtl_decode_mknod_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	uint32_t type = (uint32_t)c->ev->args[n - 2] & 0170000;
	if (type != 0020000 && type != 0060000)
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

bool dtl_decode_mknod_arg(const struct dtl_decoder_ctx *c, int i)
{
	uint64_t v = c->ev->args[i];
	int mode = c->d->nargs - 2;
	if (i == mode) {
		print_mknod_mode(c->out, (uint32_t)v);
		return true;
	}
	if (i == mode + 1) {
		fprintf(c->out, "makedev(%#x, %#x)",
		        (unsigned)(((v >> 32) & ~0xfffu) | ((v >> 8) & 0xfff)),
		        (unsigned)(((v >> 12) & ~0xffu) | (v & 0xff)));
		return true;
	}
	return false;
}

/* --- dup3, pipe2, statx, faccessat2 ----------------------------------------------- */

/* dup3, pipe2: flags only, without an access mode */
bool dtl_decode_fd_flags_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (c->d->args[i].kind != DTL_ARG_OPEN_FLAGS)
		return false;
	dtl_print_xflags(c->out, (uint32_t)c->ev->args[i], open_flags, DTL_N(open_flags), "0",
	                 "O_???");
	return true;
}

bool dtl_decode_statx_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (c->d->args[i].kind != DTL_ARG_AT_FLAGS)
		return false;
	print_statx_at_flags(c->out, (uint32_t)c->ev->args[i]);
	return true;
}

/* faccessat2: 0x200 is AT_EACCESS there */
bool dtl_decode_faccessat2_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (c->d->args[i].kind != DTL_ARG_AT_FLAGS)
		return false;
	dtl_print_xflags(c->out, (uint32_t)c->ev->args[i], at_flags_access, DTL_N(at_flags_access),
	                 "0", "AT_???");
	return true;
}

/* --- the p{read,write}v family, getcwd -------------------------------------------- */

/* strace shows the offset once (pos_l; pos_h is 0 on 64-bit) */
int dtl_decode_preadv_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int k = 0;
	for (int i = 0; i < c->d->nargs; i++)
		if (i != 4)
			order[k++] = i;
	return k;
}

/* getcwd's buffer: the path up to its NUL */
bool dtl_decode_getcwd_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	(void)i;
	const char *p = dtl_blob_data(c->ev, b);
	dtl_print_quoted(c->out, p, strnlen(p, b->len), b->flags & DTL_BLOB_TRUNCATED);
	return true;
}
