/* detail.c: the detail overlay: a scrollable list of lines about one item
 * (or the help text), long values wrapped to the width at word
 * boundaries, and the line a search found. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	d->lines[d->n].hang = 0;
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
	free(d->find);
	memset(d, 0, sizeof *d);
}

/* Does text hold what, in any case (ASCII)? */
static bool
holds(const char *text, const char *what)
{
	size_t	n = strlen(what);

	if (n == 0)
		return (false);
	for (; *text != '\0'; text++) {
		if (strncasecmp(text, what, n) == 0)
			return (true);
	}
	return (false);
}

size_t
detail_last_top(const struct detail *d, int h, int w)
{
	size_t	i = d->n;
	int	rows = 0;

	/* Back from the last line while the lines still fit in h rows. */
	while (i > 0) {
		rows += draw_wrapped_rows(w, d->lines[i - 1].hang,
		    d->lines[i - 1].text);
		if (rows > h)
			break;
		i--;
	}
	return (i);
}

bool
detail_line_holds(const struct detail *d, size_t i)
{
	return (d->find != NULL && i < d->n && holds(d->lines[i].text,
	    d->find));
}

bool
detail_find(struct detail *d, int dir)
{
	size_t	i, k, start;

	if (d->find == NULL || d->n == 0)
		return (false);
	/* From the line after (or before) the one found, or from the top. */
	if (d->found == 0)
		start = dir > 0 ? d->n - 1 : 0;
	else
		start = d->found - 1;
	for (k = 1; k <= d->n; k++) {
		if (dir > 0)
			i = (start + k) % d->n;
		else
			i = (start + d->n - k) % d->n;
		if (detail_line_holds(d, i)) {
			d->found = i + 1;
			return (true);
		}
	}
	return (false);
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
	for (i = d->top; i < d->n && row < h; i++) {
		int	rows, style = d->lines[i].style, k;

		rows = draw_wrapped_hang(y + row, x + 2, w - 4, h - row, style,
		    d->lines[i].hang, d->lines[i].text);
		if (d->found == i + 1) {
			/* The line a search found, across the whole width. */
			for (k = 0; k < rows; k++)
				draw_fill(y + row + k, x, w, DRAW_SELECTED);
			draw_wrapped_hang(y + row, x + 2, w - 4, h - row,
			    DRAW_SELECTED, d->lines[i].hang, d->lines[i].text);
		}
		row += rows;
	}
	d->end = i;
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
