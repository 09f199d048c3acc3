/*
 * lregex.c: PCRE2 regexes for log lines (see lregex.h).
 *
 * Regexes are PCRE2 in UTF mode with PCRE2_MATCH_INVALID_UTF, so that a line
 * of invalid UTF-8 (raw, as the source sent it) is matched safely rather
 * than rejected or read out of bounds; they are JIT-compiled when the
 * platform allows and matched with pcre2_jit_match, which skips the checks
 * pcre2_match repeats on every call. A match limit bounds what one line can
 * cost a pathological pattern; lines that hit it count as not matching and
 * are counted, so that the pane can say so.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/lregex.h"
#include "core/xalloc.h"

#define LREGEX_MATCH_LIMIT	1000000
#define LREGEX_JIT_STACK_MAX	(1024 * 1024)

/* One JIT stack and match context for every regex: the program has one
 * thread, and a match never runs inside another. */
static pcre2_match_context	*lregex_mctx;
static pcre2_jit_stack		*lregex_stack;

static pcre2_match_context *
lregex_context(void)
{
	if (lregex_mctx != NULL)
		return (lregex_mctx);
	if ((lregex_mctx = pcre2_match_context_create(NULL)) == NULL)
		fatal("out of memory for PCRE2");
	pcre2_set_match_limit(lregex_mctx, LREGEX_MATCH_LIMIT);
	lregex_stack = pcre2_jit_stack_create(32 * 1024, LREGEX_JIT_STACK_MAX,
	    NULL);
	if (lregex_stack != NULL)
		pcre2_jit_stack_assign(lregex_mctx, NULL, lregex_stack);
	return (lregex_mctx);
}

bool
lregex_compile(struct lregex *r, const char *pattern, char **error)
{
	pcre2_code	*code;
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	int		 rc;

	*error = NULL;
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &rc, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof msg);
		*error = xasprintf("%s at offset %zu", (char *)msg, (size_t)off);
		return (false);
	}
	memset(r, 0, sizeof *r);
	r->pattern = xstrdup(pattern);
	r->code = code;
	r->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	if ((r->md = pcre2_match_data_create_from_pattern(code, NULL)) == NULL)
		fatal("out of memory for PCRE2");
	(void)lregex_context();
	return (true);
}

void
lregex_free(struct lregex *r)
{
	if (r->md != NULL)
		pcre2_match_data_free(r->md);
	if (r->code != NULL)
		pcre2_code_free(r->code);
	free(r->pattern);
	memset(r, 0, sizeof *r);
}

/* >0: matched; 0: no match (or the limit was hit). */
static int
lregex_exec(struct lregex *r, const char *s, size_t len, size_t off)
{
	int	rc;

	if (r->jit)
		rc = pcre2_jit_match(r->code, (PCRE2_SPTR)s, len, off, 0, r->md,
		    lregex_mctx);
	else
		rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, off, 0, r->md,
		    lregex_mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		r->limit_hits++;
	return (rc > 0 ? rc : 0);
}

bool
lregex_match(struct lregex *r, const char *s, size_t len)
{
	return (lregex_exec(r, s, len, 0) > 0);
}

bool
lregex_find(struct lregex *r, const char *s, size_t len, size_t off,
    size_t *start, size_t *end)
{
	PCRE2_SIZE	*ov;

	while (off <= len && lregex_exec(r, s, len, off) > 0) {
		ov = pcre2_get_ovector_pointer(r->md);
		if (ov[1] > ov[0]) {
			*start = ov[0];
			*end = ov[1];
			return (true);
		}
		/* An empty match: look again one character on. */
		off = ov[0] + 1;
		while (off < len && ((unsigned char)s[off] & 0xc0) == 0x80)
			off++;
	}
	return (false);
}
