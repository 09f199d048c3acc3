/* ask.c: the question before an action (see ask.h): its keys and its
 * line on the screen. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "views/ask.h"
#include "views/draw.h"

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

void
ask_start(struct ask *q, const struct ask_spec *s, int opener)
{
	size_t	n = s->n > ASK_MAX_CHOICES ? ASK_MAX_CHOICES : s->n;

	ask_clear(q);
	q->active = true;
	q->question = xstrdup(s->question);
	memcpy(q->choices, s->choices, n * sizeof *s->choices);
	q->n = n;
	q->expect = dup_or_null(s->expect);
	q->expect_what = dup_or_null(s->expect_what);
	q->what = xstrdup(s->what != NULL ? s->what : "action");
	q->cancelled = s->cancelled != NULL ? xstrdup(s->cancelled) :
	    xasprintf("%s cancelled: nothing ran", q->what);
	q->cancel = s->cancel;
	q->free_arg = s->free_arg;
	q->arg = s->arg;
	q->owns_overlay = s->owns_overlay;
	q->grabs_keys = s->grabs_keys;
	if (s->item_view != NULL && s->item_key != NULL) {
		q->item_view = s->item_view;
		q->item_key = xstrdup(s->item_key);
		q->item_name = xstrdup(s->item_name != NULL ? s->item_name :
		    s->item_key);
	}
	q->opener = keymap_key_canonical(opener);
	if (q->expect != NULL)
		prompt_start(&q->typed, q->question, NULL, NULL, NULL);
}

static bool
same_letter(int a, int b)
{
	return (a >= 0 && a < 0x80 && b >= 0 && b < 0x80 &&
	    tolower(a) == tolower(b));
}

static enum ask_outcome
ask_typed_key(struct ask *q, int key, ask_cb *fn)
{
	switch (prompt_key(&q->typed, key)) {
	case PROMPT_EDITING:
		return (ASK_KEPT);
	case PROMPT_CANCEL:
		return (ASK_CANCELLED);
	default:
		break;
	}
	if (strcmp(q->typed.text.s, q->expect) != 0)
		return (ASK_MISMATCH);
	*fn = q->n > 0 ? q->choices[0].fn : NULL;
	return (ASK_CHOSEN);
}

enum ask_outcome
ask_key(struct ask *q, int key, int64_t now_ms, ask_cb *fn)
{
	enum ask_outcome	 o;
	size_t			 i;

	*fn = NULL;
	if (!q->active)
		return (now_ms < q->quiet_until ? ASK_DROPPED : ASK_NOT_MINE);
	key = keymap_key_canonical(key);
	if (q->expect != NULL)
		o = ask_typed_key(q, key, fn);
	else {
		o = ASK_CANCELLED;
		for (i = 0; i < q->n; i++) {
			if (same_letter(key, q->choices[i].key)) {
				*fn = q->choices[i].fn;
				o = ASK_CHOSEN;
			}
		}
		if (o != ASK_CHOSEN && key == q->opener && key != 0x1b) {
			q->hint = true;
			o = ASK_KEPT;
		}
	}
	/* A typed name and Enter is deliberate; one key may be a repeat. */
	if (o == ASK_CHOSEN && q->grabs_keys && q->expect == NULL)
		q->quiet_until = now_ms + ASK_TYPEAHEAD_MS;
	return (o);
}

void *
ask_end(struct ask *q)
{
	void	*arg = q->arg;

	q->arg = NULL;
	q->free_arg = NULL;
	ask_clear(q);
	return (arg);
}

void
ask_free_arg(void (*free_arg)(void *), void *arg)
{
	if (free_arg != NULL)
		free_arg(arg);
}

void
ask_clear(struct ask *q)
{
	int64_t	quiet = q->quiet_until;

	if (q->active && q->free_arg != NULL)
		q->free_arg(q->arg);
	free(q->question);
	free(q->expect);
	free(q->expect_what);
	free(q->what);
	free(q->cancelled);
	free(q->item_key);
	free(q->item_name);
	prompt_clear(&q->typed);
	memset(q, 0, sizeof *q);
	sbuf_init(&q->typed.text);
	q->quiet_until = quiet;
}

void
ask_paint(const struct ask *q, int y, int cols)
{
	struct sbuf	sb;
	size_t		i;
	int		x, w, style = q->hint ? DRAW_STATUS_ERROR : DRAW_STATUS;

	if (!q->active)
		return;
	draw_fill(y, 0, cols, style);
	if (q->expect != NULL) {
		x = draw_text(y, 0, cols, DRAW_BOLD, q->question);
		draw_text(y, x, cols - x, DRAW_STATUS, q->typed.text.s);
		return;
	}
	sbuf_init(&sb);
	for (i = 0; i < q->n; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", q->choices[i].label);
	sbuf_adds(&sb, ", Esc cancels");
	/* The answers always show; a long question is clipped instead. */
	w = (int)sanitize_width(sb.s, sb.len) + 1;
	if (w > cols / 2)
		w = cols / 2;
	x = draw_text(y, 0, cols - w - 1, DRAW_BOLD, q->question);
	draw_text(y, x + 1, cols - x - 1, style, sb.s);
	sbuf_free(&sb);
}

int
ask_cursor_column(const struct ask *q)
{
	if (!q->active || q->expect == NULL)
		return (-1);
	return ((int)prompt_cursor_column(&q->typed));
}
