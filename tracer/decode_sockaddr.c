// SPDX-License-Identifier: MIT
/*
 * Socket structures as strace prints them: struct sockaddr of the common
 * families, socklen_t value-results ("[128 => 16]"), struct msghdr with its
 * name, iovecs and control messages, struct mmsghdr arrays.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static void print_unix(FILE *out, const uint8_t *p, size_t len)
{
	if (len <= 2)
		return;
	const char *path = (const char *)p + 2;
	size_t n = len - 2;
	if (n > 108)
		n = 108;
	fputs(", sun_path=", out);
	if (path[0] == '\0') {
		/* abstract: every byte of the given length counts */
		fputc('@', out);
		dtl_print_quoted(out, path + 1, n - 1, false);
	} else {
		dtl_print_quoted(out, path, strnlen(path, n), false);
	}
}

static void print_inet6(FILE *out, const uint8_t *p, size_t len)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN];
	memcpy(&a, p + 8, sizeof(a));
	fprintf(out, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u)",
	        ntohs((uint16_t)(p[2] | p[3] << 8)), ntohl(u32_at(p, 4)));
	if (inet_ntop(AF_INET6, &a, buf, sizeof(buf)))
		fprintf(out, ", inet_pton(AF_INET6, \"%s\", &sin6_addr)", buf);
	if (len < 28)
		return;
	uint32_t scope = u32_at(p, 24);
	char ifname[IF_NAMESIZE];
	if (scope && (IN6_IS_ADDR_LINKLOCAL(&a) || IN6_IS_ADDR_MC_LINKLOCAL(&a)) &&
	    if_indextoname(scope, ifname))
		fprintf(out, ", sin6_scope_id=if_nametoindex(\"%s\")", ifname);
	else
		fprintf(out, ", sin6_scope_id=%u", scope);
}

static void print_sockaddr(FILE *out, const void *sa, size_t len, uint64_t addr)
{
	const uint8_t *p = sa;
	if (len < 2) {
		dtl_print_addr(out, addr);
		return;
	}
	uint16_t family;
	memcpy(&family, p, 2);
	fputs("{sa_family=", out);
	dtl_print_scalar(out, DTL_ARG_SOCK_DOMAIN, family);
	if (family == AF_UNIX) {
		print_unix(out, p, len);
	} else if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct in_addr a;
		char buf[INET_ADDRSTRLEN];
		memcpy(&a, p + 4, sizeof(a));
		fprintf(out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
		        ntohs((uint16_t)(p[2] | p[3] << 8)),
		        inet_ntop(AF_INET, &a, buf, sizeof(buf)) ? buf : "?");
	} else if (family == AF_INET6 && len >= 24) {
		print_inet6(out, p, len);
	} else if (family == AF_NETLINK && len >= 12) {
		fprintf(out, ", nl_pid=%u, nl_groups=%08x", u32_at(p, 4), u32_at(p, 8));
	} else if (len > 2) {
		fputs(", sa_data=", out);
		dtl_print_quoted(out, (const char *)p + 2, len - 2, false);
	}
	fputc('}', out);
}

/* The socklen_t argument that gives the length of sockaddr argument @i. */
static const struct dtl_blob *socklen_blob(const struct dtl_decoder_ctx *c, int i, bool entry)
{
	const struct dtl_arg_desc *a = &c->d->args[i];
	if (a->len_src != DTL_LEN_ARG_PTR)
		return NULL;
	const struct dtl_blob *b = dtl_blob_find(c->ev, a->len_arg, DTL_SUB_OBJECT, entry);
	return dtl_blob_ok(b) && b->len >= 4 ? b : NULL;
}

void dtl_decode_sockaddr_arg(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	const struct dtl_arg_desc *a = &c->d->args[i];
	uint64_t v = ev->args[i];
	bool entry = a->dir != DTL_DIR_OUT;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, entry);
	if (!dtl_blob_ok(b)) {
		dtl_print_addr(c->out, v);
		return;
	}
	size_t len = b->len;
	if (a->dir == DTL_DIR_OUT) {
		/* what the kernel wrote: no more than the buffer's size (entry
		 * socklen) nor than the address's length (exit socklen) */
		const struct dtl_blob *in = socklen_blob(c, i, true);
		const struct dtl_blob *outl = socklen_blob(c, i, false);
		if (in && u32_at(dtl_blob_data(ev, in), 0) < len)
			len = u32_at(dtl_blob_data(ev, in), 0);
		if (outl && u32_at(dtl_blob_data(ev, outl), 0) < len)
			len = u32_at(dtl_blob_data(ev, outl), 0);
		if (len == 0) {
			dtl_print_addr(c->out, v);
			return;
		}
	}
	print_sockaddr(c->out, dtl_blob_data(ev, b), len, v);
}

void dtl_decode_socklen_arg(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	const struct dtl_blob *in = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
	const struct dtl_blob *outb = dtl_blob_find(ev, i, DTL_SUB_OBJECT, false);
	if (!dtl_blob_ok(in) || in->len < 4) {
		dtl_print_addr(c->out, ev->args[i]);
		return;
	}
	uint32_t vin = u32_at(dtl_blob_data(ev, in), 0);
	if (c->completed && dtl_blob_ok(outb) && outb->len >= 4 &&
	    u32_at(dtl_blob_data(ev, outb), 0) != vin)
		fprintf(c->out, "[%u => %u]", vin, u32_at(dtl_blob_data(ev, outb), 0));
	else
		fprintf(c->out, "[%u]", vin);
}

/* Control messages: SCM_RIGHTS and SCM_CREDENTIALS decoded, others by type. */
static void print_cmsgs(FILE *out, const uint8_t *p, size_t len, bool truncated)
{
	fputc('[', out);
	size_t off = 0;
	bool first = true;
	while (off + 16 <= len) {
		uint64_t clen = u64_at(p, off);
		int level = (int)u32_at(p, off + 8), type = (int)u32_at(p, off + 12);
		if (!first)
			fputs(", ", out);
		first = false;
		fprintf(out, "{cmsg_len=%lu, cmsg_level=", (unsigned long)clen);
		dtl_print_scalar(out, DTL_ARG_SOCK_LEVEL, (uint32_t)level);
		size_t dlen = clen > 16 ? clen - 16 : 0;
		if (off + 16 + dlen > len)
			dlen = len - off - 16;
		const uint8_t *d = p + off + 16;
		if (level == SOL_SOCKET && type == SCM_RIGHTS) {
			fputs(", cmsg_type=SCM_RIGHTS, cmsg_data=[", out);
			for (size_t k = 0; k + 4 <= dlen; k += 4)
				fprintf(out, "%s%d", k ? ", " : "", (int)u32_at(d, k));
			fputc(']', out);
		} else if (level == SOL_SOCKET && type == SCM_CREDENTIALS && dlen >= 12) {
			fprintf(out,
			        ", cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=%d, uid=%u, gid=%u}",
			        (int)u32_at(d, 0), u32_at(d, 4), u32_at(d, 8));
		} else {
			fprintf(out, ", cmsg_type=%#x", (unsigned)type);
		}
		fputc('}', out);
		if (clen < 16)
			break;
		off += (clen + 7) & ~(uint64_t)7;
	}
	if (truncated || off < len) {
		if (off + 16 <= len || truncated)
			fputs(first ? "..." : ", ...", out);
	}
	fputc(']', out);
}

/* One struct msghdr (56 bytes at @p). @c/@arg/@entry locate the pieces the
 * capture copied behind it; @arg < 0 when there are none (mmsghdr). */
static void print_msghdr(const struct dtl_decoder_ctx *c, int arg, bool entry, const uint8_t *p)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	uint64_t name = u64_at(p, 0), iov = u64_at(p, 16), iovlen = u64_at(p, 24);
	uint64_t control = u64_at(p, 32), controllen = u64_at(p, 40);
	uint32_t namelen = u32_at(p, 8), flags = u32_at(p, 48);

	fputs("{msg_name=", out);
	const struct dtl_blob *nb =
	    arg >= 0 ? dtl_blob_find(ev, arg, DTL_SUB_MSG_NAME, entry) : NULL;
	if (name && namelen && dtl_blob_ok(nb))
		print_sockaddr(out, dtl_blob_data(ev, nb), nb->len < namelen ? nb->len : namelen,
		               name);
	else
		dtl_print_addr(out, name);
	fprintf(out, ", msg_namelen=%u, msg_iov=", namelen);
	if (arg >= 0 && iov)
		dtl_print_iovec_array(c, arg, DTL_SUB_MSG_IOV, DTL_SUB_ELEM(0), entry, iov, iovlen);
	else
		dtl_print_addr(out, iov);
	fprintf(out, ", msg_iovlen=%lu", (unsigned long)iovlen);
	if (controllen) {
		fputs(", msg_control=", out);
		const struct dtl_blob *cb =
		    arg >= 0 ? dtl_blob_find(ev, arg, DTL_SUB_MSG_CONTROL, entry) : NULL;
		if (control && dtl_blob_ok(cb))
			print_cmsgs(out, dtl_blob_data(ev, cb), cb->len,
			            cb->flags & DTL_BLOB_TRUNCATED);
		else
			dtl_print_addr(out, control);
	}
	fprintf(out, ", msg_controllen=%lu, msg_flags=", (unsigned long)controllen);
	dtl_print_scalar(out, DTL_ARG_MSG_FLAGS, flags);
	fputc('}', out);
}

void dtl_decode_msghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	if (b->len < 56) {
		dtl_print_addr(c->out, c->ev->args[i]);
		return;
	}
	print_msghdr(c, i, !!(b->flags & DTL_BLOB_ENTRY), dtl_blob_data(c->ev, b));
}

void dtl_decode_mmsghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	const struct dtl_arg_desc *a = &c->d->args[i];
	const uint8_t *p = dtl_blob_data(c->ev, b);
	size_t n = b->len / 64;
	uint64_t total = a->len_src == DTL_LEN_RET ? (uint64_t)c->ev->ret : c->ev->args[a->len_arg];
	if (c->o->strsize && n > c->o->strsize)
		n = c->o->strsize;
	fputc('[', c->out);
	for (size_t k = 0; k < n; k++) {
		fputs(k ? ", {msg_hdr=" : "{msg_hdr=", c->out);
		print_msghdr(c, -1, false, p + 64 * k);
		fprintf(c->out, ", msg_len=%u}", u32_at(p, 64 * k + 56));
	}
	if (total > n)
		fputs(n ? ", ..." : "...", c->out);
	fputc(']', c->out);
}
