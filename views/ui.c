/* ui.c: the services the console gives its panes (see ui.h). */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/loop.h"
#include "core/model.h"
#include "core/xalloc.h"
#include "views/ui.h"

void
ui_dirty(struct ui *app)
{
	app->dirty = true;
}

void
ui_message(struct ui *app, bool error, const char *fmt, ...)
{
	va_list	ap;

	free(app->message);
	va_start(ap, fmt);
	app->message = xvasprintf(fmt, ap);
	va_end(ap);
	if (*app->message == '\0') {
		free(app->message);
		app->message = NULL;
	}
	app->message_error = error;
	app->message_at = loop_now_ms();
	ui_dirty(app);
}

void
ui_relayout(struct ui *app)
{
	app->relayout = true;
	ui_dirty(app);
}

struct pane *
ui_focused(struct ui *app)
{
	return (&app->panes[app->focus]);
}

void
ui_prompt(struct ui *app, const char *label, const char *initial,
    prompt_cb cb, void *arg)
{
	ui_prompt_about(app, NULL, NULL, NULL);
	prompt_start(&app->prompt, label, initial, cb, arg);
	ui_dirty(app);
}

void
ui_prompt_about(struct ui *app, const struct view_ops *v, const char *key,
    const char *name)
{
	free(app->prompt_key);
	free(app->prompt_name);
	app->prompt_view = key != NULL ? v : NULL;
	app->prompt_key = key != NULL ? xstrdup(key) : NULL;
	app->prompt_name = key != NULL ? xstrdup(name != NULL ? name : key) :
	    NULL;
}

/* The prompt's item vanished: closed without its answer, and said. */
static bool
ui_prompt_check(struct ui *app)
{
	struct pane	*p;
	char		*label;
	size_t		 n;

	if (!app->prompt.active || app->prompt_view == NULL ||
	    (p = ui_pane(app, app->prompt_view)) == NULL ||
	    pane_find_key(app, p, app->prompt_key) != (size_t)-1)
		return (false);
	label = xstrdup(app->prompt.label != NULL ? app->prompt.label : "");
	n = strlen(label);
	while (n > 0 && (label[n - 1] == ' ' || label[n - 1] == ':'))
		label[--n] = '\0';
	ui_message(app, true, "%s cancelled: %s is gone", label,
	    app->prompt_name);
	free(label);
	prompt_clear(&app->prompt);
	ui_prompt_about(app, NULL, NULL, NULL);
	return (true);
}

void
ui_ask(struct ui *app, const struct ask_spec *spec)
{
	ask_start(&app->ask, spec, app->last_key);
	/* Keys already typed after the one that asked ("ry" in one burst)
	 * were typed before the question could be read: not answers. */
	flushinp();
	ui_dirty(app);
}

bool
ui_run(struct ui *app, const char *line)
{
	return (app->run != NULL && app->run(app, line));
}

struct pane *
ui_pane(struct ui *app, const struct view_ops *v)
{
	size_t	i;

	for (i = 0; i < PANE__COUNT; i++) {
		if (app->panes[i].ops == v)
			return (&app->panes[i]);
	}
	return (NULL);
}

const struct alert *
ui_selected_alert(struct ui *app)
{
	struct pane		*p = &app->panes[PANE_ALERTS];
	const struct alert	*a;
	char			*key;

	if (app->overlay == OVERLAY_DETAIL && app->detail.key != NULL)
		return (model_alert_by_key(app->model, app->detail.key));
	if (p->ops == NULL || p->ops->count(app, p) == 0)
		return (NULL);
	key = p->ops->row_key(app, p, p->sel);
	a = model_alert_by_key(app->model, key);
	free(key);
	return (a);
}

/* Close the overlay a question owns (an action's plan, the status
 * update), if open. */
static void
ui_close_detail(struct ui *app)
{
	if (app->overlay != OVERLAY_DETAIL &&
	    app->overlay != OVERLAY_STATUS_UPDATE)
		return;
	app->overlay = OVERLAY_NONE;
	detail_clear(&app->detail);
	ui_dirty(app);
}

/* Carry out what the question decided (views/ask.h): the detail it owns
 * closes, the status line says what happened, then the choice runs. */
bool
ui_ask_key(struct ui *app, int key)
{
	struct ask	*q = &app->ask;
	ask_cb		 fn = NULL, cancel = q->cancel;
	void		(*free_arg)(void *) = q->free_arg;
	void		*arg;
	char		*said = NULL;
	enum ask_outcome o;

	/* An answer about an item that is gone answers nothing. */
	if (ui_ask_check(app))
		return (true);
	o = ask_key(q, key, loop_now_ms(), &fn);
	if (o == ASK_NOT_MINE)
		return (false);
	if (o == ASK_DROPPED)
		return (true);
	ui_dirty(app);
	if (o == ASK_KEPT)
		return (true);
	if (o == ASK_CANCELLED)
		said = xstrdup(q->cancelled);
	else if (o == ASK_MISMATCH)
		said = xasprintf("%s cancelled: \"%s\" is not %s; nothing ran",
		    q->what, q->typed.text.s, q->expect_what != NULL ?
		    q->expect_what : "the expected answer");
	if (q->owns_overlay)
		ui_close_detail(app);
	arg = ask_end(q);
	if (said != NULL) {
		ui_message(app, o == ASK_MISMATCH, "%s", said);
		free(said);
		if (cancel != NULL)
			cancel(app, arg);
	} else if (fn != NULL) {
		flushinp();	/* keys typed ahead were not meant for it */
		fn(app, arg);
	}
	ask_free_arg(free_arg, arg);
	return (true);
}

/* A question the console drops (the item it was about vanished, or the
 * console leaves): said as cancelled. */
void
ui_ask_cancel(struct ui *app, const char *why)
{
	struct ask	*q = &app->ask;
	void		(*free_arg)(void *) = q->free_arg;
	void		*arg;

	if (!q->active)
		return;
	if (q->owns_overlay)
		ui_close_detail(app);
	ui_message(app, why != NULL, "%s%s%s", q->cancelled,
	    why != NULL ? " " : "",
	    why != NULL ? why : "");
	arg = ask_end(q);
	ask_free_arg(free_arg, arg);
}

bool
ui_ask_check(struct ui *app)
{
	struct ask	*q = &app->ask;
	struct pane	*p;
	char		*why;

	if (ui_prompt_check(app))
		return (true);
	if (!q->active || q->item_view == NULL ||
	    (p = ui_pane(app, q->item_view)) == NULL ||
	    pane_find_key(app, p, q->item_key) != (size_t)-1)
		return (false);
	why = xasprintf("(%s is gone)", q->item_name);
	ui_ask_cancel(app, why);
	free(why);
	return (true);
}
