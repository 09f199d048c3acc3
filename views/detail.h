/* detail.h: the detail overlay's text, a line at a time: what a pane says
 * about one item (Enter), what an action will run, the help. Lines are
 * sanitized and wrapped when drawn. */
#ifndef SITREP_DETAIL_H
#define SITREP_DETAIL_H

#include <stddef.h>

struct ui;

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
void	 detail_draw(struct ui *, struct detail *, int y, int x, int h,
	     int w);

#endif
