/* help.c: the help overlay, generated from the live bindings and the
 * command table, so that it always says what the keys really do: one line
 * per command with all of its keys ("j Down  down  select the next row"),
 * the focused pane's table first, and a search through it (/, n, N). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "views/ui.h"
#include "tui/help.h"
#include "views/draw.h"
#include "views/view.h"

/* The key column and the command column are as wide as their widest
 * entry, within these bounds; a longer one pushes its own line's text. */
#define HELP_KEYS_MAX	14
#define HELP_CMD_MAX	18
#define HELP_INDENT	2
#define HELP_GAP	2

/* One line of the help: a command as bound, with every key that runs it
 * in one table. */
struct help_row {
	const char	*command;
	struct sbuf	 keys;
};

struct help_table {
	struct help_row	*v;
	size_t		 n;
};

/* The bindings of table, one row per command string, in the order of
 * their first binding ("j" then "Down" for down). */
static void
help_collect(struct ui *app, const char *table, struct help_table *t)
{
	size_t	i, j;

	t->v = NULL;
	t->n = 0;
	for (i = 0; i < app->keys.n; i++) {
		const struct binding *b = &app->keys.v[i];

		if (strcmp(b->table, table) != 0)
			continue;
		for (j = 0; j < t->n; j++) {
			if (strcmp(t->v[j].command, b->command) == 0)
				break;
		}
		if (j == t->n) {
			t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
			t->v[j].command = b->command;
			sbuf_init(&t->v[j].keys);
			t->n++;
		} else
			sbuf_adds(&t->v[j].keys, " ");
		sbuf_adds(&t->v[j].keys, keymap_key_name(b->key));
	}
}

static void
help_table_free(struct help_table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		sbuf_free(&t->v[i].keys);
	free(t->v);
}

/* "In the Logs pane" for a table name. */
static char *
help_heading(struct ui *app, const char *table)
{
	int	i;

	if (strcmp(table, "global") == 0)
		return (xstrdup("Everywhere"));
	if (strcmp(table, "detail") == 0)
		return (xstrdup("In the detail view"));
	if (strcmp(table, "help") == 0)
		return (xstrdup("In this help"));
	if (strcmp(table, "term") == 0)
		return (xstrdup("In the action terminal, while it has the "
		    "focus"));
	for (i = 0; i < PANE__COUNT; i++) {
		if (strcmp(app->panes[i].ops->name, table) != 0)
			continue;
		return (xasprintf("In the %s pane%s", app->panes[i].ops->title,
		    i == app->focus ? " (it has the focus)" : ""));
	}
	return (xstrdup(table));
}

static void
help_add_table(struct ui *app, struct detail *d, const char *table,
    const struct help_table *t, int kw, int cw, help_lookup_fn lookup)
{
	const struct command	*c;
	char			*heading;
	size_t			 i;
	int			 k, w;

	if (t->n == 0)
		return;
	heading = help_heading(app, table);
	detail_heading(d, heading);
	free(heading);
	for (i = 0; i < t->n; i++) {
		c = lookup(t->v[i].command);
		k = (int)strlen(t->v[i].keys.s);
		w = (int)strlen(t->v[i].command);
		detail_add(d, DRAW_NORMAL, "%*s%-*s%*s%-*s%*s%s", HELP_INDENT,
		    "", kw, t->v[i].keys.s, HELP_GAP, "", cw, t->v[i].command,
		    HELP_GAP, "", c != NULL ? c->help : "");
		/* Wrapped help text lines up under its first line. */
		d->lines[d->n - 1].hang = HELP_INDENT + (k > kw ? k : kw) +
		    HELP_GAP + (w > cw ? w : cw) + HELP_GAP;
	}
}

void
help_build(struct ui *app, struct detail *d, help_lookup_fn lookup)
{
	struct help_table	 tables[16];
	const char		*focused = app->panes[app->focus].ops->name;
	size_t			 i, j, nt = keymap_ntables;
	int			 kw = 0, cw = 0, n;

	if (nt > sizeof tables / sizeof tables[0])
		nt = sizeof tables / sizeof tables[0];
	d->title = xstrdup("sitrep help: / searches, Esc closes, [keys] in "
	    "the config rebinds");
	detail_add(d, DRAW_NORMAL, "Severity: %s critical  %s error  %s warning"
	    "  %s info  %s unknown", draw_severity_symbol(SEV_CRITICAL),
	    draw_severity_symbol(SEV_ERROR), draw_severity_symbol(SEV_WARNING),
	    draw_severity_symbol(SEV_INFO), draw_severity_symbol(SEV_UNKNOWN));
	for (i = 0; i < nt; i++) {
		help_collect(app, keymap_tables[i], &tables[i]);
		for (j = 0; j < tables[i].n; j++) {
			n = (int)strlen(tables[i].v[j].keys.s);
			if (n > kw && n <= HELP_KEYS_MAX)
				kw = n;
			n = (int)strlen(tables[i].v[j].command);
			if (n > cw && n <= HELP_CMD_MAX)
				cw = n;
		}
	}
	/* The focused pane's keys first, then those that work everywhere,
	 * then the rest in the order of keymap_tables. */
	for (i = 0; i < nt; i++) {
		if (strcmp(keymap_tables[i], focused) == 0)
			help_add_table(app, d, keymap_tables[i], &tables[i], kw,
			    cw, lookup);
	}
	for (i = 0; i < nt; i++) {
		if (strcmp(keymap_tables[i], focused) != 0)
			help_add_table(app, d, keymap_tables[i], &tables[i], kw,
			    cw, lookup);
	}
	for (i = 0; i < nt; i++)
		help_table_free(&tables[i]);
}

/* --- searching the help ------------------------------------------------- */

/* Bring the found line into view: at the top, unless that would leave
 * the last page short (as the movement keys stop there too). */
static void
help_show_found(struct ui *app, struct detail *d)
{
	size_t	last = detail_last_top(d, app->rows - 3, app->cols - 4);

	d->top = d->found - 1 < last ? d->found - 1 : last;
	ui_dirty(app);
}

static void
help_say_found(struct ui *app, struct detail *d)
{
	size_t	i, n = 0, at = 0;

	for (i = 0; i < d->n; i++) {
		if (!detail_line_holds(d, i))
			continue;
		n++;
		if (i + 1 == d->found)
			at = n;
	}
	ui_message(app, false, "/%s: match %zu of %zu (n next, N previous)",
	    d->find, at, n);
}

static bool
help_is_open(struct ui *app, const char *verb)
{
	if (app->overlay == OVERLAY_HELP)
		return (true);
	ui_message(app, true, "%s works in the help: ? opens it", verb);
	return (false);
}

static void
help_search_answer(struct ui *app, const char *text, void *arg)
{
	struct detail	*d = &app->detail;

	if (text == NULL || app->overlay != OVERLAY_HELP)
		return;
	free(d->find);
	d->find = NULL;
	d->found = 0;
	if (*text == '\0') {
		ui_message(app, false, "help search cleared");
		ui_dirty(app);
		return;
	}
	d->find = xstrdup(text);
	if (!detail_find(d, 1)) {
		ui_message(app, true, "/%s: not in the help", text);
		ui_dirty(app);
		return;
	}
	help_show_found(app, d);
	help_say_found(app, d);
}

void
help_cmd_search(struct ui *app, struct pane *pane, const char *args)
{
	struct detail	*d = &app->detail;

	if (!help_is_open(app, "help-search"))
		return;
	if (args != NULL) {
		help_search_answer(app, args, NULL);
		return;
	}
	ui_prompt(app, "search the help: ", d->find != NULL ? d->find : "",
	    help_search_answer, NULL);
}

static void
help_step(struct ui *app, int dir, const char *verb)
{
	struct detail	*d = &app->detail;

	if (!help_is_open(app, verb))
		return;
	if (d->find == NULL) {
		ui_message(app, false, "no search in the help: / starts one");
		return;
	}
	if (!detail_find(d, dir)) {
		ui_message(app, true, "/%s: not in the help", d->find);
		return;
	}
	help_show_found(app, d);
	help_say_found(app, d);
}

void
help_cmd_search_next(struct ui *app, struct pane *pane, const char *args)
{
	help_step(app, 1, "help-search-next");
}

void
help_cmd_search_prev(struct ui *app, struct pane *pane, const char *args)
{
	help_step(app, -1, "help-search-prev");
}
