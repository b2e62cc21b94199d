// SPDX-License-Identifier: MIT
/*
 * Records of the event stream (dtl/event.h) to and from the in-memory view
 * (dtl/event_view.h). The encoder runs in ring 0: memcpy only.
 */
#include <dtl/event.h>

#include <string.h>

/* Bytes of the staged event's data area its blobs use. */
static uint32_t data_used(const struct dtl_event *ev)
{
	if (ev->nblobs <= 0)
		return 0;
	const struct dtl_blob *last = &ev->blobs[ev->nblobs - 1];
	return (uint32_t)last->offset + last->len;
}

uint32_t dtl_rec_syscall_size(const struct dtl_event *ev, const uint16_t fd_path_len[2])
{
	size_t n = sizeof(struct dtl_rec_syscall) + (size_t)ev->nblobs * sizeof(struct dtl_blob) +
	           data_used(ev);
	if (fd_path_len)
		n += (size_t)fd_path_len[0] + fd_path_len[1];
	return dtl_rec_align(n);
}

void dtl_rec_syscall_encode(struct dtl_rec_syscall *rec, const struct dtl_event *ev,
                            const char *const fd_path[2], const uint16_t fd_path_len[2])
{
	uint32_t data = data_used(ev);
	rec->hdr.pid = ev->pid;
	rec->hdr.tid = ev->tid;
	rec->hdr.time_ns = ev->ts_ns;
	rec->nr = (int32_t)ev->nr;
	rec->nblobs = (uint16_t)ev->nblobs;
	rec->data_len = (uint16_t)data;
	memcpy(rec->args, ev->args, sizeof(rec->args));
	rec->ret = ev->ret;
	rec->enter_ns = ev->ts_enter_ns;
	rec->reserved = 0;
	memcpy(rec->blobs, ev->blobs, (size_t)ev->nblobs * sizeof(struct dtl_blob));
	char *p = (char *)&rec->blobs[ev->nblobs];
	memcpy(p, ev->data, data);
	p += data;
	for (int i = 0; i < 2; i++) {
		rec->fd_path_len[i] = fd_path_len ? fd_path_len[i] : 0;
		if (rec->fd_path_len[i]) {
			memcpy(p, fd_path[i], rec->fd_path_len[i]);
			p += rec->fd_path_len[i];
		}
	}
}

static int syscall_view(struct dtl_event *ev, const struct dtl_rec_syscall *rec)
{
	size_t fixed = sizeof(*rec) + (size_t)rec->nblobs * sizeof(struct dtl_blob);
	size_t paths = (size_t)rec->fd_path_len[0] + rec->fd_path_len[1];
	int path_blobs = !!rec->fd_path_len[0] + !!rec->fd_path_len[1];
	if (rec->nblobs + path_blobs > DTL_EVENT_MAX_BLOBS ||
	    rec->data_len + paths > DTL_EVENT_DATA || fixed + rec->data_len + paths > rec->hdr.size)
		return -1;
	for (int i = 0; i < rec->nblobs; i++)
		if ((uint32_t)rec->blobs[i].offset + rec->blobs[i].len > rec->data_len)
			return -1;
	ev->type = rec->hdr.type == DTL_REC_SYSCALL ? DTL_EV_SYSCALL : DTL_EV_ENTER;
	ev->pid = rec->hdr.pid;
	ev->tid = rec->hdr.tid;
	ev->ts_ns = rec->hdr.time_ns;
	ev->ts_enter_ns = rec->enter_ns;
	ev->nr = rec->nr;
	memcpy(ev->args, rec->args, sizeof(ev->args));
	ev->ret = rec->ret;
	ev->nblobs = rec->nblobs;
	memcpy(ev->blobs, rec->blobs, (size_t)rec->nblobs * sizeof(struct dtl_blob));
	const char *src = (const char *)&rec->blobs[rec->nblobs];
	memcpy(ev->data, src, rec->data_len);
	/* the -y paths: blobs of the pseudo-argument the front-end's table
	 * reads, after the others, as the capture used to append them */
	uint16_t offset = rec->data_len;
	src += rec->data_len;
	for (unsigned i = 0; i < 2; i++) {
		uint16_t len = rec->fd_path_len[i];
		if (!len)
			continue;
		ev->blobs[ev->nblobs++] = (struct dtl_blob){
		    .arg = DTL_BLOB_ARG_FD_PATH, .sub = (uint16_t)i, .len = len, .offset = offset};
		memcpy(ev->data + offset, src, len);
		offset = (uint16_t)(offset + len);
		src += len;
	}
	return 0;
}

static int signal_view(struct dtl_event *ev, const struct dtl_rec_signal *rec)
{
	if (rec->hdr.size < sizeof(*rec))
		return -1;
	ev->type = DTL_EV_SIGNAL;
	ev->pid = rec->hdr.pid;
	ev->tid = rec->hdr.tid;
	ev->ts_ns = ev->ts_enter_ns = rec->hdr.time_ns;
	ev->nr = -1;
	memset(ev->args, 0, sizeof(ev->args));
	ev->args[0] = (uint64_t)rec->signo;
	ev->args[1] = rec->fatal;
	ev->ret = 0;
	ev->nblobs = 1;
	ev->blobs[0] = (struct dtl_blob){
	    .arg = 0, .flags = DTL_BLOB_ENTRY, .sub = 0, .len = sizeof(rec->siginfo), .offset = 0};
	memcpy(ev->data, rec->siginfo, sizeof(rec->siginfo));
	return 0;
}

int dtl_event_from_record(struct dtl_event *ev, const struct dtl_rec *shared)
{
	/* The record lies in memory others can write while it is read: the
	 * checks and the copies below work on a copy of it, taken once. */
	static union {
		struct dtl_rec hdr;
		char bytes[DTL_REC_MAX];
	} copy;
	uint32_t size = __atomic_load_n(&shared->size, __ATOMIC_ACQUIRE);
	if (size < sizeof(struct dtl_rec) || size > sizeof(copy))
		return -1;
	memcpy(&copy, shared, size);
	copy.hdr.size = size;
	const struct dtl_rec *rec = &copy.hdr;
	switch (rec->type) {
	case DTL_REC_SYSCALL:
	case DTL_REC_SYSCALL_ENTER:
		if (rec->size < sizeof(struct dtl_rec_syscall))
			return -1;
		return syscall_view(ev, (const struct dtl_rec_syscall *)rec);
	case DTL_REC_SIGNAL:
		return signal_view(ev, (const struct dtl_rec_signal *)rec);
	default:
		return -1;
	}
}
