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
#include "core/highlight.h"
#include "core/conf.h"
#include "core/logfilter.h"
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

/* A key=value of a label set, pointing into the set's string. */
struct logs_pair {
	const char	*k, *v;
	size_t		 klen, vlen;
};

struct logs_state {
	struct logview		 view;
	struct lregex		 search;	/* pattern NULL: none */
	struct highlights	 hl;
	int			*hl_style;	/* draw style per rule */
	bool			 labels;	/* show the label prefix */
	bool			 wrap;
	int			 hscroll;
	bool			 paused;
	uint64_t		 pause_seq;	/* first line after the pause */

	/* Label keys whose value is the same in every set the ring holds:
	 * the prefix leaves them out. */
	uint64_t		 label_gen;
	char			**constant;	/* "key=value" */
	size_t			 nconstant;
	bool			 first_set;

	/* The row being drawn. */
	struct sbuf		 disp;
	struct sbuf		 tmp;
	struct draw_span	*spans;
	size_t			 nspans;
};

static struct logs_state *
logs_st(struct ui *app)
{
	return (ui_pane(app, &logs_view)->state);
}

/* Catch the visible index up with the ring. */
static struct logview *
logs_view_sync(struct ui *app)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return (NULL);
	logview_sync(&st->view, &app->model->logs);
	return (&st->view);
}

static size_t
logs_n(struct ui *app)
{
	struct logview	*v = logs_view_sync(app);

	return (v != NULL ? logview_count(v, &app->model->logs) :
	    app->model->logs.n);
}

static const struct log_line *
logs_line(struct ui *app, size_t i)
{
	struct logs_state	*st = logs_st(app);

	if (st == NULL)
		return (ring_get(&app->model->logs, i));
	return (logview_get(&st->view, &app->model->logs, i));
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
logs_constant_update(struct logs_state *st, const struct ring *r)
{
	size_t	i;

	if (st->label_gen == r->label_gen && st->label_gen != 0)
		return;
	for (i = 0; i < st->nconstant; i++)
		free(st->constant[i]);
	free(st->constant);
	st->constant = NULL;
	st->nconstant = 0;
	st->first_set = true;
	ring_labels_foreach(r, logs_constant_visit, st);
	/* One set alone: every label is "constant", yet it is all there is
	 * to tell; keep none out then. */
	if (r->nlabels <= 1) {
		for (i = 0; i < st->nconstant; i++)
			free(st->constant[i]);
		st->nconstant = 0;
	}
	st->label_gen = r->label_gen;
}

/* Does the query say k="v" itself (so the prefix need not)? */
static bool
logs_in_query(const char *query, const struct logs_pair *pr)
{
	const char	*q = query;
	size_t		 n = pr->klen + pr->vlen + 3;

	while (q != NULL && (q = strstr(q, pr->k)) != NULL) {
		if (strncmp(q, pr->k, pr->klen) == 0 && q[pr->klen] == '=' &&
		    q[pr->klen + 1] == '"' && strncmp(q + pr->klen + 2, pr->v,
		    pr->vlen) == 0 && q[n - 1] == '"')
			return (true);
		q++;
	}
	return (false);
}

/* The compact prefix of a label set: the values that tell streams apart,
 * "checkout-7f9c6d-x2 stderr" (into sb): not those every set shares, nor
 * those the query names. */
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
		if (logs_is_constant(st, &pr) || logs_in_query(query, &pr))
			continue;
		if (sb->len > before)
			sbuf_addc(sb, ' ');
		sbuf_add(sb, pr.v, pr.vlen);
	}
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

/* Build the display text and spans of line l, reading at most enough raw
 * bytes for cols columns. */
static void
logs_prepare(struct ui *app, struct logs_state *st,
    const struct log_line *l, size_t cols)
{
	size_t	len, i;

	len = utf8_cut(LOG_LINE_TEXT(l), l->len, cols * 4 + 64);
	logs_display(st, LOG_LINE_TEXT(l), len, app->model->log.sgr);
	if (st->hl_style == NULL && st->hl.n > 0) {
		st->hl_style = xcalloc(st->hl.n, sizeof *st->hl_style);
		for (i = 0; i < st->hl.n; i++)
			st->hl_style[i] = logs_hl_style(&st->hl.v[i]);
	}
	for (i = 0; i < st->hl.n; i++)
		logs_matches(st, &st->hl.v[i].re, st->hl_style[i]);
	if (st->search.pattern != NULL)
		logs_matches(st, &st->search, DRAW_MATCH);
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

static void
logs_draw_head(struct ui *app, struct logs_state *st,
    const struct log_line *l, int y, int x, int prefix_w, bool sel)
{
	char		clock[32];
	struct sbuf	pfx;

	logs_clock(app, l->ts, clock, sizeof clock);
	draw_text_sel(y, x, LOGS_CLOCK_COLS, DRAW_DIM, sel, clock);
	if (prefix_w <= 0)
		return;
	sbuf_init(&pfx);
	if (l->flags & LOG_LINE_MARK)
		sbuf_adds(&pfx, "sitrep");
	else
		logs_prefix(st, LOG_LINE_LABELS(l), app->model->log_query,
		    &pfx);
	if (pfx.len > 0)
		draw_text_sel(y, x + LOGS_CLOCK_COLS + 1, prefix_w, DRAW_INFO,
		    sel, pfx.s);
	sbuf_free(&pfx);
}

static int
logs_line_style(const struct log_line *l)
{
	return ((l->flags & LOG_LINE_MARK) ? DRAW_BAD : DRAW_NORMAL);
}

/* Rows a prepared line takes when wrapped in w columns, at most max. */
static int
logs_height(struct logs_state *st, int w, int max)
{
	size_t	width = sanitize_width(st->disp.s, st->disp.len);
	int	rows;

	if (w <= 0)
		return (1);
	rows = width == 0 ? 1 : (int)((width + (size_t)w - 1) / (size_t)w);
	return (rows > max ? max : rows);
}

/* Draw a prepared line from screen row y, at most rows rows. */
static void
logs_draw_text(struct logs_state *st, const struct log_line *l, int y,
    int x, int w, int rows, int skip, bool sel)
{
	unsigned	flags = sel ? DRAW_SPANS_SELECTED : 0;
	int		k, height;

	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	if (!st->wrap) {
		draw_spans(y, x, w, skip, logs_line_style(l), flags,
		    st->disp.s, st->disp.len, st->spans, st->nspans);
		return;
	}
	height = logs_height(st, w, rows);
	for (k = 0; k < height; k++) {
		if (sel && k > 0)
			draw_fill(y + k, x, w, DRAW_SELECTED);
		draw_spans(y + k, x, w, k * w, logs_line_style(l),
		    flags | (k + 1 < height ? DRAW_SPANS_NO_ELLIPSIS : 0),
		    st->disp.s, st->disp.len, st->spans, st->nspans);
	}
}

/* --- the body ------------------------------------------------------------ */

/* The widest prefix among rows [from, to), capped. */
static int
logs_prefix_width(struct ui *app, struct logs_state *st, size_t from,
    size_t to)
{
	struct sbuf	 sb;
	size_t		 i, w, best = 0;

	if (!st->labels)
		return (0);
	logs_constant_update(st, &app->model->logs);
	sbuf_init(&sb);
	for (i = from; i < to; i++) {
		const struct log_line *l = logs_line(app, i);

		sbuf_reset(&sb);
		if (l->flags & LOG_LINE_MARK)
			sbuf_adds(&sb, "sitrep");
		else
			logs_prefix(st, LOG_LINE_LABELS(l),
			    app->model->log_query, &sb);
		w = sanitize_width(sb.s, sb.len);
		if (w > best)
			best = w;
	}
	sbuf_free(&sb);
	return (best > LOGS_PREFIX_MAX ? LOGS_PREFIX_MAX : (int)best);
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
	size_t	i = logview_find(&st->view, &app->model->logs, st->pause_seq);

	return (i < n ? n - i : 0);
}

static void
logs_track_pause(struct ui *app, struct pane *p, struct logs_state *st)
{
	if (p->follow)
		st->paused = false;
	else if (!st->paused) {
		st->paused = true;
		st->pause_seq = app->model->logs.next_seq;
	}
}

static void
logs_draw_paused(struct ui *app, struct pane *p, struct logs_state *st,
    size_t n, int y, int x, int h, int w)
{
	char		buf[128];
	uint64_t	fresh;
	int		row = y + h - 1;

	if (p->follow || h < 2)
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
	last = p->top + (size_t)h < n ? p->top + (size_t)h : n;
	pw = logs_prefix_width(app, st, p->top, last);
	tx = logs_text_x(pw);
	if (st->wrap && w - tx > 0)
		p->top = logs_wrap_top(app, p, st, n, h, w - tx);
	for (i = p->top; i < n && row < h; i++) {
		l = logs_line(app, i);
		logs_prepare(app, st, l, (size_t)((st->wrap ? (w - tx) * h :
		    w - tx) + st->hscroll));
		rows = st->wrap ? logs_height(st, w - tx, h - row) : 1;
		logs_draw_head(app, st, l, y + row, x, pw, focused &&
		    i == p->sel);
		logs_draw_text(st, l, y + row, x + tx, w - tx, rows,
		    st->hscroll, focused && i == p->sel);
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

static void
logs_summary(struct ui *app, struct pane *p, struct sbuf *sb)
{
	struct logs_state	*st = logs_st(app);
	const struct model	*m = app->model;
	const struct ring	*r = &m->logs;
	char			 clock[16];
	size_t			 n = logs_n(app);
	uint64_t		 dropped = model_logs_dropped(m);

	if (m->log_query != NULL)
		sbuf_addf(sb, "following %s", m->log_query);
	if (st != NULL) {
		logs_track_pause(app, p, st);
		if (st->paused)
			sbuf_addf(sb, "  PAUSED, %" PRIu64 " new (F follows)",
			    logs_new_since_pause(app, st, n));
		if (st->view.filter.n > 0) {
			sbuf_adds(sb, "  ");
			logfilter_describe(&st->view.filter, sb);
			sbuf_addf(sb, " (%zu of %zu)", n, r->n);
		}
		if (st->search.pattern != NULL)
			sbuf_addf(sb, "  /%s", st->search.pattern);
	}
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

	return (xasprintf("%" PRIu64, l != NULL ? l->seq : 0));
}

static size_t
logs_find_row(struct ui *app, struct pane *pane, const char *key)
{
	struct logs_state	*st = logs_st(app);
	uint64_t		 seq = strtoull(key, NULL, 10);
	size_t			 n = logs_n(app), i;

	/* The line itself may have gone (evicted, filtered out): the next
	 * one stays selected. */
	if (st == NULL)
		i = ring_find_seq(&app->model->logs, seq);
	else
		i = logview_find(&st->view, &app->model->logs, seq);
	return (i < n ? i : (size_t)-1);
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
}

static uint64_t
logs_generation(struct ui *app, struct pane *pane)
{
	return (app->model->gen_logs);
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
	logview_rebuild(&st->view, &app->model->logs);
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
		ui_message(app, false, "no filter or search to clear");
		return;
	}
	logfilter_clear(&st->view.filter);
	lregex_free(&st->search);
	logview_rebuild(&st->view, &app->model->logs);
	ui_message(app, false, "filters and search cleared");
}

static void
cmd_follow(struct ui *app, struct pane *pane, const char *args)
{
	size_t	n = logs_n(app);

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

	if (n == 0) {
		ui_message(app, false, "no lines to jump in");
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
	if (i == 0 && logs_line(app, 0)->ts > ts) {
		time_format_clock(clock, sizeof clock,
		    (time_t)(logs_line(app, 0)->ts / 1000000000),
		    app->clock_local);
		ui_message(app, false, "the oldest line held is from %s; "
		    "nothing older is in the ring", clock);
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
		ui_message(app, false, "no [loki] source: there is no query "
		    "to edit");
		return;
	}
	if (args != NULL)
		logs_query_done(app, args, NULL);
	else
		ui_prompt(app, "LogQL: ", app->model->log.template,
		    logs_query_done, NULL);
}

static const struct command logs_commands[] = {
	{ "search", "[REGEX]", "search the logs (PCRE2) upward from the "
	  "selection", cmd_search },
	{ "search-next", NULL, "go to the next match, older (as / goes)",
	  cmd_search_older },
	{ "search-prev", NULL, "go to the previous match, newer",
	  cmd_search_newer },
	{ "filter-keep", "[REGEX]", "show only lines that match (filters "
	  "stack)", cmd_filter_keep },
	{ "filter-hide", "[REGEX]", "hide lines that match (filters stack)",
	  cmd_filter_hide },
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
	{ NULL, NULL, NULL, NULL }
};

/* --- state ------------------------------------------------------------------- */

static void
logs_init(struct ui *app, struct pane *p)
{
	struct logs_state	*st;

	st = xcalloc(1, sizeof *st);
	logview_init(&st->view);
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
	lregex_free(&st->search);
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
};
