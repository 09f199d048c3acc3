/*
 * logview.c: the index of visible lines (see logview.h). It holds the
 * sequence numbers of the lines that pass, in order. Lines arrive at the
 * end and leave from the front (the ring evicts oldest first), so it is a
 * deque: syncing costs the new lines only. With no filter there is no
 * index: every line is visible and lookups go to the ring.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logview.h"
#include "core/ring.h"
#include "core/xalloc.h"

void
logview_init(struct logview *v)
{
	memset(v, 0, sizeof *v);
}

void
logview_free(struct logview *v)
{
	logfilter_clear(&v->filter);
	free(v->seq);
	memset(v, 0, sizeof *v);
}

static uint64_t
logview_at(const struct logview *v, size_t i)
{
	return (v->seq[(v->head + i) % v->cap]);
}

static void
logview_push(struct logview *v, uint64_t seq)
{
	uint64_t	*n;
	size_t		 cap, i;

	if (v->n == v->cap) {
		cap = v->cap == 0 ? 256 : v->cap * 2;
		n = xreallocarray(NULL, cap, sizeof *n);
		for (i = 0; i < v->n; i++)
			n[i] = logview_at(v, i);
		free(v->seq);
		v->seq = n;
		v->cap = cap;
		v->head = 0;
	}
	v->seq[(v->head + v->n) % v->cap] = seq;
	v->n++;
}

static uint64_t
ring_oldest_seq(const struct ring *r)
{
	return (r->n > 0 ? ring_get(r, 0)->seq : r->next_seq);
}

void
logview_sync(struct logview *v, const struct ring *r)
{
	const struct log_line	*l;
	uint64_t		 oldest = ring_oldest_seq(r);
	size_t			 i;

	if (v->filter.n == 0) {
		v->next = r->next_seq;
		return;
	}
	while (v->n > 0 && logview_at(v, 0) < oldest) {
		v->head = (v->head + 1) % v->cap;
		v->n--;
	}
	if (v->next < oldest)
		v->next = oldest;
	for (i = ring_find_seq(r, v->next); i < r->n; i++) {
		l = ring_get(r, i);
		if (((l->flags & LOG_LINE_MARK) && !v->no_marks) ||
		    logfilter_pass(&v->filter, LOG_LINE_LABELS(l),
		    LOG_LINE_TEXT(l), l->len))
			logview_push(v, l->seq);
	}
	v->next = r->next_seq;
}

void
logview_rebuild(struct logview *v, const struct ring *r)
{
	v->head = v->n = 0;
	v->next = 0;
	logview_sync(v, r);
}

size_t
logview_count(const struct logview *v, const struct ring *r)
{
	return (v->filter.n == 0 ? r->n : v->n);
}

const struct log_line *
logview_get(const struct logview *v, const struct ring *r, size_t i)
{
	if (v->filter.n == 0)
		return (ring_get(r, i));
	if (i >= v->n)
		return (NULL);
	return (ring_get(r, ring_find_seq(r, logview_at(v, i))));
}

size_t
logview_find(const struct logview *v, const struct ring *r, uint64_t seq)
{
	size_t	lo = 0, hi, mid;

	if (v->filter.n == 0)
		return (ring_find_seq(r, seq));
	hi = v->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (logview_at(v, mid) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}
