/* test_vterm.c: a rollback prints colours, moves the cursor, redraws a
 * progress bar with CR, writes wide characters and asks questions; the
 * action terminal must show the same cells a real terminal would, keep what
 * scrolled away, answer the child's queries, send keys the way the child
 * asked for them, and draw it all into curses with the nearest colours and
 * nothing unprintable. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>

#include <cmocka.h>

#include "core/sbuf.h"
#include "keymaps/keymap.h"
#include "views/termdraw.h"

static struct termdraw *
feed(int rows, int cols, const char *bytes)
{
	struct termdraw	*td = termdraw_new(rows, cols, 100);

	termdraw_write(td, bytes, strlen(bytes));
	return (td);
}

static void
assert_row(struct termdraw *td, size_t back, int row, const char *want)
{
	char	*got = termdraw_row_text(td, back, row);

	if (strcmp(got, want) != 0)
		fail_msg("row %d (back %zu) is \"%s\", not \"%s\"", row, back,
		    got, want);
	free(got);
}

static struct termdraw_cell
cell(struct termdraw *td, int row, int col)
{
	struct termdraw_cell	c;

	assert_true(termdraw_cell(td, 0, row, col, &c));
	return (c);
}

static void
plain_text_lands_in_cells(void **state)
{
	struct termdraw		*td = feed(5, 20, "hello\r\nworld");
	struct termdraw_cell	 c = cell(td, 0, 0);
	int			 row, col;
	bool			 visible;

	assert_row(td, 0, 0, "hello");
	assert_row(td, 0, 1, "world");
	assert_row(td, 0, 2, "");
	assert_int_equal(c.ch[0], 'h');
	assert_int_equal(c.ch[1], 0);
	assert_int_equal(c.width, 1);
	assert_int_equal(c.fg.kind, TERMDRAW_DEFAULT);
	assert_int_equal(c.bg.kind, TERMDRAW_DEFAULT);
	assert_false(c.bold);
	termdraw_cursor(td, &row, &col, &visible);
	assert_int_equal(row, 1);
	assert_int_equal(col, 5);
	assert_true(visible);
	termdraw_free(td);
}

static void
sgr_colours_and_attributes(void **state)
{
	struct termdraw		*td = feed(3, 40,
	    "\033[31mR\033[0m \033[1;38;5;202mO\033[0m "
	    "\033[38;2;10;20;30;48;5;4mT\033[0m \033[7;4;3mV\033[0m "
	    "\033[92mG\033[0m.");
	struct termdraw_cell	 c;

	assert_row(td, 0, 0, "R O T V G.");
	c = cell(td, 0, 0);
	assert_int_equal(c.fg.kind, TERMDRAW_INDEXED);
	assert_int_equal(c.fg.index, 1);
	assert_false(c.bold);
	c = cell(td, 0, 2);
	assert_true(c.bold);
	assert_int_equal(c.fg.kind, TERMDRAW_INDEXED);
	assert_int_equal(c.fg.index, 202);
	c = cell(td, 0, 4);
	assert_int_equal(c.fg.kind, TERMDRAW_RGB);
	assert_int_equal(c.fg.r, 10);
	assert_int_equal(c.fg.g, 20);
	assert_int_equal(c.fg.b, 30);
	assert_int_equal(c.bg.kind, TERMDRAW_INDEXED);
	assert_int_equal(c.bg.index, 4);
	c = cell(td, 0, 6);
	assert_true(c.reverse);
	assert_true(c.underline);
	assert_true(c.italic);
	c = cell(td, 0, 8);
	assert_int_equal(c.fg.index, 10);
	c = cell(td, 0, 9);	/* after the reset */
	assert_int_equal(c.fg.kind, TERMDRAW_DEFAULT);
	assert_false(c.reverse);
	termdraw_free(td);
}

static void
cursor_moves_and_erases(void **state)
{
	struct termdraw	*td = feed(5, 20,
	    "\033[3;5HX\033[1;1HY\033[2;2H\033[CZ"
	    "\033[5;1Habcdef\033[5;3H\033[K"
	    "\033[4;1Hgone\033[4;1H\033[2K");
	int		 row, col;
	bool		 visible;

	assert_row(td, 0, 0, "Y");
	assert_row(td, 0, 1, "  Z");
	assert_row(td, 0, 2, "    X");
	assert_row(td, 0, 3, "");
	assert_row(td, 0, 4, "ab");
	termdraw_write(td, "\033[?25l", 6);
	termdraw_cursor(td, &row, &col, &visible);
	assert_int_equal(row, 3);
	assert_int_equal(col, 0);
	assert_false(visible);
	termdraw_write(td, "\033[2J", 4);
	assert_row(td, 0, 0, "");
	assert_row(td, 0, 2, "");
	termdraw_free(td);
}

static void
wide_characters_take_two_cells(void **state)
{
	struct termdraw		*td = feed(2, 10, "漢字x e\xcc\x81");
	struct termdraw_cell	 c;

	assert_row(td, 0, 0, "漢字x e\xcc\x81");
	c = cell(td, 0, 0);
	assert_int_equal(c.ch[0], 0x6f22);
	assert_int_equal(c.width, 2);
	c = cell(td, 0, 1);
	assert_int_equal(c.width, 0);
	c = cell(td, 0, 2);
	assert_int_equal(c.ch[0], 0x5b57);
	c = cell(td, 0, 4);
	assert_int_equal(c.ch[0], 'x');
	c = cell(td, 0, 6);	/* e + combining acute: one cell */
	assert_int_equal(c.ch[0], 'e');
	assert_int_equal(c.ch[1], 0x301);
	assert_int_equal(c.width, 1);
	termdraw_free(td);
}

static void
a_progress_bar_redrawn_with_cr_shows_its_last_state(void **state)
{
	struct termdraw	*td = feed(4, 30,
	    "rolling back\r\n"
	    "[#         ]  10%\r[#####     ]  50%\r[##########] 100%\r\n"
	    "done");

	assert_row(td, 0, 0, "rolling back");
	assert_row(td, 0, 1, "[##########] 100%");
	assert_row(td, 0, 2, "done");
	termdraw_free(td);
}

static void
lines_that_scroll_away_are_kept_trimmed(void **state)
{
	struct termdraw		*td = termdraw_new(5, 20, 100);
	struct termdraw_cell	 c;
	char			 line[32];
	int			 i;

	for (i = 1; i <= 12; i++) {
		snprintf(line, sizeof line, "line %d\r\n", i);
		termdraw_write(td, line, strlen(line));
	}
	/* Five rows: lines 9-12 and the empty one the cursor is on. */
	assert_int_equal(termdraw_scrollback(td), 8);
	assert_row(td, 0, 0, "line 9");
	assert_row(td, 0, 3, "line 12");
	assert_row(td, 8, 0, "line 1");
	assert_row(td, 8, 4, "line 5");
	assert_row(td, 3, 0, "line 6");
	assert_row(td, 3, 3, "line 9");
	/* Past the kept text a scrollback row is blank, not garbage. */
	assert_true(termdraw_cell(td, 8, 0, 15, &c));
	assert_int_equal(c.ch[0], 0);
	/* Scrolling back further than there is stops at the oldest. */
	assert_row(td, 500, 0, "line 1");

	/* Growing the screen hands rows back from the scrollback. */
	termdraw_resize(td, 8, 20);
	assert_int_equal(termdraw_scrollback(td), 5);
	assert_row(td, 0, 0, "line 6");
	termdraw_free(td);
}

static void
the_scrollback_is_bounded(void **state)
{
	struct termdraw	*td = termdraw_new(2, 10, 3);
	int		 i;

	for (i = 0; i < 10; i++)
		termdraw_write(td, "x\r\n", 3);
	assert_int_equal(termdraw_scrollback(td), 3);
	termdraw_free(td);
}

static void
collect(const char *s, size_t len, void *arg)
{
	sbuf_add(arg, s, len);
}

static void
keys_and_answers_go_back_to_the_child(void **state)
{
	struct termdraw	*td = termdraw_new(10, 40, 10);
	struct sbuf	 out;

	sbuf_init(&out);
	termdraw_on_output(td, collect, &out);

	termdraw_key(td, KEYMAP_KEYCODE(KEY_UP));
	termdraw_key(td, '\r');
	termdraw_key(td, 3);			/* Ctrl-C */
	termdraw_key(td, 0xe9);			/* é */
	termdraw_key(td, 0x7f);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.s, "\033[A\r\003\xc3\xa9\x7f", 8);

	/* The child asks for application cursor keys: they change. */
	sbuf_reset(&out);
	termdraw_write(td, "\033[?1h", 5);
	termdraw_key(td, KEYMAP_KEYCODE(KEY_UP));
	assert_string_equal(out.s, "\033OA");

	/* The child asks where the cursor is: the terminal answers. */
	sbuf_reset(&out);
	termdraw_write(td, "\033[3;7H\033[6n", 10);
	assert_string_equal(out.s, "\033[3;7R");
	sbuf_free(&out);
	termdraw_free(td);
}

static void
colours_map_to_the_nearest_the_terminal_has(void **state)
{
	struct termdraw_color	def = { .kind = TERMDRAW_DEFAULT };
	struct termdraw_color	red = { .kind = TERMDRAW_INDEXED, .index = 1 };
	struct termdraw_color	bright = { .kind = TERMDRAW_INDEXED,
	    .index = 9 };
	struct termdraw_color	orange = { .kind = TERMDRAW_INDEXED,
	    .index = 202 };
	struct termdraw_color	pure = { .kind = TERMDRAW_RGB, .r = 255 };
	struct termdraw_color	navy = { .kind = TERMDRAW_RGB, .r = 10,
	    .g = 20, .b = 30 };

	assert_int_equal(termdraw_curses_color(&def, 256), -1);
	assert_int_equal(termdraw_curses_color(&red, 8), 1);
	assert_int_equal(termdraw_curses_color(&red, 256), 1);
	assert_int_equal(termdraw_curses_color(&bright, 16), 9);
	assert_int_equal(termdraw_curses_color(&bright, 8), 1);
	assert_int_equal(termdraw_curses_color(&orange, 256), 202);
	assert_int_equal(termdraw_curses_color(&orange, 8), 1);
	assert_int_equal(termdraw_curses_color(&pure, 256), 196);
	assert_int_equal(termdraw_curses_color(&pure, 16), 9);
	assert_int_equal(termdraw_curses_color(&pure, 8), 1);
	assert_int_equal(termdraw_curses_color(&navy, 256), 233);
	assert_int_equal(termdraw_curses_color(&red, 2), -1);
}

/* Read back what termdraw_draw put into a curses screen. */
static void
drawing_puts_the_cells_into_curses(void **state)
{
	struct termdraw	*td;
	SCREEN		*scr;
	FILE		*out, *in;
	cchar_t		 cc;
	wchar_t		 wch[8];
	attr_t		 attrs;
	short		 pair, fg, bg;

	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm("xterm-256color", out, in);
	if (scr == NULL)
		skip();
	start_color();
	use_default_colors();
	td = feed(4, 20, "\033[1;31mERR\033[0m ok \xe6\xbc\xa2\r\n"
	    "\033[44m  \033[0m\x1b]0;title\x07\xe2\x80\xae!");
	termdraw_draw(td, 2, 3, 4, 20, 0, true);

	assert_int_equal(mvin_wch(2, 3, &cc), OK);
	assert_int_equal(getcchar(&cc, wch, &attrs, &pair, NULL), OK);
	assert_int_equal(wch[0], L'E');
	assert_true(attrs & A_BOLD);
	assert_int_equal(pair_content(pair, &fg, &bg), OK);
	assert_int_equal(fg, COLOR_RED);
	assert_int_equal(bg, -1);

	assert_int_equal(mvin_wch(2, 7, &cc), OK);	/* "ok": no colour */
	getcchar(&cc, wch, &attrs, &pair, NULL);
	assert_int_equal(wch[0], L'o');
	assert_int_equal(pair, 0);

	assert_int_equal(mvin_wch(2, 10, &cc), OK);	/* the wide one */
	getcchar(&cc, wch, &attrs, &pair, NULL);
	assert_int_equal(wch[0], 0x6f22);

	assert_int_equal(mvin_wch(3, 3, &cc), OK);	/* blue background */
	getcchar(&cc, wch, &attrs, &pair, NULL);
	assert_int_equal(wch[0], L' ');
	pair_content(pair, &fg, &bg);
	assert_int_equal(bg, COLOR_BLUE);

	/* The title sequence is consumed; the bidi override (zero width, so
	 * libvterm joins it to the cell before) is not drawn. */
	assert_int_equal(mvin_wch(3, 4, &cc), OK);
	getcchar(&cc, wch, &attrs, &pair, NULL);
	assert_int_equal(wch[0], L' ');
	assert_int_equal(wch[1], 0);
	assert_int_equal(mvin_wch(3, 5, &cc), OK);
	getcchar(&cc, wch, &attrs, &pair, NULL);
	assert_int_equal(wch[0], L'!');

	termdraw_free(td);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(plain_text_lands_in_cells),
		cmocka_unit_test(sgr_colours_and_attributes),
		cmocka_unit_test(cursor_moves_and_erases),
		cmocka_unit_test(wide_characters_take_two_cells),
		cmocka_unit_test(
		    a_progress_bar_redrawn_with_cr_shows_its_last_state),
		cmocka_unit_test(lines_that_scroll_away_are_kept_trimmed),
		cmocka_unit_test(the_scrollback_is_bounded),
		cmocka_unit_test(keys_and_answers_go_back_to_the_child),
		cmocka_unit_test(colours_map_to_the_nearest_the_terminal_has),
		cmocka_unit_test(drawing_puts_the_cells_into_curses),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
