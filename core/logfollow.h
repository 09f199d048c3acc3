/*
 * logfollow.h: the cursor that follows a log source by polling time ranges,
 * so that no line is shown twice and none is skipped. Pure: the caller does
 * the requests and feeds each page's entries (timestamp, identity hash) in
 * the page's order; the cursor says which are new and where to ask next.
 *
 * The cursor is the last timestamp taken plus the identities (with counts,
 * as two equal lines may share a timestamp) of the entries taken AT that
 * timestamp. The next range starts at that timestamp inclusive, so lines
 * that share it are asked for again: the ones already taken are dropped,
 * the rest are new, however a page limit or a poll boundary cut them.
 *
 * Forward: ranges [ts, end), entries oldest first. Backward (loading
 * history newest first): ranges [start, ts + 1), entries newest first.
 *
 * A page may be told the range it was asked for: an entry beyond its far
 * end (forward: at or after end; backward: before start), which a source
 * ignoring the range or a shipper's broken clock can send, is not taken and
 * is counted in `outside`. Taken, one line stamped near 2^63 ns would move
 * the cursor where no later range reaches, and following would stop. Each
 * such line counts once however often it is sent, and stops counting when
 * a later range takes it (a source that ignores end sends lines early).
 */
#ifndef SITREP_LOGFOLLOW_H
#define SITREP_LOGFOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum logfollow_dir {
	LOGFOLLOW_FORWARD,
	LOGFOLLOW_BACKWARD
};

enum logfollow_next {
	LOGFOLLOW_DONE,		/* the page was not full: caught up */
	LOGFOLLOW_MORE,		/* full: ask again from the new edge */
	LOGFOLLOW_STUCK,	/* full, all at the edge timestamp: asking
				 * again with the same limit returns the same
				 * page; raise the limit or step past */
	LOGFOLLOW_IGNORED	/* full, nothing new, and lines the range
				 * excludes (behind the edge or beyond its far
				 * end): the source ignores the limit or the
				 * range, and asking again brings the same;
				 * stop paging */
};

struct logfollow_id {
	uint64_t	 hash;
	uint32_t	 taken;		/* at the edge, in earlier pages */
	uint32_t	 page;		/* in the current page */
};

struct logfollow_set {
	struct logfollow_id	*v;
	size_t			 n, cap;
};

struct logfollow {
	enum logfollow_dir	 dir;
	int64_t			 ts;	/* the edge */
	struct logfollow_set	 edge;	/* taken at ts */

	/* The page being fed. */
	bool			 in_page;
	size_t			 page_n;	/* entries fed */
	size_t			 page_new;	/* of which new */
	size_t			 page_off;	/* of which behind or outside */
	int64_t			 page_last;	/* timestamp of the last fed */
	struct logfollow_set	 last;		/* ids at page_last (> edge) */
	bool			 ranged;	/* the page's range is known: */
	int64_t			 lo, hi;	/* [lo, hi) */
	uint64_t		 dups;		/* entries dropped as seen */
	uint64_t		 behind;	/* entries before the edge */
	uint64_t		 outside;	/* beyond the far end of a range,
					 * not taken since */
	struct logfollow_set	 stray;		/* those: taken = 1 if counted */
};

/* Start at ts: forward from ts inclusive; backward up to ts inclusive. */
void	 logfollow_init(struct logfollow *, enum logfollow_dir, int64_t);
void	 logfollow_free(struct logfollow *);

/* The range bound to ask for: forward, the start (inclusive); backward,
 * the end (exclusive). */
int64_t	 logfollow_bound(const struct logfollow *);

void	 logfollow_page_begin(struct logfollow *);
/* Begin a page asked for as [start, end): what lies beyond its far end is
 * not taken (counted in outside). */
void	 logfollow_page_range(struct logfollow *, int64_t start, int64_t end);
/* One entry of the page, in page order: true if it is new. */
bool	 logfollow_take(struct logfollow *, int64_t, uint64_t);
/* The page had `limit` entries or more (full). */
enum logfollow_next logfollow_page_end(struct logfollow *, bool full);

/* Give up the edge timestamp and move past it (forward: to ts + 1). */
void	 logfollow_step_past(struct logfollow *);
/* Move the edge to ts with nothing taken there (a skip). */
void	 logfollow_jump(struct logfollow *, int64_t);
/* Entries taken at the edge timestamp. */
uint64_t logfollow_edge_count(const struct logfollow *);
/* Seed the edge: an entry already shown at ts (history handed over). */
void	 logfollow_seed(struct logfollow *, int64_t, uint64_t);

#endif
