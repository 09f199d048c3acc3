/* app.c: the console's state and its painting. Every change marks the app
 * dirty; the loop's paint hook draws the whole screen into curses once per
 * turn and curses sends only what changed. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/conf.h"
#include "core/kvlist.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "actions/actions.h"
#include "actions/actlog.h"
#include "keymaps/keyin.h"
#include "tui/app.h"
#include "tui/commands.h"
#include "views/draw.h"
#include "tui/layout.h"
#include "views/term.h"
#include "core/loop.h"

#define MESSAGE_MS	8000


static void	app_tick(void *);

static void
app_frame_due(void *arg)
{
	struct ui	*app = arg;

	app->frame_timer = NULL;
	ui_dirty(app);
}

/*
 * A source changed the model. Under a flood of log lines this happens
 * hundreds of times a second: repaint at most every APP_FRAME_MS so that
 * the terminal gets one screenful a frame, not one per page of lines. Keys
 * still repaint at once (they call ui_dirty).
 */
static void
app_model_changed(void *arg)
{
	struct ui	*app = arg;
	int64_t		 now = loop_now_ms(), due;

	if (app->dirty || app->frame_timer != NULL)
		return;
	due = app->painted_at + APP_FRAME_MS;
	if (now >= due)
		ui_dirty(app);
	else
		app->frame_timer = loop_timer_add(due - now, app_frame_due, app);
}

/* Wake at the next whole second for the clock and ages. */
static void
app_schedule_tick(struct ui *app)
{
	int64_t	ms = 1000 - (time_wall_ns() / 1000000) % 1000;

	app->tick = loop_timer_add(ms + 5, app_tick, app);
}

static void
app_tick(void *arg)
{
	struct ui	*app = arg;

	app->tick = NULL;
	if (app->message != NULL &&
	    loop_now_ms() - app->message_at > MESSAGE_MS) {
		free(app->message);
		app->message = NULL;
	}
	ui_dirty(app);
	app_schedule_tick(app);
}

/* User bindings: [keys] for every pane, [keys "logs"] for one. */
static void
app_load_keys(struct ui *app, struct config *cfg)
{
	struct config_section	*sec;
	size_t			 i, j;
	char			*rc, *err;

	if (!keymap_load_rc(&app->keys, keymap_default_rc, command_exists,
	    &err))
		fatal("default key bindings: %s", err);
	for (i = 0; cfg != NULL && i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (strcmp(sec->type, "keys") != 0)
			continue;
		for (j = 0; j < sec->nentries; j++) {
			struct config_entry *e = &sec->entries[j];

			e->used = true;
			rc = xasprintf("bind -T %s '%s' %s", sec->name != NULL ?
			    sec->name : "global", e->key, e->value);
			if (strcmp(e->value, "none") == 0) {
				free(rc);
				rc = xasprintf("unbind -T %s '%s'",
				    sec->name != NULL ? sec->name : "global",
				    e->key);
			}
			if (!keymap_load_rc(&app->keys, rc, command_exists,
			    &err)) {
				/* err is "1: message": drop our line number. */
				config_error(cfg, e->line, "%s",
				    strchr(err, ' ') != NULL ?
				    strchr(err, ' ') + 1 : err);
				free(err);
			}
			free(rc);
		}
	}
}

static bool	app_run_command(struct ui *, const char *);

void
app_init(struct ui *app, struct model *m, struct config *cfg,
    struct source **sources, size_t nsources)
{
	int	i;

	memset(app, 0, sizeof *app);
	app->model = m;
	app->cfg = cfg;
	app->sources = sources;
	app->nsources = nsources;
	for (i = 0; i < PANE__COUNT; i++) {
		app->panes[i].ops = view_all[i];
		app->panes[i].follow = view_all[i]->tail;
	}
	app->focus = PANE_ALERTS;
	app->dirty = true;
	app->run = app_run_command;
	m->on_change = app_model_changed;
	m->on_change_arg = app;
	app_load_keys(app, cfg);
	for (i = 0; i < PANE__COUNT; i++) {
		if (app->panes[i].ops->init != NULL)
			app->panes[i].ops->init(app, &app->panes[i]);
	}
}

void
app_start(struct ui *app)
{
	app_schedule_tick(app);
}

void
app_free(struct ui *app)
{
	int	i;

	loop_timer_cancel(&app->tick);
	loop_timer_cancel(&app->frame_timer);
	loop_timer_cancel(&app->retarget);
	for (i = 0; i < PANE__COUNT; i++) {
		if (app->panes[i].ops->free != NULL)
			app->panes[i].ops->free(app, &app->panes[i]);
		pane_forget(&app->panes[i]);
	}
	actions_free();
	ask_clear(&app->ask);
	detail_clear(&app->detail);
	prompt_clear(&app->prompt);
	prompt_history_free(&app->history);
	ui_prompt_about(app, NULL, NULL, NULL);
	free(app->message);
	keymap_free(&app->keys);
	if (app->model != NULL)
		app->model->on_change = NULL;
}

/* Run a command line ("focus logs"); false if unknown. */
static bool
app_run_command(struct ui *app, const char *line)
{
	const struct command	*c;
	const struct view_ops	*owner;
	const char		*args;

	if ((c = command_find(line, &owner)) == NULL)
		return (false);
	/* A read-only seat refuses before anything is asked or sent. */
	if (actlog_read_only() && actions_command_writes(c->name)) {
		char *no = actlog_refusal(c->name);

		ui_message(app, true, "%s", no);
		free(no);
		return (true);
	}
	if (owner != NULL && owner != ui_focused(app)->ops) {
		ui_message(app, true, "%s works in the %s pane: :%s focuses "
		    "it and runs it", c->name, owner->title, c->name);
		return (true);
	}
	args = line + strcspn(line, " \t");
	args += strspn(args, " \t");
	c->exec(app, owner != NULL ? ui_pane(app, owner) : NULL,
	    *args != '\0' ? args : NULL);
	return (true);
}

/* Keys go to the prompt while one is open; the callback runs after the
 * prompt is closed, so that it may open another. */
static void
app_prompt_key(struct ui *app, int key)
{
	enum prompt_result	 r;
	prompt_cb		 cb;
	void			*arg;
	char			*text = NULL;

	r = prompt_key(&app->prompt, key);
	ui_dirty(app);
	if (r == PROMPT_EDITING)
		return;
	cb = app->prompt.cb;
	arg = app->prompt.arg;
	if (r == PROMPT_ACCEPT)
		text = xstrdup(app->prompt.text.s);
	prompt_clear(&app->prompt);
	if (cb != NULL)
		cb(app, text, arg);
	free(text);
}

/* The command key bound to in table alone (no fall back to global). */
static const char *
lookup_only(struct ui *app, const char *table, int key)
{
	size_t	i;

	key = keymap_key_canonical(key);
	for (i = 0; i < app->keys.n; i++) {
		if (app->keys.v[i].key == key &&
		    strcmp(app->keys.v[i].table, table) == 0)
			return (app->keys.v[i].command);
	}
	return (NULL);
}

/* A key that does nothing here: say where it does something, and how to
 * run that by name from anywhere. */
static void
say_unbound(struct ui *app, int key)
{
	const char	*name = keymap_key_name(key), *cmd;
	size_t		 i;

	for (i = 0; i < PANE__COUNT; i++) {
		const struct view_ops *v = app->panes[i].ops;

		if (v == ui_focused(app)->ops ||
		    (cmd = lookup_only(app, v->name, key)) == NULL)
			continue;
		ui_message(app, false, "%s is not bound here; in %s it is "
		    ":%.*s", name, v->title, (int)strcspn(cmd, " "), cmd);
		return;
	}
	ui_message(app, false, "%s is not bound: ? shows the keys, : runs a "
	    "command by name", name);
}

/* Focus is only ever on what is on the screen: if the action terminal
 * gave the keyboard back while covering the focused pane, the pane above
 * it gets it. */
static void
app_fix_focus(struct ui *app)
{
	int	i, n;

	if (app->zoom || term_has_focus(app) || pane_shown(app, app->focus))
		return;
	for (i = app->focus, n = 0; n < PANE__COUNT; n++) {
		i = (i + PANE__COUNT - 1) % PANE__COUNT;
		if (pane_shown(app, i)) {
			app->focus = i;
			ui_dirty(app);
			return;
		}
	}
}

static bool
app_too_small(struct ui *app)
{
	return (app->rows < APP_MIN_ROWS || app->cols < APP_MIN_COLS);
}

/* Too small to show anything: keys do nothing they could not show,
 * except answering an open question (its line is shown) and quitting. */

/*
 * Is the open overlay a row's detail, whose pane's commands then act on
 * the row it shows? A view of its own over the panes (the timeline, the
 * status update) is not: there the keys of the pane behind it would act
 * on an item the user does not see, so only the global ones work.
 */
static bool
app_row_detail(struct ui *app)
{
	return (app->overlay == OVERLAY_DETAIL);
}

static void
app_key_too_small(struct ui *app, int key)
{
	const char	*cmd = keymap_lookup(&app->keys, "global", key);

	if (ui_ask_key(app, key))
		return;
	if (cmd != NULL && (strcmp(cmd, "quit") == 0 ||
	    strcmp(cmd, "redraw") == 0))
		app_run_command(app, cmd);
}

void
app_key(struct ui *app, int key)
{
	const char	*table, *cmd;

	app->last_key = key;
	if (app_too_small(app)) {
		app_key_too_small(app, key);
		return;
	}
	if (app->prompt.active) {
		if (!ui_ask_check(app))	/* its item is still there */
			app_prompt_key(app, key);
		return;
	}
	/* The question before an action, then the action terminal with
	 * focus. */
	if (ui_ask_key(app, key) || term_key(app, key))
		return;
	app_fix_focus(app);

	/* The data may have changed since the last paint: commands act on
	 * the item the highlight is on, not on a row number. */
	pane_sync(app, ui_focused(app));
	/* An overlay's own table, then (in a row's detail) the pane's
	 * commands, which act on the row the detail shows; then the
	 * global ones. */
	switch (app->overlay) {
	case OVERLAY_NONE:
		table = ui_focused(app)->ops->name;
		break;
	case OVERLAY_DETAIL:
		table = "detail";
		if (lookup_only(app, table, key) == NULL)
			table = ui_focused(app)->ops->name;
		break;
	case OVERLAY_HELP:
		table = "help";
		break;
	default:
		table = NULL;	/* the global keys only */
		break;
	}
	if ((cmd = keymap_lookup(&app->keys, table, key)) == NULL) {
		say_unbound(app, key);
		return;
	}
	if (app->message != NULL && !app->message_error)
		ui_message(app, false, "%s", "");
	if (!app_run_command(app, cmd))
		ui_message(app, true, "unknown command \"%s\"", cmd);
}

/* How old a pane's data is when a source feeding it is behind: long
 * ("stale 3m10s, as of 14:02:31"), short ("stale 3m10s") or "no data"
 * when it never succeeded; empty when all is fresh. The age comes first:
 * it is what a narrow title keeps. */
static void
app_source_age(struct ui *app, const struct view_ops *v, bool shortly,
    char *buf, size_t len)
{
	const struct source_health	*h;
	time_t				 now = time_wall(), oldest = 0;
	char				 clock[16], age[16];
	size_t				 i;
	bool				 behind = false;

	*buf = '\0';
	for (i = 0; i < app->nsources; i++) {
		const struct source *s = app->sources[i];

		h = &app->model->sources[s->health];
		if (!model_source_feeds(h, v->feed))
			continue;
		if (!h->fetched)
			continue;
		if (!h->ok || (now - h->last_ok) * 1000 >
		    2 * s->interval_ms + 5000) {
			behind = true;
			if (h->last_ok != 0 &&
			    (oldest == 0 || h->last_ok < oldest))
				oldest = h->last_ok;
		}
	}
	if (!behind)
		return;
	if (oldest == 0) {
		snprintf(buf, len, "no data");
		return;
	}
	time_format_clock(clock, sizeof clock, oldest, app->clock_local);
	duration_format(age, sizeof age, now - oldest);
	if (shortly)
		snprintf(buf, len, "stale %s", age);
	else
		snprintf(buf, len, "stale %s, as of %s", age, clock);
}

/* Is the warning all about one pane, said there as a note (PagerDuty's
 * change events failing: the Deploys pane's, not the Alerts')? */
static bool
warning_is_a_note(const struct source_health *h)
{
	int	f;

	for (f = 0; f < FEED__COUNT; f++) {
		if (h->notes[f].reason != NULL &&
		    strcmp(h->notes[f].reason, h->warning) == 0)
			return (true);
	}
	return (false);
}

/* A source's warning (Prometheus' partial data, a capped list) belongs
 * in the title of the panes it feeds, not in the header; a source that
 * names its note for this pane has said it already (the summary). */
static void
pane_warnings(struct ui *app, const struct view_ops *v, struct sbuf *sb)
{
	size_t	i;

	for (i = 0; i < app->model->nsources; i++) {
		const struct source_health *h = &app->model->sources[i];

		if (h->warning == NULL || !h->ok ||
		    !model_source_feeds(h, v->feed) ||
		    h->notes[v->feed].reason != NULL ||
		    warning_is_a_note(h))
			continue;
		sbuf_addf(sb, "%s%s: %s", sb->len > 0 ? "  " : "", h->name,
		    h->warning);
	}
}

/*
 * A pane's title: the mark of focus, the number and name, then the age of
 * stale data at the right, then the view's summary in what is left. Drop
 * order: the summary is clipped first, then the age loses its clock
 * ("stale 3m10s"); the name and the age are kept.
 */
static void
pane_draw_title(struct ui *app, struct pane *p, int idx, bool focused)
{
	struct sbuf	 sb;
	char		 age[64];
	int		 style = focused ? DRAW_TITLE_FOCUS : DRAW_TITLE;
	int		 x = p->r.x, w = p->r.w, used, agew;

	draw_fill(p->r.y, x, w, style);
	sbuf_init(&sb);
	sbuf_addf(&sb, "%s%d %s", focused ? (draw_utf8() ? "\xe2\x96\xb6" :
	    ">") : " ", idx + 1, p->ops->title);
	used = draw_text(p->r.y, x, w, style, sb.s);
	sbuf_reset(&sb);
	p->ops->summary(app, p, &sb);
	pane_warnings(app, p->ops, &sb);
	app_source_age(app, p->ops, false, age, sizeof age);
	if (*age != '\0' && used + 2 + draw_width(sb.s) + 2 +
	    draw_width(age) + 1 > w)
		app_source_age(app, p->ops, true, age, sizeof age);
	agew = *age != '\0' ? draw_width(age) + 2 : 0;
	if (agew > w - used - 1)
		agew = w - used - 1;
	if (agew > 0)
		draw_text_right(p->r.y, x + w - agew - 1, agew, DRAW_BAD, age);
	if (sb.len > 0)
		draw_text(p->r.y, x + used + 2, w - used - 2 -
		    (agew > 0 ? agew + 1 : 0), style, sb.s);
	sbuf_free(&sb);
}

static void
pane_draw(struct ui *app, struct pane *p, int idx)
{
	bool	focused = (idx == app->focus && !term_has_focus(app));
	size_t	n, i;
	int	y, hdr = pane_header_rows(p);

	pane_draw_title(app, p, idx, focused);
	p->body_rows = p->r.h > hdr ? (size_t)(p->r.h - hdr) : 0;
	pane_sync(app, p);
	if (p->ops->columns != NULL && p->r.h > 1)
		p->ops->columns(app, p, p->r.y + 1, p->r.x, p->r.w);
	n = p->ops->count(app, p);
	y = p->r.y + hdr;
	if (p->ops->draw_body != NULL) {
		p->ops->draw_body(app, p, y, p->r.x, (int)p->body_rows, p->r.w);
		return;
	}
	if (n == 0) {
		draw_text(y, p->r.x + 2, p->r.w - 2, DRAW_DIM,
		    pane_empty_why(app->model, p->ops->feed, app->nsources > 0));
		return;
	}
	for (i = p->top; i < n && i < p->top + p->body_rows; i++, y++)
		p->ops->draw_row(app, p, i, y, p->r.x, p->r.w,
		    focused && i == p->sel);
}

/* --- header and status line --------------------------------------------- */

static int
header_put(int x, int limit, int style, const char *s)
{
	if (x >= limit)
		return (x);
	return (x + draw_text(0, x, limit - x, style, s));
}

/* A source's health as the header says it, at a level of detail: 0 with
 * the reason, 1 the state alone, 2 the same but a healthy source says
 * nothing (no news is good news); buf is then empty. A warning is the
 * pane's to say, in its title: here it is one word, so that it never
 * pushes the burn off, but for the replicas that are down, named at
 * level 0 (dropped first, with the reasons). */
static int
header_source(const struct ui *app, const struct source_health *h,
    int level, char *buf, size_t len)
{
	char	clock[16];

	*buf = '\0';
	if (h->idle) {
		/* Its environment is hidden: it asks nothing. */
		if (level < 2)
			snprintf(buf, len, " %s idle", h->name);
		return (DRAW_HEADER);
	}
	if (!h->fetched) {
		snprintf(buf, len, " %s waiting", h->name);
		return (DRAW_HEADER);
	}
	if (h->ok && h->warning != NULL) {
		/* Replicas down are named while there is room: which
		 * server to look at is what the header is read for. */
		if (level == 0 && h->replicas_down != NULL)
			snprintf(buf, len, " %s warning: %s down", h->name,
			    h->replicas_down);
		else
			snprintf(buf, len, " %s warning", h->name);
		return (DRAW_WARN);
	}
	if (h->ok) {
		if (level < 2)
			snprintf(buf, len, " %s ok", h->name);
		return (DRAW_HEADER);
	}
	if (h->last_ok != 0) {
		time_format_clock(clock, sizeof clock, h->last_ok,
		    app->clock_local);
		if (level > 0)
			snprintf(buf, len, " %s stale", h->name);
		else
			snprintf(buf, len, " %s stale since %s: %s", h->name,
			    clock, h->error);
	} else if (level > 0)
		snprintf(buf, len, " %s failing", h->name);
	else
		snprintf(buf, len, " %s failing: %s", h->name, h->error);
	return (DRAW_BAD);
}

/* The columns of the sources' health at a level (header_source). */
static int
header_sources_width(struct ui *app, int level)
{
	char	buf[512];
	size_t	i;
	int	w = 0;

	for (i = 0; i < app->model->nsources; i++) {
		header_source(app, &app->model->sources[i], level, buf,
		    sizeof buf);
		w += draw_width(buf);
	}
	return (w);
}

/* The sources' health up to limit; what does not fit is clipped. */
static void
header_sources_draw(struct ui *app, int *x, int limit, int level)
{
	char	buf[512];
	size_t	i;
	int	style;

	for (i = 0; i < app->model->nsources && *x < limit; i++) {
		style = header_source(app, &app->model->sources[i], level,
		    buf, sizeof buf);
		if (*buf != '\0')
			*x = header_put(*x, limit, style, buf);
	}
}

/*
 * The left of the header: " sitrep prod |" with one environment; with
 * several, each with its mark ([environment] mark) and its firing alerts,
 * the one shown in brackets (all shown: "all"), so that it is never told
 * by colour alone: " sitrep [prod! 3] staging 1 |". READ-ONLY follows and
 * is never dropped: it says what the keys can do. name: with the word
 * sitrep (the first thing a narrow header drops). True if an environment
 * names the seat, so that the word sitrep may go.
 */
static bool
header_left(struct ui *app, bool name, char *buf, size_t len)
{
	const struct model	 *m = app->model;
	const char		**v, *mark;
	struct sbuf		  sb;
	size_t			  n, i;
	bool			  shown, named;

	sbuf_init(&sb);
	if (name)
		sbuf_addf(&sb, " sitrep");
	v = model_environments(m, &n);
	named = n > 1;
	if (n <= 1) {
		mark = n == 1 ? v[0] : m->environment;
		if (*mark != '\0')
			sbuf_addf(&sb, " %s", mark);
		named = *mark != '\0';
	} else {
		if (m->shown_env == NULL)
			sbuf_addf(&sb, " all:");
		for (i = 0; i < n; i++) {
			shown = m->shown_env != NULL &&
			    strcmp(m->shown_env, v[i]) == 0;
			mark = kvlist_get(&m->env_marks, v[i]);
			sbuf_addf(&sb, " %s%s%s %zu%s", shown ? "[" : "",
			    *v[i] != '\0' ? v[i] : "-", mark != NULL ? mark : "",
			    model_env_firing(m, v[i]), shown ? "]" : "");
		}
	}
	free(v);
	if (actlog_read_only())
		sbuf_addf(&sb, " | READ-ONLY");
	sbuf_addf(&sb, " |");
	snprintf(buf, len, "%s", sb.s != NULL ? sb.s : "");
	sbuf_free(&sb);
	return (named);
}

/*
 * The header. Shown from the left: sitrep, the environment(s), firing
 * alerts by severity, source health, the worst SLO burn, the last deploy's
 * age; the clock at the right. When it does not fit, it drops in this order
 * (sitrep(1), "The screen"): the word sitrep (the environment stays), the
 * reasons of failing sources (their state stays), the healthy sources
 * ("demo ok"; failing, stale, waiting and warning ones stay), the clock's
 * zone (UTC becomes Z; local stays), the
 * burning SLO's service; then the sources are clipped. The counts, the
 * burn and the deploy's age are never cut.
 */
static void
draw_header(struct ui *app)
{
	const struct slo	*worst;
	const struct model	*m = app->model;
	enum severity		 order[SEV__COUNT];
	char			 left[256], counts[256], burn[256], dep[64];
	char			 clock[16], zone[16], age[16], buf[64];
	int			 x = 0, limit, i, need, srcw;
	time_t			 last;
	bool			 name = true, named, with_zone = true;
	bool			 with_svc = true;
	int			 level = 0;	/* of the sources */
	double			 b = 0;

	draw_fill(0, 0, app->cols, DRAW_HEADER);
	time_format_clock(clock, sizeof clock, time_wall(), app->clock_local);
	snprintf(zone, sizeof zone, " %s", app->clock_local ? "local" : "UTC");

	/* The counts, worst first, the unknown severity where it ranks. */
	*counts = '\0';
	severity_order(order);
	for (i = 0; i < SEV__COUNT; i++) {
		size_t n = model_count_firing(m, order[i]);

		if (n == 0)
			continue;
		snprintf(buf, sizeof buf, " %s%zu",
		    draw_severity_symbol(order[i]), n);
		strncat(counts, buf, sizeof counts - strlen(counts) - 1);
	}
	if (*counts == '\0')
		snprintf(counts, sizeof counts, " no alerts firing");
	*burn = *dep = '\0';
	if ((worst = model_worst_slo(m)) != NULL)
		b = !isnan(worst->burn[W_1H]) ? worst->burn[W_1H] :
		    worst->burn[W_5M];
	if ((last = model_last_deploy(m)) != 0) {
		duration_format_short(age, sizeof age, time_wall() - last);
		snprintf(dep, sizeof dep, " | deploy %s ago", age);
	}

	for (;;) {
		named = header_left(app, name, left, sizeof left);
		if (worst != NULL)
			snprintf(burn, sizeof burn, " | burn %.1fx%s%s", b,
			    with_svc ? " " : "", !with_svc ? "" :
			    worst->service != NULL ? worst->service :
			    worst->name);
		limit = app->cols - (int)strlen(clock) - 2 -
		    draw_width(zone);
		srcw = header_sources_width(app, level);
		need = draw_width(left) + draw_width(counts) +
		    (srcw > 0 ? 2 : 0) + draw_width(burn) + draw_width(dep);
		if (need + srcw <= limit)
			break;
		if (name && named)
			name = false;	/* an environment names the seat */
		else if (level < 2)
			level++;
		else if (with_zone && !app->clock_local) {
			/* 14:15:19Z: UTC in one letter ("local" stays). */
			with_zone = false;
			snprintf(zone, sizeof zone, "Z");
		}
		else if (with_svc && worst != NULL)
			with_svc = false;
		else
			break;
	}
	snprintf(buf, sizeof buf, " %s%s ", clock, zone);
	draw_text(0, limit, app->cols - limit, DRAW_HEADER, buf);

	x = header_put(x, limit, DRAW_HEADER, left);
	x = header_put(x, limit, DRAW_HEADER, counts);
	/* The sources get what the burn and the deploy leave. */
	if (srcw > 0) {
		x = header_put(x, limit, DRAW_HEADER, " |");
		need = draw_width(burn) + draw_width(dep);
		if (limit - need - x > 0)
			header_sources_draw(app, &x, limit - need, level);
	}
	x = header_put(x, limit, DRAW_HEADER, burn);
	x = header_put(x, limit, DRAW_HEADER, dep);
}

/* The first key bound to command (its first word) in table, for hints. */
static const char *
key_for(struct ui *app, const char *table, const char *command)
{
	size_t	i, len = strlen(command);

	for (i = 0; i < app->keys.n; i++) {
		const struct binding *b = &app->keys.v[i];

		if (strcmp(b->table, table) == 0 &&
		    strncmp(b->command, command, len) == 0 &&
		    (b->command[len] == '\0' || b->command[len] == ' '))
			return (keymap_key_name(b->key));
	}
	return (NULL);
}

/* The first key of a global command that the focused pane's table does
 * not take for something else (t is the terminal, but not in Logs). */
static const char *
global_key_for(struct ui *app, const char *command)
{
	const char	*pane = ui_focused(app)->ops->name;
	size_t		 i, len = strlen(command);

	for (i = 0; i < app->keys.n; i++) {
		const struct binding *b = &app->keys.v[i];

		if (strcmp(b->table, "global") == 0 &&
		    strncmp(b->command, command, len) == 0 &&
		    (b->command[len] == '\0' || b->command[len] == ' ') &&
		    lookup_only(app, pane, b->key) == NULL)
			return (keymap_key_name(b->key));
	}
	return (NULL);
}

/* One hint, "KEY what", if the key is bound; returns the next column. */
static int
hint(struct ui *app, int x, const char *key, const char *what)
{
	char	buf[128];

	if (key == NULL || x >= app->cols)
		return (x);
	snprintf(buf, sizeof buf, " %s %s ", key, what);
	return (x + draw_text(app->rows - 1, x, app->cols - x, DRAW_DIM, buf));
}

/* In a row's detail: closing it, then the pane's commands, which act on
 * that row, then scrolling. */
static int
detail_hints(struct ui *app, int x)
{
	const struct view_ops	*pane = ui_focused(app)->ops, *owner;
	const char		*tables[2] = { "detail", pane->name };
	size_t			 t, i, j;

	x = hint(app, x, key_for(app, "global", "close"), "close");
	for (t = 0; app_row_detail(app) && t < 2; t++) {
		for (i = 0; i < app->keys.n; i++) {
			const struct binding *b = &app->keys.v[i];

			if (strcmp(b->table, tables[t]) != 0 ||
			    command_find(b->command, &owner) == NULL ||
			    (owner != NULL && owner != pane))
				continue;
			/* The first key of each command only. */
			for (j = 0; j < i; j++) {
				if (strcmp(app->keys.v[j].table,
				    b->table) == 0 && strcmp(
				    app->keys.v[j].command, b->command) == 0)
					break;
			}
			if (j == i)
				x = hint(app, x, keymap_key_name(b->key),
				    b->command);
		}
	}
	return (hint(app, x, "j/k", "scroll"));
}

/* The keys of a table, the first of each command, while they fit before
 * column limit. */
static int
table_hints(struct ui *app, const char *table, int x, int limit)
{
	const char	*name;
	size_t		 i, j;
	int		 w;

	for (i = 0; i < app->keys.n; i++) {
		const struct binding *b = &app->keys.v[i];

		if (strcmp(b->table, table) != 0)
			continue;
		for (j = 0; j < i; j++) {
			if (strcmp(app->keys.v[j].table, table) == 0 &&
			    strcmp(app->keys.v[j].command, b->command) == 0)
				break;
		}
		if (j < i)
			continue;
		name = keymap_key_name(b->key);
		w = (int)(strlen(name) + strcspn(b->command, " ")) + 3;
		if (x + w > limit)
			break;
		x = hint(app, x, name, b->command);
	}
	return (x);
}

/* The action terminal has the keyboard: while its command runs, every
 * key but the term table's goes to it. */
static int
term_hints(struct ui *app, int x)
{
	const char	*what;

	if (!term_busy(&what)) {
		x = hint(app, x, key_for(app, "global", "quit"), "close");
		x = hint(app, x, key_for(app, "global", "zoom"), "zoom");
		x = hint(app, x, "j/k", "scroll");
		return (hint(app, x, "other", "keys: the console"));
	}
	x = hint(app, x, key_for(app, "term", "term-leave"), "console");
	x = hint(app, x, key_for(app, "term", "term-zoom"), "zoom");
	x = hint(app, x, key_for(app, "term", "term-scroll-up"), "scroll");
	return (hint(app, x, "other", "keys go to the terminal"));
}

/* The status line: the prompt being typed, a message, or the keys of
 * what has the focus (a question is painted over it by ask_paint). */
static void
draw_status(struct ui *app)
{
	static const char *const hints[][2] = {
		{ "focus-next", "pane" }, { "detail", "detail" },
		{ "zoom", "zoom" }, { "help", "help" },
		{ "command-prompt", "command" },
	};
	int		 y = app->rows - 1, x = 0;
	size_t		 i;
	const char	*title, *quit;
	char		 qkey[32];

	draw_fill(y, 0, app->cols, DRAW_STATUS);
	if (app->prompt.active) {
		x = draw_text(y, 0, app->cols, DRAW_BOLD, app->prompt.label);
		x += draw_text(y, x, app->cols - x - 1, DRAW_STATUS,
		    app->prompt.text.s);
		/* What Tab could not choose between. */
		for (i = 0; i < app->prompt.nmatches && x < app->cols - 2;
		    i++) {
			int gap = i == 0 ? 2 : 1;

			x += gap + draw_text(y, x + gap, app->cols - x - gap,
			    DRAW_DIM, app->prompt.matches[i]);
		}
		/* The prompt's own keys, where there is room. */
		if (app->prompt.nmatches == 0 && app->cols - x > 50)
			draw_text_right(y, x + 2, app->cols - x - 3, DRAW_DIM,
			    app->prompt.complete != NULL ?
			    "Tab completes  Up earlier  Esc cancels" :
			    "Enter accepts  Esc cancels");
		return;
	}
	if (app->message != NULL) {
		draw_text(y, 1, app->cols - 1, app->message_error ?
		    DRAW_STATUS_ERROR : DRAW_STATUS, app->message);
		return;
	}
	if (term_has_focus(app)) {
		term_hints(app, 0);
		return;
	}
	if (app->overlay == OVERLAY_HELP) {
		x = hint(app, 0, key_for(app, "global", "close"), "close");
		x = table_hints(app, "help", x, app->cols - 12);
		hint(app, x, "j/k", "scroll");
		return;
	}
	if (app->overlay != OVERLAY_NONE) {
		detail_hints(app, 0);
		return;
	}
	for (i = 0; i < sizeof hints / sizeof hints[0]; i++)
		x = hint(app, x, global_key_for(app, hints[i][0]),
		    hints[i][1]);
	if (term_put_away(&title))
		x = hint(app, x, global_key_for(app, "term"), "terminal");
	/* The focused pane's own keys, as many as fit before q quit (the
	 * key's name is copied: keymap_key_name's storage is reused). */
	if ((quit = global_key_for(app, "quit")) != NULL)
		snprintf(qkey, sizeof qkey, "%s", quit);
	x = table_hints(app, ui_focused(app)->ops->name, x, app->cols -
	    (quit != NULL ? (int)strlen(qkey) + 7 : 0));
	hint(app, x, quit != NULL ? qkey : NULL, "quit");
}

static void
draw_too_small(struct ui *app)
{
	char	buf[96];
	int	y = app->rows / 2;

	snprintf(buf, sizeof buf, "terminal too small (need %dx%d, have %dx%d)",
	    APP_MIN_COLS, APP_MIN_ROWS, app->cols, app->rows);
	draw_text(y > 0 ? y - 1 : 0, 0, app->cols, DRAW_BOLD, buf);
	if (app->rows > 1)
		draw_text(y, 0, app->cols, DRAW_DIM, "q quits");
	/* What a key still did (a question answered) is said here too. */
	if (app->rows > 3 && app->message != NULL)
		draw_text(app->rows - 1, 1, app->cols - 1, app->message_error ?
		    DRAW_STATUS_ERROR : DRAW_STATUS, app->message);
}

void
app_resize(struct ui *app, int rows, int cols)
{
	struct rect		r[PANE__COUNT];
	struct layout_want	want = { app->want_top, app->want_slo,
	    app->want_deploys_w };
	int			i;

	app->rows = rows;
	app->cols = cols;
	layout_compute_for(rows, cols, app->zoom, app->focus, &want, r);
	for (i = 0; i < PANE__COUNT; i++)
		app->panes[i].r = r[i];
	ui_dirty(app);
}

/* The pane at a screen position, if it is on the screen. */
static int
layout_hit_shown(struct ui *app, int y, int x)
{
	struct rect	r[PANE__COUNT];
	int		i;

	for (i = 0; i < PANE__COUNT; i++)
		r[i] = app->panes[i].r;
	if ((i = layout_hit(r, y, x)) < 0 || !pane_shown(app, i))
		return (-1);
	return (i);
}

/* The prompt closes as Escape closes it (its callback hears NULL). */
static void
app_prompt_cancel(struct ui *app)
{
	app_prompt_key(app, 27);
}

/*
 * The mouse, as the terminal reports it (keymaps/keyin.h): a click
 * focuses the pane (or the action terminal) under the pointer and selects
 * the row; a second click on the same row soon after opens its detail;
 * the wheel scrolls whatever is under the pointer without moving the
 * focus (in Logs, scrolling up pauses following, as a key does). A click
 * while a question or a prompt is open cancels it.
 */
void
app_mouse(struct ui *app, const struct keyin_event *ev)
{
	struct pane	*p;
	bool		 wheel;
	long		 delta;
	int		 i, row;
	size_t		 item;
	int64_t		 now = loop_now_ms();

	wheel = ev->button == KEYIN_WHEEL_UP || ev->button == KEYIN_WHEEL_DOWN;
	if (!ev->press || ev->motion || app_too_small(app) ||
	    (ev->button != KEYIN_BUTTON_LEFT && !wheel))
		return;
	if (app->ask.active || app->prompt.active) {
		if (wheel)
			return;
		if (app->ask.active)
			ui_ask_cancel(app, NULL);
		else
			app_prompt_cancel(app);
		return;
	}
	delta = ev->button == KEYIN_WHEEL_UP ? -APP_WHEEL_ROWS : APP_WHEEL_ROWS;
	if (app->overlay != OVERLAY_NONE) {
		if (wheel)
			app_run_command(app, delta < 0 ? "up 3" : "down 3");
		return;
	}
	if (ev->y >= term_top(app) && ev->y < app->rows - 1) {
		term_mouse(app, true, wheel ? delta : 0);
		return;
	}
	if ((i = layout_hit_shown(app, ev->y, ev->x)) < 0)
		return;
	p = &app->panes[i];
	if (wheel) {
		long top = (long)p->top + delta;

		p->top = top < 0 ? 0 : (size_t)top;
		pane_move(app, p, delta);
		ui_dirty(app);
		return;
	}
	focus_pane(app, i);
	row = ev->y - p->r.y - pane_header_rows(p);
	item = row >= 0 ? p->top + (size_t)row : (size_t)-1;
	/* A pane whose items take several rows says which is there. */
	if (row >= 0 && p->ops->row_at != NULL)
		item = p->ops->row_at(app, p, row);
	if (item == (size_t)-1) {
		app->click_at = 0;
		return;
	}
	pane_select(app, p, item);
	if (app->click_at != 0 && now - app->click_at <= APP_DOUBLE_CLICK_MS &&
	    app->click_pane == i && app->click_row == item) {
		app->click_at = 0;
		app_run_command(app, "detail");
		return;
	}
	app->click_at = now;
	app->click_pane = i;
	app->click_row = item;
}

/* The terminal cursor shows only while the user types into a prompt. */
static void
app_place_cursor(struct ui *app)
{
	size_t	col;
	int	ask_col = ask_cursor_column(&app->ask);

	if (term_place_cursor(app))
		return;		/* the action terminal's child's cursor */
	if (ask_col >= 0 && !app->prompt.active) {
		col = (size_t)ask_col;
		if (col >= (size_t)app->cols)
			col = (size_t)app->cols - 1;
		leaveok(stdscr, FALSE);
		curs_set(1);
		move(app->rows - 1, (int)col);
		return;
	}
	if (!app->prompt.active) {
		leaveok(stdscr, TRUE);
		curs_set(0);
		return;
	}
	col = prompt_cursor_column(&app->prompt);
	if (col >= (size_t)app->cols)
		col = (size_t)app->cols - 1;
	leaveok(stdscr, FALSE);
	curs_set(1);
	move(app->rows - 1, (int)col);
}

/* --- the logs follow the focused row ------------------------------------ */

/* The service (and time) of the focused pane's selected row; false when
 * the pane has none (the logs pane itself: the last one stays). */
static bool
app_row_service(struct ui *app, const char **svc, time_t *at)
{
	struct pane	*p = ui_focused(app);
	size_t		 n;

	if (p->ops->row_service == NULL)
		return (false);
	n = p->ops->count(app, p);
	if (n == 0 || p->sel >= n)
		return (false);
	*svc = p->ops->row_service(app, p, p->sel);
	*at = p->ops->row_time != NULL ? p->ops->row_time(app, p, p->sel) : 0;
	return (*svc != NULL && **svc != '\0');
}

static void
app_retarget_due(void *arg)
{
	struct ui	*app = arg;
	const char	*svc;
	time_t		 at;
	uint64_t	 gen = app->model->log.gen_target;

	app->retarget = NULL;
	if (!app_row_service(app, &svc, &at))
		return;
	model_set_log_service(app->model, svc, at);
	if (app->model->log.gen_target == gen)
		return;
	sources_refresh_feeding(app->sources, app->nsources, FEED_LOGS);
}

/* Once the selection has rested APP_RETARGET_MS on a row of another
 * service, the log sources follow it (see app_retarget_due). */
static void
app_follow_service(struct ui *app)
{
	const char	*svc, *cur = app->model->log.service;
	time_t		 at;

	if (!app_row_service(app, &svc, &at))
		return;
	if (cur != NULL && strcmp(cur, svc) == 0) {
		app->model->log.anchor = at;
		return;
	}
	if (app->retarget == NULL)
		app->retarget = loop_timer_add(APP_RETARGET_MS,
		    app_retarget_due, app);
}

/* The panes above the logs get rows for their items (layout.h): laid out
 * again when the number of items changes. */
static void
app_want_rows(struct ui *app)
{
	struct pane	*a = &app->panes[PANE_ALERTS];
	struct pane	*d = &app->panes[PANE_DEPLOYS];
	int		 top, slo, dw;

	top = (int)a->ops->count(app, a);
	if ((int)app->model->ndeploys > top)
		top = (int)app->model->ndeploys;
	slo = (int)app->model->nslos;
	dw = d->ops->want_width != NULL ? d->ops->want_width(app, d) : 0;
	if (top == app->want_top && slo == app->want_slo &&
	    dw == app->want_deploys_w)
		return;
	app->want_top = top;
	app->want_slo = slo;
	app->want_deploys_w = dw;
	app->relayout = true;
}

void
app_paint(struct ui *app)
{
	int	i;

	app_want_rows(app);
	if (app->relayout) {
		app->relayout = false;
		app_resize(app, app->rows, app->cols);
	}
	if (!app->dirty)
		return;
	app->dirty = false;
	ui_ask_check(app);	/* its item vanished: cancelled, said */
	app_fix_focus(app);
	if (app->clear) {
		clearok(curscr, TRUE);
		app->clear = false;
	}
	app->frames++;
	/* The frame painted at start (empty) does not hold back the first
	 * one with data (bench/README.md, "First frame"). */
	app->painted_at = app->frames == 1 ? 0 : loop_now_ms();
	app_follow_service(app);
	erase();
	if (app_too_small(app)) {
		draw_too_small(app);
		if (app->rows >= 2)
			ask_paint(&app->ask, app->rows - 1, app->cols);
		app_place_cursor(app);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(app);
	for (i = 0; i < PANE__COUNT; i++) {
		struct pane	*p = &app->panes[i];
		int		 h = p->r.h, top = term_top(app);

		/* A pane the action terminal covers in part has the rows
		 * above it, so that its selection stays in sight. */
		if (p->r.y + p->r.h > top)
			p->r.h = top > p->r.y ? top - p->r.y : 0;
		if (p->r.h > 0)
			pane_draw(app, p, i);
		p->r.h = h;
	}
	if (!app->zoom && app->panes[PANE_DEPLOYS].r.h > 0) {
		struct rect *d = &app->panes[PANE_DEPLOYS].r;

		/* The wide form is U+2502 itself in a UTF-8 locale; the
		 * narrow ACS_VLINE would switch charsets (SO 'x' SI), which
		 * shows as "x" where that is not understood. */
		if (draw_utf8())
			mvvline_set(d->y, d->x - 1, WACS_VLINE, d->h);
		else
			mvvline(d->y, d->x - 1, '|', d->h);
	}
	if (app->overlay != OVERLAY_NONE) {
		detail_draw(app, &app->detail, 1, 0, app->rows - 2, app->cols);
		/* It has the keys: the one mark is on its title. */
		draw_text(1, 0, 1, DRAW_TITLE_FOCUS, draw_utf8() ?
		    "\xe2\x96\xb6" : ">");
	}
	draw_status(app);
	term_paint(app);	/* the action terminal */
	if (app->rows >= 2)
		ask_paint(&app->ask, app->rows - 1, app->cols);
	app_place_cursor(app);
	wnoutrefresh(stdscr);
	doupdate();
}
