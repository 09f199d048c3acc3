/*
 * loghist.c: the history view's lines and the two cursors that extend them
 * (see loghist.h). Going back, a range that came back short means every
 * line between its start and the edge is held, so the next one starts a
 * span further back; a full one is asked again from the new edge with the
 * same start. Going forward the same, up to the present.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/loghist.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

/* Sequence numbers of the history's lines start high, so that lines
 * pushed at the front have room below. */
#define LOGHIST_SEQ_BASE	(UINT64_C(1) << 62)

void
loghist_init(struct loghist *h)
{
	memset(h, 0, sizeof *h);
	ring_init(&h->lines, 100000, 64 * 1024 * 1024);
	h->lines.next_seq = LOGHIST_SEQ_BASE;
	logfollow_init(&h->older, LOGFOLLOW_BACKWARD, 0);
	logfollow_init(&h->newer, LOGFOLLOW_FORWARD, 0);
}

void
loghist_set_caps(struct loghist *h, size_t lines, size_t bytes)
{
	ring_set_caps(&h->lines, lines, bytes);
}

static void
loghist_reset(struct loghist *h)
{
	ring_clear(&h->lines);
	h->lines.next_seq = LOGHIST_SEQ_BASE;
	logfollow_free(&h->older);
	logfollow_free(&h->newer);
	free(h->status);
	free(h->note);
	h->status = h->note = NULL;
	h->older_full = h->newer_full = false;
	h->end_reached = h->capped = false;
	h->gen++;
}

void
loghist_free(struct loghist *h)
{
	loghist_reset(h);
	ring_free(&h->lines);
}

void
loghist_open(struct loghist *h, int64_t at)
{
	loghist_reset(h);
	h->active = true;
	h->at = at;
	/* Back from just before the moment, on from the moment itself. */
	logfollow_init(&h->older, LOGFOLLOW_BACKWARD, at > 0 ? at - 1 : 0);
	logfollow_init(&h->newer, LOGFOLLOW_FORWARD, at);
	h->older_lo = at;
	h->newer_hi = at;
	h->want = LOGHIST_AROUND;
	h->doing = LOGHIST_NONE;
}

bool
loghist_busy(const struct loghist *h)
{
	return (h->want != LOGHIST_NONE || h->doing != LOGHIST_NONE);
}

bool
loghist_more(struct loghist *h, enum loghist_want dir)
{
	if (!h->active || loghist_busy(h))
		return (false);
	free(h->note);
	h->note = NULL;
	h->want = dir;
	return (true);
}

void
loghist_close(struct loghist *h)
{
	loghist_reset(h);
	h->active = false;
	h->want = LOGHIST_NONE;
	/* A page in flight finds the view closed: loghist_page_take drops
	 * it. */
}

enum loghist_want
loghist_take(struct loghist *h)
{
	enum loghist_want	w = h->want;

	if (!h->active)
		w = LOGHIST_NONE;
	h->want = LOGHIST_NONE;
	h->doing = w;
	return (w);
}

void
loghist_range(struct loghist *h, enum loghist_want dir, int64_t span,
    int64_t now, int64_t *start, int64_t *end)
{
	if (dir == LOGHIST_OLDER) {
		*end = logfollow_bound(&h->older);
		*start = h->older_full ? h->older_lo :
		    time_sub_sat(h->older_lo, span);
		if (*start < 0)
			*start = 0;
		if (*start > *end)
			*start = *end;
		h->older_lo = *start;
		return;
	}
	*start = logfollow_bound(&h->newer);
	*end = h->newer_full ? h->newer_hi : time_add_sat(h->newer_hi, span);
	h->newer_now = *end >= now;
	if (*end > now)
		*end = now;
	if (*end < *start)
		*end = *start;
	h->newer_hi = *end;
}

static struct logfollow *
loghist_cursor(struct loghist *h, enum loghist_want dir)
{
	return (dir == LOGHIST_OLDER ? &h->older : &h->newer);
}

void
loghist_page_begin(struct loghist *h, enum loghist_want dir, int64_t start,
    int64_t end)
{
	struct logfollow	*c = loghist_cursor(h, dir);

	logfollow_page_begin(c);
	logfollow_page_range(c, start, end);
	h->page_new = 0;
	h->last = dir;
	h->last_start = start;
	h->last_end = end;
}

bool
loghist_page_take(struct loghist *h, int64_t ts, uint64_t hash,
    const char *labels, const char *text, size_t len)
{
	enum loghist_want	 dir = h->doing;
	struct logfollow	*c = loghist_cursor(h, dir);

	if (!h->active || dir == LOGHIST_NONE)
		return (false);
	if (!ring_has_room(&h->lines, len + strlen(labels))) {
		h->capped = true;
		return (false);
	}
	if (!logfollow_take(c, ts, hash))
		return (false);
	if (dir == LOGHIST_OLDER)
		ring_push_front(&h->lines, ts, labels, text, len, h->from);
	else
		ring_push_flags(&h->lines, ts, labels, text, len, h->from);
	h->page_new++;
	h->gen++;
	return (true);
}

void
loghist_page_end(struct loghist *h, bool full)
{
	enum loghist_want	 dir = h->doing;
	struct logfollow	*c = loghist_cursor(h, dir);
	enum logfollow_next	 next;

	if (dir == LOGHIST_NONE)
		return;
	next = logfollow_page_end(c, full && !h->capped);
	if (next == LOGFOLLOW_STUCK) {
		/* More lines share one nanosecond than a page holds: go on
		 * past it, and say so. */
		logfollow_step_past(c);
		free(h->note);
		h->note = xstrdup("more lines share one timestamp than a page "
		    "holds; some of them are not shown");
	}
	if (dir == LOGHIST_OLDER)
		h->older_full = next == LOGFOLLOW_MORE;
	else {
		h->newer_full = next == LOGFOLLOW_MORE;
		h->end_reached = !h->newer_full && h->newer_now;
	}
	h->gen++;
}

void
loghist_done(struct loghist *h, const char *status)
{
	free(h->status);
	h->status = status != NULL ? xstrdup(status) : NULL;
	h->doing = LOGHIST_NONE;
	h->gen++;
}
