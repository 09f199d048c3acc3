/* detail.h: the detail overlay's text, a line at a time: what a pane says
 * about one item (Enter), what an action will run, the help. Lines are
 * sanitized and wrapped when drawn. */
#ifndef SITREP_DETAIL_H
#define SITREP_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

struct ui;

struct detail_line {
	char	*text;
	int	 style;		/* DRAW_* style of the whole line */
	int	 hang;		/* columns a wrapped line's rest is indented */
};
struct detail {
	char			*title;
	char			*key;	/* row_key of what it shows, or NULL */
	struct detail_line	*lines;
	size_t			 n;
	size_t			 top;
	size_t			 end;	/* the first line not shown (drawn) */
	char			*find;	/* what / searched for, or NULL */
	size_t			 found;	/* the line found, plus 1; 0: none */
};
void	 detail_add(struct detail *, int, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* "key: value" with the value wrapped to the width at draw time. */
void	 detail_kv(struct detail *, const char *, const char *);
void	 detail_heading(struct detail *, const char *);
/* The line of the next (dir > 0) or previous (dir < 0) line holding
 * d->find (any case) after d->found, wrapping around; made the found one.
 * False if no line holds it. */
bool	 detail_find(struct detail *, int dir);
/* The first line shown when the last one is at the bottom of h rows of
 * w columns (lines wrap): where scrolling down stops. */
size_t	 detail_last_top(const struct detail *, int h, int w);
/* Does line i hold d->find? */
bool	 detail_line_holds(const struct detail *, size_t i);
void	 detail_clear(struct detail *);
void	 detail_draw(struct ui *, struct detail *, int y, int x, int h,
	     int w);

#endif
