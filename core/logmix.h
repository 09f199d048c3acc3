/* logmix.h: the lines of several log sources into one ring, in time order
 * across them. Each source offers its lines in its own time order and says
 * how far it has come (its horizon: nothing older will follow); a line goes
 * into the ring once every source taking part has come past it, or once
 * it is max_lag old by the wall clock, whichever comes first: a slow or
 * stuck Loki delays the others' lines to that age at most. A source takes
 * part from its first horizon until it leaves (loading its history,
 * failing, hidden). With no other source taking part, lines go through
 * at once. */
#ifndef SITREP_LOGMIX_H
#define SITREP_LOGMIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ring.h"

struct logmix_src {
	struct ring	 wait;		/* offered, not yet in the ring */
	int64_t		 horizon;	/* nothing older will be offered */
	bool		 part;		/* takes part */
};

struct logmix {
	struct logmix_src *v;		/* by source index */
	size_t		 n;
	int64_t		 max_lag;	/* ns: no line waits past this age */
	size_t		 max_lines, max_bytes;	/* of each wait */
};

void	 logmix_init(struct logmix *, int64_t max_lag_ns);
void	 logmix_free(struct logmix *);
/* The caps of the ring the lines go to (a source never waits on more). */
void	 logmix_set_caps(struct logmix *, size_t lines, size_t bytes);
/* A line of source src (flags as for ring_push_flags, its
 * LOG_LINE_FROM() among them): into out now, or to wait. */
void	 logmix_offer(struct logmix *, struct ring *out, size_t src,
	     int64_t ts, const char *labels, const char *text, size_t len,
	     unsigned flags);
/* Source src has offered everything older than horizon, and takes part. */
void	 logmix_horizon(struct logmix *, struct ring *out, size_t src,
	     int64_t horizon, int64_t now);
/* Source src takes no part (until its next horizon); what it held waits
 * no longer on it. */
void	 logmix_leave(struct logmix *, struct ring *out, size_t src,
	     int64_t now);
/* Forget what source src has waiting (its lines are dropped). */
void	 logmix_drop(struct logmix *, size_t src);
/* Move into out every line no source taking part can still come before;
 * returns how many moved. */
size_t	 logmix_release(struct logmix *, struct ring *out, int64_t now);
/* Lines waiting, all sources. */
size_t	 logmix_waiting(const struct logmix *);

#endif
