/* pane.h: a pane on the screen: where it is, which row is selected and
 * which is first shown, and the view (views/view.h) that fills it. The
 * selection is kept as the selected row's key, so that it stays on the
 * same item when rows arrive, move or vanish. */
#ifndef SITREP_PANE_H
#define SITREP_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui;
struct view_ops;

struct rect {
	int	y, x, h, w;
};

struct pane {
	const struct view_ops	*ops;
	struct rect		 r;		/* on screen, title included */
	size_t			 sel;		/* selected row */
	size_t			 top;		/* first row shown */
	char			*sel_key;	/* row_key of the selection */
	/* The rows beside it, so that when it vanishes its neighbour (the
	 * one below, else the one above) takes the highlight. */
	char			*next_key, *prev_key;
	uint64_t		 keys_gen;	/* the generation then */
	bool			 follow;	/* tail panes: stick to the end */
	size_t			 body_rows;	/* rows available for items */
	void			*state;		/* the view's own (ops->init) */
};

/* Rows above the items: the title, and the column headings if any. */
int	 pane_header_rows(const struct pane *);
/* Keep the selection on screen and on the same item after a refresh: a
 * selection is an item's identity (its row_key), taken as soon as the pane
 * has rows, whether or not the user moved. When the item vanishes, the row
 * below it (else the one above) is selected and becomes the identity.
 * Commands call it before they read p->sel, since the data may have
 * changed since the last paint. */
void	 pane_sync(struct ui *, struct pane *);
/* The row named key now, or (size_t)-1. */
size_t	 pane_find_key(struct ui *, struct pane *, const char *key);
/* Forget the keys (pane freed). */
void	 pane_forget(struct pane *);
/* Does a row key "SOURCE/ID" name this record? For find_row hooks: no
 * allocation, unlike comparing row_key strings. */
bool	 pane_key_is(const char *key, const char *source, const char *id);
void	 pane_move(struct ui *, struct pane *, long delta);
/* Select row i (clamped); the caller repaints. */
void	 pane_select(struct ui *, struct pane *, size_t);

/* Why a pane is empty: no source at all, none of its kind (naming the
 * section that would fill it), or nothing to show now. */
struct model;
const char *pane_empty_why(const struct model *, int feed, bool configured);

#endif
