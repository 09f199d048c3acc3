/* draw.h: the widgets every view draws with, on stdscr: clipped sanitized
 * text, fills, bars, sparklines, severity symbols. Styles are named, not
 * colours: under NO_COLOR or on a monochrome terminal each style falls back
 * to attributes (bold, reverse, underline), so meaning never rests on colour
 * alone. */
#ifndef SITREP_DRAW_H
#define SITREP_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"

enum draw_style {
	DRAW_NORMAL,
	DRAW_DIM,
	DRAW_BOLD,
	DRAW_HEADER,
	DRAW_TITLE,
	DRAW_TITLE_FOCUS,
	DRAW_COLUMNS,
	DRAW_SELECTED,
	DRAW_CRIT,
	DRAW_ERR,
	DRAW_WARN,
	DRAW_INFO,
	DRAW_OK,
	DRAW_BAD,
	DRAW_STATUS,
	DRAW_STATUS_ERROR,
	DRAW_MATCH,
	DRAW_SUSPECT,
	DRAW__COUNT
};

void	 draw_init(bool color, bool utf8);
bool	 draw_utf8(void);

/* Text from anywhere (sanitized here), clipped to w columns; a clipped
 * string ends in an ellipsis. Returns the columns used. */
int	 draw_text(int y, int x, int w, int style, const char *);
/* The same, right-aligned in w columns. */
int	 draw_text_right(int y, int x, int w, int style, const char *);
/* Like draw_text but the selection attribute is added. */
int	 draw_text_sel(int y, int x, int w, int style, bool sel, const char *);
/* Text wrapped over at most maxrows rows of w columns; returns the rows
 * used. */
int	 draw_wrapped(int y, int x, int w, int maxrows, int style, const char *);
void	 draw_fill(int y, int x, int w, int style);
/* A horizontal bar of fraction f (0..1) in w columns. */
void	 draw_bar(int y, int x, int w, double f, int style);
/* A sparkline of v[0..n) scaled to max (NAN: gap), the newest at the right. */
void	 draw_spark(int y, int x, int w, const double *, size_t, double max,
	     int style);

int	 draw_severity_style(enum severity);
/* One symbol per severity, distinct without colour. */
const char *draw_severity_symbol(enum severity);

#endif
