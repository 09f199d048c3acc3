/*
 * logs.c: the Logs pane: the log ring, newest at the bottom, followed live
 * unless the user scrolls up (then "paused, N new lines" until F or G).
 *
 * What it shows is the ring through the filter stack (core/logfilter.h):
 * f keeps matching lines, x hides them, c clears; the visible index is kept
 * up to date as lines arrive, never rescanned per frame. / searches (PCRE2)
 * upward from the selection, n and N go on older and newer; every match on
 * screen is drawn in the match style, over the [highlight] rules' colours
 * and, when the config asks for them, the SGR colours of the lines
 * themselves. t jumps to a time (the selected alert's start or deploy, or
 * one typed), L edits the LogQL query, l toggles the label prefix and w
 * wraps long lines or scrolls them sideways (Left, Right).
 *
 * Lines are hostile: each row is sanitized before anything else looks at
 * it, and only the part that can be on screen (a few columns past the
 * edge, or the rows a wrapped line may take) is read, so a 1 MB line costs
 * a frame no more than a short one. Highlights and matches are found in the
 * sanitized text, the text that is drawn; filters and searches look at the
 * raw text.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/conf.h"
#include "core/highlight.h"
#include "core/logfields.h"
#include "core/logfilter.h"
#include "core/loghist.h"
#include "core/logmatch.h"
#include "core/logview.h"
#include "core/lregex.h"
#include "core/model.h"
#include "core/ring.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "views/ui.h"
#include "views/draw.h"
#include "views/view.h"

#define LOGS_CLOCK_COLS		12	/* "14:32:05.123" */
#define LOGS_PREFIX_MAX		24	/* columns of label prefix at most */
#define LOGS_MAX_SPANS		256	/* styled stretches per row */
#define LOGS_DETAIL_MAX		65536	/* bytes of a line in its detail */
#define LOGS_SCROLL_STEP	16	/* columns per Left / Right */
#define LOGS_MAX_ROWS		256	/* rows of one wrapped line */
#define LOGS_ADHOC_MAX		4	/* ad-hoc highlights at once */

/* A key=value of a label set, pointing into the set's string. */
struct logs_pair {
	const char	*k, *v;
	size_t		 klen, vlen;
};

struct logs_state {
	struct logview		 view;
	struct logview		 matches;	/* visible lines the search
						 * matches, for the count */
	struct lregex		 search_copy;
	bool			 in_hist;	/* the view indexes history */
	uint64_t		 hist_gen;
	bool			 hist_placed;	/* selection at the moment */
	struct lregex		 search;	/* pattern NULL: none */
	struct highlights	 hl;
	int			*hl_style;	/* draw style per rule */
	bool			 labels;	/* show the label prefix */
	bool			 wrap;
	int			 hscroll;
	bool			 paused;
	uint64_t		 pause_seq;	/* first line after the pause */
	uint64_t		 pause_gen;	/* the ring's renum_gen then */

	/* Label keys whose value is the same in every set the ring holds:
	 * the prefix leaves them out. */
	uint64_t		 label_gen;
	char			**constant;	/* "key=value" */
	size_t			 nconstant;
	bool			 first_set;

	/* Ad-hoc highlights (h), each in a style of its own. */
	struct lregex		 adhoc[LOGS_ADHOC_MAX];
	size_t			 nadhoc;
	bool			 raw;		/* lines as they came */
	/* Query templates before each narrowing (S), for U. */
	char			**narrow;
	size_t			 nnarrow;

	/* The row being drawn. */
	struct logfields	 fields;
	size_t			 msg_off;	/* where its message starts */
	struct sbuf		 disp;
	struct sbuf		 tmp;
	struct sbuf		 tmp2;
	struct draw_span	*spans;
	size_t			 nspans;
};

static struct logs_state *
logs_st(struct ui *app)
{
	return (ui_pane(app, &logs_view)->state);
}

/* The lines shown: the history view's while it is open, else the live
 * ring (which goes on filling underneath). */
static struct ring *
logs_ring(struct ui *app)
{
	struct model	*m = app->model;

	return (m->log_hist.active ? &m->log_hist.lines : &m->logs);
}

static bool
logs_in_history(struct ui *app)
{
	return (app->model->log_hist.active);
}

/* The search's matches among the visible lines: an index of its own, the
 * filters and the search as one more keep rule, for the title's count. */
static void
logs_matches_rebuild(struct ui *app, struct logs_state *st)
{
	size_t	i;
	char	*why;

	logview_free(&st->matches);
	logview_init(&st->matches);
	st->matches.no_marks = true;
	if (st->search.pattern == NULL)
		return;
	for (i = 0; i < st->view.filter.n; i++) {
		if (!logfilter_push(&st->matches.filter,
		    st->view.filter.v[i].kind, st->view.filter.v[i].text, &why))
			free(why);
	}
	/* The search is a regex whatever it reads like. */
	if (!lregex_compile(&st->search_copy, st->search.pattern, &why)) {
		free(why);
		return;
	}
	st->matches.filter.v = xreallocarray(st->matches.filter.v,
	    st->matches.filter.n + 1, sizeof *st->matches.filter.v);
	memset(&st->matches.filter.v[st->matches.filter.n], 0,
	    sizeof *st->matches.filter.v);
	st->matches.filter.v[st->matches.filter.n].kind = LOGFILTER_KEEP;
	st->matches.filter.v[st->matches.filter.n].re = st->search_copy;
	st->matches.filter.v[st->matches.filter.n].text =
	    xstrdup(st->search.pattern);
	st->matches.filter.n++;
	memset(&st->search_copy, 0, sizeof st->search_copy);
	logview_rebuild(&st->matches, logs_ring(app));
}

/* Catch the visible index up with the ring; look at every line again when
 * the history view opened, closed or took a page. */
static struct logview *
logs_view_sync(struct ui *app)
{
	struct logs_state	*st = logs_st(app);
	struct loghist		*h = &app->model->log_hist;
	struct ring		*r = logs_ring(app);

	if (st == NULL)
		return (NULL);
	if (h->active != st->in_hist || (h->active && h->gen != st->hist_gen)) {
		st->in_hist = h->active;
		st->hist_gen = h->gen;
		logview_rebuild(&st->view, r);
		logview_rebuild(&st->matches, r);
	} else {
		logview_sync(&st->view, r);
		logview_sync(&st->matches, r);
	}
	return (&st->view);
}

static size_t
logs_n(struct ui *app)
{
	struct logview	*v = logs_view_sync(app);

	return (v != NULL ? logview_count(v, logs_ring(app)) :
	    logs_ring(app)->n);
}

static const struct log_line *
logs_line(struct ui *app, size_t i)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return (ring_get(logs_ring(app), i));
	return (logview_get(&st->view, logs_ring(app), i));
}

static size_t
logs_count(struct ui *app, struct pane *p)
{
	return (logs_n(app));
}

/* --- the label prefix ---------------------------------------------------- */

/* The next key="value" of a {k="v", ...} set at *p; false at the end or if
 * the set is not written that way. */
static bool
logs_next_pair(const char **p, struct logs_pair *pr)
{
	const char	*s = *p;

	while (*s == '{' || *s == ',' || *s == ' ')
		s++;
	if (*s == '}' || *s == '\0')
		return (false);
	pr->k = s;
	while (*s != '=' && *s != '\0')
		s++;
	if (*s != '=' || s[1] != '"')
		return (false);
	pr->klen = (size_t)(s - pr->k);
	pr->v = s += 2;
	while (*s != '"' && *s != '\0')
		s += (*s == '\\' && s[1] != '\0') ? 2 : 1;
	if (*s != '"')
		return (false);
	pr->vlen = (size_t)(s - pr->v);
	*p = s + 1;
	return (true);
}

static bool
logs_is_set(const char *labels)
{
	return (labels[0] == '{');
}

/* Is kv ("key=value") the pair pr? Keys have no '=', values may. */
static bool
logs_pair_is(const struct logs_pair *pr, const char *kv)
{
	size_t	klen = strcspn(kv, "=");

	return (pr->klen == klen && strncmp(pr->k, kv, klen) == 0 &&
	    strlen(kv + klen + 1) == pr->vlen &&
	    strncmp(pr->v, kv + klen + 1, pr->vlen) == 0);
}

static bool
logs_is_constant(struct logs_state *st, const struct logs_pair *pr)
{
	size_t	i;

	for (i = 0; i < st->nconstant; i++) {
		if (logs_pair_is(pr, st->constant[i]))
			return (true);
	}
	return (false);
}

static bool
logs_set_has(const char *labels, const char *kv)
{
	struct logs_pair	 pr;
	const char		*p = labels;

	while (logs_next_pair(&p, &pr)) {
		if (logs_pair_is(&pr, kv))
			return (true);
	}
	return (false);
}

/* The first set gives the candidates; each other keeps those it has. */
static void
logs_constant_visit(const char *labels, void *arg)
{
	struct logs_state	*st = arg;
	struct logs_pair	 pr;
	const char		*p = labels;
	size_t			 i, j;

	if (!logs_is_set(labels))
		return;
	if (st->first_set) {
		st->first_set = false;
		while (logs_next_pair(&p, &pr)) {
			st->constant = xreallocarray(st->constant,
			    st->nconstant + 1, sizeof *st->constant);
			st->constant[st->nconstant++] = xasprintf("%.*s=%.*s",
			    (int)pr.klen, pr.k, (int)pr.vlen, pr.v);
		}
		return;
	}
	for (i = j = 0; i < st->nconstant; i++) {
		if (logs_set_has(labels, st->constant[i]))
			st->constant[j++] = st->constant[i];
		else
			free(st->constant[i]);
	}
	st->nconstant = j;
}

static void
logs_constant_reset(struct logs_state *st)
{
	size_t	i;

	for (i = 0; i < st->nconstant; i++)
		free(st->constant[i]);
	free(st->constant);
	st->constant = NULL;
	st->nconstant = 0;
	st->first_set = true;
}

/* The labels every line of rows [from, to) shares: said once in the title,
 * not on each row. */
static void
logs_constant_visible(struct ui *app, struct logs_state *st, size_t from,
    size_t to)
{
	const struct log_line	*l;
	const char		*last = NULL;
	size_t			 i;

	logs_constant_reset(st);
	for (i = from; i < to; i++) {
		if ((l = logs_line(app, i)) == NULL)
			break;
		if ((l->flags & LOG_LINE_MARK) || LOG_LINE_LABELS(l) == last)
			continue;	/* interned: the same set, the same */
		last = LOG_LINE_LABELS(l);
		logs_constant_visit(last, st);
	}
}

/* Does the query say k="v" itself (so the prefix need not)? */
static bool
logs_in_query(const char *query, const struct logs_pair *pr)
{
	const char	*q;

	if (query == NULL || pr->klen == 0)
		return (false);
	for (q = query; (q = strchr(q, pr->k[0])) != NULL; q++) {
		if (strncmp(q, pr->k, pr->klen) == 0 && q[pr->klen] == '=' &&
		    q[pr->klen + 1] == '"' && strncmp(q + pr->klen + 2, pr->v,
		    pr->vlen) == 0 && q[pr->klen + 2 + pr->vlen] == '"' &&
		    (q == query || strchr("{, ", q[-1]) != NULL))
			return (true);
	}
	return (false);
}

/* Does another value of the set begin with pr's (service "checkout" beside
 * pod "checkout-7f9c6d-x2")? Then pr says nothing the other does not. */
static bool
logs_value_implied(const char *labels, const struct logs_pair *pr)
{
	struct logs_pair	 o;
	const char		*p = labels;

	if (pr->vlen == 0)
		return (true);
	while (logs_next_pair(&p, &o)) {
		if (o.vlen > pr->vlen && o.k != pr->k &&
		    strncmp(o.v, pr->v, pr->vlen) == 0)
			return (true);
	}
	return (false);
}

/* The compact prefix of a label set: the values that tell streams apart,
 * "checkout-7f9c6d-x2 stderr" (into sb): not those every visible line
 * shares (the title says them), nor those the query names, nor one that
 * another value begins with. */
static void
logs_prefix(struct logs_state *st, const char *labels, const char *query,
    struct sbuf *sb)
{
	struct logs_pair	pr;
	const char		*p = labels;
	size_t			 before = sb->len;

	if (!logs_is_set(labels)) {
		sbuf_adds(sb, labels);
		return;
	}
	while (logs_next_pair(&p, &pr)) {
		if (logs_is_constant(st, &pr) || logs_in_query(query, &pr) ||
		    logs_value_implied(labels, &pr))
			continue;
		if (sb->len > before)
			sbuf_addc(sb, ' ');
		sbuf_add(sb, pr.v, pr.vlen);
	}
}

/* What the labels column says of a line: its environment while several
 * are shown (even with the labels off), then "sitrep" for sitrep's own
 * lines or the values that tell its stream apart. */
static void
logs_row_prefix(struct ui *app, struct logs_state *st,
    const struct log_line *l, struct sbuf *sb)
{
	const char	*tag;
	size_t		 mark;

	tag = model_env_tag(app->model, model_line_environment(app->model, l));
	if (tag != NULL)
		sbuf_adds(sb, tag);
	if (!st->labels)
		return;
	if (tag != NULL)
		sbuf_addc(sb, ' ');
	mark = sb->len;
	if (l->flags & LOG_LINE_MARK)
		sbuf_adds(sb, "sitrep");
	else
		logs_prefix(st, LOG_LINE_LABELS(l), app->model->log_query, sb);
	if (tag != NULL && sb->len == mark)
		sb->s[--sb->len] = '\0';	/* the tag alone */
}

/* --- one row ------------------------------------------------------------- */

static void
logs_span(struct logs_state *st, size_t start, size_t end, int style)
{
	if (st->nspans >= LOGS_MAX_SPANS || end <= start)
		return;
	st->spans[st->nspans].start = start;
	st->spans[st->nspans].end = end;
	st->spans[st->nspans].style = style;
	st->nspans++;
}

/* SGR colour state: -1 is the terminal's own. */
struct logs_sgr {
	int		fg;
	unsigned	attrs;
};

static void
logs_sgr_apply(struct logs_sgr *g, const char *p, const char *end)
{
	int	v;

	if (p == end) {
		g->fg = -1;
		g->attrs = 0;
		return;
	}
	while (p < end) {
		v = 0;
		while (p < end && *p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		if (p < end && *p == ';')
			p++;
		if (v == 0) {
			g->fg = -1;
			g->attrs = 0;
		} else if (v == 1)
			g->attrs |= DRAW_ATTR_BOLD;
		else if (v == 2)
			g->attrs |= DRAW_ATTR_DIM;
		else if (v == 3)
			g->attrs |= DRAW_ATTR_ITALIC;
		else if (v == 4)
			g->attrs |= DRAW_ATTR_UNDERLINE;
		else if (v == 7)
			g->attrs |= DRAW_ATTR_REVERSE;
		else if (v == 22)
			g->attrs &= ~(unsigned)(DRAW_ATTR_BOLD | DRAW_ATTR_DIM);
		else if (v == 24)
			g->attrs &= ~(unsigned)DRAW_ATTR_UNDERLINE;
		else if (v >= 30 && v <= 37)
			g->fg = v - 30;
		else if (v >= 90 && v <= 97)
			g->fg = v - 90;
		else if (v == 39)
			g->fg = -1;
		else if (v == 38 || v == 48) {
			/* 256 and true colours: not drawn; skip their
			 * arguments. */
			while (p < end && *p != ';')
				p++;
		}
	}
}

/*
 * st->disp gets what is drawn of the text: the sanitized text, with the SGR
 * sequences (kept by the sanitizer when colours are on) taken out and turned
 * into spans. Nothing but the sanitizer's output reaches the terminal.
 */
static void
logs_display(struct logs_state *st, const char *raw, size_t len, bool sgr)
{
	struct logs_sgr	 g = { -1, 0 };
	const char	*s, *e, *m;
	size_t		 start = 0;

	sbuf_reset(&st->disp);
	st->nspans = 0;
	if (!sgr) {
		sanitize_append(&st->disp, raw, len);
		return;
	}
	sbuf_reset(&st->tmp);
	sanitize_append_keep_sgr(&st->tmp, raw, len);
	s = st->tmp.s;
	e = s + st->tmp.len;
	while (s < e) {
		if (*s != '\033') {
			m = memchr(s, '\033', (size_t)(e - s));
			if (m == NULL)
				m = e;
			sbuf_add(&st->disp, s, (size_t)(m - s));
			s = m;
			continue;
		}
		m = memchr(s, 'm', (size_t)(e - s));	/* kept: ESC [ ... m */
		if (g.fg >= 0 || g.attrs != 0)
			logs_span(st, start, st->disp.len,
			    draw_style_custom(g.fg, g.attrs));
		logs_sgr_apply(&g, s + 2, m);
		start = st->disp.len;
		s = m + 1;
	}
	if (g.fg >= 0 || g.attrs != 0)
		logs_span(st, start, st->disp.len, draw_style_custom(g.fg,
		    g.attrs));
}

static void
logs_matches(struct logs_state *st, struct lregex *re, int style)
{
	size_t	off = 0, ms, me;

	while (st->nspans < LOGS_MAX_SPANS &&
	    lregex_find(re, st->disp.s, st->disp.len, off, &ms, &me)) {
		logs_span(st, ms, me, style);
		off = me;
	}
}

/* Ad-hoc highlights: each distinct without colour (underline, reverse,
 * bold and italic, in turn), colour only adding to it. */
static int
logs_adhoc_style(size_t i)
{
	static const struct {
		int		colour;
		unsigned	attrs;
	} styles[LOGS_ADHOC_MAX] = {
		{ 3, DRAW_ATTR_UNDERLINE | DRAW_ATTR_BOLD },
		{ 6, DRAW_ATTR_REVERSE },
		{ 5, DRAW_ATTR_BOLD | DRAW_ATTR_ITALIC | DRAW_ATTR_UNDERLINE },
		{ 2, DRAW_ATTR_REVERSE | DRAW_ATTR_UNDERLINE },
	};

	return (draw_style_custom(styles[i].colour, styles[i].attrs));
}

static int
logs_hl_style(const struct highlight *h)
{
	unsigned	a = 0;

	if (h->attrs & LOGHL_BOLD)
		a |= DRAW_ATTR_BOLD;
	if (h->attrs & LOGHL_UNDERLINE)
		a |= DRAW_ATTR_UNDERLINE;
	if (h->attrs & LOGHL_REVERSE)
		a |= DRAW_ATTR_REVERSE;
	if (h->attrs & LOGHL_DIM)
		a |= DRAW_ATTR_DIM;
	if (h->attrs & LOGHL_ITALIC)
		a |= DRAW_ATTR_ITALIC;
	return (draw_style_custom(h->colour, a));
}

static int
logs_level_style(const char *word)
{
	if (word == NULL)
		return (DRAW_NORMAL);
	if (strcmp(word, "FATAL") == 0 || strcmp(word, "ERROR") == 0)
		return (DRAW_BAD);
	if (strcmp(word, "WARN") == 0)
		return (DRAW_WARN);
	if (strcmp(word, "DEBUG") == 0 || strcmp(word, "TRACE") == 0)
		return (DRAW_DIM);
	return (DRAW_NORMAL);
}

/* Append field i's value (at most budget raw bytes of it), escapes undone
 * and sanitized, to the display text. */
static void
logs_add_value(struct logs_state *st, const char *text, size_t i,
    size_t budget)
{
	const struct logfield	*x = &st->fields.v[i];
	size_t			 n = utf8_cut(text + x->voff, x->vlen, budget);

	sbuf_reset(&st->tmp);
	if (x->flags & LOGFIELD_ESCAPED)
		logfields_unescape(text + x->voff, n, &st->tmp);
	else
		sbuf_add(&st->tmp, text + x->voff, n);
	sanitize_append(&st->disp, st->tmp.s, st->tmp.len);
}

/* A field's key as shown: quoted when it has a blank, an = or a quote, so
 * that the first = of key=value always ends the key. */
static void
logs_add_key(struct logs_state *st, const char *text, size_t i)
{
	size_t	k;

	sbuf_reset(&st->tmp);
	logfields_key(&st->fields, text, i, &st->tmp);
	for (k = 0; k < st->tmp.len; k++) {
		if (strchr(" =\"", st->tmp.s[k]) != NULL)
			break;
	}
	if (st->tmp.len > 0 && k == st->tmp.len) {
		sanitize_append(&st->disp, st->tmp.s, st->tmp.len);
		return;
	}
	sbuf_reset(&st->tmp2);
	sbuf_addc(&st->tmp2, '"');
	for (k = 0; k < st->tmp.len; k++) {
		if (st->tmp.s[k] == '"' || st->tmp.s[k] == '\\')
			sbuf_addc(&st->tmp2, '\\');
		sbuf_addc(&st->tmp2, st->tmp.s[k]);
	}
	sbuf_addc(&st->tmp2, '"');
	sanitize_append(&st->disp, st->tmp2.s, st->tmp2.len);
}

/* A recognized line: LEVEL, the message, then the other fields as
 * key=value, dim, keys and values alike: the blanks between them take the
 * dim too (draw_spans), so that the lot is one style change, and the =
 * tells a key from its value. Where dim is underline (a vt100) the
 * blanks stay plain. The line's own time is the row's clock. */
static void
logs_compose(struct logs_state *st, const char *text, size_t cols)
{
	const struct logfields	*f = &st->fields;
	const char		*word = NULL;
	size_t			 i, budget = cols * 4 + 64, start;
	bool			 quote;

	sbuf_reset(&st->disp);
	st->nspans = 0;
	if (f->level >= 0)
		word = logfields_level_word(text + f->v[f->level].voff,
		    f->v[f->level].vlen);
	if (word != NULL)
		sbuf_addf(&st->disp, "%-5s", word);
	else if (f->level >= 0) {
		/* A level of its own words: its first five columns. */
		logs_add_value(st, text, (size_t)f->level, 5);
		while (sanitize_width(st->disp.s, st->disp.len) < 5)
			sbuf_addc(&st->disp, ' ');
	} else
		sbuf_adds(&st->disp, "     ");
	logs_span(st, 0, st->disp.len, logs_level_style(word));
	st->msg_off = st->disp.len + 1;
	if (f->msg >= 0) {
		sbuf_addc(&st->disp, ' ');
		logs_add_value(st, text, (size_t)f->msg, budget);
	}
	for (i = 0; i < f->n && st->disp.len < budget; i++) {
		if ((int)i == f->msg || (int)i == f->level || (int)i == f->time)
			continue;
		sbuf_addc(&st->disp, ' ');
		start = st->disp.len;
		logs_add_key(st, text, i);
		if (f->v[i].flags & LOGFIELD_BARE) {
			logs_span(st, start, st->disp.len, DRAW_DIM);
			continue;
		}
		sbuf_addc(&st->disp, '=');
		quote = (f->v[i].flags & LOGFIELD_QUOTED) &&
		    !(f->v[i].flags & LOGFIELD_RAW) &&
		    (f->v[i].vlen == 0 || memchr(text + f->v[i].voff, ' ',
		    f->v[i].vlen) != NULL);
		if (quote)
			sbuf_addc(&st->disp, '"');
		logs_add_value(st, text, i, budget);
		if (quote)
			sbuf_addc(&st->disp, '"');
		logs_span(st, start, st->disp.len, DRAW_DIM);
	}
	if (f->more > 0) {
		sbuf_addc(&st->disp, ' ');
		start = st->disp.len;
		sbuf_addf(&st->disp, "(+%zu fields)", f->more);
		logs_span(st, start, st->disp.len, DRAW_DIM);
	}
}

/* The matches of re in the display text; in a line shown message first,
 * a match only the raw line has (a search for "level=error msg") marks
 * the level column, so that the row still shows it matched. */
static void
logs_matches_raw(struct logs_state *st, const struct log_line *l,
    bool composed, struct lregex *re, int style)
{
	size_t	before = st->nspans;

	logs_matches(st, re, style);
	if (composed && st->nspans == before && lregex_match(re,
	    LOG_LINE_TEXT(l), utf8_cut(LOG_LINE_TEXT(l), l->len, 65536)))
		logs_span(st, 0, 5, style);
}

/* Build the display text and spans of line l, reading at most enough raw
 * bytes for cols columns: message first if the line has fields and the
 * raw view is off, else the text as it came. */
static void
logs_prepare(struct ui *app, struct logs_state *st,
    const struct log_line *l, size_t cols)
{
	size_t	len, i;
	bool	composed;

	st->msg_off = 0;
	if (!st->raw && !(l->flags & LOG_LINE_MARK) &&
	    logfields_parse(LOG_LINE_TEXT(l), l->len, &st->fields))
		logs_compose(st, LOG_LINE_TEXT(l), cols);
	else {
		len = utf8_cut(LOG_LINE_TEXT(l), l->len, cols * 4 + 64);
		logs_display(st, LOG_LINE_TEXT(l), len, app->model->log.sgr);
	}
	if (st->hl_style == NULL && st->hl.n > 0) {
		st->hl_style = xcalloc(st->hl.n, sizeof *st->hl_style);
		for (i = 0; i < st->hl.n; i++)
			st->hl_style[i] = logs_hl_style(&st->hl.v[i]);
	}
	composed = st->msg_off > 0;
	for (i = 0; i < st->hl.n; i++)
		logs_matches_raw(st, l, composed, &st->hl.v[i].re,
		    st->hl_style[i]);
	for (i = 0; i < st->nadhoc; i++)
		logs_matches_raw(st, l, composed, &st->adhoc[i],
		    logs_adhoc_style(i));
	if (st->search.pattern != NULL)
		logs_matches_raw(st, l, composed, &st->search, DRAW_MATCH);
}

/* "14:32:05.123" */
static void
logs_clock(struct ui *app, int64_t ts, char *buf, size_t size)
{
	char	hms[16];
	int64_t	ms = (ts % 1000000000 + 1000000000) % 1000000000 / 1000000;

	time_format_clock(hms, sizeof hms, (time_t)(ts / 1000000000),
	    app->clock_local);
	snprintf(buf, size, "%s.%03d", hms, (int)ms);
}

/* The columns before the text: clock, then the prefix if shown. */
static int
logs_text_x(int prefix_w)
{
	return (LOGS_CLOCK_COLS + 1 + (prefix_w > 0 ? prefix_w + 1 : 0));
}

static int
logs_line_style(const struct log_line *l)
{
	return ((l->flags & LOG_LINE_MARK) ? DRAW_BAD : DRAW_NORMAL);
}

/* The style the prepared text of line l begins in. */
static int
logs_text_style(struct logs_state *st, const struct log_line *l)
{
	int	style = logs_line_style(l);
	size_t	i;

	for (i = 0; i < st->nspans; i++) {
		if (st->spans[i].start == 0 && st->spans[i].end > 0)
			style = st->spans[i].style;
	}
	return (style);
}

static void
logs_draw_head(struct ui *app, struct logs_state *st,
    const struct log_line *l, int y, int x, int prefix_w, bool sel)
{
	char		clock[32];
	struct sbuf	pfx;
	int		used, pad;

	logs_clock(app, l->ts, clock, sizeof clock);
	draw_text_sel(y, x, LOGS_CLOCK_COLS, DRAW_DIM, sel, clock);
	/* The blank after the clock is dim too: no style change for it. */
	if (!sel)
		draw_pad(y, x + LOGS_CLOCK_COLS, 1, DRAW_DIM);
	if (prefix_w <= 0)
		return;
	sbuf_init(&pfx);
	logs_row_prefix(app, st, l, &pfx);
	if (pfx.len > 0) {
		used = draw_text_sel(y, x + LOGS_CLOCK_COLS + 1, prefix_w,
		    DRAW_INFO, sel, pfx.s);
		/* The labels' padding in the labels' style: its blanks
		 * cost fewer bytes than a jump over them (8) where they are
		 * few, and where the text begins in a style of its own (a
		 * level word) than a change back to plain (11) and a jump. */
		pad = prefix_w - used + 1;
		if (!sel && pad < (logs_text_style(st, l) != DRAW_NORMAL ?
		    16 : 8))
			draw_pad(y, x + LOGS_CLOCK_COLS + 1 + used, pad,
			    DRAW_INFO);
	}
	sbuf_free(&pfx);
}


/* Where each row of a prepared line starts when wrapped in w columns, at
 * word boundaries (a word wider than a row is cut where it must be);
 * returns the rows, at most max. */
static int
logs_breaks(struct logs_state *st, int w, int max, size_t *starts)
{
	const char	*s = st->disp.s;
	size_t		 len = st->disp.len, off = 0, word, k, cn;
	int		 rows = 1, col = 0, ww, cw;

	starts[0] = 0;
	if (w <= 0)
		return (1);
	while (off < len && rows <= max) {
		/* Spaces: kept on the row, swallowed at a break. */
		if (s[off] == ' ') {
			if (col < w)
				col++;
			off++;
			continue;
		}
		for (word = off; word < len && s[word] != ' '; word++)
			;
		ww = (int)sanitize_width(s + off, word - off);
		if (col + ww <= w) {
			col += ww;
			off = word;
			continue;
		}
		if (col > 0 && ww <= w) {
			if (rows == max)
				break;
			starts[rows++] = off;
			col = 0;
			continue;
		}
		/* Too wide for any row: cut it by characters. */
		for (k = off; k < word; k += cn) {
			for (cn = 1; k + cn < word &&
			    ((unsigned char)s[k + cn] & 0xc0) == 0x80; cn++)
				;
			cw = (int)sanitize_width(s + k, cn);
			if (col + cw > w) {
				if (rows == max)
					return (rows);
				starts[rows++] = k;
				col = 0;
			}
			col += cw;
		}
		off = word;
	}
	return (rows);
}

/* Rows a prepared line takes when wrapped in w columns, at most max. */
static int
logs_height(struct logs_state *st, int w, int max)
{
	size_t	starts[LOGS_MAX_ROWS];

	if (max > LOGS_MAX_ROWS)
		max = LOGS_MAX_ROWS;
	return (logs_breaks(st, w, max < 1 ? 1 : max, starts));
}

/* Draw bytes [b0, b1) of the prepared line, its spans moved along. */
static void
logs_draw_piece(struct logs_state *st, int y, int x, int w, int base,
    unsigned flags, size_t b0, size_t b1)
{
	struct draw_span	sp[LOGS_MAX_SPANS];
	size_t			i, n = 0;

	for (i = 0; i < st->nspans; i++) {
		if (st->spans[i].end <= b0 || st->spans[i].start >= b1)
			continue;
		sp[n] = st->spans[i];
		sp[n].start = sp[n].start > b0 ? sp[n].start - b0 : 0;
		sp[n].end = (sp[n].end < b1 ? sp[n].end : b1) - b0;
		n++;
	}
	draw_spans(y, x, w, 0, base, flags, st->disp.s + b0, b1 - b0, sp, n);
}

/* Draw a prepared line from screen row y, at most rows rows. */
static void
logs_draw_text(struct logs_state *st, const struct log_line *l, int y,
    int x, int w, int rows, int skip, bool sel)
{
	unsigned	flags = sel ? DRAW_SPANS_SELECTED : 0;
	size_t		starts[LOGS_MAX_ROWS], end;
	int		k, height;

	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	if (!st->wrap) {
		draw_spans(y, x, w, skip, logs_line_style(l), flags,
		    st->disp.s, st->disp.len, st->spans, st->nspans);
		return;
	}
	if (rows > LOGS_MAX_ROWS)
		rows = LOGS_MAX_ROWS;
	height = logs_breaks(st, w, rows < 1 ? 1 : rows, starts);
	for (k = 0; k < height; k++) {
		if (sel && k > 0)
			draw_fill(y + k, x, w, DRAW_SELECTED);
		end = k + 1 < height ? starts[k + 1] : st->disp.len;
		logs_draw_piece(st, y + k, x, w, logs_line_style(l),
		    flags | (k + 1 < height ? DRAW_SPANS_NO_ELLIPSIS : 0),
		    starts[k], end);
	}
}

/* --- the body ------------------------------------------------------------ */

/* The widest prefix among rows [from, to), capped by the pane's width:
 * a quarter of it, 12 columns at least, 48 at most. Labels every row
 * shares are left to the title. */
static int
logs_prefix_width(struct ui *app, struct logs_state *st, size_t from,
    size_t to, int w)
{
	struct sbuf	 sb;
	size_t		 i, cw, best = 0, cap;

	if (!st->labels && (!app->model->several_envs ||
	    app->model->shown_env != NULL))
		return (0);
	logs_constant_visible(app, st, from, to);
	cap = (size_t)(w / 4 < 12 ? 12 : w / 4 > 48 ? 48 : w / 4);
	sbuf_init(&sb);
	for (i = from; i < to; i++) {
		const struct log_line *l = logs_line(app, i);

		sbuf_reset(&sb);
		logs_row_prefix(app, st, l, &sb);
		cw = sanitize_width(sb.s, sb.len);
		if (cw > best)
			best = cw;
	}
	sbuf_free(&sb);
	return (best > cap ? (int)cap : (int)best);
}

/* Why the pane is empty. */
static void
logs_draw_empty(struct ui *app, struct logs_state *st, int y, int x, int w)
{
	const struct model	*m = app->model;
	size_t			 i;
	char			*msg = NULL;

	if (st != NULL && st->view.filter.n > 0 && m->logs.n > 0) {
		draw_text(y, x + 2, w - 2, DRAW_DIM, "no line passes the "
		    "filters (c clears them)");
		return;
	}
	for (i = 0; i < m->nsources; i++) {
		if (model_source_feeds(&m->sources[i], FEED_LOGS) &&
		    model_source_shown(m, i))
			break;
	}
	if (i == m->nsources && m->shown_env != NULL) {
		/* There are log sources, in other environments. */
		for (i = 0; i < m->nsources; i++) {
			if (model_source_feeds(&m->sources[i], FEED_LOGS))
				break;
		}
		if (i < m->nsources) {
			msg = xasprintf("no log source in %s: the [loki] "
			    "sections are in other environments "
			    "(:environment all)", m->shown_env);
			draw_text(y, x + 2, w - 2, DRAW_DIM, msg);
			free(msg);
			return;
		}
	}
	for (i = 0; i < m->nsources; i++) {
		if (model_source_feeds(&m->sources[i], FEED_LOGS) &&
		    model_source_shown(m, i) &&
		    m->sources[i].fetched && !m->sources[i].ok)
			msg = xasprintf("%s: %s", m->sources[i].name,
			    m->sources[i].error != NULL ? m->sources[i].error :
			    "failing");
	}
	if (msg == NULL && m->log.status != NULL)
		msg = xstrdup(m->log.status);
	for (i = 0; i < m->nsources; i++) {
		if (model_source_feeds(&m->sources[i], FEED_LOGS))
			break;
	}
	if (msg == NULL && app->nsources > 0 && i == m->nsources) {
		/* Where to add one, short enough for 80 columns. */
		const char *path = app->cfg != NULL && app->cfg->path != NULL ?
		    app->cfg->path : "the config file";
		const char *home = getenv("HOME");
		size_t hl = home != NULL ? strlen(home) : 0;
		bool tilde = hl > 1 && strncmp(path, home, hl) == 0 &&
		    path[hl] == '/';

		msg = xasprintf("no log source configured: add a [loki] "
		    "section to %s%s", tilde ? "~" : "", tilde ? path + hl :
		    path);
	}
	draw_text(y, x + 2, w - 2, msg != NULL && i < m->nsources ? DRAW_BAD :
	    DRAW_DIM, msg != NULL ? msg : app->nsources == 0 ?
	    "no source configured" : "no log lines yet");
	free(msg);
}

/* In wrap mode: the first row shown so that sel (or, following, the last
 * line) is on screen; each line's height comes from its display text. */
static size_t
logs_wrap_top(struct ui *app, struct pane *p, struct logs_state *st,
    size_t n, int h, int w)
{
	size_t	top = p->top, i;
	int	used = 0;

	if (p->follow || top > p->sel || top >= n) {
		/* Fill upward from sel (the last line when following). */
		i = p->follow ? n - 1 : p->sel;
		for (top = i;; top--) {
			logs_prepare(app, st, logs_line(app, top),
			    (size_t)(w * h));
			used += logs_height(st, w, h);
			if (used > h && top < i)
				return (top + 1);
			if (top == 0)
				return (0);
		}
	}
	/* Keep top unless sel would fall below the bottom. */
	for (;;) {
		used = 0;
		for (i = top; i <= p->sel; i++) {
			logs_prepare(app, st, logs_line(app, i),
			    (size_t)(w * h));
			used += logs_height(st, w, h);
		}
		if (used <= h || top == p->sel)
			return (top);
		top++;
	}
}

static uint64_t
logs_new_since_pause(struct ui *app, struct logs_state *st, size_t n)
{
	const struct ring	*r = &app->model->logs;
	size_t			 i;

	/* Another Loki's lines merged in, or one's dropped: the same place
	 * under its new number. */
	if (st->pause_gen != r->renum_gen) {
		st->pause_seq = st->pause_gen + 1 == r->renum_gen ?
		    ring_renumbered(r, st->pause_seq) : r->next_seq;
		st->pause_gen = r->renum_gen;
	}
	i = logview_find(&st->view, logs_ring(app), st->pause_seq);
	return (i < n ? n - i : 0);
}

static void
logs_track_pause(struct ui *app, struct pane *p, struct logs_state *st)
{
	if (logs_in_history(app)) {
		/* The history view is still; following is below it. */
		p->follow = false;
		st->paused = false;
	} else if (p->follow)
		st->paused = false;
	else if (!st->paused) {
		st->paused = true;
		st->pause_seq = app->model->logs.next_seq;
		st->pause_gen = app->model->logs.renum_gen;
	}
}

static void
logs_draw_paused(struct ui *app, struct pane *p, struct logs_state *st,
    size_t n, int y, int x, int h, int w)
{
	char		buf[128];
	uint64_t	fresh;
	int		row = y + h - 1;

	if (p->follow || h < 2 || logs_in_history(app))
		return;
	fresh = logs_new_since_pause(app, st, n);
	snprintf(buf, sizeof buf, " paused, %" PRIu64 " new line%s "
	    "(F follows) ", fresh, fresh == 1 ? "" : "s");
	if (p->sel + 1 == p->top + (size_t)h && !st->wrap)
		row = y;		/* keep the selection visible */
	draw_fill(row, x, w, DRAW_STATUS);
	draw_text(row, x + (w > (int)strlen(buf) ? (w - (int)strlen(buf)) / 2 :
	    0), w, DRAW_BOLD, buf);
}

/* Where the selected row of a cut line starts: as scrolled, unless the
 * search's first match in it lies past the right edge; then a third of
 * the way in from the left, so that the match shows. */
static int
logs_match_skip(struct logs_state *st, int w)
{
	size_t	k, col, end;

	if (st->search.pattern == NULL || w <= 0)
		return (st->hscroll);
	for (k = 0; k < st->nspans; k++) {
		if (st->spans[k].style != DRAW_MATCH)
			continue;
		col = sanitize_width(st->disp.s, st->spans[k].start);
		end = sanitize_width(st->disp.s, st->spans[k].end);
		if (col >= (size_t)st->hscroll &&
		    end <= (size_t)st->hscroll + (size_t)w)
			return (st->hscroll);
		if (end > (size_t)st->hscroll + (size_t)w)
			return ((int)(col > (size_t)w / 3 ?
			    col - (size_t)w / 3 : 0));
		return (st->hscroll);
	}
	return (st->hscroll);
}

/* The history's first page came: select the first line at the moment
 * asked for, a third of the way down the pane. */
static void
logs_place_history(struct ui *app, struct pane *p, struct logs_state *st,
    size_t n, int h)
{
	const struct loghist	*hist = &app->model->log_hist;
	size_t			 i;

	if (!hist->active || st->hist_placed || n == 0 ||
	    hist->doing == LOGHIST_AROUND || hist->want == LOGHIST_AROUND)
		return;
	for (i = 0; i + 1 < n; i++) {
		if (logs_line(app, i)->ts >= hist->at)
			break;
	}
	pane_select(app, p, i);
	p->follow = false;
	p->top = i > (size_t)h / 3 ? i - (size_t)h / 3 : 0;
	st->hist_placed = true;
}

static void
logs_draw_body(struct ui *app, struct pane *p, int y, int x, int h, int w)
{
	struct logs_state	*st = logs_st(app);
	const struct log_line	*l;
	size_t			 n = logs_n(app), i, last;
	int			 pw, tx, rows, row = 0;
	/* While following there is nothing to point at: no bar on the
	 * newest row (it would be repainted with every line). */
	bool			 focused = (ui_focused(app) == p) && !p->follow;

	if (h <= 0)
		return;
	if (n == 0 || st == NULL) {
		logs_draw_empty(app, st, y, x, w);
		return;
	}
	logs_track_pause(app, p, st);
	logs_place_history(app, p, st, n, h);
	last = p->top + (size_t)h < n ? p->top + (size_t)h : n;
	pw = logs_prefix_width(app, st, p->top, last, w);
	tx = logs_text_x(pw);
	if (st->wrap && w - tx > 0)
		p->top = logs_wrap_top(app, p, st, n, h, w - tx);
	for (i = p->top; i < n && row < h; i++) {
		bool	sel = focused && i == p->sel;
		int	skip = st->hscroll;

		l = logs_line(app, i);
		/* The selected row of a search is read further, so that a
		 * match past the right edge can be brought into view. */
		logs_prepare(app, st, l, sel && st->search.pattern != NULL &&
		    !st->wrap ? LOGS_DETAIL_MAX / 4 : (size_t)((st->wrap ?
		    (w - tx) * h : w - tx) + st->hscroll));
		rows = st->wrap ? logs_height(st, w - tx, h - row) : 1;
		if (sel && !st->wrap)
			skip = logs_match_skip(st, w - tx);
		logs_draw_head(app, st, l, y + row, x, pw, sel);
		logs_draw_text(st, l, y + row, x + tx, w - tx, rows, skip,
		    sel);
		row += rows;
	}
	logs_draw_paused(app, p, st, n, y, x, h, w);
}

static void
logs_draw_row(struct ui *app, struct pane *p, size_t i, int y, int x, int w,
    bool sel)
{
	/* Only for callers that draw row by row; the pane uses draw_body. */
	struct logs_state	*st = logs_st(app);
	const struct log_line	*l = logs_line(app, i);

	if (st == NULL || l == NULL)
		return;
	logs_prepare(app, st, l, (size_t)w);
	logs_draw_head(app, st, l, y, x, 0, sel);
	logs_draw_text(st, l, y, x + logs_text_x(0), w - logs_text_x(0), 1, 0,
	    sel);
}

/* --- the title ----------------------------------------------------------- */

/* 2000 as "2,000". */
static void
logs_add_count(struct sbuf *sb, uint64_t n)
{
	char	buf[32];
	int	len, i;

	len = snprintf(buf, sizeof buf, "%" PRIu64, n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sbuf_addc(sb, ',');
		sbuf_addc(sb, buf[i]);
	}
}

/* "12 matches", "match 3 of 12" when the selection is one. */
static void
logs_summary_matches(struct ui *app, struct pane *p, struct logs_state *st,
    struct sbuf *sb)
{
	const struct log_line	*l = logs_line(app, p->sel);
	const struct ring	*r = logs_ring(app);
	size_t			 n = logview_count(&st->matches, r), i;

	if (st->search.pattern == NULL)
		return;
	sbuf_addf(sb, "  /%s ", st->search.pattern);
	if (l != NULL && !p->follow && n > 0) {
		i = logview_find(&st->matches, r, l->seq);
		if (i < n && logview_get(&st->matches, r, i) == l) {
			sbuf_adds(sb, "match ");
			logs_add_count(sb, i + 1);
			sbuf_adds(sb, " of ");
			logs_add_count(sb, n);
			return;
		}
	}
	logs_add_count(sb, n);
	sbuf_addf(sb, " match%s", n == 1 ? "" : "es");
}

/* Does another shared label's value begin with pr's (service beside its
 * pod)? */
static bool
logs_constant_implied(struct logs_state *st, const struct logs_pair *pr)
{
	size_t		 i;
	const char	*v;

	for (i = 0; i < st->nconstant; i++) {
		v = st->constant[i] + strcspn(st->constant[i], "=") + 1;
		if (strlen(v) > pr->vlen && strncmp(v, pr->v, pr->vlen) == 0)
			return (true);
	}
	return (false);
}

/* The labels every visible line shares, said once: service=checkout. */
static void
logs_summary_constant(struct ui *app, struct pane *p, struct logs_state *st,
    struct sbuf *sb)
{
	size_t	n = logs_n(app), to, i;
	bool	any = false;
	char	*kv;

	if (!st->labels || n == 0)
		return;
	to = p->top + (p->body_rows > 0 ? p->body_rows : 1);
	logs_constant_visible(app, st, p->top, to < n ? to : n);
	for (i = 0; i < st->nconstant; i++) {
		struct logs_pair	pr;
		const char		*q;

		kv = st->constant[i];
		pr.k = kv;
		pr.klen = strcspn(kv, "=");
		pr.v = kv + pr.klen + 1;
		pr.vlen = strlen(pr.v);
		q = app->model->log_query;
		if ((q != NULL && logs_in_query(q, &pr)) ||
		    logs_constant_implied(st, &pr))
			continue;
		sbuf_adds(sb, any ? " " : "  ");
		sbuf_adds(sb, kv);
		any = true;
	}
}

static void
logs_summary_history(struct ui *app, struct logs_state *st, struct sbuf *sb)
{
	const struct loghist	*h = &app->model->log_hist;
	char			 clock[16], a[16], b[16];

	time_format_clock(clock, sizeof clock, (time_t)(h->at / 1000000000),
	    app->clock_local);
	sbuf_addf(sb, "history around %s, ", clock);
	logs_add_count(sb, h->lines.n);
	sbuf_addf(sb, " line%s", h->lines.n == 1 ? "" : "s");
	if (h->want != LOGHIST_NONE || h->doing != LOGHIST_NONE)
		sbuf_addf(sb, ", fetching %s", h->want == LOGHIST_OLDER ||
		    h->doing == LOGHIST_OLDER ? "older lines" :
		    h->want == LOGHIST_NEWER || h->doing == LOGHIST_NEWER ?
		    "newer lines" : "the lines around it");
	else if (h->page_new == 0 && h->status == NULL &&
	    h->last != LOGHIST_NONE) {
		time_format_clock(a, sizeof a, (time_t)(h->last_start /
		    1000000000), app->clock_local);
		time_format_clock(b, sizeof b, (time_t)(h->last_end /
		    1000000000), app->clock_local);
		if (h->last == LOGHIST_NEWER && h->end_reached)
			sbuf_adds(sb, ", none newer yet");
		else
			sbuf_addf(sb, ", none %s from %s to %s",
			    h->last == LOGHIST_OLDER ? "older" : "newer", a, b);
	}
	if (h->capped)
		sbuf_adds(sb, ", full: no more fetched");
	if (h->status != NULL)
		sbuf_addf(sb, "  %s", h->status);
	if (h->note != NULL)
		sbuf_addf(sb, "  %s", h->note);
	sbuf_adds(sb, "  (G follows live)");
}

static void
logs_summary(struct ui *app, struct pane *p, struct sbuf *sb)
{
	struct logs_state	*st = logs_st(app);
	const struct model	*m = app->model;
	const struct ring	*r = logs_ring(app);
	char			 clock[16];
	size_t			 n = logs_n(app);
	uint64_t		 dropped = model_logs_dropped(m);

	if (logs_in_history(app) && st != NULL)
		logs_summary_history(app, st, sb);
	else if (m->log_query != NULL)
		sbuf_addf(sb, "following %s", m->log_query);
	if (st != NULL) {
		logs_summary_constant(app, p, st, sb);
		logs_track_pause(app, p, st);
		if (st->nnarrow > 0)
			sbuf_addf(sb, "  narrowed (U widens)");
		if (st->view.filter.n > 0) {
			sbuf_adds(sb, "  ");
			logfilter_describe(&st->view.filter, sb);
			sbuf_addf(sb, " (%zu of %zu)", n, r->n);
		}
		logs_summary_matches(app, p, st, sb);
		for (size_t i = 0; i < st->nadhoc; i++)
			sbuf_addf(sb, "  *%s", st->adhoc[i].pattern);
		if (st->raw)
			sbuf_adds(sb, "  raw");
		/* Last: the marker at the pane's foot says it too. */
		if (st->paused)
			sbuf_addf(sb, "  PAUSED, %" PRIu64 " new (F follows)",
			    logs_new_since_pause(app, st, n));
	}
	if (logs_in_history(app))
		return;
	if (dropped > 0 || m->log.gaps > 0) {
		sbuf_addf(sb, "  %" PRIu64 " dropped", dropped);
		if (m->log.gaps > 0)
			sbuf_addf(sb, " + %" PRIu64 " gap%s", m->log.gaps,
			    m->log.gaps == 1 ? "" : "s");
	}
	if (m->log.status != NULL)
		sbuf_addf(sb, "  %s", m->log.status);
	if (r->n == 0)
		return;
	time_format_clock(clock, sizeof clock,
	    (time_t)(ring_get(r, 0)->ts / 1000000000), app->clock_local);
	sbuf_addf(sb, "  %zu lines since %s", r->n, clock);
	if (r->evicted > 0)
		sbuf_addf(sb, " (%" PRIu64 " older dropped)", r->evicted);
}

/* --- rows by key ------------------------------------------------------------- */

static char *
logs_row_key(struct ui *app, struct pane *pane, size_t i)
{
	const struct log_line	*l = logs_line(app, i);

	/* The seq, and which numbering it is of (ring_renumbered). */
	return (xasprintf("%" PRIu64 ":%" PRIu64, logs_ring(app)->renum_gen,
	    l != NULL ? l->seq : 0));
}

static size_t
logs_find_row(struct ui *app, struct pane *pane, const char *key)
{
	struct logs_state	*st = logs_st(app);
	const struct ring	*r = logs_ring(app);
	char			*end;
	uint64_t		 gen = strtoull(key, &end, 10), seq;
	size_t			 n = logs_n(app), i;

	seq = *end == ':' ? strtoull(end + 1, NULL, 10) : 0;
	/* Numbered again since (another Loki's lines merged in): the same
	 * line under its new seq, or the next one kept. */
	if (gen != r->renum_gen)
		seq = gen + 1 == r->renum_gen ? ring_renumbered(r, seq) : 0;

	/* The line itself may have gone (evicted, filtered out): the next
	 * one stays selected. */
	if (st == NULL)
		i = ring_find_seq(logs_ring(app), seq);
	else
		i = logview_find(&st->view, logs_ring(app), seq);
	return (i < n ? i : (size_t)-1);
}

/* Every field of a recognized line on its own line, escapes undone. */
static void
logs_detail_fields(struct detail *d, const struct log_line *l)
{
	struct logfields	*f;
	struct sbuf		 k, v;
	size_t			 i;

	if (l->flags & LOG_LINE_MARK)
		return;
	f = xmalloc(sizeof *f);
	if (!logfields_parse(LOG_LINE_TEXT(l), l->len, f)) {
		free(f);
		return;
	}
	detail_heading(d, f->kind == LOGFIELDS_JSON ? "fields (JSON; = "
	    "filters to the trace id)" : "fields (logfmt; = filters to the "
	    "trace id)");
	sbuf_init(&k);
	sbuf_init(&v);
	for (i = 0; i < f->n; i++) {
		sbuf_reset(&k);
		sbuf_reset(&v);
		logfields_key(f, LOG_LINE_TEXT(l), i, &k);
		if (!(f->v[i].flags & LOGFIELD_BARE))
			logfields_value(f, LOG_LINE_TEXT(l), i, &v);
		if (v.len > LOGS_DETAIL_MAX)
			v.s[utf8_cut(v.s, v.len, LOGS_DETAIL_MAX)] = '\0';
		detail_add(d, DRAW_NORMAL, "%s: %s", k.s, v.s);
	}
	if (f->more > 0)
		detail_add(d, DRAW_DIM, "(%zu more fields not shown)", f->more);
	sbuf_free(&k);
	sbuf_free(&v);
	free(f);
}

static void
logs_detail(struct ui *app, struct pane *pane, size_t i, struct detail *d)
{
	const struct log_line	*l = logs_line(app, i);
	char			 when[32];
	char			*text;

	if (l == NULL)
		return;
	d->title = xstrdup((l->flags & LOG_LINE_MARK) ? "sitrep's note" :
	    "log line");
	time_format_iso(when, sizeof when, (time_t)(l->ts / 1000000000));
	detail_add(d, DRAW_NORMAL, "time: %s (%" PRId64 " ns)", when, l->ts);
	detail_kv(d, "labels", LOG_LINE_LABELS(l));
	if (l->len > LOGS_DETAIL_MAX) {
		detail_add(d, DRAW_DIM, "length: %" PRIu32 " bytes; the first "
		    "%d are shown", l->len, LOGS_DETAIL_MAX);
		text = xstrndup(LOG_LINE_TEXT(l), LOGS_DETAIL_MAX);
		detail_kv(d, "line", text);
		free(text);
	} else
		detail_kv(d, "line", LOG_LINE_TEXT(l));
	logs_detail_fields(d, l);
}

static uint64_t
logs_generation(struct ui *app, struct pane *pane)
{
	return (app->model->gen_logs + app->model->log_hist.gen);
}

/* --- commands ---------------------------------------------------------------- */

static struct pane *
logs_pane(struct ui *app)
{
	return (ui_pane(app, &logs_view));
}

/* Select visible line i and put it on screen (pausing unless it is the
 * last). */
static void
logs_select(struct ui *app, size_t i, bool at_top)
{
	struct pane	*p = logs_pane(app);

	pane_select(app, p, i);
	if (at_top)
		p->top = i;
	ui_dirty(app);
}

/* The next visible line from `from` in direction dir (-1 older, +1 newer)
 * whose raw text matches the search. */
static bool
logs_search_from(struct ui *app, size_t from, int dir, size_t *found)
{
	struct logs_state	*st = logs_st(app);
	const struct log_line	*l;
	size_t			 n = logs_n(app), i = from;

	while (dir < 0 ? i-- > 0 : ++i < n) {
		l = logs_line(app, i);
		if (lregex_match(&st->search, LOG_LINE_TEXT(l), l->len)) {
			*found = i;
			return (true);
		}
	}
	return (false);
}

static void
logs_search_go(struct ui *app, int dir)
{
	struct logs_state	*st = logs_st(app);
	struct pane		*p = logs_pane(app);
	size_t			 i;

	if (st == NULL || st->search.pattern == NULL) {
		ui_message(app, false, "no search: / starts one");
		return;
	}
	if (logs_n(app) == 0) {
		ui_message(app, false, "no lines to search");
		return;
	}
	if (logs_search_from(app, p->sel, dir, &i)) {
		logs_select(app, i, false);
		return;
	}
	ui_message(app, false, "/%s: no %s match", st->search.pattern,
	    dir < 0 ? "older" : "newer");
}

static void
logs_search_done(struct ui *app, const char *text, void *arg)
{
	struct logs_state	*st = logs_st(app);
	struct pane		*p = logs_pane(app);
	struct lregex		 re;
	char			*why;
	size_t			 i;

	if (text == NULL || st == NULL)
		return;
	if (*text == '\0') {
		/* As in less: an empty pattern repeats the last search. */
		logs_search_go(app, -1);
		return;
	}
	if (!lregex_compile(&re, text, &why)) {
		ui_message(app, true, "/%s: %s", text, why);
		free(why);
		return;
	}
	lregex_free(&st->search);
	st->search = re;
	logs_matches_rebuild(app, st);
	/* From the selection upward, the selected line included; if nothing
	 * older matches, the nearest newer match. */
	if (logs_n(app) > 0 && logs_search_from(app, p->sel + 1, -1, &i))
		logs_select(app, i, false);
	else if (logs_n(app) > 0 && logs_search_from(app, p->sel, 1, &i)) {
		logs_select(app, i, false);
		ui_message(app, false, "/%s: no older match; the nearest newer "
		    "one is selected", text);
	} else
		ui_message(app, false, "/%s: no match", text);
	ui_dirty(app);
}

static void
cmd_search(struct ui *app, struct pane *pane, const char *args)
{
	if (args != NULL) {
		logs_search_done(app, args, NULL);
		return;
	}
	ui_prompt(app, "/", NULL, logs_search_done, NULL);
}

static void
cmd_search_older(struct ui *app, struct pane *pane, const char *args)
{
	logs_search_go(app, -1);
}

static void
cmd_search_newer(struct ui *app, struct pane *pane, const char *args)
{
	logs_search_go(app, 1);
}

static void
logs_filter_done(struct ui *app, const char *text, void *arg)
{
	struct logs_state	*st = logs_st(app);
	enum logfilter_kind	 kind = (enum logfilter_kind)(intptr_t)arg;
	char			*why;

	if (text == NULL || *text == '\0' || st == NULL)
		return;
	if (!logfilter_push(&st->view.filter, kind, text, &why)) {
		ui_message(app, true, "%s %s: %s", kind == LOGFILTER_KEEP ?
		    "keep" : "hide", text, why);
		free(why);
		return;
	}
	logview_rebuild(&st->view, logs_ring(app));
	logs_matches_rebuild(app, st);
	ui_dirty(app);
}

static void
cmd_filter_keep(struct ui *app, struct pane *pane, const char *args)
{
	if (args != NULL)
		logs_filter_done(app, args, (void *)(intptr_t)LOGFILTER_KEEP);
	else
		ui_prompt(app, "keep lines matching: ", NULL, logs_filter_done,
		    (void *)(intptr_t)LOGFILTER_KEEP);
}

static void
cmd_filter_hide(struct ui *app, struct pane *pane, const char *args)
{
	if (args != NULL)
		logs_filter_done(app, args, (void *)(intptr_t)LOGFILTER_HIDE);
	else
		ui_prompt(app, "hide lines matching: ", NULL, logs_filter_done,
		    (void *)(intptr_t)LOGFILTER_HIDE);
}

static void
cmd_filter_clear(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	if (st->view.filter.n == 0 && st->search.pattern == NULL) {
		ui_message(app, false, "clear: no filter or search is set");
		return;
	}
	logfilter_clear(&st->view.filter);
	lregex_free(&st->search);
	logview_rebuild(&st->view, logs_ring(app));
	logs_matches_rebuild(app, st);
	ui_message(app, false, "filters and search cleared");
}

/* Close the history view: the live follow, which went on underneath. */
static void
logs_leave_history(struct ui *app)
{
	struct logs_state	*st = logs_st(app);

	loghist_close(&app->model->log_hist);
	if (st != NULL)
		st->hist_placed = false;
	model_logs_changed(app->model);
}

/* Ask the log sources to serve a history request now. */
static void
logs_fetch(struct ui *app)
{
	if (sources_refresh_feeding(app->sources, app->nsources,
	    FEED_LOGS) == 0) {
		loghist_close(&app->model->log_hist);
		ui_message(app, true, "history: no log source configured (add a [loki] section)");
	}
	ui_dirty(app);
}

/* Open the history view around ts. */
static void
logs_open_history(struct ui *app, int64_t ts)
{
	struct logs_state	*st = logs_st(app);

	loghist_open(&app->model->log_hist, ts);
	if (st != NULL)
		st->hist_placed = false;
	logs_pane(app)->follow = false;
	logs_fetch(app);
}

static void
cmd_follow(struct ui *app, struct pane *pane, const char *args)
{
	size_t	n;

	if (logs_in_history(app))
		logs_leave_history(app);
	n = logs_n(app);

	if (n > 0)
		pane_select(app, logs_pane(app), n - 1);
	logs_pane(app)->follow = true;
	ui_dirty(app);
}

static void
cmd_toggle_labels(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	st->labels = !st->labels;
	ui_message(app, false, "labels %s", st->labels ? "shown" : "hidden");
}

static void
cmd_toggle_wrap(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	st->wrap = !st->wrap;
	st->hscroll = 0;
	ui_message(app, false, "long lines %s", st->wrap ? "wrap" :
	    "are cut (Left and Right scroll)");
}

static void
logs_scroll(struct ui *app, int delta)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	if (st->wrap) {
		ui_message(app, false, "lines wrap: w cuts them and lets "
		    "them scroll");
		return;
	}
	st->hscroll += delta;
	if (st->hscroll < 0)
		st->hscroll = 0;
	ui_dirty(app);
}

static void
cmd_scroll_left(struct ui *app, struct pane *pane, const char *args)
{
	logs_scroll(app, -LOGS_SCROLL_STEP);
}

static void
cmd_scroll_right(struct ui *app, struct pane *pane, const char *args)
{
	logs_scroll(app, LOGS_SCROLL_STEP);
}

/* The first visible line at or after ts. */
static void
logs_jump(struct ui *app, int64_t ts)
{
	const struct log_line	*l;
	size_t			 n = logs_n(app), i;
	char			 clock[16];

	if (logs_in_history(app)) {
		/* A new moment: in the live lines, held here, or fetched
		 * afresh. */
		struct ring *r = logs_ring(app), *live = &app->model->logs;

		if (live->n > 0 && ts >= ring_get(live, 0)->ts) {
			logs_leave_history(app);
			logs_pane(app)->follow = false;
			n = logs_n(app);
		} else if (r->n == 0 || ts < ring_get(r, 0)->ts ||
		    ts > ring_get(r, r->n - 1)->ts) {
			logs_open_history(app, ts);
			return;
		}
	}
	if (n == 0 && !logs_in_history(app) && app->model->logs.n == 0) {
		/* Nothing held yet: fetch that moment. */
		logs_open_history(app, ts);
		return;
	}
	if (n == 0) {
		ui_message(app, false, "jump to a time: no log lines held yet");
		return;
	}
	for (i = 0; i < n; i++) {
		l = logs_line(app, i);
		if (l->ts >= ts && !(l->flags & LOG_LINE_MARK))
			break;
	}
	if (i == n) {
		ui_message(app, false, "no line at or after that time; the "
		    "newest is selected");
		logs_select(app, n - 1, false);
		return;
	}
	if (i == 0 && logs_line(app, 0)->ts > ts && !logs_in_history(app)) {
		/* Older than the ring: fetch that moment. */
		time_format_clock(clock, sizeof clock, (time_t)(ts /
		    1000000000), app->clock_local);
		ui_message(app, false, "fetching the lines around %s", clock);
		logs_open_history(app, ts);
		return;
	}
	logs_select(app, i, true);
}

static void
logs_jump_done(struct ui *app, const char *text, void *arg)
{
	int64_t	ns;

	if (text == NULL)
		return;
	if (!time_parse_jump(text, time_wall_ns(), app->clock_local, &ns)) {
		ui_message(app, true, "\"%s\": not a time (try -15m, 14:32 "
		    "or 2026-11-26T14:32:00Z)", text);
		return;
	}
	logs_jump(app, ns);
}

static void
cmd_jump_time(struct ui *app, struct pane *pane, const char *args)
{
	char	buf[32];
	time_t	at = app->model->log.anchor;

	if (args != NULL) {
		logs_jump_done(app, args, NULL);
		return;
	}
	if (at != 0)
		time_format_iso(buf, sizeof buf, at);
	else
		snprintf(buf, sizeof buf, "-15m");
	ui_prompt(app, "jump to time: ", buf, logs_jump_done, NULL);
}

static void
logs_query_done(struct ui *app, const char *text, void *arg)
{
	if (text == NULL)
		return;
	if (*text == '\0') {
		ui_message(app, false, "the query stays as it was");
		return;
	}
	model_set_log_template(app->model, text);
	sources_refresh_feeding(app->sources, app->nsources, FEED_LOGS);
	cmd_follow(app, ui_pane(app, &logs_view), NULL);
	ui_message(app, false, "following the new query");
}

static void
cmd_edit_query(struct ui *app, struct pane *pane, const char *args)
{
	/* A source that follows a query has put its template in the
	 * model. */
	if (app->model->log.template == NULL) {
		ui_message(app, false, "edit query: no log source configured "
		    "(add a [loki] section)");
		return;
	}
	if (args != NULL)
		logs_query_done(app, args, NULL);
	else
		ui_prompt(app, "LogQL: ", app->model->log.template,
		    logs_query_done, NULL);
}

/* Moving past the first or last line: in the history view, fetch more
 * there (G goes back to following); in the live view, up past the oldest
 * line held opens the history at it. */
static bool
logs_edge(struct ui *app, struct pane *p, long delta)
{
	struct loghist	*h = &app->model->log_hist;
	size_t		 n = logs_n(app);

	if (!h->active) {
		if (delta >= 0 || p->sel != 0 || n == 0)
			return (false);
		ui_message(app, false, "fetching the lines before the oldest "
		    "held");
		logs_open_history(app, logs_line(app, 0)->ts);
		return (true);
	}
	if (delta >= (1L << 39)) {
		cmd_follow(app, p, NULL);	/* G, End */
		return (true);
	}
	if (delta < 0) {
		/* g or Home go to the first line; past it, fetch. */
		bool at_top = p->sel == 0;

		pane_select(app, p, 0);
		p->top = 0;
		if (at_top && loghist_more(h, LOGHIST_OLDER))
			logs_fetch(app);
	} else {
		bool at_end = n == 0 || p->sel + 1 >= n;

		if (n > 0)
			pane_select(app, p, n - 1);
		if (!at_end)
			;
		else if (!h->end_reached && loghist_more(h, LOGHIST_NEWER))
			logs_fetch(app);
		else if (h->end_reached)
			ui_message(app, false, "the newest lines fetched; G "
			    "follows live");
	}
	p->follow = false;
	ui_dirty(app);
	return (true);
}

static void
cmd_toggle_raw(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	st->raw = !st->raw;
	ui_message(app, false, "%s", st->raw ? "lines as Loki sent them" :
	    "lines with their message first");
}

/* The trace id of a line: the first of the usual names. */
static int
logs_trace_field(const struct logfields *f, const char *text)
{
	static const char *const names[] = { "trace_id", "traceID",
		"traceId", "trace", "traceid", "trace.id", NULL };
	size_t	i;
	int	k;

	for (i = 0; names[i] != NULL; i++) {
		if ((k = logfields_find(f, text, names[i])) >= 0)
			return (k);
	}
	return (-1);
}

/* Keep lines whose field key has the selected line's value: with no key,
 * its trace id; with no trace id, a prompt with its first field. */
static void
cmd_filter_field(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);
	struct pane		*p = logs_pane(app);
	const struct log_line	*l = logs_line(app, p->sel);
	struct sbuf		 sb, v;
	int			 k;

	if (st == NULL || l == NULL || (l->flags & LOG_LINE_MARK)) {
		ui_message(app, false, "no log line selected");
		return;
	}
	if (!logfields_parse(LOG_LINE_TEXT(l), l->len, &st->fields)) {
		ui_message(app, false, "filter by field: the line has no fields "
		    "(f filters by text)");
		return;
	}
	k = args != NULL ? logfields_find(&st->fields, LOG_LINE_TEXT(l), args) :
	    logs_trace_field(&st->fields, LOG_LINE_TEXT(l));
	sbuf_init(&sb);
	sbuf_init(&v);
	if (k < 0 && args != NULL) {
		ui_message(app, true, "filter by field: the line has no field %s", args);
		goto out;
	}
	if (k < 0)
		k = 0;
	logfields_key(&st->fields, LOG_LINE_TEXT(l), (size_t)k, &sb);
	sbuf_adds(&sb, "=");
	logfields_value(&st->fields, LOG_LINE_TEXT(l), (size_t)k, &v);
	logmatch_quote(&sb, v.s);
	app->overlay = OVERLAY_NONE;
	if (args == NULL && logs_trace_field(&st->fields,
	    LOG_LINE_TEXT(l)) < 0)
		ui_prompt(app, "keep lines matching: ", sb.s, logs_filter_done,
		    (void *)(intptr_t)LOGFILTER_KEEP);
	else
		logs_filter_done(app, sb.s, (void *)(intptr_t)LOGFILTER_KEEP);
out:
	sbuf_free(&sb);
	sbuf_free(&v);
}

static void
logs_highlight_done(struct ui *app, const char *text, void *arg)
{
	struct logs_state	*st = logs_st(app);
	struct lregex		 re;
	char			*why;

	if (text == NULL || *text == '\0' || st == NULL)
		return;
	if (!lregex_compile(&re, text, &why)) {
		ui_message(app, true, "highlight %s: %s", text, why);
		free(why);
		return;
	}
	if (st->nadhoc == LOGS_ADHOC_MAX) {
		/* The oldest gives way; its style goes to the newest. */
		lregex_free(&st->adhoc[0]);
		memmove(&st->adhoc[0], &st->adhoc[1],
		    (LOGS_ADHOC_MAX - 1) * sizeof st->adhoc[0]);
		st->nadhoc--;
	}
	st->adhoc[st->nadhoc++] = re;
	ui_message(app, false, "highlighting %s (C clears)", text);
}

static void
cmd_highlight(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return;
	if (args != NULL)
		logs_highlight_done(app, args, NULL);
	else
		ui_prompt(app, "highlight (PCRE2): ", st->search.pattern,
		    logs_highlight_done, NULL);
}

static void
cmd_highlight_clear(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);
	size_t			 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nadhoc; i++)
		lregex_free(&st->adhoc[i]);
	ui_message(app, false, st->nadhoc > 0 ? "highlights cleared" :
	    "no highlight to clear");
	st->nadhoc = 0;
}

/* The query template with one more label matcher in its first selector:
 * {service="$service"} and pod="x" give {service="$service", pod="x"}. */
static char *
logs_narrowed(const char *template, const char *matcher)
{
	const char	*open = strchr(template, '{'), *p;
	struct sbuf	 sb;
	bool		 empty;

	if (open == NULL)
		return (NULL);
	for (p = open + 1; *p != '\0' && *p != '}'; p++) {
		if (*p == '"' || *p == '`') {
			char q = *p;

			for (p++; *p != '\0' && *p != q; p++)
				if (*p == '\\' && q == '"' && p[1] != '\0')
					p++;
			if (*p == '\0')
				return (NULL);
		}
	}
	if (*p != '}')
		return (NULL);
	empty = strspn(open + 1, " \t") == (size_t)(p - open - 1);
	sbuf_init(&sb);
	sbuf_add(&sb, template, (size_t)(p - template));
	while (sb.len > 0 && (sb.s[sb.len - 1] == ' '))
		sb.s[--sb.len] = '\0';
	if (!empty)
		sbuf_adds(&sb, ", ");
	sbuf_adds(&sb, matcher);
	sbuf_adds(&sb, p);
	return (sbuf_steal(&sb));
}

static void
logs_narrow_done(struct ui *app, const char *text, void *arg)
{
	struct logs_state	*st = logs_st(app);
	struct logmatch		 m;
	struct sbuf		 sb;
	char			*why, *q;

	if (text == NULL || *text == '\0' || st == NULL)
		return;
	if (!logmatch_parse(&m, text, &why)) {
		ui_message(app, true, "narrow to %s: %s", text, why);
		free(why);
		return;
	}
	sbuf_init(&sb);
	logmatch_describe(&m, &sb);
	logmatch_free(&m);
	q = logs_narrowed(app->model->log.template, sb.s);
	sbuf_free(&sb);
	if (q == NULL) {
		ui_message(app, true, "narrow query: the query has no {selector}");
		return;
	}
	st->narrow = xreallocarray(st->narrow, st->nnarrow + 1,
	    sizeof *st->narrow);
	st->narrow[st->nnarrow++] = xstrdup(app->model->log.template);
	model_set_log_template(app->model, q);
	free(q);
	sources_refresh_feeding(app->sources, app->nsources, FEED_LOGS);
	cmd_follow(app, logs_pane(app), NULL);
	ui_message(app, false, "following the narrowed query (U widens it "
	    "again)");
}

/* The selected line's most telling label, as a matcher to start from. */
static void
logs_narrow_guess(struct ui *app, struct logs_state *st, struct sbuf *sb)
{
	const struct log_line	*l = logs_line(app, logs_pane(app)->sel);
	struct logs_pair	 pr, best;
	const char		*p;
	char			*v;

	if (l == NULL || !logs_is_set(LOG_LINE_LABELS(l)))
		return;
	memset(&best, 0, sizeof best);
	/* The first label the row's prefix shows (not shared by every
	 * visible line, not implied by another); else any the query lacks. */
	for (p = LOG_LINE_LABELS(l); logs_next_pair(&p, &pr);) {
		if (app->model->log_query != NULL &&
		    logs_in_query(app->model->log_query, &pr))
			continue;
		if (best.k == NULL)
			best = pr;
		if (!logs_is_constant(st, &pr) &&
		    !logs_value_implied(LOG_LINE_LABELS(l), &pr)) {
			best = pr;
			break;
		}
	}
	if (best.k == NULL)
		return;
	sbuf_add(sb, best.k, best.klen);
	sbuf_addc(sb, '=');
	sbuf_init(&st->tmp2);
	logfields_unescape(best.v, best.vlen, &st->tmp2);
	v = sbuf_steal(&st->tmp2);
	logmatch_quote(sb, v);
	free(v);
}

static void
cmd_narrow_query(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);
	struct sbuf		 sb;

	if (app->model->log.template == NULL || st == NULL) {
		ui_message(app, false, "narrow query: no log source configured "
		    "(add a [loki] section)");
		return;
	}
	if (args != NULL) {
		logs_narrow_done(app, args, NULL);
		return;
	}
	sbuf_init(&sb);
	logs_narrow_guess(app, st, &sb);
	ui_prompt(app, "narrow the query to: ", sb.s, logs_narrow_done, NULL);
	sbuf_free(&sb);
}

static void
cmd_widen_query(struct ui *app, struct pane *pane, const char *args)
{
	struct logs_state	*st = logs_st(app);
	char			*t;

	if (st == NULL || st->nnarrow == 0) {
		ui_message(app, false, "widen query: the query is not narrowed");
		return;
	}
	t = st->narrow[--st->nnarrow];
	model_set_log_template(app->model, t);
	free(t);
	sources_refresh_feeding(app->sources, app->nsources, FEED_LOGS);
	cmd_follow(app, logs_pane(app), NULL);
	ui_message(app, false, "following %s", app->model->log.template);
}

static const struct command logs_commands[] = {
	{ "search", "[REGEX]", "search the logs (PCRE2) upward from the "
	  "selection", cmd_search },
	{ "search-next", NULL, "go to the next match, older (as / goes)",
	  cmd_search_older },
	{ "search-prev", NULL, "go to the previous match, newer",
	  cmd_search_newer },
	{ "filter-keep", "[REGEX|MATCHERS]", "show only lines that match a "
	  "regex or label and field matchers (filters stack)",
	  cmd_filter_keep },
	{ "filter-hide", "[REGEX|MATCHERS]", "hide lines that match a regex "
	  "or matchers (filters stack)", cmd_filter_hide },
	{ "filter-clear", NULL, "clear the filters and the search",
	  cmd_filter_clear },
	{ "follow", NULL, "follow new lines again (after scrolling up)",
	  cmd_follow },
	{ "toggle-labels", NULL, "show or hide the label prefix",
	  cmd_toggle_labels },
	{ "toggle-wrap", NULL, "wrap long lines, or cut them and scroll "
	  "sideways", cmd_toggle_wrap },
	{ "scroll-left", NULL, "scroll cut lines left", cmd_scroll_left },
	{ "scroll-right", NULL, "scroll cut lines right", cmd_scroll_right },
	{ "jump-time", "[TIME]", "jump to a time: the selected alert's start "
	  "or deploy, -15m, 14:32 or ISO-8601", cmd_jump_time },
	{ "edit-query", "[LOGQL]", "edit the LogQL query the logs follow",
	  cmd_edit_query },
	{ "toggle-raw", NULL, "show lines as Loki sent them, or their "
	  "message first", cmd_toggle_raw },
	{ "filter-field", "[KEY]", "keep lines with the selected line's trace "
	  "id (or field KEY)", cmd_filter_field },
	{ "highlight", "[REGEX]", "highlight a regex (the search by default) "
	  "in a style of its own", cmd_highlight },
	{ "highlight-clear", NULL, "clear the highlights added with "
	  "highlight", cmd_highlight_clear },
	{ "narrow-query", "[MATCHER]", "narrow the LogQL query to a label "
	  "of the selected line", cmd_narrow_query },
	{ "widen-query", NULL, "undo the last narrow-query",
	  cmd_widen_query },
	{ NULL, NULL, NULL, NULL }
};

/* --- state ------------------------------------------------------------------- */

static void
logs_init(struct ui *app, struct pane *p)
{
	struct logs_state	*st;

	st = xcalloc(1, sizeof *st);
	logview_init(&st->view);
	logview_init(&st->matches);
	sbuf_init(&st->tmp2);
	highlights_load(&st->hl, app->cfg);
	st->labels = true;
	sbuf_init(&st->disp);
	sbuf_init(&st->tmp);
	st->spans = xcalloc(LOGS_MAX_SPANS, sizeof *st->spans);
	p->state = st;
}

static void
logs_free(struct ui *app, struct pane *p)
{
	struct logs_state	*st = p->state;
	size_t			 i;

	if (st == NULL)
		return;
	logview_free(&st->view);
	logview_free(&st->matches);
	lregex_free(&st->search);
	for (i = 0; i < st->nadhoc; i++)
		lregex_free(&st->adhoc[i]);
	for (i = 0; i < st->nnarrow; i++)
		free(st->narrow[i]);
	free(st->narrow);
	sbuf_free(&st->tmp2);
	highlights_free(&st->hl);
	free(st->hl_style);
	for (i = 0; i < st->nconstant; i++)
		free(st->constant[i]);
	free(st->constant);
	sbuf_free(&st->disp);
	sbuf_free(&st->tmp);
	free(st->spans);
	free(st);
	p->state = NULL;
}

const struct view_ops logs_view = {
	.name = "logs",
	.title = "Logs",
	.feed = FEED_LOGS,
	.count = logs_count,
	.summary = logs_summary,
	.draw_row = logs_draw_row,
	.row_key = logs_row_key,
	.find_row = logs_find_row,
	.detail = logs_detail,
	.generation = logs_generation,
	.tail = true,
	.commands = logs_commands,
	.init = logs_init,
	.free = logs_free,
	.draw_body = logs_draw_body,
	.edge = logs_edge,
};
