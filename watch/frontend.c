// SPDX-License-Identifier: MIT
/* The watchpoints in the front-end (dtl/watch_frontend.h). */
#include <dtl/catalogue.h>
#include <dtl/disasm.h>
#include <dtl/grow.h>
#include <dtl/symbolize.h>
#include <dtl/watch_expr.h>
#include <dtl/watch_frontend.h>
#include <dtl/watch_spec.h>

#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct armed {
	int pid;
	uint32_t id;
	uint64_t lo, len;
};

struct by_function {
	uint32_t id;
	char name[128];
	uint64_t hits;
};

struct watchpoint {
	struct dtl_watch_spec spec;
	struct dtl_ctype type;        /* from DWARF, or DTL_CT_NONE */
	struct dtl_watch_place place; /* a symbol's: for arming it live */
	bool deleted;
	char expr[256];
	uint64_t hits, writes, reads, near;
};

struct dtl_watch_fe {
	FILE *notices;
	struct dtl_watch_mailbox *mailbox;
	bool backtraces;
	int n;
	size_t w_cap;
	struct watchpoint *w;
	struct armed *armed;
	size_t narmed, armed_cap;
	struct by_function *fn;
	size_t nfn, fn_cap;
	struct dtl_symbolizer *sym;
	unsigned armed_said; /* notices of watchpoints armed */
};

#define ARMED_SAID_MAX 32

struct dtl_watch_fe *dtl_watch_fe_new(FILE *notices)
{
	struct dtl_watch_fe *fe = calloc(1, sizeof(*fe));
	if (!fe)
		return NULL;
	fe->notices = notices;
	fe->sym = dtl_symbolizer_new();
	if (!fe->sym) {
		free(fe);
		return NULL;
	}
	return fe;
}

void dtl_watch_fe_free(struct dtl_watch_fe *fe)
{
	if (!fe)
		return;
	dtl_symbolizer_free(fe->sym);
	free(fe->w);
	free(fe->armed);
	free(fe->fn);
	free(fe);
}

static const char *option_of(uint8_t access)
{
	return access == DTL_ACCESS_WRITE  ? "--watch"
	       : access == DTL_ACCESS_READ ? "--rwatch"
	                                   : "--awatch";
}

/* A new watchpoint, resolved against the program's files: its number, or
 * -1 with the reason in @err. */
static int add_watch(struct dtl_watch_fe *fe, const char *program, const char *expr, uint8_t access,
                     uint8_t how, char *err, size_t errlen)
{
	if (fe->n >= DTL_WATCH_MAX) {
		snprintf(err, errlen, "%s: at most %d watchpoints", expr, DTL_WATCH_MAX);
		return -1;
	}
	if (DTL_GROW(fe->w, (size_t)fe->n, fe->w_cap)) {
		snprintf(err, errlen, "%s: out of memory", expr);
		return -1;
	}
	struct watchpoint *w = &fe->w[fe->n];
	memset(w, 0, sizeof(*w));
	if (dtl_watch_expr_resolve(expr, access, (uint32_t)fe->n + 1, program, &w->spec, &w->type,
	                           &w->place, err, errlen))
		return -1;
	snprintf(w->expr, sizeof(w->expr), "%s", expr);
	w->spec.how = how;
	return ++fe->n;
}

int dtl_watch_fe_add(struct dtl_watch_fe *fe, const char *program, const char *expr, uint8_t access,
                     uint8_t how)
{
	char err[2048];
	if (add_watch(fe, program, expr, access, how, err, sizeof(err)) < 0) {
		fprintf(stderr, "dtrace-lite: %s %s\n", option_of(access), err);
		return -1;
	}
	return 0;
}

int dtl_watch_fe_count(const struct dtl_watch_fe *fe)
{
	return fe->n;
}

void dtl_watch_fe_set_backtraces(struct dtl_watch_fe *fe, bool on)
{
	fe->backtraces = on;
}

char *dtl_watch_fe_config(const struct dtl_watch_fe *fe)
{
	size_t size = (size_t)fe->n * (2 * DTL_WATCH_NAME_MAX + 128) + 64;
	char *text = malloc(size);
	size_t used = 0;
	if (!text)
		return NULL;
	text[0] = 0;
	if (fe->backtraces)
		used += (size_t)snprintf(text, size, "%s\t1\n", DTL_WATCH_BT_KEY);
	for (int i = 0; i < fe->n; i++) {
		int n = dtl_watch_spec_format(&fe->w[i].spec, text + used, size - used);
		if (n > 0)
			used += (size_t)n;
	}
	return text;
}

static struct watchpoint *by_id(struct dtl_watch_fe *fe, uint32_t id)
{
	return id >= 1 && (int)id <= fe->n ? &fe->w[id - 1] : NULL;
}

/* The range watchpoint @id has in @pid (or, a fork child's, its parent's:
 * the same addresses). */
static const struct armed *range_of(const struct dtl_watch_fe *fe, int pid, uint32_t id)
{
	const struct armed *any = NULL;
	for (size_t i = 0; i < fe->narmed; i++)
		if (fe->armed[i].id == id) {
			if (fe->armed[i].pid == pid)
				return &fe->armed[i];
			any = &fe->armed[i];
		}
	return any;
}

static void note_armed(struct dtl_watch_fe *fe, int pid, uint32_t id, uint64_t lo, uint64_t len)
{
	if (DTL_GROW(fe->armed, fe->narmed, fe->armed_cap))
		return;
	fe->armed[fe->narmed++] = (struct armed){.pid = pid, .id = id, .lo = lo, .len = len};
}

static void count_function(struct dtl_watch_fe *fe, uint32_t id, const char *name)
{
	for (size_t i = 0; i < fe->nfn; i++)
		if (fe->fn[i].id == id && !strcmp(fe->fn[i].name, name)) {
			fe->fn[i].hits++;
			return;
		}
	if (DTL_GROW(fe->fn, fe->nfn, fe->fn_cap))
		return;
	struct by_function *f = &fe->fn[fe->nfn++];
	f->id = id;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->hits = 1;
}

static const char *reason(int error)
{
	switch (error) {
	case -ENOENT:
		return "its symbol is not in this image";
	case -EEXIST:
		return "several statics of that name in this image";
	case -ENOSPC:
		return "no room: too many watched ranges";
	case -EINVAL:
		return "not memory of the program (the runtime's own, or an empty range)";
	case -EFAULT:
		return "the program unmapped its memory";
	case -ENXIO:
		return "the pointer is NULL: nothing to watch yet (add it with dtrace-lite ctl "
		       "once it "
		       "points somewhere)";
	case -ECANCELED:
		return "deleted or disabled (dtrace-lite ctl)";
	case -ENODEV:
		return "debug registers do not fire on this platform (PVM): use page protection";
	case -E2BIG:
		return "a debug register watches 1, 2, 4 or 8 bytes aligned to their size";
	case -EBUSY:
		return "all four debug registers are in use";
	case -EPROTO:
		return "a debug register cannot watch reads alone (only reads and writes together)";
	default:
		return strerror(-error);
	}
}

static void on_state(struct dtl_watch_fe *fe, struct dtl_session *s,
                     const struct dtl_rec_watch_state *r)
{
	struct watchpoint *w = by_id(fe, r->watch_id);
	if (!w)
		return;
	struct dtl_watch_event e = {
	    .kind = r->error == -EFAULT ? DTL_WATCH_EV_GONE
	            : r->error          ? DTL_WATCH_EV_FAILED
	                                : DTL_WATCH_EV_ARMED,
	    .pid = r->hdr.pid,
	    .tid = r->hdr.tid,
	    .time_ns = r->hdr.time_ns,
	    .id = r->watch_id,
	    .expr = w->expr,
	    .addr = r->addr,
	    .len = r->len,
	    .reason = r->error ? reason(r->error) : NULL,
	};
	if (!r->error && r->how != DTL_WATCH_FUNC)
		note_armed(fe, r->hdr.pid, r->watch_id, r->addr, r->len);
	/* thousands of watchpoints: the first few said one by one */
	bool say = r->error || fe->armed_said < ARMED_SAID_MAX;
	if (fe->notices && !r->error && ++fe->armed_said == ARMED_SAID_MAX + 1)
		fprintf(fe->notices, "dtrace-lite: more watchpoints armed; not said one by one "
		                     "(failures still are; -c counts the hits of each)\n");
	if (fe->notices && say) {
		if (!r->error && r->how == DTL_WATCH_FUNC)
			fprintf(
			    fe->notices,
			    "dtrace-lite: watch %u %s: %" PRIu64 " bytes in each activation, from "
			    "a breakpoint on its function's entry at %#" PRIx64 " in process %d\n",
			    r->watch_id, w->expr, r->len, r->addr, r->hdr.pid);
		else if (!r->error && r->how == DTL_WATCH_HW)
			fprintf(fe->notices,
			        "dtrace-lite: watch %u %s: %" PRIu64 " bytes at %#" PRIx64
			        " in process %d, by debug register DR%u\n",
			        r->watch_id, w->expr, r->len, r->addr, r->hdr.pid, r->slot);
		else if (!r->error)
			fprintf(fe->notices,
			        "dtrace-lite: watch %u %s: %" PRIu64 " bytes at %#" PRIx64
			        " in process %d, by page protection\n",
			        r->watch_id, w->expr, r->len, r->addr, r->hdr.pid);
		else
			fprintf(fe->notices, "dtrace-lite: watch %u %s: %s in process %d\n",
			        r->watch_id, w->expr,
			        r->error == -EFAULT ? "ends: the program unmapped its memory"
			                            : e.reason,
			        r->hdr.pid);
	}
	dtl_session_watch(s, &e);
}

/* A value of @len bytes: an integer when it is one's size, else bytes. */
static void format_value(const uint8_t *b, size_t len, char *out, size_t outlen)
{
	if (len == 1 || len == 2 || len == 4 || len == 8) {
		uint64_t u = 0;
		memcpy(&u, b, len);
		int64_t v = len == 8   ? (int64_t)u
		            : len == 4 ? (int32_t)u
		            : len == 2 ? (int16_t)u
		                       : (int8_t)u;
		if (len == 8 && (u >> 32))
			snprintf(out, outlen, "%#" PRIx64, u);
		else
			snprintf(out, outlen, "%" PRId64, v);
		return;
	}
	/* bytes: as many as fit, then "..." */
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < len; i++) {
		if (n + 8 >= outlen) {
			snprintf(out + n, outlen - n, " ...");
			break;
		}
		n += (size_t)snprintf(out + n, outlen - n, "%s%02x", i ? " " : "", b[i]);
	}
}

/*
 * A debug register traps after the access: the instruction that made it
 * ends at the hit's rip. From the start of its function, in the object's
 * file, decoding forward finds it exactly; else, from the bytes the engine
 * copied before rip, the longest instruction that ends there and reaches
 * memory. Its address into *@rip, its text into @insn.
 */
static void instruction_before(struct dtl_watch_fe *fe, const struct dtl_rec_watch_hit *h,
                               uint64_t *rip, char *insn, size_t len, unsigned *mem_size)
{
	uint64_t after = h->rip, start;
	uint8_t code[4096];
	if (dtl_symbolize_code(fe->sym, h->hdr.pid, after - 1, code, 1, &start) && start &&
	    start < after && after - start <= sizeof(code) &&
	    dtl_symbolize_code(fe->sym, h->hdr.pid, start, code, after - start, &start) ==
	        after - start) {
		for (uint64_t at = start; at < after;) {
			size_t k = dtl_disasm_one(code + (at - start), after - at, at, insn, len,
			                          mem_size);
			if (!k)
				break;
			if (at + k == after) {
				*rip = at;
				return;
			}
			at += k;
		}
	}
	size_t have = h->insn_len <= DTL_HIT_INSN_MAX ? h->insn_len : 0;
	for (size_t k = have; k >= 1; k--) {
		const uint8_t *from = h->insn + have - k;
		if (dtl_disasm_one(from, k, after - k, insn, len, mem_size) == k && *mem_size) {
			*rip = after - k;
			return;
		}
	}
	insn[0] = 0;
	*mem_size = 0;
	*rip = after;
}

static void on_hit(struct dtl_watch_fe *fe, struct dtl_session *s,
                   const struct dtl_rec_watch_hit *h)
{
	struct watchpoint *w = by_id(fe, h->watch_id);
	if (!w)
		return;
	char insn[128], where[512], function[128];
	unsigned mem_size;
	uint64_t rip = h->rip;
	size_t insn_len = h->insn_len <= sizeof(h->insn) ? h->insn_len : sizeof(h->insn);
	const struct dtl_syscall_desc *call = NULL;
	if (h->flags & DTL_HIT_KERNEL) {
		call = dtl_syscall_by_nr(h->reps);
		insn[0] = 0;
		mem_size = 0;
	} else if (h->flags & DTL_HIT_TRAP_AFTER)
		instruction_before(fe, h, &rip, insn, sizeof(insn), &mem_size);
	else
		dtl_disasm_one(h->insn, insn_len, h->rip, insn, sizeof(insn), &mem_size);
	/* began before the range: a hit only if the operand reaches it */
	/* a local's range is its activation's: the bytes the hit carries */
	struct armed frame = {.lo = h->value_addr, .len = h->value_len};
	const struct armed *a = w->spec.local ? &frame : range_of(fe, h->hdr.pid, h->watch_id);
	if ((h->flags & DTL_HIT_OVERLAP_UNSURE) && a && mem_size && h->addr + mem_size <= a->lo &&
	    !(h->flags & DTL_HIT_REPEATED)) {
		w->near++;
		return;
	}
	dtl_symbolize(fe->sym, h->hdr.pid, rip, where, sizeof(where), function, sizeof(function));

	/* the bytes shown: all of a value of an integer's size; of a larger
	 * range, those that changed (or the ones accessed) */
	const uint8_t *old = h->data, *new = h->data + h->value_len;
	size_t lo = 0, hi = h->value_len;
	if (h->value_len > 8) {
		size_t first = 0, last = h->value_len;
		while (first < h->value_len && old[first] == new[first])
			first++;
		while (last > first && old[last - 1] == new[last - 1])
			last--;
		if (first < last) {
			lo = first;
			hi = last - first > 16 ? first + 16 : last;
		} else {
			lo = h->addr > h->value_addr ? h->addr - h->value_addr : 0;
			if (lo >= h->value_len)
				lo = 0;
			hi = lo + (mem_size ? mem_size : 8);
			if (hi > h->value_len)
				hi = h->value_len;
		}
	}
	char label[300], oldv[256], newv[256];
	uint64_t at = h->value_addr + lo;
	if (a && at != a->lo)
		snprintf(label, sizeof(label), "%s+%" PRIu64, w->expr, at - a->lo);
	else
		snprintf(label, sizeof(label), "%s", w->expr);
	if (w->type.kind != DTL_CT_NONE && h->value_len == w->type.size &&
	    !(h->flags & DTL_HIT_KERNEL && h->value_len < w->spec.len)) {
		/* the whole value: as its C type prints it */
		lo = 0;
		hi = h->value_len;
		at = h->value_addr;
		snprintf(label, sizeof(label), "%s", w->expr);
		dtl_ctype_format(&w->type, old, hi, oldv, sizeof(oldv));
		dtl_ctype_format(&w->type, new, hi, newv, sizeof(newv));
	} else {
		format_value(old + lo, hi - lo, oldv, sizeof(oldv));
		format_value(new + lo, hi - lo, newv, sizeof(newv));
	}

	/* --watch-bt: the registers and stack after the bytes */
	static char backtrace[4096];
	const char *bt = NULL;
	size_t at_stack = sizeof(*h) + 2u * h->value_len;
	if ((h->flags & DTL_HIT_STACK) && h->hdr.size >= at_stack + sizeof(struct dtl_hit_stack)) {
		const struct dtl_hit_stack *k = (const void *)((const char *)h + at_stack);
		if (k->len <= h->hdr.size - at_stack - sizeof(*k)) {
			dtl_symbolize_backtrace(fe->sym, h->hdr.pid, h->hdr.tid, k->regs,
			                        (const uint8_t *)(k + 1), k->len, 32, backtrace,
			                        sizeof(backtrace));
			bt = backtrace;
		}
	}
	struct dtl_watch_event e = {
	    .kind = DTL_WATCH_EV_HIT,
	    .pid = h->hdr.pid,
	    .tid = h->hdr.tid,
	    .time_ns = h->hdr.time_ns,
	    .id = h->watch_id,
	    .expr = label,
	    .addr = at,
	    .len = hi - lo,
	    .access = h->access,
	    .old_value = h->access == DTL_ACCESS_WRITE ? oldv : NULL,
	    .new_value = newv,
	    .changed = h->flags & DTL_HIT_CHANGED,
	    .insn = insn,
	    .rip = rip,
	    .where = where,
	    .function = function[0] ? function : "?",
	    .reps = h->flags & DTL_HIT_KERNEL ? 1 : h->reps,
	    .backtrace = bt,
	    .syscall = h->flags & DTL_HIT_KERNEL ? (call ? call->name : "?") : NULL,
	};
	w->hits++;
	if (h->access == DTL_ACCESS_WRITE)
		w->writes++;
	else
		w->reads++;
	count_function(fe, h->watch_id, e.function);
	dtl_session_watch(s, &e);
}

struct dtl_symbolizer *dtl_watch_fe_symbolizer(struct dtl_watch_fe *fe)
{
	return fe->sym;
}

bool dtl_watch_fe_record(struct dtl_watch_fe *fe, struct dtl_session *s, const struct dtl_rec *rec)
{
	switch (rec->type) {
	case DTL_REC_IMAGE:
		dtl_symbolizer_add_image_record(fe->sym, (const void *)rec);
		return true;
	case DTL_REC_WATCH_COUNT: {
		const struct dtl_rec_watch_count *r = (const void *)rec;
		struct watchpoint *w = rec->size >= sizeof(*r) ? by_id(fe, r->watch_id) : NULL;
		if (w)
			w->near += r->beside;
		return true;
	}
	case DTL_REC_WATCH_STATE:
		if (rec->size >= sizeof(struct dtl_rec_watch_state))
			on_state(fe, s, (const void *)rec);
		return true;
	case DTL_REC_WATCH_HIT: {
		const struct dtl_rec_watch_hit *h = (const void *)rec;
		if (rec->size >= sizeof(*h) && h->value_len <= DTL_HIT_VALUE_MAX &&
		    2u * h->value_len <= rec->size - sizeof(*h))
			on_hit(fe, s, h);
		return true;
	}
	default:
		return false;
	}
}

void dtl_watch_fe_summary(const struct dtl_watch_fe *fe, FILE *out)
{
	if (!fe->n)
		return;
	fprintf(out, "%-6s %-24s %10s %10s %10s %10s\n", "watch", "expression", "hits", "writes",
	        "reads", "beside");
	for (int i = 0; i < fe->n; i++) {
		const struct watchpoint *w = &fe->w[i];
		fprintf(out, "%-6d %-24s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
		        i + 1, w->expr, w->hits, w->writes, w->reads, w->near);
		for (size_t f = 0; f < fe->nfn; f++)
			if (fe->fn[f].id == (uint32_t)i + 1)
				fprintf(out, "%-6s   in %-21s %10" PRIu64 "\n", "", fe->fn[f].name,
				        fe->fn[f].hits);
	}
}

/* ---- while the program runs ---- */

void dtl_watch_fe_use_mailbox(struct dtl_watch_fe *fe, struct dtl_watch_mailbox *mb)
{
	fe->mailbox = mb;
}

/* One command for the engines: complete in its slot before it counts. */
static void post(struct dtl_watch_fe *fe, enum dtl_live_op op, int pid, uint64_t addr,
                 const struct dtl_watch_spec *spec)
{
	struct dtl_watch_mailbox *mb = fe->mailbox;
	uint32_t seq = mb->seq + 1;
	struct dtl_watch_live_cmd *c = &mb->cmd[seq % DTL_LIVE_SLOTS];
	__atomic_store_n(&c->seq, 0, __ATOMIC_RELEASE);
	c->op = op;
	c->pid = pid;
	c->reserved = 0;
	c->addr = addr;
	c->spec = *spec;
	__atomic_store_n(&c->seq, seq, __ATOMIC_RELEASE);
	__atomic_store_n(&mb->seq, seq, __ATOMIC_RELEASE);
}

static int command_watch(struct dtl_watch_fe *fe, const char *program, uint8_t access,
                         const char *expr, char *reply, size_t len)
{
	char err[2048];
	int id = add_watch(fe, program, expr, access, 0, err, sizeof(err));
	if (id < 0)
		return snprintf(reply, len, "error: %s\n", err);
	struct watchpoint *w = &fe->w[id - 1];
	if (!w->place.file[0]) {
		post(fe, DTL_LIVE_ARM, 0, w->spec.offset, &w->spec);
		return snprintf(reply, len, "ok: watch %d %s: sent to every process\n", id, expr);
	}
	/* each traced process that has the object, at its own load address */
	int pids[256], n = dtl_symbolizer_pids(fe->sym, pids, 256), sent = 0;
	for (int i = 0; i < n; i++) {
		uint64_t base;
		if (kill(pids[i], 0) ||
		    !dtl_symbolizer_image_base(fe->sym, pids[i], w->place.file, &base))
			continue;
		post(fe, DTL_LIVE_ARM, pids[i], base + w->place.vaddr, &w->spec);
		sent++;
	}
	if (!sent) {
		w->deleted = true;
		return snprintf(reply, len, "error: %s: no traced process has %s loaded\n", expr,
		                w->place.file);
	}
	return snprintf(reply, len, "ok: watch %d %s: sent to %d process%s\n", id, expr, sent,
	                sent == 1 ? "" : "es");
}

void dtl_watch_fe_command(struct dtl_watch_fe *fe, const char *program, const char *line,
                          char *reply, size_t len)
{
	char cmd[16] = "", arg[512] = "";
	if (sscanf(line, "%15s %511[^\n]", cmd, arg) < 1) {
		snprintf(reply, len, "error: empty command\n");
		return;
	}
	if (!fe->mailbox) {
		snprintf(reply, len, "error: not started with --control\n");
		return;
	}
	uint8_t access = !strcmp(cmd, "watch")    ? DTL_ACCESS_WRITE
	                 : !strcmp(cmd, "rwatch") ? DTL_ACCESS_READ
	                 : !strcmp(cmd, "awatch") ? DTL_ACCESS_READ | DTL_ACCESS_WRITE
	                                          : 0;
	if (access) {
		if (!arg[0])
			snprintf(reply, len, "error: %s needs an expression\n", cmd);
		else
			command_watch(fe, program, access, arg, reply, len);
		return;
	}
	enum dtl_live_op op = !strcmp(cmd, "delete")    ? DTL_LIVE_DELETE
	                      : !strcmp(cmd, "disable") ? DTL_LIVE_DISABLE
	                      : !strcmp(cmd, "enable")  ? DTL_LIVE_ENABLE
	                                                : 0;
	if (op) {
		char *end;
		long id = strtol(arg, &end, 10);
		struct watchpoint *w = *end || id < 1 ? NULL : by_id(fe, (uint32_t)id);
		if (!w || w->deleted) {
			snprintf(reply, len, "error: no watchpoint %s\n", arg);
			return;
		}
		post(fe, op, 0, 0, &w->spec);
		if (op == DTL_LIVE_DELETE)
			w->deleted = true;
		snprintf(reply, len, "ok: %s %ld (%s)\n", cmd, id, w->expr);
		return;
	}
	if (!strcmp(cmd, "list")) {
		size_t used = (size_t)snprintf(reply, len, "ok: %d watchpoints\n", fe->n);
		for (int i = 0; i < fe->n && used < len; i++) {
			const struct watchpoint *w = &fe->w[i];
			used += (size_t)snprintf(reply + used, len - used,
			                         "%d %s %s %" PRIu64 " hits%s\n", i + 1,
			                         option_of(w->spec.access) + 2, w->expr, w->hits,
			                         w->deleted ? " (deleted)" : "");
		}
		return;
	}
	snprintf(reply, len,
	         "error: unknown command '%s' (watch, rwatch, awatch, delete, disable, "
	         "enable, list)\n",
	         cmd);
}
