/* pane.c: a pane's selection and scrolling (see pane.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "views/pane.h"
#include "views/view.h"

int
pane_header_rows(const struct pane *p)
{
	return (p->ops->columns != NULL ? 2 : 1);
}

void
pane_select(struct ui *app, struct pane *p, size_t i)
{
	size_t	n = p->ops->count(app, p);

	if (n == 0) {
		p->sel = p->top = 0;
		return;
	}
	if (i >= n)
		i = n - 1;
	p->sel = i;
	free(p->sel_key);
	p->sel_key = p->ops->row_key(app, p, i);
	if (p->ops->tail)
		p->follow = (i == n - 1);
}

void
pane_move(struct ui *app, struct pane *p, long delta)
{
	long	i = (long)p->sel + delta;

	if (p->ops->edge != NULL && (i < 0 ||
	    i >= (long)p->ops->count(app, p)) && p->ops->edge(app, p, delta))
		return;
	if (i < 0)
		i = 0;
	pane_select(app, p, (size_t)i);
}

bool
pane_key_is(const char *key, const char *source, const char *id)
{
	size_t	len = strlen(source);

	return (strncmp(key, source, len) == 0 && key[len] == '/' &&
	    strcmp(key + len + 1, id != NULL ? id : "") == 0);
}

/* Find the selected item again after the data changed. */
void
pane_sync(struct ui *app, struct pane *p)
{
	size_t	 n = p->ops->count(app, p), i;
	char	*k;

	if (n == 0) {
		p->sel = p->top = 0;
		return;
	}
	if (p->ops->tail && p->follow)
		p->sel = n - 1;
	else if (p->sel_key != NULL && p->ops->find_row != NULL) {
		if ((i = p->ops->find_row(app, p, p->sel_key)) != (size_t)-1)
			p->sel = i;
	} else if (p->sel_key != NULL) {
		for (i = 0; i < n; i++) {
			k = p->ops->row_key(app, p, i);
			if (strcmp(k, p->sel_key) == 0) {
				free(k);
				p->sel = i;
				break;
			}
			free(k);
		}
	}
	if (p->sel >= n)
		p->sel = n - 1;
	if (p->body_rows == 0)
		return;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->body_rows)
		p->top = p->sel - p->body_rows + 1;
	if (p->top + p->body_rows > n)
		p->top = n > p->body_rows ? n - p->body_rows : 0;
}
