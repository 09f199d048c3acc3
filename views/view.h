/* view.h: the one interface every pane implements. A view reads the model
 * and draws rows through tui/draw.h; it never does I/O. The pane (tui/app.h)
 * owns selection and scrolling; the view says how many rows there are, how
 * to draw one, how to name one across refreshes and what its detail is. */
#ifndef SITREP_VIEW_H
#define SITREP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct alert;
struct app;
struct command;
struct pane;
struct sbuf;
struct detail;

struct view_ops {
	const char	*name;		/* "alerts": also its key table */
	const char	*title;		/* "Alerts" */
	const char *const *kinds;	/* source kinds that feed it */

	/* Rows in the pane now. */
	size_t		(*count)(struct app *, struct pane *);
	/* Text after the title: "3 firing", filters ... */
	void		(*summary)(struct app *, struct pane *, struct sbuf *);
	/* Column headings (NULL: none), drawn under the title. */
	void		(*columns)(struct app *, struct pane *, int y, int x,
			    int w);
	void		(*draw_row)(struct app *, struct pane *, size_t,
			    int y, int x, int w, bool selected);
	/* A stable name for row i (heap), so selection survives refreshes. */
	char		*(*row_key)(struct app *, size_t);
	/* Optional: the row with that key, or (size_t)-1; faster than
	 * comparing every row_key for long lists. */
	size_t		(*find_row)(struct app *, const char *);
	/* The service of row i, for the logs to follow; NULL if none. */
	const char	*(*row_service)(struct app *, size_t);
	/* Optional: the time of row i (an alert's start, a deploy), where the
	 * logs' jump-time starts; 0 if none. */
	time_t		(*row_time)(struct app *, size_t);
	/* Lines for the detail view of row i. */
	void		(*detail)(struct app *, size_t, struct detail *);
	/* Changes when the pane's data changes. */
	uint64_t	(*generation)(struct app *);
	/* Logs: new rows keep the view at the bottom unless scrolled. */
	bool		 tail;
	/* Commands that act on this pane (acknowledge, search ...), ended by
	 * a NULL name; bound in the pane's key table. */
	const struct command *commands;
	/* Optional: the pane's own state (pane->state), made when the app
	 * starts and freed with it. */
	void		(*init)(struct app *, struct pane *);
	void		(*free)(struct app *, struct pane *);
	/* Optional: draw the rows below the title itself (rows of more than
	 * one line: wrapped logs) instead of draw_row per row. */
	void		(*draw_body)(struct app *, struct pane *, int y, int x,
			    int h, int w);
};

/* The four panes, in focus order. */
extern const struct view_ops *const view_all[];
extern const size_t view_count;

extern const struct view_ops alerts_view;
extern const struct view_ops slo_view;
extern const struct view_ops deploys_view;
extern const struct view_ops logs_view;

/* views/detail.c: the detail overlay's text, a line at a time. */
struct detail_line {
	char	*text;
	int	 style;		/* DRAW_* style of the whole line */
};
struct detail {
	char			*title;
	char			*key;	/* row_key of what it shows, or NULL */
	struct detail_line	*lines;
	size_t			 n;
	size_t			 top;
};
void	 detail_add(struct detail *, int, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* "key: value" with the value wrapped to the width at draw time. */
void	 detail_kv(struct detail *, const char *, const char *);
void	 detail_heading(struct detail *, const char *);
void	 detail_clear(struct detail *);
void	 detail_draw(struct app *, struct detail *, int y, int x, int h,
	     int w);

/* views/alerts.c: the alert a row key ("source/id") names, or NULL. */
const struct alert *alerts_by_key(struct app *, const char *);

/* views/help.c: the bindings, from the live keymap and command table. */
void	 help_build(struct app *, struct detail *);

#endif
