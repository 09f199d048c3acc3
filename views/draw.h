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
/* How many bytes of clean (sanitized) text fit in w columns, ending at a
 * space when one is in reach (*rest: where the next row starts, spaces
 * skipped). All of it when it fits. */
size_t	 draw_fit_words(const char *clean, size_t len, int w, size_t *rest);
/* The columns text from anywhere takes once sanitized. */
int	 draw_width(const char *);
/* The same, right-aligned in w columns. */
int	 draw_text_right(int y, int x, int w, int style, const char *);
/* Like draw_text but the selection attribute is added. */
int	 draw_text_sel(int y, int x, int w, int style, bool sel, const char *);
/* Text wrapped over at most maxrows rows of w columns, at the blanks
 * between words (a word longer than a row is cut); returns the rows
 * used. */
int	 draw_wrapped(int y, int x, int w, int maxrows, int style, const char *);
/* The same, the rows after the first indented by hang columns (a list
 * whose text starts after a column of names); not indented when the
 * indent is more than half the width and leaves fewer than
 * DRAW_HANG_REST columns. */
#define DRAW_HANG_REST	12
int	 draw_wrapped_hang(int y, int x, int w, int maxrows, int style,
	     int hang, const char *);
/* The rows draw_wrapped_hang would take, without a row limit. */
int	 draw_wrapped_rows(int w, int hang, const char *);
void	 draw_fill(int y, int x, int w, int style);
/* Blanks in style between two stretches of text, where a blank in it looks
 * like any blank (no underline, reverse or background): the terminal then
 * writes them without a change of style. Elsewhere nothing is drawn. */
void	 draw_pad(int y, int x, int w, int style);
/* A horizontal bar of fraction f (0..1) in w columns. */
void	 draw_bar(int y, int x, int w, double f, int style);
/* A sparkline of v[0..n) scaled to max (NAN: gap), the newest at the right. */
void	 draw_spark(int y, int x, int w, const double *, size_t, double max,
	     int style);

/* A styled stretch of a line: bytes [start, end) of the text handed to
 * draw_spans, in a DRAW_* style or one from draw_style_custom(). Where spans
 * overlap the later one wins. */
struct draw_span {
	size_t	start, end;
	int	style;
};

#define DRAW_ATTR_BOLD		0x01
#define DRAW_ATTR_UNDERLINE	0x02
#define DRAW_ATTR_REVERSE	0x04
#define DRAW_ATTR_DIM		0x08
#define DRAW_ATTR_ITALIC	0x10

/* A style from a colour (0-7 as curses numbers them, -1 the terminal's)
 * and DRAW_ATTR_* attributes: highlight rules, colours found in log lines.
 * Without colour the attributes remain, and a colour alone becomes bold so
 * that the meaning does not rest on colour. Call after draw_init(). */
int	 draw_style_custom(int colour, unsigned attrs);

#define DRAW_SPANS_SELECTED	0x01	/* add the selection attribute */
#define DRAW_SPANS_NO_ELLIPSIS	0x02	/* a cut is not marked (wrapping) */

/* Text from display column skip on, clipped to w columns (a cut on the
 * right ends in an ellipsis), in style base with spans over it. Text that
 * is not already sanitized is sanitized here and then drawn without its
 * spans, whose offsets no longer apply. Returns the columns used. */
int	 draw_spans(int y, int x, int w, int skip, int base, unsigned flags,
	     const char *, size_t, const struct draw_span *, size_t);

int	 draw_severity_style(enum severity);
/* One symbol per severity, distinct without colour. */
const char *draw_severity_symbol(enum severity);

#endif
