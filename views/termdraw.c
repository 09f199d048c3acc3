/* termdraw.c: libvterm 0.1.4 behind termdraw.h. The screen layer keeps the
 * cells; lines that scroll off the top are copied, trimmed, into a bounded
 * ring (and handed back when the screen grows); the keyboard API encodes
 * keys the way the child asked for (cursor-key mode and the like); cells
 * are drawn with the nearest curses colour, every character filtered so
 * that nothing but printable text reaches the real terminal. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <vterm.h>
#include <wchar.h>

#include "core/sbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "views/termdraw.h"

struct sbline {
	int		 cols;
	VTermScreenCell	*cells;
};

struct termdraw {
	VTerm		*vt;
	VTermScreen	*screen;
	int		 rows, cols;

	struct sbline	*sb;		/* ring, oldest at sb_start */
	size_t		 sb_max, sb_start, sb_n;

	VTermPos	 cursor;
	bool		 cursor_visible;

	void		(*damage_cb)(void *);
	void		*damage_arg;
	void		(*out_cb)(const char *, size_t, void *);
	void		*out_arg;
};

/* --- libvterm callbacks ------------------------------------------------ */

static void
damaged(struct termdraw *td)
{
	if (td->damage_cb != NULL)
		td->damage_cb(td->damage_arg);
}

static int
cb_damage(VTermRect rect, void *user)
{
	damaged(user);
	return (1);
}

static int
cb_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct termdraw	*td = user;

	td->cursor = pos;
	damaged(td);
	return (1);
}

static int
cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct termdraw	*td = user;

	if (prop == VTERM_PROP_CURSORVISIBLE) {
		td->cursor_visible = val->boolean;
		damaged(td);
	}
	return (1);
}

static bool
cell_blank(const VTermScreenCell *c)
{
	return ((c->chars[0] == 0 || c->chars[0] == ' ') &&
	    VTERM_COLOR_IS_DEFAULT_BG(&c->bg) && !c->attrs.reverse &&
	    !c->attrs.underline && !c->attrs.strike);
}

static void
sb_drop_oldest(struct termdraw *td)
{
	free(td->sb[td->sb_start].cells);
	td->sb_start = (td->sb_start + 1) % td->sb_max;
	td->sb_n--;
}

/* A row scrolled off the top: keep it, trimmed of trailing blanks. */
static int
cb_sb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct termdraw	*td = user;
	struct sbline	*l;
	int		 n = cols;

	if (td->sb_max == 0)
		return (1);
	while (n > 0 && cell_blank(&cells[n - 1]))
		n--;
	if (td->sb_n == td->sb_max)
		sb_drop_oldest(td);
	l = &td->sb[(td->sb_start + td->sb_n) % td->sb_max];
	l->cols = n;
	l->cells = n > 0 ? xreallocarray(NULL, (size_t)n, sizeof *l->cells) :
	    NULL;
	if (n > 0)
		memcpy(l->cells, cells, (size_t)n * sizeof *l->cells);
	td->sb_n++;
	return (1);
}

static void
blank_cell(struct termdraw *td, VTermScreenCell *c)
{
	VTermState	*state = vterm_obtain_state(td->vt);

	memset(c, 0, sizeof *c);
	c->width = 1;
	vterm_state_get_default_colors(state, &c->fg, &c->bg);
}

/* The screen grew taller: hand back the newest kept row. */
static int
cb_sb_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct termdraw	*td = user;
	struct sbline	*l;
	int		 i;

	if (td->sb_n == 0)
		return (0);
	l = &td->sb[(td->sb_start + td->sb_n - 1) % td->sb_max];
	for (i = 0; i < cols; i++) {
		if (i < l->cols)
			cells[i] = l->cells[i];
		else
			blank_cell(td, &cells[i]);
	}
	free(l->cells);
	l->cells = NULL;
	td->sb_n--;
	return (1);
}

static const VTermScreenCallbacks screen_callbacks = {
	.damage = cb_damage,
	.movecursor = cb_movecursor,
	.settermprop = cb_settermprop,
	.sb_pushline = cb_sb_pushline,
	.sb_popline = cb_sb_popline,
};

static void
cb_output(const char *s, size_t len, void *user)
{
	struct termdraw	*td = user;

	if (td->out_cb != NULL)
		td->out_cb(s, len, td->out_arg);
}

/* --- the screen ----------------------------------------------------------- */

struct termdraw *
termdraw_new(int rows, int cols, size_t scrollback_max)
{
	struct termdraw	*td;

	td = xcalloc(1, sizeof *td);
	td->rows = rows < 1 ? 1 : rows;
	td->cols = cols < 1 ? 1 : cols;
	td->sb_max = scrollback_max;
	if (td->sb_max > 0)
		td->sb = xcalloc(td->sb_max, sizeof *td->sb);
	td->cursor_visible = true;
	if ((td->vt = vterm_new(td->rows, td->cols)) == NULL)
		fatal("vterm_new failed");
	vterm_set_utf8(td->vt, 1);
	vterm_output_set_callback(td->vt, cb_output, td);
	td->screen = vterm_obtain_screen(td->vt);
	vterm_screen_set_callbacks(td->screen, &screen_callbacks, td);
	vterm_screen_set_damage_merge(td->screen, VTERM_DAMAGE_SCROLL);
	vterm_screen_enable_altscreen(td->screen, 1);
	vterm_screen_reset(td->screen, 1);
	return (td);
}

void
termdraw_free(struct termdraw *td)
{
	if (td == NULL)
		return;
	while (td->sb_n > 0)
		sb_drop_oldest(td);
	free(td->sb);
	vterm_free(td->vt);
	free(td);
}

void
termdraw_on_damage(struct termdraw *td, void (*cb)(void *), void *arg)
{
	td->damage_cb = cb;
	td->damage_arg = arg;
}

void
termdraw_on_output(struct termdraw *td, void (*cb)(const char *, size_t,
    void *), void *arg)
{
	td->out_cb = cb;
	td->out_arg = arg;
}

void
termdraw_write(struct termdraw *td, const char *s, size_t len)
{
	vterm_input_write(td->vt, s, len);
	vterm_screen_flush_damage(td->screen);
}

void
termdraw_resize(struct termdraw *td, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows == td->rows && cols == td->cols)
		return;
	td->rows = rows;
	td->cols = cols;
	vterm_set_size(td->vt, rows, cols);
	vterm_screen_flush_damage(td->screen);
	damaged(td);
}

void
termdraw_size(const struct termdraw *td, int *rows, int *cols)
{
	*rows = td->rows;
	*cols = td->cols;
}

size_t
termdraw_scrollback(const struct termdraw *td)
{
	return (td->sb_n);
}

void
termdraw_cursor(const struct termdraw *td, int *row, int *col, bool *visible)
{
	*row = td->cursor.row;
	*col = td->cursor.col;
	*visible = td->cursor_visible;
}

static void
convert_color(const VTermColor *v, bool is_fg, struct termdraw_color *c)
{
	memset(c, 0, sizeof *c);
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(v) : VTERM_COLOR_IS_DEFAULT_BG(v))
		c->kind = TERMDRAW_DEFAULT;
	else if (VTERM_COLOR_IS_INDEXED(v)) {
		c->kind = TERMDRAW_INDEXED;
		c->index = v->indexed.idx;
	} else {
		c->kind = TERMDRAW_RGB;
		c->r = v->rgb.red;
		c->g = v->rgb.green;
		c->b = v->rgb.blue;
	}
}

static void
convert_cell(const VTermScreenCell *v, struct termdraw_cell *c)
{
	int	i;

	memset(c, 0, sizeof *c);
	if (v->chars[0] == (uint32_t)-1) {
		c->width = 0;	/* the right half of a wide character */
	} else {
		for (i = 0; i < VTERM_MAX_CHARS_PER_CELL &&
		    i < TERMDRAW_MAXCHARS && v->chars[i] != 0; i++)
			c->ch[i] = v->chars[i];
		c->width = v->width < 1 ? 1 : v->width;
	}
	c->bold = v->attrs.bold;
	c->underline = v->attrs.underline != 0;
	c->italic = v->attrs.italic;
	c->blink = v->attrs.blink;
	c->reverse = v->attrs.reverse;
	c->strike = v->attrs.strike;
	convert_color(&v->fg, true, &c->fg);
	convert_color(&v->bg, false, &c->bg);
}

bool
termdraw_cell(const struct termdraw *td, size_t back, int row, int col,
    struct termdraw_cell *c)
{
	const struct sbline	*l;
	VTermScreenCell		 v;
	VTermPos		 pos;
	long			 i;

	if (back > td->sb_n)
		back = td->sb_n;
	if (row < 0 || col < 0 || col >= td->cols)
		return (false);
	i = (long)td->sb_n - (long)back + row;
	if (i < (long)td->sb_n) {
		l = &td->sb[(td->sb_start + (size_t)i) % td->sb_max];
		memset(c, 0, sizeof *c);
		c->width = 1;
		if (col < l->cols)
			convert_cell(&l->cells[col], c);
		return (true);
	}
	pos.row = (int)(i - (long)td->sb_n);
	pos.col = col;
	if (pos.row >= td->rows)
		return (false);
	if (!vterm_screen_get_cell(td->screen, pos, &v))
		return (false);
	convert_cell(&v, c);
	return (true);
}

char *
termdraw_row_text(const struct termdraw *td, size_t back, int row)
{
	struct termdraw_cell	 c;
	struct sbuf		 sb;
	char			 b[UTF8_MAX];
	int			 col, i;

	sbuf_init(&sb);
	for (col = 0; col < td->cols; col++) {
		if (!termdraw_cell(td, back, row, col, &c))
			break;
		if (c.width == 0)
			continue;
		if (c.ch[0] == 0)
			sbuf_addc(&sb, ' ');
		for (i = 0; c.ch[i] != 0; i++)
			sbuf_add(&sb, b, utf8_encode(b, c.ch[i]));
	}
	while (sb.len > 0 && sb.s[sb.len - 1] == ' ')
		sb.s[--sb.len] = '\0';
	return (sbuf_steal(&sb));
}

/* --- the keyboard --------------------------------------------------------- */

static bool
special_key(int code, VTermKey *k, VTermModifier *mod)
{
	static const struct {
		int		 curses;
		VTermKey	 key;
		VTermModifier	 mod;
	} map[] = {
		{ KEY_UP, VTERM_KEY_UP, VTERM_MOD_NONE },
		{ KEY_DOWN, VTERM_KEY_DOWN, VTERM_MOD_NONE },
		{ KEY_LEFT, VTERM_KEY_LEFT, VTERM_MOD_NONE },
		{ KEY_RIGHT, VTERM_KEY_RIGHT, VTERM_MOD_NONE },
		{ KEY_SR, VTERM_KEY_UP, VTERM_MOD_SHIFT },
		{ KEY_SF, VTERM_KEY_DOWN, VTERM_MOD_SHIFT },
		{ KEY_SLEFT, VTERM_KEY_LEFT, VTERM_MOD_SHIFT },
		{ KEY_SRIGHT, VTERM_KEY_RIGHT, VTERM_MOD_SHIFT },
		{ KEY_HOME, VTERM_KEY_HOME, VTERM_MOD_NONE },
		{ KEY_FIND, VTERM_KEY_HOME, VTERM_MOD_NONE },
		{ KEY_END, VTERM_KEY_END, VTERM_MOD_NONE },
		{ KEY_SELECT, VTERM_KEY_END, VTERM_MOD_NONE },
		{ KEY_SHOME, VTERM_KEY_HOME, VTERM_MOD_SHIFT },
		{ KEY_SEND, VTERM_KEY_END, VTERM_MOD_SHIFT },
		{ KEY_PPAGE, VTERM_KEY_PAGEUP, VTERM_MOD_NONE },
		{ KEY_NPAGE, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE },
		{ KEY_IC, VTERM_KEY_INS, VTERM_MOD_NONE },
		{ KEY_DC, VTERM_KEY_DEL, VTERM_MOD_NONE },
		{ KEY_BACKSPACE, VTERM_KEY_BACKSPACE, VTERM_MOD_NONE },
		{ KEY_ENTER, VTERM_KEY_ENTER, VTERM_MOD_NONE },
		{ KEY_BTAB, VTERM_KEY_TAB, VTERM_MOD_SHIFT },
	};
	size_t	i;

	if (code >= KEY_F(1) && code <= KEY_F(24)) {
		*k = VTERM_KEY_FUNCTION(code - KEY_F0);
		*mod = VTERM_MOD_NONE;
		return (true);
	}
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (map[i].curses == code) {
			*k = map[i].key;
			*mod = map[i].mod;
			return (true);
		}
	}
	return (false);
}

void
termdraw_key(struct termdraw *td, int key)
{
	VTermKey	k;
	VTermModifier	mod;

	if (KEYMAP_IS_KEYCODE(key)) {
		if (special_key(key & ~KEYMAP_KEYCODE_FLAG, &k, &mod))
			vterm_keyboard_key(td->vt, k, mod);
		return;
	}
	switch (key) {
	case '\r':
	case '\n':
		vterm_keyboard_key(td->vt, VTERM_KEY_ENTER, VTERM_MOD_NONE);
		break;
	case '\t':
		vterm_keyboard_key(td->vt, VTERM_KEY_TAB, VTERM_MOD_NONE);
		break;
	case 0x1b:
		vterm_keyboard_key(td->vt, VTERM_KEY_ESCAPE, VTERM_MOD_NONE);
		break;
	case 0x7f:
		vterm_keyboard_key(td->vt, VTERM_KEY_BACKSPACE, VTERM_MOD_NONE);
		break;
	default:
		if (key >= 0 && key <= 0x10ffff)
			vterm_keyboard_unichar(td->vt, (uint32_t)key,
			    VTERM_MOD_NONE);
		break;
	}
}

/* --- colours -------------------------------------------------------------- */

/* xterm's defaults for the 16 basic colours. */
static const uint8_t basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static void
index_rgb(int i, int rgb[3])
{
	static const int	levels[6] = { 0, 95, 135, 175, 215, 255 };
	int			k;

	if (i < 16) {
		for (k = 0; k < 3; k++)
			rgb[k] = basic_rgb[i][k];
	} else if (i < 232) {
		i -= 16;
		rgb[0] = levels[i / 36];
		rgb[1] = levels[(i / 6) % 6];
		rgb[2] = levels[i % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
}

/* The nearest of indices [lo, hi) by squared distance. */
static short
nearest(int r, int g, int b, int lo, int hi)
{
	int	i, rgb[3], best = lo;
	long	d, bestd = -1;

	for (i = lo; i < hi; i++) {
		index_rgb(i, rgb);
		d = (long)(rgb[0] - r) * (rgb[0] - r) +
		    (long)(rgb[1] - g) * (rgb[1] - g) +
		    (long)(rgb[2] - b) * (rgb[2] - b);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return ((short)best);
}

short
termdraw_curses_color(const struct termdraw_color *c, int ncolors)
{
	int	rgb[3];

	if (c->kind == TERMDRAW_DEFAULT || ncolors < 8)
		return (-1);
	if (c->kind == TERMDRAW_INDEXED) {
		if (c->index < ncolors && (ncolors >= 256 || c->index < 16))
			return (c->index);
		if (c->index < 16)
			return ((short)(c->index & 7));
		index_rgb(c->index, rgb);
	} else {
		rgb[0] = c->r;
		rgb[1] = c->g;
		rgb[2] = c->b;
	}
	/* The cube and greys are the same everywhere; 0-15 are themed. */
	if (ncolors >= 256)
		return (nearest(rgb[0], rgb[1], rgb[2], 16, 256));
	return (nearest(rgb[0], rgb[1], rgb[2], 0, ncolors >= 16 ? 16 : 8));
}

/*
 * Colour pairs for the terminal's cells, above the ones views/draw.c uses
 * (its styles, then one pair per colour from 32), found through a table
 * indexed by (fg + 1, bg + 1). When they run out the table starts again:
 * the whole area is drawn anew every frame.
 */
#define PAIR_SPAN	257
static short	pair_of[PAIR_SPAN * PAIR_SPAN];
static int	pairs_used;

static int
pair_base(void)
{
	return (32 + (COLORS < 256 ? COLORS : 256));
}

static int
pairs_limit(void)
{
	int	n = COLOR_PAIRS - pair_base();

	if (n > 1024)
		n = 1024;
	return (n < 0 ? 0 : n);
}

static void
pairs_reset(void)
{
	memset(pair_of, 0, sizeof pair_of);
	pairs_used = 0;
}

static short
pair_for(short fg, short bg)
{
	size_t	slot = (size_t)(fg + 1) * PAIR_SPAN + (size_t)(bg + 1);
	short	p;

	if (fg == -1 && bg == -1)
		return (0);
	if (pair_of[slot] != 0)
		return (pair_of[slot]);
	if (pairs_used >= pairs_limit()) {
		if (pairs_limit() == 0)
			return (0);
		pairs_reset();
	}
	p = (short)(pair_base() + pairs_used++);
	init_pair(p, fg, bg);
	pair_of[slot] = p;
	return (p);
}

/* --- drawing -------------------------------------------------------------- */

/* Printable or a stand-in: the child's text must not steer our terminal. */
static wchar_t
safe_char(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return (L'?');
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return (L'?');
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0xfffd);
	return ((wchar_t)cp);
}

static attr_t
cell_attrs(const struct termdraw_cell *c)
{
	attr_t	a = A_NORMAL;

	if (c->bold)
		a |= A_BOLD;
	if (c->underline)
		a |= A_UNDERLINE;
	if (c->italic)
		a |= A_ITALIC;
	if (c->blink)
		a |= A_BLINK;
	if (c->reverse)
		a |= A_REVERSE;
	return (a);
}

static void
draw_cell(int y, int x, const struct termdraw_cell *c, bool color,
    bool fits)
{
	wchar_t	 wch[TERMDRAW_MAXCHARS + 1];
	cchar_t	 cc;
	short	 pair = 0;
	int	 i, n = 0;

	if (color)
		pair = pair_for(termdraw_curses_color(&c->fg, COLORS),
		    termdraw_curses_color(&c->bg, COLORS));
	if (c->ch[0] == 0 || !fits)
		wch[n++] = L' ';
	else {
		for (i = 0; i < TERMDRAW_MAXCHARS && c->ch[i] != 0; i++) {
			wch[n] = safe_char(c->ch[i]);
			/* Combining marks only after a base character. */
			if (n > 0 && wcwidth(wch[n]) != 0)
				break;
			if (n == 0 && wcwidth(wch[0]) < 0)
				wch[0] = L'?';
			n++;
		}
	}
	wch[n] = 0;
	setcchar(&cc, wch, cell_attrs(c), pair, NULL);
	mvadd_wch(y, x, &cc);
}

void
termdraw_draw(struct termdraw *td, int y, int x, int h, int w, size_t back,
    bool color)
{
	struct termdraw_cell	c;
	int			row, col;
	bool			covered;

	if (color && pairs_used > pairs_limit() * 3 / 4)
		pairs_reset();
	for (row = 0; row < h; row++) {
		covered = false;
		for (col = 0; col < w; col++) {
			if (!termdraw_cell(td, back, row, col, &c)) {
				memset(&c, 0, sizeof c);
				c.width = 1;
			}
			if (c.width == 0 && covered) {
				covered = false;
				continue;
			}
			covered = (c.width == 2);
			draw_cell(y + row, x + col, &c, color,
			    c.width != 0 && (c.width < 2 || col + 1 < w));
		}
	}
}
