/* ask.c: the confirmation on the status line (see ask.h). */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/draw.h"
#include "tui/loop.h"

#define ASK_MAX_CHOICES	4
#define TYPEAHEAD_MS	250	/* keys this soon after an answer are dropped */

static struct {
	bool		 active;
	char		*question;
	struct ask_choice choices[ASK_MAX_CHOICES];
	size_t		 n;
	ask_cb		 cancel;
	void		(*free_arg)(void *);
	void		*arg;
	bool		 owns_overlay;
	bool		 hint;		/* a stray key was pressed */
	int64_t		 quiet_until;
} q;

void
ask_start(struct app *app, const char *question, const struct ask_choice *c,
    size_t n, ask_cb cancel, void (*free_arg)(void *), void *arg,
    bool owns_overlay)
{
	if (q.active)
		ask_cancel(app);
	if (n > ASK_MAX_CHOICES)
		n = ASK_MAX_CHOICES;
	q.active = true;
	q.question = xstrdup(question);
	memcpy(q.choices, c, n * sizeof *c);
	q.n = n;
	q.cancel = cancel;
	q.free_arg = free_arg;
	q.arg = arg;
	q.owns_overlay = owns_overlay;
	q.hint = false;
	app_dirty(app);
}

bool
ask_active(void)
{
	return (q.active);
}

/* Close the question; returns its arg for the callback. */
static void *
ask_end(struct app *app)
{
	void	*arg = q.arg;

	q.active = false;
	free(q.question);
	q.question = NULL;
	if (q.owns_overlay && app->overlay == OVERLAY_DETAIL) {
		app->overlay = OVERLAY_NONE;
		detail_clear(&app->detail);
	}
	app_dirty(app);
	return (arg);
}

static void
ask_finish(struct app *app, ask_cb fn)
{
	void	(*free_arg)(void *) = q.free_arg;
	void	*arg = ask_end(app);

	if (fn != NULL)
		fn(app, arg);
	if (free_arg != NULL)
		free_arg(arg);
}

void
ask_free(void)
{
	if (!q.active)
		return;
	q.active = false;
	free(q.question);
	q.question = NULL;
	if (q.free_arg != NULL)
		q.free_arg(q.arg);
}

void
ask_cancel(struct app *app)
{
	if (q.active)
		ask_finish(app, q.cancel);
}

bool
ask_key(struct app *app, int key)
{
	size_t	i;
	bool	n_is_choice = false;

	if (!q.active) {
		/* Typed ahead of the answer: not meant for what it started. */
		return (loop_now_ms() < q.quiet_until);
	}
	for (i = 0; i < q.n; i++) {
		if (key >= 0 && key < 0x80 &&
		    tolower(key) == tolower(q.choices[i].key)) {
			q.quiet_until = loop_now_ms() + TYPEAHEAD_MS;
			flushinp();
			ask_finish(app, q.choices[i].fn);
			return (true);
		}
		if (tolower(q.choices[i].key) == 'n')
			n_is_choice = true;
	}
	if (key == 0x1b || (!n_is_choice && (key == 'n' || key == 'N'))) {
		ask_finish(app, q.cancel);
		return (true);
	}
	q.hint = true;
	app_dirty(app);
	return (true);
}

void
ask_paint(struct app *app)
{
	struct sbuf	sb;
	size_t		i;
	int		y = app->rows - 1, x, w;

	if (!q.active || app->rows < 2)
		return;
	sbuf_init(&sb);
	for (i = 0; i < q.n; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", q.choices[i].label);
	sbuf_adds(&sb, ", Esc cancels");
	/* The answers always show; a long question is clipped instead. */
	w = (int)sanitize_width(sb.s, sb.len) + 1;
	if (w > app->cols / 2)
		w = app->cols / 2;
	draw_fill(y, 0, app->cols, q.hint ? DRAW_STATUS_ERROR : DRAW_STATUS);
	x = draw_text(y, 0, app->cols - w - 1, DRAW_BOLD, q.question);
	draw_text(y, x + 1, app->cols - x - 1, q.hint ? DRAW_STATUS_ERROR :
	    DRAW_STATUS, sb.s);
	sbuf_free(&sb);
}
