/*
 * logmatch.h: label and field matchers typed in the logs pane's filter
 * prompt, in LogQL's own words: service=checkout, pod=~"checkout-.*",
 * level!=info, trace_id=abc; several at once separated by commas, within
 * braces or not ({service="checkout", level!="info"}). A key is looked up in
 * the line's labels first, then in its fields (core/logfields.h); a key the
 * line does not have reads as the empty string, as in LogQL, so level!=info
 * keeps lines with no level. =~ and !~ match the whole value (PCRE2).
 *
 * Pure: text in, matchers or an error naming its column out.
 */
#ifndef SITREP_LOGMATCH_H
#define SITREP_LOGMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/lregex.h"
#include "core/sbuf.h"

struct logfields;

enum logmatch_op {
	LOGMATCH_EQ,		/* = */
	LOGMATCH_NE,		/* != */
	LOGMATCH_RE,		/* =~ */
	LOGMATCH_NRE		/* !~ */
};

struct logmatcher {
	char		*key;
	enum logmatch_op op;
	char		*value;		/* escapes undone */
	struct lregex	 re;		/* =~ and !~ */
};

struct logmatch {
	struct logmatcher	*v;
	size_t			 n;
	struct sbuf		 tmp;	/* a value being compared */
};

/* Does the text read as matchers (a key, then =, !=, =~ or !~)? If not,
 * it is a regular expression. */
bool	 logmatch_is(const char *);
/* Parse; on an error *error is "column N: what was expected" (heap). */
bool	 logmatch_parse(struct logmatch *, const char *, char **error);
void	 logmatch_free(struct logmatch *);
/* Do a line's labels ({k="v", ...} or "") and text pass every matcher?
 * fields: room for the text's recognized fields (NULL: the module's own),
 * recognized only if a matcher needs them; *parsed (NULL: false) says
 * whether they already are, and is set when they get recognized. */
bool	 logmatch_eval(struct logmatch *, const char *labels,
	     const char *text, size_t len, struct logfields *fields,
	     bool *parsed);
/* The value of key in a label set ({k="v", ...}), escapes undone, appended
 * to sb; false if the set has no such label. */
bool	 logmatch_label(const char *labels, const char *key, struct sbuf *);
/* The matchers written back: service="checkout", level!="info". */
void	 logmatch_describe(const struct logmatch *, struct sbuf *);
/* A value quoted for a matcher or a LogQL selector: "a\"b". */
void	 logmatch_quote(struct sbuf *, const char *);

#endif
