/*
 * logmix.c: several log sources' lines into one ring in time order.
 *
 * Two Lokis polled on their own timers bring their lines in blocks a poll
 * apart; appended as they come, the pane would show prod's last two
 * seconds, then staging's same two seconds. Each source's lines wait here
 * in a ring of their own until every source taking part has said it has
 * come past them (its horizon), and then go into the ring, oldest first
 * across sources. A source's lines come in its own time order, so the
 * oldest waiting line of each is the next to go: a k-way merge of k
 * rings, k being the few log sources of a config.
 *
 * Nothing waits long for a source that cannot keep up: one that has left
 * (its history loading, its Loki failing, its environment hidden) holds
 * nobody back, and no line waits once it is max_lag old by the wall clock
 * (the horizon of a Loki far behind, or stuck on a hung request, would
 * otherwise hold the others as long). Lines that come later than others
 * newer than them are then appended as they come, out of time order;
 * that is the price of a pane that never stalls behind a slow server. A source's wait is capped like the ring: a
 * line that does not fit pushes out the oldest waiting lines (of every
 * source, in order) instead of being lost.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logmix.h"
#include "core/xalloc.h"

void
logmix_init(struct logmix *x, int64_t max_lag_ns)
{
	memset(x, 0, sizeof *x);
	x->max_lag = max_lag_ns;
	x->max_lines = 10000;
	x->max_bytes = (size_t)16 << 20;
}

void
logmix_free(struct logmix *x)
{
	size_t	i;

	for (i = 0; i < x->n; i++)
		ring_free(&x->v[i].wait);
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

void
logmix_set_caps(struct logmix *x, size_t lines, size_t bytes)
{
	size_t	i;

	x->max_lines = lines;
	x->max_bytes = bytes;
	for (i = 0; i < x->n; i++)
		ring_set_caps(&x->v[i].wait, lines, bytes);
}

static struct logmix_src *
logmix_src(struct logmix *x, size_t src)
{
	size_t	i;

	if (src >= x->n) {
		x->v = xreallocarray(x->v, src + 1, sizeof *x->v);
		for (i = x->n; i <= src; i++) {
			memset(&x->v[i], 0, sizeof x->v[i]);
			ring_init(&x->v[i].wait, x->max_lines, x->max_bytes);
		}
		x->n = src + 1;
	}
	return (&x->v[src]);
}

size_t
logmix_waiting(const struct logmix *x)
{
	size_t	i, n = 0;

	for (i = 0; i < x->n; i++)
		n += x->v[i].wait.n;
	return (n);
}

/* Move the waiting lines older than limit into out, oldest first. */
static size_t
logmix_move(struct logmix *x, struct ring *out, int64_t limit)
{
	const struct log_line	*l, *best;
	size_t			 i, from = 0, moved = 0;

	for (;;) {
		best = NULL;
		for (i = 0; i < x->n; i++) {
			l = ring_get(&x->v[i].wait, 0);
			if (l != NULL && l->ts < limit &&
			    (best == NULL || l->ts < best->ts)) {
				best = l;
				from = i;
			}
		}
		if (best == NULL)
			return (moved);
		ring_push_flags(out, best->ts, LOG_LINE_LABELS(best),
		    LOG_LINE_TEXT(best), best->len,
		    (unsigned)best->flags | (unsigned)best->from << 8);
		ring_shift(&x->v[from].wait);
		moved++;
	}
}

size_t
logmix_release(struct logmix *x, struct ring *out, int64_t now)
{
	int64_t	limit = INT64_MAX, aged;
	size_t	i;

	for (i = 0; i < x->n; i++) {
		if (x->v[i].part && x->v[i].horizon < limit)
			limit = x->v[i].horizon;
	}
	/* What is that old goes whoever holds it back. */
	aged = now > INT64_MIN + x->max_lag ? now - x->max_lag : INT64_MIN;
	if (limit < aged)
		limit = aged;
	return (logmix_move(x, out, limit));
}

void
logmix_offer(struct logmix *x, struct ring *out, size_t src, int64_t ts,
    const char *labels, const char *text, size_t len, unsigned flags)
{
	struct logmix_src	*s = logmix_src(x, src);
	const struct log_line	*oldest;
	size_t			 i;
	bool			 alone = true;

	for (i = 0; i < x->n && alone; i++) {
		if (x->v[i].wait.n > 0 || (i != src && x->v[i].part))
			alone = false;
	}
	if (alone) {
		ring_push_flags(out, ts, labels, text, len, flags);
		return;
	}
	/* Full: the oldest waiting go on, in order, rather than be lost. */
	while (s->wait.n > 0 && !ring_has_room(&s->wait,
	    len + (labels != NULL ? strlen(labels) : 0))) {
		oldest = ring_get(&s->wait, 0);
		logmix_move(x, out, oldest->ts + 1);
	}
	ring_push_flags(&s->wait, ts, labels, text, len, flags);
}

void
logmix_horizon(struct logmix *x, struct ring *out, size_t src,
    int64_t horizon, int64_t now)
{
	struct logmix_src	*s = logmix_src(x, src);

	s->horizon = horizon;
	s->part = true;
	logmix_release(x, out, now);
}

void
logmix_leave(struct logmix *x, struct ring *out, size_t src, int64_t now)
{
	struct logmix_src	*s = logmix_src(x, src);

	s->part = false;
	logmix_release(x, out, now);
}

void
logmix_drop(struct logmix *x, size_t src)
{
	struct logmix_src	*s = logmix_src(x, src);

	ring_clear(&s->wait);
	s->part = false;
	s->horizon = 0;
}
