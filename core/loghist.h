/*
 * loghist.h: the history view of the logs: lines around a moment older
 * than the log ring holds, fetched on demand and extended page by page past
 * either end while the live follow goes on underneath in the ring.
 *
 * The pane asks (loghist_open at a time, loghist_more older or newer); a
 * log source takes the request (loghist_take), asks its server for the
 * range loghist_range names and feeds each page through the two cursors
 * (core/logfollow.h): one going back from the moment, newest first, one
 * going forward from it, oldest first. Lines sharing a timestamp across
 * pages are neither lost nor doubled, as when following. The lines live in
 * a ring of their own (capped like the live one; when full it takes no
 * more and says so), older pages pushed at its front.
 */
#ifndef SITREP_LOGHIST_H
#define SITREP_LOGHIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/logfollow.h"
#include "core/ring.h"

enum loghist_want {
	LOGHIST_NONE,
	LOGHIST_AROUND,		/* a page before the moment, a page after */
	LOGHIST_OLDER,		/* a page before the oldest line held */
	LOGHIST_NEWER		/* a page after the newest */
};

struct loghist {
	bool			 active;	/* the pane shows it */
	int64_t			 at;		/* the moment asked for, ns */
	enum loghist_want	 want;		/* asked, not yet taken */
	enum loghist_want	 doing;		/* taken, being fetched */
	unsigned		 from;		/* its source: LOG_LINE_FROM() */
	uint64_t		 gen;		/* bumped when lines change */
	struct ring		 lines;

	struct logfollow	 older, newer;	/* the two edges */
	int64_t			 older_lo;	/* last range back: start */
	int64_t			 newer_hi;	/* end of the last range on */
	bool			 older_full, newer_full;
	bool			 end_reached;	/* nothing newer up to now */
	bool			 capped;	/* the ring took no more */
	bool			 newer_now;	/* last range on: to now */
	size_t			 page_new;	/* new in the last page */
	enum loghist_want	 last;		/* its direction and range */
	int64_t			 last_start, last_end;
	char			*status;	/* source's error, limit */
	char			*note;		/* "nothing older ..." */
};

void	 loghist_init(struct loghist *);
void	 loghist_free(struct loghist *);
void	 loghist_set_caps(struct loghist *, size_t lines, size_t bytes);

/* The pane's side. */
void	 loghist_open(struct loghist *, int64_t at);
/* Ask for a page past one end; false if one is being fetched already. */
bool	 loghist_more(struct loghist *, enum loghist_want);
void	 loghist_close(struct loghist *);
bool	 loghist_busy(const struct loghist *);

/* The source's side: the request to serve, LOGHIST_NONE if none. */
enum loghist_want loghist_take(struct loghist *);
/* The range [*start, *end) of the next page going OLDER or NEWER, at most
 * span wide past what is held, never past now. */
void	 loghist_range(struct loghist *, enum loghist_want, int64_t span,
	     int64_t now, int64_t *start, int64_t *end);
void	 loghist_page_begin(struct loghist *, enum loghist_want,
	     int64_t start, int64_t end);
/* One entry in the page's order (OLDER: newest first); true if taken. */
bool	 loghist_page_take(struct loghist *, int64_t ts, uint64_t hash,
	     const char *labels, const char *text, size_t len);
/* The page had the limit's worth (full). */
void	 loghist_page_end(struct loghist *, bool full);
/* The request is served (status: NULL, or the error or limit to say). */
void	 loghist_done(struct loghist *, const char *status);

#endif
