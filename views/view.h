/* view.h: the one interface every pane implements. A view reads the model
 * and draws rows through views/draw.h; it never does I/O. The pane
 * (views/pane.h) owns selection and scrolling and is handed to every hook,
 * so that a view keeps its own state in it (pane->state); the view says how
 * many rows there are, how to draw one, how to name one across refreshes
 * and what its detail is. */
#ifndef SITREP_VIEW_H
#define SITREP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct alert;
struct kvlist;
struct ui;
struct command;
struct pane;
struct sbuf;
struct detail;
struct pane;

struct view_ops {
	const char	*name;		/* "alerts": also its key table */
	const char	*title;		/* "Alerts" */
	int		 feed;		/* enum feed: the sources that fill it */

	/* Rows in the pane now. */
	size_t		(*count)(struct ui *, struct pane *);
	/* Text after the title: "3 firing", filters ... */
	void		(*summary)(struct ui *, struct pane *, struct sbuf *);
	/* Column headings (NULL: none), drawn under the title. */
	void		(*columns)(struct ui *, struct pane *, int y, int x,
			    int w);
	void		(*draw_row)(struct ui *, struct pane *, size_t,
			    int y, int x, int w, bool selected);
	/* A stable name for row i (heap), so selection survives refreshes. */
	char		*(*row_key)(struct ui *, struct pane *, size_t);
	/* Optional: the row with that key, or (size_t)-1; faster than
	 * comparing every row_key for long lists. */
	size_t		(*find_row)(struct ui *, struct pane *, const char *);
	/* The service of row i, for the logs to follow; NULL if none. */
	const char	*(*row_service)(struct ui *, struct pane *, size_t);
	/* Optional: row i as a child's SITREP_ variables (the shell's
	 * context), and what it is called in the audit log (*target, heap).
	 * Without it: SITREP_SERVICE from row_service. */
	void		(*row_env)(struct ui *, struct pane *, size_t,
			    struct kvlist *, char **target);
	/* Optional: the time of row i (an alert's start, a deploy), where the
	 * logs' jump-time starts; 0 if none. */
	time_t		(*row_time)(struct ui *, struct pane *, size_t);
	/* Lines for the detail view of row i. */
	void		(*detail)(struct ui *, struct pane *, size_t,
			    struct detail *);
	/* Changes when the pane's data changes. */
	uint64_t	(*generation)(struct ui *, struct pane *);
	/* Logs: new rows keep the view at the bottom unless scrolled. */
	bool		 tail;
	/* Commands that act on this pane (acknowledge, search ...), ended by
	 * a NULL name; bound in the pane's key table. */
	const struct command *commands;
	/* Optional: the pane's own state (pane->state), made when the app
	 * starts and freed with it. */
	void		(*init)(struct ui *, struct pane *);
	void		(*free)(struct ui *, struct pane *);
	/* Optional: a move went past the first row (delta < 0) or the last
	 * (delta > 0): the logs fetch older or newer history there. True if
	 * the view took the move over. */
	bool		(*edge)(struct ui *, struct pane *, long delta);
	/* Optional: draw the rows below the title itself (rows of more than
	 * one line: wrapped logs) instead of draw_row per row. */
	void		(*draw_body)(struct ui *, struct pane *, int y, int x,
			    int h, int w);
	/* Optional, with draw_body: the row shown on body row r (from 0),
	 * or (size_t)-1; without it, row top + r. */
	size_t		(*row_at)(struct ui *, struct pane *, int r);
	/* Optional: the columns its rows take in full, so that a pane
	 * beside it may have the rest (tui/layout.h); 0: no opinion. */
	int		(*want_width)(struct ui *, struct pane *);
};

/* The four panes. */
extern const struct view_ops alerts_view;
extern const struct view_ops slo_view;
extern const struct view_ops deploys_view;
extern const struct view_ops logs_view;

#endif
