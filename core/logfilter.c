/*
 * logfilter.c: regexes, the keep/hide filter stack, the index of visible
 * lines and the highlight rules.
 *
 * Regexes are PCRE2 in UTF mode with PCRE2_MATCH_INVALID_UTF, so that a line
 * of invalid UTF-8 (raw, as the source sent it) is matched safely rather
 * than rejected or read out of bounds; they are JIT-compiled when the
 * platform allows and matched with pcre2_jit_match, which skips the checks
 * pcre2_match repeats on every call. A match limit bounds what one line can
 * cost a pathological pattern; lines that hit it count as not matching and
 * are counted, so that the pane can say so.
 *
 * The visible index holds the sequence numbers of the lines that pass, in
 * order. Lines arrive at the end and leave from the front (the ring evicts
 * oldest first), so it is a deque: syncing costs the new lines only. With no
 * filter there is no index: every line is visible and lookups go to the ring.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/logfilter.h"
#include "core/ring.h"
#include "core/sbuf.h"
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

/* --- the filter stack -------------------------------------------------- */

bool
logfilter_push(struct logfilter *f, enum logfilter_kind kind,
    const char *pattern, char **error)
{
	struct lregex	re;

	if (!lregex_compile(&re, pattern, error))
		return (false);
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n].kind = kind;
	f->v[f->n].re = re;
	f->n++;
	return (true);
}

void
logfilter_clear(struct logfilter *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		lregex_free(&f->v[i].re);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

bool
logfilter_pass(struct logfilter *f, const char *s, size_t len)
{
	size_t	i;
	bool	m;

	for (i = 0; i < f->n; i++) {
		m = lregex_match(&f->v[i].re, s, len);
		if (m != (f->v[i].kind == LOGFILTER_KEEP))
			return (false);
	}
	return (true);
}

void
logfilter_describe(const struct logfilter *f, struct sbuf *sb)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (i > 0)
			sbuf_addc(sb, ' ');
		sbuf_addc(sb, f->v[i].kind == LOGFILTER_KEEP ? '+' : '-');
		sbuf_adds(sb, f->v[i].re.pattern);
	}
}

/* --- the visible lines ---------------------------------------------------- */

void
logview_init(struct logview *v)
{
	memset(v, 0, sizeof *v);
}

void
logview_free(struct logview *v)
{
	logfilter_clear(&v->filter);
	free(v->seq);
	memset(v, 0, sizeof *v);
}

static uint64_t
logview_at(const struct logview *v, size_t i)
{
	return (v->seq[(v->head + i) % v->cap]);
}

static void
logview_push(struct logview *v, uint64_t seq)
{
	uint64_t	*n;
	size_t		 cap, i;

	if (v->n == v->cap) {
		cap = v->cap == 0 ? 256 : v->cap * 2;
		n = xreallocarray(NULL, cap, sizeof *n);
		for (i = 0; i < v->n; i++)
			n[i] = logview_at(v, i);
		free(v->seq);
		v->seq = n;
		v->cap = cap;
		v->head = 0;
	}
	v->seq[(v->head + v->n) % v->cap] = seq;
	v->n++;
}

static uint64_t
ring_oldest_seq(const struct ring *r)
{
	return (r->n > 0 ? ring_get(r, 0)->seq : r->next_seq);
}

void
logview_sync(struct logview *v, const struct ring *r)
{
	const struct log_line	*l;
	uint64_t		 oldest = ring_oldest_seq(r);
	size_t			 i;

	if (v->filter.n == 0) {
		v->next = r->next_seq;
		return;
	}
	while (v->n > 0 && logview_at(v, 0) < oldest) {
		v->head = (v->head + 1) % v->cap;
		v->n--;
	}
	if (v->next < oldest)
		v->next = oldest;
	for (i = ring_find_seq(r, v->next); i < r->n; i++) {
		l = ring_get(r, i);
		if ((l->flags & LOG_LINE_MARK) ||
		    logfilter_pass(&v->filter, LOG_LINE_TEXT(l), l->len))
			logview_push(v, l->seq);
	}
	v->next = r->next_seq;
}

void
logview_rebuild(struct logview *v, const struct ring *r)
{
	v->head = v->n = 0;
	v->next = 0;
	logview_sync(v, r);
}

size_t
logview_count(const struct logview *v, const struct ring *r)
{
	return (v->filter.n == 0 ? r->n : v->n);
}

const struct log_line *
logview_get(const struct logview *v, const struct ring *r, size_t i)
{
	if (v->filter.n == 0)
		return (ring_get(r, i));
	if (i >= v->n)
		return (NULL);
	return (ring_get(r, ring_find_seq(r, logview_at(v, i))));
}

size_t
logview_find(const struct logview *v, const struct ring *r, uint64_t seq)
{
	size_t	lo = 0, hi, mid;

	if (v->filter.n == 0)
		return (ring_find_seq(r, seq));
	hi = v->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (logview_at(v, mid) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* --- highlight rules -------------------------------------------------------- */

static const struct {
	const char	*word;
	int		 colour;	/* -2: an attribute */
	unsigned	 attr;
} highlight_words[] = {
	{ "black", 0, 0 }, { "red", 1, 0 }, { "green", 2, 0 },
	{ "yellow", 3, 0 }, { "blue", 4, 0 }, { "magenta", 5, 0 },
	{ "cyan", 6, 0 }, { "white", 7, 0 },
	{ "bold", -2, LOGHL_BOLD }, { "underline", -2, LOGHL_UNDERLINE },
	{ "reverse", -2, LOGHL_REVERSE }, { "dim", -2, LOGHL_DIM },
	{ "italic", -2, LOGHL_ITALIC },
};
#define NHIGHLIGHT_WORDS (sizeof highlight_words / sizeof highlight_words[0])

static char *
highlight_allowed(void)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb);
	for (i = 0; i < NHIGHLIGHT_WORDS; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
		    highlight_words[i].word);
	return (sbuf_steal(&sb));
}

static bool
highlight_parse_style(const char *s, int *colour, unsigned *attrs,
    char **error)
{
	char	*copy, *word, *save = NULL, *allowed;
	size_t	 i;
	bool	 ok = true, any = false;

	*colour = -1;
	*attrs = 0;
	*error = NULL;
	copy = xstrdup(s);
	for (word = strtok_r(copy, " \t,+", &save); word != NULL && ok;
	    word = strtok_r(NULL, " \t,+", &save)) {
		for (i = 0; i < NHIGHLIGHT_WORDS; i++) {
			if (strcasecmp(word, highlight_words[i].word) == 0)
				break;
		}
		if (i == NHIGHLIGHT_WORDS) {
			allowed = highlight_allowed();
			*error = xasprintf("unknown colour \"%s\" (use %s)",
			    word, allowed);
			free(allowed);
			ok = false;
		} else if (highlight_words[i].colour == -2)
			*attrs |= highlight_words[i].attr;
		else
			*colour = highlight_words[i].colour;
		any = true;
	}
	free(copy);
	if (ok && !any) {
		allowed = highlight_allowed();
		*error = xasprintf("no colour given (use %s)", allowed);
		free(allowed);
		ok = false;
	}
	return (ok);
}

/* One [highlight "NAME"] section; false if it is not usable. */
static bool
highlight_load_one(struct config *cfg, struct config_section *sec,
    struct highlight *h)
{
	const struct config_entry	*re, *col;
	char				*why;

	memset(h, 0, sizeof *h);
	re = config_get(sec, "regex");
	if ((col = config_get(sec, "colour")) == NULL)
		col = config_get(sec, "color");
	if (sec->name == NULL) {
		config_error(cfg, sec->line, "[highlight] needs a name: "
		    "[highlight \"errors\"]");
		return (false);
	}
	if (re == NULL || col == NULL) {
		config_error(cfg, sec->line, "[highlight \"%s\"] needs regex = "
		    "... and colour = ...", sec->name);
		return (false);
	}
	if (!highlight_parse_style(col->value, &h->colour, &h->attrs, &why)) {
		config_error(cfg, col->line, "colour: %s", why);
		free(why);
		return (false);
	}
	if (!lregex_compile(&h->re, re->value, &why)) {
		config_error(cfg, re->line, "regex: %s", why);
		free(why);
		return (false);
	}
	h->name = xstrdup(sec->name);
	return (true);
}

void
highlights_load(struct highlights *hl, struct config *cfg)
{
	struct highlight	h;
	size_t			i;

	memset(hl, 0, sizeof *hl);
	for (i = 0; cfg != NULL && i < cfg->nsections; i++) {
		if (strcmp(cfg->sections[i].type, "highlight") != 0)
			continue;
		cfg->sections[i].claimed = true;
		if (!highlight_load_one(cfg, &cfg->sections[i], &h))
			continue;
		hl->v = xreallocarray(hl->v, hl->n + 1, sizeof *hl->v);
		hl->v[hl->n++] = h;
	}
}

void
highlights_free(struct highlights *hl)
{
	size_t	i;

	for (i = 0; i < hl->n; i++) {
		free(hl->v[i].name);
		lregex_free(&hl->v[i].re);
	}
	free(hl->v);
	memset(hl, 0, sizeof *hl);
}
