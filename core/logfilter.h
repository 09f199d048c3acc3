/*
 * logfilter.h: what the logs pane shows of the ring. PCRE2 regexes
 * (JIT-compiled, safe on invalid UTF-8); a stack of keep/hide filters; the
 * index of visible lines, kept up to date as lines arrive and leave rather
 * than rescanned per frame; and the highlight rules of the config
 * ([highlight "NAME"] regex + colour). Pure but for config errors.
 *
 * Filters look at a line's raw text. Lines sitrep writes itself (a skip, a
 * gap: LOG_LINE_MARK) are never filtered out: what was lost stays in view.
 */
#ifndef SITREP_LOGFILTER_H
#define SITREP_LOGFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct ring;
struct log_line;
struct sbuf;

/* --- regexes --- */

struct lregex {
	char		*pattern;
	void		*code;		/* pcre2_code_8 */
	void		*md;		/* pcre2_match_data_8 */
	bool		 jit;
	uint64_t	 limit_hits;	/* lines that hit the match limit */
};

/* Compile; on a bad pattern *error is PCRE2's message with the offset
 * ("missing closing parenthesis at offset 6", heap) and r is untouched. */
bool	 lregex_compile(struct lregex *, const char *, char **error);
void	 lregex_free(struct lregex *);
bool	 lregex_match(struct lregex *, const char *, size_t);
/* The first match starting at or after off: [*start, *end). Empty matches
 * are skipped. */
bool	 lregex_find(struct lregex *, const char *, size_t, size_t off,
	     size_t *start, size_t *end);

/* --- the filter stack --- */

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

/* --- the visible lines of a ring --- */

struct logview {
	struct logfilter	 filter;
	uint64_t		*seq;		/* visible lines, a deque */
	size_t			 head, n, cap;
	uint64_t		 next;		/* first seq not looked at */
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

/* --- highlight rules --- */

#define LOGHL_BOLD	0x01
#define LOGHL_UNDERLINE	0x02
#define LOGHL_REVERSE	0x04
#define LOGHL_DIM	0x08
#define LOGHL_ITALIC	0x10

struct highlight {
	char		*name;
	struct lregex	 re;
	int		 colour;	/* 0-7 as curses numbers them, -1 none */
	unsigned	 attrs;		/* LOGHL_* */
};

struct highlights {
	struct highlight	*v;
	size_t			 n;
};

/* Read every [highlight "NAME"] section; problems go to the config's
 * errors with their line. */
void	 highlights_load(struct highlights *, struct config *);
void	 highlights_free(struct highlights *);

#endif
