/* draw.c: widgets on stdscr. Every string passes through the sanitizer
 * before curses sees it; widths come from wcwidth so wide characters line
 * up. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <math.h>
#include <string.h>
#include <wchar.h>

#include "core/sanitize.h"
#include "core/sbuf.h"
#include "views/draw.h"

static attr_t	 styles[DRAW__COUNT];
static bool	 use_utf8;
static bool	 use_color;

/* Styles made by draw_style_custom(), numbered from DRAW__COUNT. */
#define DRAW_CUSTOM_MAX	64
#define PAIR_CUSTOM	32	/* + colour: one pair per foreground */
static struct {
	int	 colour;
	unsigned attrs;
	attr_t	 attr;
} custom[DRAW_CUSTOM_MAX];
static int	 ncustom;
static struct sbuf scratch;

enum {
	PAIR_CRIT = 1, PAIR_ERR, PAIR_WARN, PAIR_INFO, PAIR_OK, PAIR_TITLE,
	PAIR_FOCUS, PAIR_MATCH, PAIR_SUSPECT, PAIR_HEADER
};

void
draw_init(bool color, bool utf8)
{
	use_utf8 = utf8;
	use_color = color;
	ncustom = 0;
	/* Attributes alone carry every meaning... */
	styles[DRAW_NORMAL] = A_NORMAL;
	styles[DRAW_DIM] = A_DIM;
	styles[DRAW_BOLD] = A_BOLD;
	styles[DRAW_HEADER] = A_REVERSE;
	styles[DRAW_TITLE] = A_UNDERLINE;
	styles[DRAW_TITLE_FOCUS] = A_REVERSE | A_BOLD;
	styles[DRAW_COLUMNS] = A_DIM;
	styles[DRAW_SELECTED] = A_REVERSE;
	styles[DRAW_CRIT] = A_BOLD;
	styles[DRAW_ERR] = A_BOLD;
	styles[DRAW_WARN] = A_NORMAL;
	styles[DRAW_INFO] = A_DIM;
	styles[DRAW_OK] = A_NORMAL;
	styles[DRAW_BAD] = A_BOLD;
	styles[DRAW_STATUS] = A_NORMAL;
	styles[DRAW_STATUS_ERROR] = A_BOLD;
	styles[DRAW_MATCH] = A_UNDERLINE | A_BOLD;
	styles[DRAW_SUSPECT] = A_BOLD;
	/* A terminal that cannot dim (vt100) would draw the quiet rows
	 * (acknowledged, silenced, inhibited, info) and the hints exactly as
	 * the rest: underline them instead, which every such terminal has. */
	if ((termattrs() & A_DIM) == 0) {
		styles[DRAW_DIM] = A_UNDERLINE;
		styles[DRAW_COLUMNS] = A_UNDERLINE;
		styles[DRAW_INFO] = A_UNDERLINE;
	}
	if (!color)
		return;
	/* ...colour is added on top where the terminal has it. */
	use_default_colors();
	init_pair(PAIR_CRIT, COLOR_RED, -1);
	init_pair(PAIR_ERR, COLOR_MAGENTA, -1);
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_INFO, COLOR_CYAN, -1);
	init_pair(PAIR_OK, COLOR_GREEN, -1);
	init_pair(PAIR_TITLE, COLOR_BLUE, -1);
	init_pair(PAIR_FOCUS, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_MATCH, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_SUSPECT, COLOR_YELLOW, -1);
	init_pair(PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
	styles[DRAW_CRIT] |= COLOR_PAIR(PAIR_CRIT);
	styles[DRAW_ERR] |= COLOR_PAIR(PAIR_ERR);
	styles[DRAW_WARN] |= COLOR_PAIR(PAIR_WARN);
	styles[DRAW_INFO] = COLOR_PAIR(PAIR_INFO);
	styles[DRAW_OK] |= COLOR_PAIR(PAIR_OK);
	styles[DRAW_BAD] |= COLOR_PAIR(PAIR_CRIT);
	styles[DRAW_TITLE] = A_BOLD | COLOR_PAIR(PAIR_TITLE);
	styles[DRAW_TITLE_FOCUS] = A_BOLD | COLOR_PAIR(PAIR_FOCUS);
	styles[DRAW_HEADER] = COLOR_PAIR(PAIR_HEADER);
	styles[DRAW_MATCH] = COLOR_PAIR(PAIR_MATCH);
	styles[DRAW_SUSPECT] |= COLOR_PAIR(PAIR_SUSPECT);
	styles[DRAW_STATUS_ERROR] |= COLOR_PAIR(PAIR_CRIT);
}

bool
draw_utf8(void)
{
	return (use_utf8);
}

/* Decode one character of valid UTF-8 (the sanitizer's output). */
static size_t
utf8_next(const char *s, size_t len, wchar_t *wc)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n, i;
	wchar_t			 c;

	if (u[0] < 0x80) {
		*wc = u[0];
		return (1);
	}
	if (u[0] >= 0xf0)
		n = 4, c = u[0] & 0x07;
	else if (u[0] >= 0xe0)
		n = 3, c = u[0] & 0x0f;
	else
		n = 2, c = u[0] & 0x1f;
	if (n > len)
		n = len;
	for (i = 1; i < n; i++)
		c = (c << 6) | (u[i] & 0x3f);
	*wc = c;
	return (n);
}

static int
char_width(wchar_t wc)
{
	int	w = wcwidth(wc);

	return (w < 0 ? 1 : w);
}

/*
 * Put s (already sanitized) at y,x within w columns. When it does not fit,
 * the last column shows an ellipsis.
 */
static int
put_clipped(int y, int x, int w, attr_t attr, const char *s, size_t len)
{
	const char	*ell = use_utf8 ? "\xe2\x80\xa6" : ">";
	size_t		 off = 0, n, fit_off = 0;
	int		 col = 0, cw, fit_col = 0;
	wchar_t		 wc;

	if (w <= 0)
		return (0);
	while (off < len) {
		n = utf8_next(s + off, len - off, &wc);
		cw = char_width(wc);
		if (col + cw > w) {
			/* Back up to leave a column for the ellipsis. */
			attron(attr);
			mvaddnstr(y, x, s, (int)fit_off);
			mvaddstr(y, x + fit_col, ell);
			attroff(attr);
			return (fit_col + 1);
		}
		col += cw;
		off += n;
		if (col <= w - 1) {
			fit_off = off;
			fit_col = col;
		}
	}
	attron(attr);
	mvaddnstr(y, x, s, (int)len);
	attroff(attr);
	return (col);
}

int
draw_text(int y, int x, int w, int style, const char *s)
{
	return (draw_text_sel(y, x, w, style, false, s));
}

int
draw_text_sel(int y, int x, int w, int style, bool sel, const char *s)
{
	attr_t	attr = styles[style];

	if (s == NULL || w <= 0)
		return (0);
	if (sel)
		attr |= A_REVERSE;
	sbuf_reset(&scratch);
	sanitize_append(&scratch, s, strlen(s));
	return (put_clipped(y, x, w, attr, scratch.s, scratch.len));
}

size_t
draw_fit_words(const char *s, size_t len, int w, size_t *rest)
{
	size_t	off = 0, n, space = 0;
	int	col = 0;
	wchar_t	wc;

	while (off < len) {
		n = utf8_next(s + off, len - off, &wc);
		if (col + char_width(wc) > w)
			break;
		col += char_width(wc);
		off += n;
		if (wc == L' ')
			space = off;
	}
	if (off < len && space > 0 && space > off / 2)
		off = space;
	*rest = off;
	while (*rest < len && s[*rest] == ' ')
		(*rest)++;
	return (off);
}

int
draw_width(const char *s)
{
	if (s == NULL)
		return (0);
	sbuf_reset(&scratch);
	sanitize_append(&scratch, s, strlen(s));
	return ((int)sanitize_width(scratch.s, scratch.len));
}

int
draw_text_right(int y, int x, int w, int style, const char *s)
{
	size_t	width;

	if (s == NULL || w <= 0)
		return (0);
	sbuf_reset(&scratch);
	sanitize_append(&scratch, s, strlen(s));
	width = sanitize_width(scratch.s, scratch.len);
	if ((int)width < w)
		x += w - (int)width;
	return (put_clipped(y, x, w, styles[style], scratch.s, scratch.len));
}

int
draw_wrapped(int y, int x, int w, int maxrows, int style, const char *s)
{
	return (draw_wrapped_hang(y, x, w, maxrows, style, 0, s));
}

/* The end of the row that starts at off in width w: after the last blank
 * that fits, so that no word is cut, unless a single word fills the row. */
static size_t
wrap_row_end(const char *s, size_t len, size_t off, int w)
{
	size_t	n, blank = 0;
	int	col = 0, cw;
	wchar_t	wc;

	while (off < len) {
		n = utf8_next(s + off, len - off, &wc);
		cw = char_width(wc);
		if (col + cw > w)
			return (blank != 0 ? blank : off);
		if (wc == ' ')
			blank = off + n;
		col += cw;
		off += n;
	}
	return (off);
}

int
draw_wrapped_rows(int w, int hang, const char *s)
{
	size_t	off = 0, end;
	int	rows = 0, in = 0;

	if (s == NULL || w <= 0)
		return (0);
	if (hang < 0 || (hang > w / 2 && hang > w - DRAW_HANG_REST))
		hang = 0;
	sbuf_reset(&scratch);
	sanitize_append(&scratch, s, strlen(s));
	while (off < scratch.len || rows == 0) {
		end = wrap_row_end(scratch.s, scratch.len, off, w - in);
		rows++;
		if (end == off)
			break;
		off = end;
		while (off < scratch.len && scratch.s[off] == ' ')
			off++;
		in = hang;
	}
	return (rows);
}

int
draw_wrapped_hang(int y, int x, int w, int maxrows, int style, int hang,
    const char *s)
{
	size_t	off = 0, end;
	int	rows = 0, in = 0;

	if (s == NULL || w <= 0 || maxrows <= 0)
		return (0);
	if (hang < 0 || (hang > w / 2 && hang > w - DRAW_HANG_REST))
		hang = 0;
	sbuf_reset(&scratch);
	sanitize_append(&scratch, s, strlen(s));
	while (rows < maxrows && (off < scratch.len || rows == 0)) {
		end = wrap_row_end(scratch.s, scratch.len, off, w - in);
		if (end == off && off < scratch.len)
			break;		/* nothing fits (a wide character) */
		attron(styles[style]);
		mvaddnstr(y + rows, x + in, scratch.s + off, (int)(end - off));
		attroff(styles[style]);
		rows++;
		off = end;
		/* The next row starts at a word, indented. */
		while (off < scratch.len && scratch.s[off] == ' ')
			off++;
		in = hang;
	}
	return (rows);
}

void
draw_fill(int y, int x, int w, int style)
{
	if (w <= 0)
		return;
	attron(styles[style]);
	mvhline(y, x, ' ', w);
	attroff(styles[style]);
}

void
draw_bar(int y, int x, int w, double f, int style)
{
	int	i, full;

	if (w <= 0)
		return;
	if (isnan(f))
		f = 0;
	f = f < 0 ? 0 : (f > 1 ? 1 : f);
	full = (int)lround(f * w);
	attron(styles[style]);
	for (i = 0; i < w; i++) {
		if (i < full)
			mvaddstr(y, x + i, use_utf8 ? "\xe2\x96\x88" : "#");
		else
			mvaddstr(y, x + i, use_utf8 ? "\xc2\xb7" : ".");
	}
	attroff(styles[style]);
}

void
draw_spark(int y, int x, int w, const double *v, size_t n, double max,
    int style)
{
	static const char *const blocks[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char ascii[] = "_.-=+*#@";
	size_t		 first, i, k;
	int		 col, level;

	if (w <= 0 || n == 0)
		return;
	first = n > (size_t)w ? n - (size_t)w : 0;
	col = w - (int)(n - first);
	attron(styles[style]);
	for (i = first; i < n; i++, col++) {
		if (isnan(v[i]) || max <= 0) {
			mvaddstr(y, x + col, " ");
			continue;
		}
		level = (int)(v[i] / max * 7.0 + 0.5);
		level = level < 0 ? 0 : (level > 7 ? 7 : level);
		k = (size_t)level;
		if (use_utf8)
			mvaddstr(y, x + col, blocks[k]);
		else
			mvaddch(y, x + col, (chtype)ascii[k]);
	}
	attroff(styles[style]);
}

int
draw_style_custom(int colour, unsigned attrs)
{
	attr_t	a = A_NORMAL;
	int	i;

	for (i = 0; i < ncustom; i++) {
		if (custom[i].colour == colour && custom[i].attrs == attrs)
			return (DRAW__COUNT + i);
	}
	if (ncustom == DRAW_CUSTOM_MAX)
		return (DRAW_BOLD);
	if (attrs & DRAW_ATTR_BOLD)
		a |= A_BOLD;
	if (attrs & DRAW_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & DRAW_ATTR_REVERSE)
		a |= A_REVERSE;
	if (attrs & DRAW_ATTR_DIM)
		a |= A_DIM;
	if (attrs & DRAW_ATTR_ITALIC)
		a |= A_ITALIC;
	if (colour >= 0 && colour < 8) {
		if (use_color) {
			init_pair((short)(PAIR_CUSTOM + colour), (short)colour, -1);
			a |= COLOR_PAIR(PAIR_CUSTOM + colour);
		} else if (attrs == 0)
			a |= A_BOLD;
	}
	custom[ncustom].colour = colour;
	custom[ncustom].attrs = attrs;
	custom[ncustom].attr = a;
	return (DRAW__COUNT + ncustom++);
}

static attr_t
style_attr(int style)
{
	if (style >= 0 && style < DRAW__COUNT)
		return (styles[style]);
	if (style >= DRAW__COUNT && style < DRAW__COUNT + ncustom)
		return (custom[style - DRAW__COUNT].attr);
	return (A_NORMAL);
}

/* Whether a blank in attr looks like any other blank: no underline, no
 * reverse, no background colour. Such blanks can take the style of the
 * text beside them, so that the terminal needs no style change for them. */
static bool
blank_plain(attr_t a)
{
	short	fg, bg;

	if (a & (A_UNDERLINE | A_REVERSE | A_STANDOUT | A_BLINK))
		return (false);
	if (PAIR_NUMBER(a) == 0)
		return (true);
	if (pair_content((short)PAIR_NUMBER(a), &fg, &bg) == ERR)
		return (false);
	return (bg == -1);
}

void
draw_pad(int y, int x, int w, int style)
{
	attr_t	a = style_attr(style);

	if (w <= 0 || !blank_plain(a))
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/* The style of byte off: the last span that covers it, else base. */
static int
span_style(const struct draw_span *spans, size_t n, size_t off, int base)
{
	int	style = base;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (spans[i].start <= off && off < spans[i].end)
			style = spans[i].style;
	}
	return (style);
}

static void
spans_flush(int y, int x, attr_t attr, const char *s, size_t len)
{
	if (len == 0)
		return;
	attrset(attr);
	mvaddnstr(y, x, s, (int)len);
	attrset(A_NORMAL);
}

int
draw_spans(int y, int x, int w, int skip, int base, unsigned flags,
    const char *s, size_t len, const struct draw_span *spans, size_t n)
{
	const char	*ell = use_utf8 ? "\xe2\x80\xa6" : ">";
	attr_t		 sel = (flags & DRAW_SPANS_SELECTED) ? A_REVERSE : 0;
	attr_t		 attr, run_attr = 0;
	size_t		 off = 0, cn, run = 0, run_len = 0;
	int		 col = 0, cw, out = 0, run_col = 0;
	wchar_t		 wc;

	if (w <= 0)
		return (0);
	if (!sanitize_is_clean(s, len)) {
		sbuf_reset(&scratch);
		sanitize_append(&scratch, s, len);
		s = scratch.s;
		len = scratch.len;
		n = 0;
	}
	for (; off < len; off += cn, col += cw) {
		cn = utf8_next(s + off, len - off, &wc);
		cw = char_width(wc);
		if (col + cw <= skip)
			continue;
		if (col < skip) {
			/* A wide character cut by the left edge. */
			attrset(style_attr(base) | sel);
			mvhline(y, x + out, ' ', col + cw - skip);
			attrset(A_NORMAL);
			out += col + cw - skip;
			continue;
		}
		if (out + cw > w) {
			spans_flush(y, x + run_col, run_attr, s + run, run_len);
			if (!(flags & DRAW_SPANS_NO_ELLIPSIS)) {
				attrset(style_attr(base) | sel);
				mvaddstr(y, x + w - 1, ell);
				attrset(A_NORMAL);
			}
			return (w);
		}
		attr = style_attr(span_style(spans, n, off, base)) | sel;
		/* A space between two styles goes with the first when a
		 * blank looks the same in both: one style change, not two. */
		if (run_len > 0 && attr != run_attr && wc == ' ' &&
		    blank_plain(attr) && blank_plain(run_attr))
			attr = run_attr;
		if (run_len == 0 || attr != run_attr) {
			spans_flush(y, x + run_col, run_attr, s + run, run_len);
			run = off;
			run_len = 0;
			run_col = out;
			run_attr = attr;
		}
		run_len += cn;
		out += cw;
	}
	spans_flush(y, x + run_col, run_attr, s + run, run_len);
	return (out);
}

int
draw_severity_style(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return (DRAW_CRIT);
	case SEV_ERROR:
		return (DRAW_ERR);
	case SEV_WARNING:
		return (DRAW_WARN);
	case SEV_INFO:
		return (DRAW_INFO);
	default:
		return (DRAW_NORMAL);
	}
}

const char *
draw_severity_symbol(enum severity s)
{
	static const char *const utf8[SEV__COUNT] = {
		"\xe2\x80\xbc", "\xe2\x9c\x96", "\xe2\x96\xb2", "\xe2\x97\x8f",
		"?"
	};
	static const char *const ascii[SEV__COUNT] = {
		"!!", "x", "^", "i", "?"
	};

	if (s >= SEV__COUNT)
		s = SEV_UNKNOWN;
	return (use_utf8 ? utf8[s] : ascii[s]);
}
