// SPDX-License-Identifier: MIT
/* The byte ring of the event stream, with its doorbell (see dtl/ring.h). */
#include <dtl/ring.h>

#include <string.h>

void dtl_ring_init(struct dtl_ring *r, uint64_t data_size, uint32_t strsize, uint32_t flags,
                   int consumer_pid)
{
	r->data_size = data_size;
	r->strsize = strsize;
	r->flags = flags;
	r->consumer_pid = consumer_pid;
	__atomic_store_n(&r->magic, DTL_RING_MAGIC, __ATOMIC_RELEASE);
}

bool dtl_ring_valid(const struct dtl_ring *r, size_t len)
{
	return len >= sizeof(*r) && r->magic == DTL_RING_MAGIC && r->data_size >= 64 &&
	       !(r->data_size & (r->data_size - 1)) && len >= dtl_ring_size(r->data_size);
}

const char *dtl_ring_config(const struct dtl_ring *r, size_t mapped, size_t *len)
{
	size_t at = dtl_ring_size(r->data_size);
	if (!r->config_len || mapped < at || mapped - at < r->config_len)
		return NULL;
	*len = r->config_len;
	return (const char *)r + at;
}

static void commit(struct dtl_rec *rec, uint16_t type, uint32_t size)
{
	struct dtl_rec c = {.size = size, .type = type};
	__atomic_store_n(&rec->commit, c.commit, __ATOMIC_RELEASE);
}

/*
 * Have the page of the word at @p mapped for writing before claiming it.
 * The first write of a process to a ring page can exit to the host (a
 * guest page fault the monitor maps, or the hypervisor's own fault on a
 * shadow or nested page table), and a thread that another thread's
 * exit_group kills is killed at that exit: between the compare-and-swap
 * on @head and the claimed commit word, it would leave a zero word no
 * consumer can step over. A locked add of 0 writes without changing the
 * word, whoever owns it (locked operations are atomic, SDM Vol. 3A
 * 9.1.2.2).
 */
static void touch_for_writing(char *p)
{
	__atomic_fetch_add((uint64_t *)p, 0, __ATOMIC_RELAXED);
}

/* A claimed record says who is writing it and how long it is (type 0: not
 * published yet), so that the consumer can step over it should its
 * producer die before publishing it (dtl_ring_abandon). */
static void mark_claimed(struct dtl_rec *rec, uint32_t size, const struct dtl_ring_producer *p)
{
	__atomic_store_n(&rec->pid, p->pid, __ATOMIC_RELAXED);
	__atomic_store_n(&rec->tid, p->tid, __ATOMIC_RELAXED);
	commit(rec, 0, size);
}

void dtl_claim_gate_close(struct dtl_claim_gate *g, int32_t pid, int32_t tid)
{
	uint64_t who = (uint64_t)(uint32_t)pid << 32 | (uint32_t)tid;
	/* against a producer's "count myself in, then look" (gate_enter) */
	__atomic_store_n(&g->closer, who, __ATOMIC_SEQ_CST);
}

void dtl_claim_gate_open(struct dtl_claim_gate *g, int32_t pid, int32_t tid)
{
	uint64_t who = (uint64_t)(uint32_t)pid << 32 | (uint32_t)tid;
	__atomic_compare_exchange_n(&g->closer, &who, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

bool dtl_claim_gate_busy(const struct dtl_claim_gate *g)
{
	return __atomic_load_n(&g->inside, __ATOMIC_SEQ_CST) > 0;
}

/* May @p go on into the window between the claim and its commit word? If
 * so it is counted inside until gate_leave. */
static bool gate_enter(const struct dtl_ring_producer *p)
{
	struct dtl_claim_gate *g = p->gate;
	if (!g)
		return true;
	__atomic_fetch_add(&g->inside, 1, __ATOMIC_SEQ_CST);
	uint64_t closer = __atomic_load_n(&g->closer, __ATOMIC_SEQ_CST);
	if (!closer || (int32_t)(closer >> 32) != p->pid || (int32_t)closer == p->tid)
		return true;
	__atomic_fetch_sub(&g->inside, 1, __ATOMIC_RELEASE);
	return false;
}

static void gate_leave(const struct dtl_ring_producer *p)
{
	if (p->gate)
		__atomic_fetch_sub(&p->gate->inside, 1, __ATOMIC_RELEASE);
}

/* Drop mode: one more record lost, and when the run of losses began. */
static void count_loss(struct dtl_ring *r, const struct dtl_ring_producer *p)
{
	uint64_t zero = 0;
	__atomic_compare_exchange_n(&r->lost_first_ns, &zero, p->now_ns, false, __ATOMIC_RELAXED,
	                            __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->lost_pending, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&r->lost_total, 1, __ATOMIC_RELAXED);
}

/* The loss record claimed ahead of a producer's own record: the losses
 * not reported yet, or padding if another reporter took them meanwhile. */
static void write_loss(struct dtl_ring *r, struct dtl_rec_loss *l,
                       const struct dtl_ring_producer *p)
{
	/* claimed first, like a record: a reader stepping over a producer
	 * killed here must not take the counts below for commit words */
	mark_claimed(&l->hdr, sizeof(*l), p);
	uint64_t n = __atomic_exchange_n(&r->lost_pending, 0, __ATOMIC_ACQ_REL);
	if (!n) {
		commit(&l->hdr, DTL_REC_PAD, sizeof(*l));
		return;
	}
	l->hdr.time_ns = p->now_ns;
	l->count = n;
	l->first_ns = __atomic_exchange_n(&r->lost_first_ns, 0, __ATOMIC_RELAXED);
	commit(&l->hdr, DTL_REC_LOSS, sizeof(*l));
}

struct dtl_rec *dtl_ring_claim(struct dtl_ring *r, uint32_t size, const struct dtl_ring_producer *p)
{
	const uint64_t cap = r->data_size;
	uint64_t pos = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
	for (;;) {
		uint32_t loss = __atomic_load_n(&r->lost_pending, __ATOMIC_RELAXED)
		                    ? sizeof(struct dtl_rec_loss)
		                    : 0;
		uint64_t off = pos & (cap - 1);
		uint64_t need = (uint64_t)loss + size;
		/* a record never wraps: pad to the end, start over at 0 */
		uint64_t pad = off + need > cap ? cap - off : 0;
		uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		if ((int64_t)(tail - pos) > 0) {
			/* pos is stale: since we read it, others claimed past it
			 * and the consumer read past that (pos - tail would
			 * wrap around and look like a full ring) */
			pos = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
			continue;
		}
		if (pos + pad + need - tail > cap) {
			if (__atomic_load_n(&r->flags, __ATOMIC_RELAXED) & DTL_RING_DROP) {
				count_loss(r, p);
				return NULL;
			}
			if (!p->wait(r))
				return NULL;
			pos = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
			continue;
		}
		/* what is written before the claim says who holds it */
		char *start = pad ? r->data : r->data + off;
		touch_for_writing(r->data + off);
		touch_for_writing(start);
		touch_for_writing(start + loss);
		touch_for_writing(start + loss + 8);
		if (!gate_enter(p)) {
			/* the process is about to end or exec: wait for it */
			if (!p->wait(r))
				return NULL;
			pos = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
			continue;
		}
		if (!__atomic_compare_exchange_n(&r->head, &pos, pos + pad + need, true,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			gate_leave(p);
			continue; /* another producer was quicker: pos is the new head */
		}
		char *at = r->data + off;
		if (pad) {
			commit((struct dtl_rec *)at, DTL_REC_PAD, (uint32_t)pad);
			at = r->data;
		}
		if (loss) {
			write_loss(r, (struct dtl_rec_loss *)at, p);
			at += loss;
		}
		mark_claimed((struct dtl_rec *)at, size, p);
		gate_leave(p);
		return (struct dtl_rec *)at;
	}
}

void dtl_ring_publish(struct dtl_ring *r, struct dtl_rec *rec, uint16_t type, uint32_t size,
                      const struct dtl_ring_producer *p)
{
	commit(rec, type, size);
	/* against the consumer's "set sleeping, then look again": one of the
	 * two sees the other's store (both sides fence) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->sleeping, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&r->sleeping, 0, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&r->doorbell, 1, __ATOMIC_SEQ_CST);
		p->wake(r);
	}
}

static struct dtl_rec *at_tail(struct dtl_ring *r)
{
	return (struct dtl_rec *)(r->data + (r->tail & (r->data_size - 1)));
}

/* Could a producer have claimed @size bytes at the tail? Producers write
 * nothing else; anything else was written by something that is not a
 * producer (a program that reached the ring's memory), and the consumer
 * must not follow it out of the ring. */
static bool plausible_at(const struct dtl_ring *r, uint64_t pos, struct dtl_rec c)
{
	uint64_t off = pos & (r->data_size - 1);
	/* a record takes at most half the ring; padding, the rest of it,
	 * which may be a lone commit word */
	bool pad = c.type == DTL_REC_PAD;
	uint64_t min = pad ? 8 : sizeof(struct dtl_rec);
	uint64_t max = pad ? r->data_size - off : r->data_size / 2;
	return c.size >= min && !(c.size & 7) && c.size <= r->data_size - off && c.size <= max;
}

static bool plausible(const struct dtl_ring *r, struct dtl_rec c)
{
	return plausible_at(r, r->tail, c);
}

/* Zero @len bytes of the ring from byte @pos on, across its end. */
static void zero_from(struct dtl_ring *r, uint64_t pos, uint64_t len)
{
	for (uint64_t i = 0; i < len; i += 8)
		__atomic_store_n((uint64_t *)(r->data + ((pos + i) & (r->data_size - 1))), 0,
		                 __ATOMIC_RELAXED);
}

/* The commit word of @rec as the consumer sees it. */
static struct dtl_rec commit_word(const struct dtl_rec *rec)
{
	struct dtl_rec c = {.commit = __atomic_load_n(&rec->commit, __ATOMIC_ACQUIRE)};
	return c;
}

const struct dtl_rec *dtl_ring_peek(struct dtl_ring *r)
{
	for (;;) {
		struct dtl_rec *rec = at_tail(r);
		struct dtl_rec c = commit_word(rec);
		if (!c.type || !plausible(r, c))
			return NULL; /* free, being written, or garbage (dtl_ring_corrupt) */
		if (c.type != DTL_REC_PAD)
			return rec;
		dtl_ring_release(r, rec);
	}
}

bool dtl_ring_claimant(struct dtl_ring *r, int32_t *pid, int32_t *tid)
{
	struct dtl_rec *rec = at_tail(r);
	struct dtl_rec c = commit_word(rec);
	if (c.type || !c.size || !plausible(r, c))
		return false;
	/* written before the claimed commit word, which we read with acquire */
	*pid = __atomic_load_n(&rec->pid, __ATOMIC_RELAXED);
	*tid = __atomic_load_n(&rec->tid, __ATOMIC_RELAXED);
	return true;
}

bool dtl_ring_abandon(struct dtl_ring *r)
{
	struct dtl_rec *rec = at_tail(r);
	struct dtl_rec c = commit_word(rec);
	if (c.type || !c.size || !plausible(r, c))
		return false;
	struct dtl_rec pad = {.size = c.size, .type = DTL_REC_PAD};
	if (!__atomic_compare_exchange_n(&rec->commit, &c.commit, pad.commit, false,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return false; /* published after all */
	__atomic_fetch_add(&r->lost_total, 1, __ATOMIC_RELAXED);
	dtl_ring_release(r, rec);
	return true;
}

void dtl_ring_release(struct dtl_ring *r, const struct dtl_rec *rec)
{
	struct dtl_rec c = commit_word(rec);
	uint32_t size = c.size;
	if (!plausible(r, c)) {
		dtl_ring_corrupt(r); /* changed under the consumer's eyes */
		return;
	}
	/* zero: on the next lap, a commit word here reads 0 until published */
	memset((void *)rec, 0, size);
	__atomic_store_n(&r->tail, r->tail + size, __ATOMIC_RELEASE);
}

bool dtl_ring_corrupt(struct dtl_ring *r)
{
	struct dtl_rec *rec = at_tail(r);
	struct dtl_rec c = commit_word(rec);
	if ((!c.type && !c.size) || plausible(r, c))
		return false;
	/* Nothing after it can be trusted to start where a record starts:
	 * everything claimed so far goes, zeroed (bounded by the ring, whatever
	 * @head says), and producers go on from @head. */
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	uint64_t gone = head - r->tail;
	if (gone > r->data_size)
		gone = r->data_size;
	zero_from(r, r->tail, gone);
	__atomic_fetch_add(&r->lost_total, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&r->tail, head, __ATOMIC_RELEASE);
	return true;
}

bool dtl_ring_unwritten_claim(struct dtl_ring *r, int32_t *pid, int32_t *tid)
{
	struct dtl_rec *rec = at_tail(r);
	if (commit_word(rec).commit || __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == r->tail)
		return false;
	/* a producer names itself just before the commit word (mark_claimed) */
	*pid = __atomic_load_n(&rec->pid, __ATOMIC_RELAXED);
	*tid = __atomic_load_n(&rec->tid, __ATOMIC_RELAXED);
	return true;
}

/* Is @c, at byte @pos of the ring, a commit word a producer wrote (claimed
 * or published)? Producers leave flags 0. */
static bool commit_word_at(const struct dtl_ring *r, uint64_t pos, struct dtl_rec c)
{
	return !c.flags && c.type <= DTL_REC_TYPE_MAX && plausible_at(r, pos, c);
}

bool dtl_ring_next_written(const struct dtl_ring *r, uint64_t *at, int32_t *pid, int32_t *tid)
{
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	/* the unwritten claim is at least a record header; its second word may
	 * hold its producer's name */
	for (uint64_t pos = r->tail + 16; pos < head; pos += 8) {
		const struct dtl_rec *rec =
		    (const struct dtl_rec *)(r->data + (pos & (r->data_size - 1)));
		struct dtl_rec c = commit_word(rec);
		if (!c.commit)
			continue;
		if (commit_word_at(r, pos, c)) {
			*at = pos;
			return true;
		}
		/* a producer's name, written just before its commit word */
		const struct dtl_rec *named = (const struct dtl_rec *)((const char *)rec - 8);
		*pid = __atomic_load_n(&named->pid, __ATOMIC_RELAXED);
		*tid = __atomic_load_n(&named->tid, __ATOMIC_RELAXED);
		*at = pos - 8;
		return false;
	}
	*at = head;
	return true;
}

bool dtl_ring_skip_to(struct dtl_ring *r, uint64_t at)
{
	if (commit_word(at_tail(r)).commit || at <= r->tail ||
	    at > __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) || at - r->tail > r->data_size)
		return false;
	zero_from(r, r->tail, at - r->tail);
	__atomic_fetch_add(&r->lost_total, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&r->tail, at, __ATOMIC_RELEASE);
	return true;
}

bool dtl_ring_repair(struct dtl_ring *r, uint64_t *tail)
{
	bool repaired = false;
	if (*tail & 7) { /* taken over from a write between two looks */
		*tail = (*tail + 7) & ~(uint64_t)7;
		repaired = true;
	}
	if (__atomic_load_n(&r->tail, __ATOMIC_RELAXED) != *tail) {
		__atomic_store_n(&r->tail, *tail, __ATOMIC_RELEASE);
		repaired = true;
	}
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	if ((head & 7) || head - *tail > r->data_size) {
		/* producers would claim from there for ever, or never: what is
		 * in the ring goes, and claims start again at the tail */
		zero_from(r, 0, r->data_size);
		__atomic_compare_exchange_n(&r->head, &head, *tail, false, __ATOMIC_ACQ_REL,
		                            __ATOMIC_RELAXED);
		repaired = true;
	}
	if (repaired)
		__atomic_fetch_add(&r->lost_total, 1, __ATOMIC_RELAXED);
	return repaired;
}

uint64_t dtl_ring_unread(const struct dtl_ring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) - r->tail;
}

bool dtl_config_value(const char *text, size_t len, const char *key, uint64_t *value)
{
	size_t k = strlen(key);
	for (size_t at = 0; at < len;) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - line) : len - at;
		at += line_len + 1;
		if (line_len <= k + 1 || line_len > k + 21 || memcmp(line, key, k) ||
		    line[k] != '\t')
			continue;
		uint64_t v = 0;
		size_t i = k + 1;
		for (; i < line_len && line[i] >= '0' && line[i] <= '9'; i++)
			v = v * 10 + (uint64_t)(line[i] - '0');
		if (i == line_len) {
			*value = v;
			return true;
		}
	}
	return false;
}

bool dtl_config_flag(const char *text, size_t len, const char *key)
{
	uint64_t v;
	return dtl_config_value(text, len, key, &v) && v == 1;
}
