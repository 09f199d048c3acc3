/* lregex.h: the regular expressions of the logs pane: PCRE2 in UTF mode,
 * JIT-compiled where the platform allows, safe on invalid UTF-8, each match
 * bounded so that a pathological pattern costs one line a limit, not the
 * console. */
#ifndef SITREP_LREGEX_H
#define SITREP_LREGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif
