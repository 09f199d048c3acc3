/* detail.c: the detail overlay: a scrollable list of lines about one item
 * (or the help text), long values wrapped to the width. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "views/detail.h"
#include "views/draw.h"
#include "views/view.h"

static void
detail_push(struct detail *d, int style, char *text)
{
	d->lines = xreallocarray(d->lines, d->n + 1, sizeof *d->lines);
	d->lines[d->n].text = text;
	d->lines[d->n].style = style;
	d->n++;
}

void
detail_add(struct detail *d, int style, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	detail_push(d, style, xvasprintf(fmt, ap));
	va_end(ap);
}

void
detail_kv(struct detail *d, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	detail_push(d, DRAW_NORMAL, xasprintf("%s: %s", key, value));
}

void
detail_heading(struct detail *d, const char *text)
{
	detail_push(d, DRAW_NORMAL, xstrdup(""));
	detail_push(d, DRAW_BOLD, xstrdup(text));
}

void
detail_clear(struct detail *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	free(d->title);
	free(d->key);
	memset(d, 0, sizeof *d);
}

void
detail_draw(struct ui *app, struct detail *d, int y, int x, int h, int w)
{
	char	pos[48] = "";
	size_t	i;
	int	row = 1;

	for (i = 0; i < (size_t)h; i++)
		draw_fill(y + (int)i, x, w, DRAW_NORMAL);
	draw_fill(y, x, w, DRAW_TITLE_FOCUS);
	if (d->top >= d->n && d->n > 0)
		d->top = d->n - 1;
	for (i = d->top; i < d->n && row < h; i++)
		row += draw_wrapped(y + row, x + 2, w - 4, h - row,
		    d->lines[i].style, d->lines[i].text);
	if (d->top > 0 || i < d->n) {
		snprintf(pos, sizeof pos, " %zu-%zu of %zu ", d->top + 1, i,
		    d->n);
		draw_text_right(y, x, w - 1, DRAW_TITLE_FOCUS, pos);
	}
	/* A long title ends in an ellipsis before the position, rather
	 * than running into it ("threshold 1-21 of 23"). */
	draw_text(y, x + 1, w - 2 - (int)strlen(pos), DRAW_TITLE_FOCUS,
	    d->title != NULL ? d->title : "");
}
