/* commands.c: the command table and the commands themselves. Each acts on
 * the focused pane or the open overlay; none does I/O except asking a source
 * to refresh. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "tui/commands.h"
#include "views/launch.h"
#include "views/statusupd.h"
#include "views/timeline.h"
#include "core/loop.h"
#include "core/model.h"
#include "views/term.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "tui/help.h"
#include "views/view.h"

const struct view_ops *const view_all[PANE__COUNT] = {
	&alerts_view, &slo_view, &deploys_view, &logs_view
};
const size_t view_count = PANE__COUNT;

bool
pane_shown(struct ui *app, int i)
{
	const struct rect	*r = &app->panes[i].r;

	return (r->h > 0 && r->y < term_top(app));
}

/* Keys go to pane i: the action terminal gives them back, and is put
 * away if it covers the pane; zoomed, the pane shown is the one with
 * focus. */
void
focus_pane(struct ui *app, int i)
{
	term_release(app);
	if (i != app->focus) {
		app->focus = i;
		if (app->zoom)
			ui_relayout(app);
	}
	if (!app->zoom && !pane_shown(app, i))
		term_hide(app);
	ui_dirty(app);
}

/* Tab and S-Tab go round the panes on the screen. */
static void
focus_step(struct ui *app, int step)
{
	int	i, n;

	if (app->overlay != OVERLAY_NONE)
		return;
	for (i = app->focus, n = 0; n < PANE__COUNT; n++) {
		i = (i + step + PANE__COUNT) % PANE__COUNT;
		if (app->zoom || pane_shown(app, i))
			break;
	}
	focus_pane(app, i);
}

static void
cmd_focus_next(struct ui *app, struct pane *pane, const char *args)
{
	focus_step(app, 1);
}

static void
cmd_focus_prev(struct ui *app, struct pane *pane, const char *args)
{
	focus_step(app, -1);
}

static void
cmd_focus(struct ui *app, struct pane *pane, const char *args)
{
	int	i;

	for (i = 0; i < PANE__COUNT; i++) {
		if (args != NULL && strcmp(args, view_all[i]->name) == 0) {
			if (app->overlay != OVERLAY_NONE) {
				app->overlay = OVERLAY_NONE;
				detail_clear(&app->detail);
			}
			focus_pane(app, i);
			return;
		}
	}
	ui_message(app, true, "focus: no pane \"%s\" (alerts, slo, deploys, "
	    "logs)", args != NULL ? args : "");
}

/* Movement applies to the overlay when one is open. */
static void
move(struct ui *app, long delta)
{
	struct detail	*d = &app->detail;
	long		 top, last;

	if (app->overlay != OVERLAY_NONE) {
		/* Stop when the last line is at the bottom: the overlay has
		 * rows - 3 rows of cols - 4 columns under its title, and
		 * long lines wrap. */
		last = (long)detail_last_top(d, app->rows - 3, app->cols - 4);
		top = (long)d->top + delta;
		if (top > last)
			top = last;
		if (top < 0)
			top = 0;
		d->top = (size_t)top;
		ui_dirty(app);
		return;
	}
	pane_move(app, ui_focused(app), delta);
	ui_dirty(app);
}

static long
page(struct ui *app)
{
	struct pane	*p = ui_focused(app);
	long		 n;

	/* An overlay pages by the lines it shows (long ones wrap), so
	 * that no line is skipped. */
	if (app->overlay != OVERLAY_NONE)
		n = app->detail.end > app->detail.top ?
		    (long)(app->detail.end - app->detail.top) : app->rows - 4;
	else
		n = (long)p->body_rows - 1;
	return (n < 1 ? 1 : n);
}

/* How many rows: the argument (1 to 1000), 1 without one. */
static long
count_of(const char *args)
{
	char	*end;
	long	 n;

	if (args == NULL)
		return (1);
	n = strtol(args, &end, 10);
	return (end == args || n < 1 ? 1 : n > 1000 ? 1000 : n);
}

static void
cmd_down(struct ui *app, struct pane *pane, const char *args)
{
	move(app, count_of(args));
}

static void
cmd_up(struct ui *app, struct pane *pane, const char *args)
{
	move(app, -count_of(args));
}

static void
cmd_page_down(struct ui *app, struct pane *pane, const char *args)
{
	move(app, page(app));
}

static void
cmd_page_up(struct ui *app, struct pane *pane, const char *args)
{
	move(app, -page(app));
}

static void
cmd_top(struct ui *app, struct pane *pane, const char *args)
{
	move(app, -(1L << 40));
}

static void
cmd_bottom(struct ui *app, struct pane *pane, const char *args)
{
	move(app, 1L << 40);
}

static void
cmd_detail(struct ui *app, struct pane *pane, const char *args)
{
	struct pane	*p = ui_focused(app);

	if (app->overlay != OVERLAY_NONE)
		return;
	if (p->ops->count(app, p) == 0) {
		ui_message(app, false, "detail: nothing selected");
		return;
	}
	detail_clear(&app->detail);
	p->ops->detail(app, p, p->sel, &app->detail);
	app->overlay = OVERLAY_DETAIL;
	ui_dirty(app);
}

static void
cmd_close(struct ui *app, struct pane *pane, const char *args)
{
	if (app->overlay != OVERLAY_NONE) {
		app->overlay = OVERLAY_NONE;
		detail_clear(&app->detail);
	} else if (app->zoom)
		app->zoom = false;
	else if (app->message != NULL)
		ui_message(app, false, "%s", "");
	ui_relayout(app);
}

static void
cmd_zoom(struct ui *app, struct pane *pane, const char *args)
{
	if (app->overlay != OVERLAY_NONE)
		return;
	app->zoom = !app->zoom;
	ui_relayout(app);
}

static const struct command *
help_lookup(const char *name)
{
	return (command_find(name, NULL));
}

static void
cmd_help(struct ui *app, struct pane *pane, const char *args)
{
	if (app->overlay == OVERLAY_HELP) {
		cmd_close(app, NULL, NULL);
		return;
	}
	detail_clear(&app->detail);
	help_build(app, &app->detail, help_lookup);
	app->overlay = OVERLAY_HELP;
	ui_dirty(app);
}

static void
cmd_quit(struct ui *app, struct pane *pane, const char *args)
{
	if (term_confirm_quit(app))
		return;		/* a rollback is running: ask first */
	loop_quit(0);
}

static void
cmd_toggle_clock(struct ui *app, struct pane *pane, const char *args)
{
	app->clock_local = !app->clock_local;
	ui_message(app, false, "clock: %s", app->clock_local ? "local time" :
	    "UTC");
}

static void
cmd_redraw(struct ui *app, struct pane *pane, const char *args)
{
	/* Whatever the terminal shows now (another program wrote over it),
	 * the next paint sends every cell again. */
	app->clear = true;
	ui_relayout(app);
}

static void
cmd_refresh(struct ui *app, struct pane *pane, const char *args)
{
	size_t	i;

	for (i = 0; i < app->nsources; i++)
		source_refresh_now(app->sources[i]);
	ui_message(app, false, "refreshing %zu source%s", app->nsources,
	    app->nsources == 1 ? "" : "s");
}

/* --- the command line ----------------------------------------------------- */

/* Tab on the command line: command names in the first word; pane names
 * after a command that takes one, environments after environment (the
 * prompt's arg is the console). */
static void
complete_line(struct prompt *p, const char *line, size_t ws)
{
	const struct command	*c;
	struct ui		*app;
	const char		**v;
	size_t			 i, k, len;

	line += strspn(line, " ");
	len = strcspn(line, " ");
	if (line + len >= p->text.s + ws) {
		for (i = 0; i < ncommands; i++)
			prompt_offer(p, commands[i].name);
		for (c = term_commands; c->name != NULL; c++)
			prompt_offer(p, c->name);
		for (k = 0; k < view_count; k++) {
			for (c = view_all[k]->commands;
			    c != NULL && c->name != NULL; c++)
				prompt_offer(p, c->name);
		}
		return;
	}
	if ((c = command_find(line, NULL)) != NULL && c->args != NULL &&
	    strcmp(c->args, "PANE") == 0) {
		for (k = 0; k < view_count; k++)
			prompt_offer(p, view_all[k]->name);
	}
	if (c != NULL && strcmp(c->name, "environment") == 0 &&
	    (app = p->arg) != NULL) {
		v = model_environments(app->model, &k);
		for (i = 0; i < k; i++) {
			if (*v[i] != '\0')
				prompt_offer(p, v[i]);
		}
		prompt_offer(p, "all");
		free(v);
	}
}

static int
pane_of(const struct view_ops *v)
{
	size_t	i;

	for (i = 0; i < view_count; i++) {
		if (view_all[i] == v)
			return ((int)i);
	}
	return (-1);
}

/* Enter on the command line: a pane's command first focuses its pane,
 * so that it acts on the row highlighted there, as its key would. */
static void
command_line_done(struct ui *app, const char *text, void *arg)
{
	const struct command	*c;
	const struct view_ops	*owner;
	const char		*line;
	char			*copy;
	size_t			 len;
	int			 i;

	if (text == NULL)
		return;
	line = text + strspn(text, " \t");
	len = strlen(line);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	copy = xstrndup(line, len);
	prompt_history_add(&app->history, copy);
	if ((c = command_find(copy, &owner)) == NULL) {
		ui_message(app, true, "no command \"%.*s\": Tab completes "
		    "names, ? lists them", (int)strcspn(copy, " \t"), copy);
		free(copy);
		return;
	}
	/* A pane's command acts on its pane's row: from that row's detail
	 * view, or with the pane focused and in sight (the help, the
	 * timeline or a status update closed first). */
	if (owner != NULL && (owner != ui_focused(app)->ops ||
	    (app->overlay != OVERLAY_NONE && app->overlay != OVERLAY_DETAIL)) &&
	    (i = pane_of(owner)) >= 0) {
		if (app->overlay != OVERLAY_NONE) {
			app->overlay = OVERLAY_NONE;
			detail_clear(&app->detail);
		}
		focus_pane(app, i);
	}
	ui_run(app, copy);
	free(copy);
}

/* bind and unbind, as in [keys] and the rc text of keymaps/default.keys,
 * for this session. */
static void
rebind(struct ui *app, const char *verb, const char *args)
{
	char	*rc, *err = NULL;

	if (args == NULL) {
		ui_message(app, true, "%s: %s", verb,
		    strcmp(verb, "bind") == 0 ?
		    "bind [-T TABLE] KEY COMMAND [ARGS]" :
		    "unbind [-T TABLE] KEY");
		return;
	}
	rc = xasprintf("%s %s", verb, args);
	if (!keymap_load_rc(&app->keys, rc, command_exists, &err)) {
		/* err is "1: message": the line number means nothing here. */
		ui_message(app, true, "%s: %s", verb, strchr(err, ' ') != NULL ?
		    strchr(err, ' ') + 1 : err);
		free(err);
	} else
		ui_message(app, false, "%s %s (for this session; [keys] in "
		    "the config keeps it)", verb, args);
	free(rc);
}

static void
cmd_bind(struct ui *app, struct pane *pane, const char *args)
{
	rebind(app, "bind", args);
}

static void
cmd_unbind(struct ui *app, struct pane *pane, const char *args)
{
	rebind(app, "unbind", args);
}

static void
cmd_command_line(struct ui *app, struct pane *pane, const char *args)
{
	ui_prompt(app, ":", args, command_line_done, app);
	prompt_use(&app->prompt, complete_line, &app->history);
}

/* environment [NAME|all]: show one environment in every pane, or all of
 * them; with no name, the next one (all, then each in config order). */
/* As on the command line: the names there are, then all. */
static void
env_unknown(struct ui *app, const char *name, const char **v, size_t n)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb);
	for (i = 0; i < n; i++)
		sbuf_addf(&sb, "%s, ", *v[i] != '\0' ? v[i] : "-");
	ui_message(app, true, "no source is in environment \"%s\"; the "
	    "environments: %sall", name, sb.s != NULL ? sb.s : "");
	sbuf_free(&sb);
}

static void
cmd_environment(struct ui *app, struct pane *pane, const char *args)
{
	struct model	 *m = app->model;
	const char	**v, *want = NULL;
	size_t		  n, i;

	v = model_environments(m, &n);
	if (args != NULL && *args != '\0') {
		if (strcmp(args, "all") != 0) {
			for (i = 0; i < n && want == NULL; i++) {
				if (strcmp(v[i], args) == 0)
					want = v[i];
			}
			if (want == NULL) {
				env_unknown(app, args, v, n);
				free(v);
				return;
			}
		}
	} else if (n > 1) {
		for (i = 0; m->shown_env != NULL && i < n; i++) {
			if (strcmp(v[i], m->shown_env) == 0)
				break;
		}
		/* all -> the first; the last -> all */
		want = m->shown_env == NULL ? v[0] : i + 1 < n ? v[i + 1] :
		    NULL;
	} else {
		ui_message(app, false, "one environment: %s", n == 1 &&
		    *v[0] != '\0' ? v[0] : "(unnamed)");
		free(v);
		return;
	}
	model_show_environment(m, want);
	/* The Lokis follow now, not at their next poll. */
	sources_refresh_feeding(app->sources, app->nsources, FEED_LOGS);
	if (want != NULL)
		ui_message(app, false, "environment %s: %zu firing",
		    *want != '\0' ? want : "-", model_env_firing(m, want));
	else
		ui_message(app, false, "all %zu environments", n);
	free(v);
	ui_dirty(app);
}

const struct command commands[] = {
	{ "focus-next", NULL, "move focus to the next pane", cmd_focus_next },
	{ "focus-prev", NULL, "move focus to the previous pane",
	  cmd_focus_prev },
	{ "focus", "PANE", "focus a pane: alerts, slo, deploys or logs",
	  cmd_focus },
	{ "down", "[N]", "select the next row (or N rows down)", cmd_down },
	{ "up", "[N]", "select the previous row (or N rows up)", cmd_up },
	{ "page-down", NULL, "move down a page", cmd_page_down },
	{ "page-up", NULL, "move up a page", cmd_page_up },
	{ "top", NULL, "select the first row", cmd_top },
	{ "bottom", NULL, "select the last row (logs: follow again)",
	  cmd_bottom },
	{ "detail", NULL, "open the detail view of the selected row",
	  cmd_detail },
	{ "close", NULL, "close the detail or help view, or unzoom",
	  cmd_close },
	{ "zoom", NULL, "zoom the focused pane to full screen and back",
	  cmd_zoom },
	{ "help", NULL, "show the key bindings", cmd_help },
	{ "help-search", "[TEXT]", "search the help for text, in any case",
	  help_cmd_search },
	{ "help-search-next", NULL, "go to the next line of the help that "
	  "holds the text searched for", help_cmd_search_next },
	{ "help-search-prev", NULL, "go to the previous line of the help that "
	  "holds the text searched for", help_cmd_search_prev },
	{ "quit", NULL, "quit sitrep", cmd_quit },
	{ "command-prompt", "[COMMAND]", "type a command by name with its "
	  "arguments (Tab completes, Up recalls)", cmd_command_line },
	{ "bind", "[-T TABLE] KEY COMMAND", "bind a key to a command for "
	  "this session", cmd_bind },
	{ "unbind", "[-T TABLE] KEY", "remove a key's binding for this "
	  "session", cmd_unbind },
	{ "toggle-clock", NULL, "show the clock in UTC or local time",
	  cmd_toggle_clock },
	{ "redraw", NULL, "redraw the whole screen", cmd_redraw },
	{ "refresh", NULL, "refresh every source now", cmd_refresh },
	{ "environment", "[NAME|all]", "show one environment in every pane, "
	  "or all (no name: the next)", cmd_environment },
	{ "shell", NULL, "open a shell in the action terminal, with the "
	  "selected row's context in its environment", launch_shell },
	{ "status-update", "[TEXT]", "compose a status update from what the "
	  "console knows, then copy it, post it to PagerDuty or add it as a "
	  "note", statusupd_command },
	{ "timeline", "[incident ID|service NAME|all]", "show what happened, "
	  "in order; again: narrow to the selected incident, its service, "
	  "all", tlview_command },
};
const size_t ncommands = sizeof commands / sizeof commands[0];

static bool
name_is(const char *command, const char *line, size_t len)
{
	return (strlen(command) == len && strncmp(command, line, len) == 0);
}

const struct command *
command_find(const char *name, const struct view_ops **owner)
{
	const struct command	*c;
	size_t			 i, len;

	len = strcspn(name, " \t");
	if (owner != NULL)
		*owner = NULL;
	for (i = 0; i < ncommands; i++) {
		if (name_is(commands[i].name, name, len))
			return (&commands[i]);
	}
	for (c = term_commands; c->name != NULL; c++) {
		if (name_is(c->name, name, len))
			return (c);
	}
	for (i = 0; i < view_count; i++) {
		for (c = view_all[i]->commands; c != NULL && c->name != NULL;
		    c++) {
			if (!name_is(c->name, name, len))
				continue;
			if (owner != NULL)
				*owner = view_all[i];
			return (c);
		}
	}
	return (NULL);
}

bool
command_exists(const char *name)
{
	return (command_find(name, NULL) != NULL);
}
