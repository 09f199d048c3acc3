/* logs.c: the Logs pane: the log ring, newest at the bottom, followed live
 * unless the user scrolls up (then "paused, N new lines"). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/ring.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "views/view.h"

static const char *const logs_kinds[] = { "loki", "demo", NULL };

static size_t
logs_count(struct app *app, struct pane *p)
{
	return (app->model->logs.n);
}

static void
logs_summary(struct app *app, struct pane *p, struct sbuf *sb)
{
	const struct ring	*r = &app->model->logs;
	const struct log_line	*l;
	char			 clock[16];
	size_t			 after;

	if (app->model->log_query != NULL)
		sbuf_addf(sb, "following %s", app->model->log_query);
	if (r->n == 0)
		return;
	if (!p->follow) {
		after = r->n - 1 - (p->top + p->body_rows - 1 < r->n ?
		    p->top + p->body_rows - 1 : r->n - 1);
		sbuf_addf(sb, "  PAUSED, %zu new line%s (G follows)", after,
		    after == 1 ? "" : "s");
	}
	l = ring_get(r, 0);
	time_format_clock(clock, sizeof clock, (time_t)(l->ts / 1000000000),
	    app->clock_local);
	sbuf_addf(sb, "  %zu lines since %s", r->n, clock);
	if (r->evicted > 0)
		sbuf_addf(sb, " (%" PRIu64 " older dropped)", r->evicted);
}

static void
logs_draw_row(struct app *app, struct pane *p, size_t i, int y, int x, int w,
    bool sel)
{
	const struct log_line	*l = ring_get(&app->model->logs, i);
	char			 clock[16];
	int			 col;

	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	time_format_clock(clock, sizeof clock, (time_t)(l->ts / 1000000000),
	    app->clock_local);
	col = draw_text_sel(y, x, 9, DRAW_DIM, sel, clock) + 1;
	if (l->labels_len > 0)
		col += draw_text_sel(y, x + col, 28, DRAW_INFO, sel,
		    LOG_LINE_LABELS(l)) + 1;
	draw_text_sel(y, x + col, w - col, DRAW_NORMAL, sel, LOG_LINE_TEXT(l));
}

static char *
logs_row_key(struct app *app, size_t i)
{
	return (xasprintf("%" PRIu64, ring_get(&app->model->logs, i)->seq));
}

static size_t
logs_find_row(struct app *app, const char *key)
{
	const struct ring	*r = &app->model->logs;
	uint64_t		 seq = strtoull(key, NULL, 10);
	size_t			 i = ring_find_seq(r, seq);

	/* The line itself may have been evicted: keep the oldest. */
	return (i < r->n ? i : (size_t)-1);
}

static void
logs_detail(struct app *app, size_t i, struct detail *d)
{
	const struct log_line	*l = ring_get(&app->model->logs, i);
	char			 when[32];

	d->title = xstrdup("log line");
	time_format_iso(when, sizeof when, (time_t)(l->ts / 1000000000));
	detail_add(d, DRAW_NORMAL, "time: %s (%" PRId64 " ns)", when, l->ts);
	detail_kv(d, "labels", LOG_LINE_LABELS(l));
	detail_kv(d, "line", LOG_LINE_TEXT(l));
}

static uint64_t
logs_generation(struct app *app)
{
	return (app->model->gen_logs);
}

const struct view_ops logs_view = {
	.name = "logs",
	.title = "Logs",
	.kinds = logs_kinds,
	.count = logs_count,
	.summary = logs_summary,
	.draw_row = logs_draw_row,
	.row_key = logs_row_key,
	.find_row = logs_find_row,
	.detail = logs_detail,
	.generation = logs_generation,
	.tail = true,
};
