/* logfilter.h: the logs pane's stack of keep/hide filters (f and x). Each
 * is a regex over a line's raw text, or label and field matchers
 * (core/logmatch.h: service=checkout, level!=info) over its labels and
 * recognized fields. */
#ifndef SITREP_LOGFILTER_H
#define SITREP_LOGFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/logmatch.h"
#include "core/lregex.h"

struct logfields;
struct sbuf;

enum logfilter_kind {
	LOGFILTER_KEEP,		/* f: only lines that match */
	LOGFILTER_HIDE		/* x: not lines that match */
};

struct logfilter_rule {
	enum logfilter_kind	 kind;
	bool			 matcher;	/* m, else re */
	char			*text;		/* as typed */
	struct lregex		 re;
	struct logmatch		 m;
};

struct logfilter {
	struct logfilter_rule	*v;
	size_t			 n;
	struct logfields	*fields;	/* the line being looked at */
};

/* A rule from what was typed: matchers if it reads as matchers
 * (logmatch_is), else a regex. On a mistake *error names its column or
 * offset (heap). */
bool	 logfilter_push(struct logfilter *, enum logfilter_kind, const char *,
	     char **error);
/* Remove the newest rule; false if there is none. */
bool	 logfilter_pop(struct logfilter *);
void	 logfilter_clear(struct logfilter *);
/* Does a line with these labels ("" or {k="v", ...}) and text pass every
 * rule? */
bool	 logfilter_pass(struct logfilter *, const char *, const char *,
	     size_t);
/* "+ERROR -healthz +service=\"checkout\"" for the pane's title. */
void	 logfilter_describe(const struct logfilter *, struct sbuf *);

#endif
