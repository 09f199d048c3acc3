/* pane.c: a pane's selection and scrolling (see pane.h). The selection is
 * an item's key, not a row number: rows arriving above it, moving or
 * vanishing leave the highlight on the same item. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "views/pane.h"
#include "views/view.h"

static size_t	pane_find(struct ui *, struct pane *, const char *, size_t);

int
pane_header_rows(const struct pane *p)
{
	return (p->ops->columns != NULL ? 2 : 1);
}

static uint64_t
pane_gen(struct ui *app, struct pane *p)
{
	return (p->ops->generation != NULL ? p->ops->generation(app, p) : 0);
}

void
pane_forget(struct pane *p)
{
	free(p->sel_key);
	free(p->next_key);
	free(p->prev_key);
	p->sel_key = p->next_key = p->prev_key = NULL;
}

/* Take row sel (of n) as the identity, with its neighbours. */
static void
pane_remember(struct ui *app, struct pane *p, size_t n)
{
	pane_forget(p);
	p->sel_key = p->ops->row_key(app, p, p->sel);
	if (p->sel + 1 < n)
		p->next_key = p->ops->row_key(app, p, p->sel + 1);
	if (p->sel > 0)
		p->prev_key = p->ops->row_key(app, p, p->sel - 1);
	p->keys_gen = pane_gen(app, p);
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
	pane_remember(app, p, n);
	if (p->ops->tail)
		p->follow = (i == n - 1);
}

void
pane_move(struct ui *app, struct pane *p, long delta)
{
	long	i;

	pane_sync(app, p);
	i = (long)p->sel + delta;
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

size_t
pane_find_key(struct ui *app, struct pane *p, const char *key)
{
	return (pane_find(app, p, key, p->ops->count(app, p)));
}

/* The row named key now, or (size_t)-1. */
static size_t
pane_find(struct ui *app, struct pane *p, const char *key, size_t n)
{
	size_t	 i;
	char	*k;
	bool	 same;

	if (key == NULL)
		return ((size_t)-1);
	if (p->ops->find_row != NULL)
		return (p->ops->find_row(app, p, key));
	for (i = 0; i < n; i++) {
		k = p->ops->row_key(app, p, i);
		same = strcmp(k, key) == 0;
		free(k);
		if (same)
			return (i);
	}
	return ((size_t)-1);
}

/* Find the selected item again after the data changed. */
void
pane_sync(struct ui *app, struct pane *p)
{
	size_t	 n = p->ops->count(app, p), i;

	if (n == 0) {
		/* Nothing to select; the identity stays for when the rows
		 * come back. */
		p->sel = p->top = 0;
		return;
	}
	if (p->ops->tail && p->follow)
		p->sel = n - 1;
	else if (p->sel_key == NULL) {
		/* The first rows: the highlight is on an item from now on. */
		if (p->sel >= n)
			p->sel = n - 1;
		pane_remember(app, p, n);
	} else if ((i = pane_find(app, p, p->sel_key, n)) != (size_t)-1) {
		p->sel = i;
		if (p->keys_gen != pane_gen(app, p))
			pane_remember(app, p, n);
	} else {
		/* It vanished: the row below it, else the one above. */
		if ((i = pane_find(app, p, p->next_key, n)) == (size_t)-1 &&
		    (i = pane_find(app, p, p->prev_key, n)) == (size_t)-1)
			i = p->sel < n ? p->sel : n - 1;
		p->sel = i;
		pane_remember(app, p, n);
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

/* Why a pane is empty: no source at all, none of its kind (and the
 * section that would fill it), or nothing to show now. */
const char *
pane_empty_why(const struct model *m, int feed, bool configured)
{
	size_t	i;

	if (!configured)
		return ("no source configured");
	for (i = 0; i < m->nsources; i++) {
		if (model_source_feeds(&m->sources[i], feed))
			return ("nothing here");
	}
	switch (feed) {
	case FEED_SLOS:
		return ("no SLO source: add a [prometheus] section");
	case FEED_DEPLOYS:
		return ("no deploy source: add a [deploys] section");
	case FEED_ALERTS:
		return ("no alert source: add an [alertmanager] or "
		    "[pagerduty] section");
	default:
		return ("nothing here");
	}
}
