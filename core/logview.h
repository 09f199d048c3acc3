/*
 * logview.h: the visible lines of the log ring through a filter stack: an
 * index kept up to date as lines arrive and leave rather than rescanned per
 * frame. Lines sitrep writes itself (a skip, a gap: LOG_LINE_MARK) are
 * never filtered out: what was lost stays in view.
 */
#ifndef SITREP_LOGVIEW_H
#define SITREP_LOGVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/logfilter.h"

struct log_line;
struct ring;

struct logview {
	struct logfilter	 filter;
	uint64_t		*seq;		/* visible lines, a deque */
	size_t			 head, n, cap;
	uint64_t		 next;		/* first seq not looked at */
	bool			 no_marks;	/* sitrep's notes pass only
						 * the filters too */
};

void	 logview_init(struct logview *);
void	 logview_free(struct logview *);
/* Forget lines that left the ring, look at the ones that came. */
void	 logview_sync(struct logview *, const struct ring *);
/* Look at every line again (the filters changed). */
void	 logview_rebuild(struct logview *, const struct ring *);
/* After logview_sync: visible lines, and the i'th of them (oldest 0). */
size_t	 logview_count(const struct logview *, const struct ring *);
const struct log_line *logview_get(const struct logview *, const struct ring *,
	     size_t);
/* Index of the first visible line with seq >= s (count if none). */
size_t	 logview_find(const struct logview *, const struct ring *, uint64_t);

#endif
