/* logfilter.h: the logs pane's stack of keep/hide filters (f and x),
 * each a regex over a line's raw text. */
#ifndef SITREP_LOGFILTER_H
#define SITREP_LOGFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/lregex.h"

struct sbuf;

enum logfilter_kind {
	LOGFILTER_KEEP,		/* f: only lines that match */
	LOGFILTER_HIDE		/* x: not lines that match */
};

struct logfilter_rule {
	enum logfilter_kind	 kind;
	struct lregex		 re;
};

struct logfilter {
	struct logfilter_rule	*v;
	size_t			 n;
};

bool	 logfilter_push(struct logfilter *, enum logfilter_kind, const char *,
	     char **error);
void	 logfilter_clear(struct logfilter *);
/* Does a line with this text pass every rule? */
bool	 logfilter_pass(struct logfilter *, const char *, size_t);
/* "+ERROR -healthz" for the pane's title. */
void	 logfilter_describe(const struct logfilter *, struct sbuf *);

#endif
