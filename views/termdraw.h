/* termdraw.h: the action terminal's screen: libvterm (0.1.4) fed with the
 * child's bytes, a scrollback of the lines that scrolled off, the keyboard
 * translated into what the child expects, and the cells drawn into a curses
 * rectangle. No I/O: bytes in, cells and answer bytes out, so tests feed it
 * directly. */
#ifndef SITREP_TERMDRAW_H
#define SITREP_TERMDRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct termdraw;

#define TERMDRAW_MAXCHARS	6	/* a base character and combiners */

enum termdraw_color_kind {
	TERMDRAW_DEFAULT,
	TERMDRAW_INDEXED,	/* index 0-255 */
	TERMDRAW_RGB
};
struct termdraw_color {
	enum termdraw_color_kind kind;
	uint8_t		 index;
	uint8_t		 r, g, b;
};

struct termdraw_cell {
	uint32_t	 ch[TERMDRAW_MAXCHARS + 1];	/* 0-ended; "" blank */
	int		 width;		/* 1, 2; 0: the right half of a wide */
	bool		 bold, underline, italic, blink, reverse, strike;
	struct termdraw_color fg, bg;
};

struct termdraw *termdraw_new(int rows, int cols, size_t scrollback_max);
void	 termdraw_free(struct termdraw *);
/* Bytes from the child. */
void	 termdraw_write(struct termdraw *, const char *, size_t);
void	 termdraw_resize(struct termdraw *, int rows, int cols);
void	 termdraw_size(const struct termdraw *, int *rows, int *cols);
/* Called when the screen changed (to mark the app dirty). */
void	 termdraw_on_damage(struct termdraw *, void (*)(void *), void *);
/* Where the terminal's answers (to the keyboard, to queries such as the
 * cursor position) go: the pty. */
void	 termdraw_on_output(struct termdraw *,
	     void (*)(const char *, size_t, void *), void *);
/* A key from the console (keymap.h codes) → bytes for the child. */
void	 termdraw_key(struct termdraw *, int key);

/* Lines in the scrollback, oldest first. */
size_t	 termdraw_scrollback(const struct termdraw *);
/* Row `row` of the view that is scrolled back by `back` lines (0: the live
 * screen). Cells past a line's end are blank. False if out of range. */
bool	 termdraw_cell(const struct termdraw *, size_t back, int row, int col,
	     struct termdraw_cell *);
/* A row as UTF-8, trailing blanks dropped (heap). */
char	*termdraw_row_text(const struct termdraw *, size_t back, int row);
void	 termdraw_cursor(const struct termdraw *, int *row, int *col,
	     bool *visible);

/* The nearest curses colour for c on a terminal with ncolors colours; -1
 * for the default. Pure. */
short	 termdraw_curses_color(const struct termdraw_color *, int ncolors);

/* Draw the view scrolled back by `back` into curses at y,x, h rows by w
 * columns (the terminal should be that size). */
void	 termdraw_draw(struct termdraw *, int y, int x, int h, int w,
	     size_t back, bool color);

#endif
