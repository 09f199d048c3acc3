/*
 * logfollow.c: the follow cursor (see logfollow.h for the idea).
 *
 * Why it is right, for a forward page asked for as [edge, end) with a limit:
 * the source answers with the earliest entries of the range, oldest first.
 * - Entries before the page's last timestamp are complete: a later entry
 *   made it into the page, so every earlier one did too.
 * - At the page's last timestamp some may be missing (the limit cut them, or
 *   they had not arrived). The cursor keeps that timestamp as its edge and
 *   remembers how many of each identity it took there.
 * - The next page starts at the edge inclusive. Its entries at the edge are
 *   counted per identity: the k-th copy of an identity is new only if fewer
 *   than k were taken before. Entries past the edge are all new.
 * - A full page whose entries all sit at the edge cannot move the cursor:
 *   asking again returns the same page (STUCK). The caller raises the limit,
 *   or gives the timestamp up and says so.
 * - A source that ignores the limit or the range (a proxy, a broken Loki)
 *   sends what was not asked for. Lines beyond the range's far end are not
 *   taken (they would carry the edge where no range reaches); a full page
 *   with nothing new and lines outside the range is IGNORED: asking again
 *   brings the same, so paging stops there.
 *
 * The guarantee has one assumption: a line is in the source when its
 * timestamp is older than the range end asked for. The caller keeps the
 * range end a delay behind the clock for lines that reach the source late;
 * a line later than that, older than the edge, is not seen.
 *
 * Identity sets are open-addressing tables keyed by the (random) 64-bit
 * hashes, so a burst of ten thousand lines at one timestamp costs ten
 * thousand probes, not a hundred million comparisons.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logfollow.h"
#include "core/xalloc.h"

#define SET_MIN		16
#define STRAY_MAX	65536	/* lines outside remembered, at most */

static uint64_t
set_key(uint64_t h)
{
	return (h == 0 ? 1 : h);	/* 0 marks an empty slot */
}

static void
set_clear(struct logfollow_set *s)
{
	if (s->cap > 0)
		memset(s->v, 0, s->cap * sizeof *s->v);
	s->n = 0;
}

static void
set_free(struct logfollow_set *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static struct logfollow_id *set_get(struct logfollow_set *, uint64_t);

static void
set_grow(struct logfollow_set *s)
{
	struct logfollow_set	 old = *s;
	struct logfollow_id	*e;
	size_t			 i;

	s->cap = old.cap == 0 ? SET_MIN : old.cap * 2;
	s->v = xcalloc(s->cap, sizeof *s->v);
	s->n = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.v[i].hash == 0)
			continue;
		e = set_get(s, old.v[i].hash);
		e->taken = old.v[i].taken;
		e->page = old.v[i].page;
	}
	free(old.v);
}

/* The entry for h, added (zeroed) if absent. */
static struct logfollow_id *
set_get(struct logfollow_set *s, uint64_t h)
{
	size_t	i;

	h = set_key(h);
	if ((s->n + 1) * 4 > s->cap * 3)
		set_grow(s);
	for (i = h & (s->cap - 1); s->v[i].hash != 0; i = (i + 1) &
	    (s->cap - 1)) {
		if (s->v[i].hash == h)
			return (&s->v[i]);
	}
	s->v[i].hash = h;
	s->v[i].taken = s->v[i].page = 0;
	s->n++;
	return (&s->v[i]);
}

/* The entry for h, or NULL. */
static struct logfollow_id *
set_find(const struct logfollow_set *s, uint64_t h)
{
	size_t	i;

	if (s->n == 0)
		return (NULL);
	h = set_key(h);
	for (i = h & (s->cap - 1); s->v[i].hash != 0; i = (i + 1) &
	    (s->cap - 1)) {
		if (s->v[i].hash == h)
			return (&s->v[i]);
	}
	return (NULL);
}

/* A line outside the ranges is known by its timestamp too: the identity
 * hash is of stream and text only. */
static uint64_t
stray_key(int64_t ts, uint64_t hash)
{
	return (hash ^ ((uint64_t)ts * 0x9e3779b97f4a7c15ULL));
}

/* Count a line from beyond the range once, however often it comes. */
static void
stray_add(struct logfollow *f, int64_t ts, uint64_t hash)
{
	struct logfollow_id	*e;

	if (f->stray.n >= STRAY_MAX)
		set_clear(&f->stray);
	e = set_get(&f->stray, stray_key(ts, hash));
	if (e->page == 0) {
		e->page = 1;
		e->taken = 1;
		f->outside++;
	}
}

/* A line taken after all: it no longer counts as not shown. */
static void
stray_taken(struct logfollow *f, int64_t ts, uint64_t hash)
{
	struct logfollow_id	*e = set_find(&f->stray, stray_key(ts, hash));

	if (e != NULL && e->taken == 1) {
		e->taken = 0;
		f->outside--;
	}
}

void
logfollow_init(struct logfollow *f, enum logfollow_dir dir, int64_t ts)
{
	memset(f, 0, sizeof *f);
	f->dir = dir;
	f->ts = ts;
}

void
logfollow_free(struct logfollow *f)
{
	set_free(&f->edge);
	set_free(&f->last);
	set_free(&f->stray);
}

/* Saturating: the edge is outside data (a timestamp a source sent). */
static int64_t
logfollow_next_ns(int64_t ts)
{
	return (ts == INT64_MAX ? INT64_MAX : ts + 1);
}

int64_t
logfollow_bound(const struct logfollow *f)
{
	return (f->dir == LOGFOLLOW_FORWARD ? f->ts : logfollow_next_ns(f->ts));
}

/* >0: ts is past the edge in the direction of travel; 0: at it. */
static int
logfollow_cmp(const struct logfollow *f, int64_t ts)
{
	if (ts == f->ts)
		return (0);
	if (f->dir == LOGFOLLOW_FORWARD)
		return (ts > f->ts ? 1 : -1);
	return (ts < f->ts ? 1 : -1);
}

void
logfollow_page_begin(struct logfollow *f)
{
	size_t	i;

	for (i = 0; i < f->edge.cap; i++)
		f->edge.v[i].page = 0;
	set_clear(&f->last);
	f->in_page = true;
	f->ranged = false;
	f->page_n = f->page_new = f->page_off = 0;
	f->page_last = f->ts;
}

void
logfollow_page_range(struct logfollow *f, int64_t start, int64_t end)
{
	logfollow_page_begin(f);
	f->ranged = true;
	f->lo = start;
	f->hi = end;
}

/* Beyond the far end of the page's range, in the direction of travel (the
 * near end is the edge: what lies before it is behind). */
static bool
logfollow_beyond(const struct logfollow *f, int64_t ts)
{
	if (!f->ranged)
		return (false);
	return (f->dir == LOGFOLLOW_FORWARD ? ts >= f->hi : ts < f->lo);
}

static bool
logfollow_take_one(struct logfollow *f, int64_t ts, uint64_t hash)
{
	struct logfollow_id	*e;
	int			 c;

	if (!f->in_page)
		logfollow_page_begin(f);
	f->page_n++;
	if (logfollow_beyond(f, ts)) {
		stray_add(f, ts, hash);
		f->page_off++;
		return (false);
	}
	if ((c = logfollow_cmp(f, ts)) < 0) {
		f->behind++;
		f->page_off++;
		return (false);
	}
	if (c == 0) {
		e = set_get(&f->edge, hash);
		if (++e->page <= e->taken) {
			f->dups++;
			return (false);
		}
		e->taken = e->page;
		f->page_new++;
		return (true);
	}
	if (ts != f->page_last) {
		set_clear(&f->last);
		f->page_last = ts;
	}
	set_get(&f->last, hash)->page++;
	f->page_new++;
	return (true);
}

bool
logfollow_take(struct logfollow *f, int64_t ts, uint64_t hash)
{
	if (!logfollow_take_one(f, ts, hash))
		return (false);
	if (f->outside > 0)
		stray_taken(f, ts, hash);
	return (true);
}

enum logfollow_next
logfollow_page_end(struct logfollow *f, bool full)
{
	struct logfollow_set	tmp;
	size_t			i;

	f->in_page = false;
	if (f->page_n == 0)
		return (LOGFOLLOW_DONE);
	if (f->page_last == f->ts) {
		if (!full)
			return (LOGFOLLOW_DONE);
		/* Nothing new is past the edge. A source that keeps to the
		 * range sends nothing behind it either: all is at the edge,
		 * and a higher limit reaches further. One that sends more
		 * than was asked will send the same again. */
		if (f->page_new == 0 && f->page_off > 0)
			return (LOGFOLLOW_IGNORED);
		return (LOGFOLLOW_STUCK);
	}
	/* The page's last timestamp becomes the edge, with what it had. */
	tmp = f->edge;
	f->edge = f->last;
	f->last = tmp;
	set_clear(&f->last);
	for (i = 0; i < f->edge.cap; i++) {
		f->edge.v[i].taken = f->edge.v[i].page;
		f->edge.v[i].page = 0;
	}
	f->ts = f->page_last;
	return (full ? LOGFOLLOW_MORE : LOGFOLLOW_DONE);
}

void
logfollow_jump(struct logfollow *f, int64_t ts)
{
	f->ts = ts;
	set_clear(&f->edge);
	set_clear(&f->last);
	f->in_page = false;
}

void
logfollow_step_past(struct logfollow *f)
{
	if (f->dir == LOGFOLLOW_FORWARD)
		logfollow_jump(f, logfollow_next_ns(f->ts));
	else
		logfollow_jump(f, f->ts == INT64_MIN ? INT64_MIN : f->ts - 1);
}

uint64_t
logfollow_edge_count(const struct logfollow *f)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = 0; i < f->edge.cap; i++) {
		if (f->edge.v[i].hash != 0)
			n += f->edge.v[i].taken;
	}
	return (n);
}

void
logfollow_seed(struct logfollow *f, int64_t ts, uint64_t hash)
{
	if (ts != f->ts)
		logfollow_jump(f, ts);
	set_get(&f->edge, hash)->taken++;
}
