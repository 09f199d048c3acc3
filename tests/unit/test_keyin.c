/* test_keyin.c: what the terminal sends, decoded as a person meant it:
 * letters and UTF-8 characters as keys, function keys as themselves, a
 * click, a release and the wheel in SGR and X10 form at any column, a
 * report that arrives in pieces finished later, and a report broken by a
 * typed key dropped without losing the key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "keymaps/keyin.h"

static struct keyin_event	got[64];
static int			ngot;

/* Feed items; the events pile up in got[]. */
static void
feed(struct keyin *k, const int *items, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		assert_true(ngot + KEYIN_MAX_EVENTS <= 64);
		ngot += keyin_feed(k, items[i], got + ngot);
	}
}

static void
feed_bytes(struct keyin *k, const char *s)
{
	for (; *s != '\0'; s++)
		ngot += keyin_feed(k, (unsigned char)*s, got + ngot);
}

static void
start(struct keyin *k)
{
	keyin_init(k);
	ngot = 0;
	memset(got, 0, sizeof got);
}

static void
assert_key(int i, int key)
{
	assert_int_equal(got[i].kind, KEYIN_KEY);
	assert_int_equal(got[i].key, key);
}

static void
assert_mouse(int i, enum keyin_button b, bool press, int y, int x)
{
	assert_int_equal(got[i].kind, KEYIN_MOUSE);
	assert_int_equal(got[i].button, b);
	assert_int_equal(got[i].press, press);
	assert_int_equal(got[i].y, y);
	assert_int_equal(got[i].x, x);
}

static void
letters_and_characters_are_keys(void **state)
{
	struct keyin	k;
	const int	items[] = { 'j', KEYMAP_KEYCODE(KEY_DOWN), 0xc3, 0xa9,
	    0xe2, 0x9c, 0x93, 0xf0, 0x9f, 0x94, 0xa5, '\r' };

	start(&k);
	feed(&k, items, sizeof items / sizeof items[0]);
	assert_int_equal(ngot, 6);
	assert_key(0, 'j');
	assert_key(1, KEYMAP_KEYCODE(KEY_DOWN));
	assert_key(2, 0xe9);		/* é */
	assert_key(3, 0x2713);		/* ✓ */
	assert_key(4, 0x1f525);
	assert_key(5, '\r');
}

static void
broken_characters_are_dropped(void **state)
{
	struct keyin	k;
	/* a lead byte cut short by a letter, by a function key; a stray
	 * continuation byte; an overlong '/'; a surrogate; 0xff */
	const int	items[] = { 0xc3, 'q', 0xe2, 0x9c,
	    KEYMAP_KEYCODE(KEY_UP), 0x80, 'a', 0xc0, 0xaf, 0xed, 0xa0, 0x80,
	    0xff, 'b' };

	start(&k);
	feed(&k, items, sizeof items / sizeof items[0]);
	assert_int_equal(ngot, 4);
	assert_key(0, 'q');
	assert_key(1, KEYMAP_KEYCODE(KEY_UP));
	assert_key(2, 'a');
	assert_key(3, 'b');
}

static void
sgr_clicks_releases_and_the_wheel(void **state)
{
	struct keyin	k;

	start(&k);
	assert_int_equal(keyin_feed(&k, KEYIN_SGR_MOUSE, got), 0);
	feed_bytes(&k, "0;10;5M");
	assert_int_equal(keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot), 0);
	feed_bytes(&k, "0;10;5m");
	keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot);
	feed_bytes(&k, "64;150;40M");
	keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot);
	feed_bytes(&k, "65;1;1M");
	keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot);
	feed_bytes(&k, "32;3;3M");	/* moved with the button down */
	assert_int_equal(ngot, 5);
	assert_mouse(0, KEYIN_BUTTON_LEFT, true, 4, 9);
	assert_mouse(1, KEYIN_BUTTON_LEFT, false, 4, 9);
	assert_mouse(2, KEYIN_WHEEL_UP, true, 39, 149);
	assert_mouse(3, KEYIN_WHEEL_DOWN, true, 0, 0);
	assert_true(got[4].motion);
}

static void
a_report_in_pieces_is_finished_later(void **state)
{
	struct keyin	k;

	start(&k);
	keyin_feed(&k, KEYIN_SGR_MOUSE, got);
	feed_bytes(&k, "0;12");
	assert_int_equal(ngot, 0);	/* nothing waits for the rest */
	feed_bytes(&k, "0;7M");
	assert_int_equal(ngot, 1);
	assert_mouse(0, KEYIN_BUTTON_LEFT, true, 6, 119);
	feed_bytes(&k, "k");
	assert_key(1, 'k');
}

static void
a_broken_report_keeps_the_key_that_broke_it(void **state)
{
	struct keyin	k;

	start(&k);
	keyin_feed(&k, KEYIN_SGR_MOUSE, got);
	feed_bytes(&k, "0;1");
	feed_bytes(&k, "q");
	keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot);
	feed_bytes(&k, ";M");		/* no number: not a report, */
	keyin_feed(&k, KEYIN_SGR_MOUSE, got + ngot);	/* its bytes keys */
	feed_bytes(&k, "999999999999;1;1M");	/* bounded, still one */
	assert_int_equal(ngot, 4);
	assert_key(0, 'q');
	assert_key(1, ';');
	assert_key(2, 'M');
	assert_int_equal(got[3].kind, KEYIN_MOUSE);
}

static void
x10_reports_as_older_terminals_send_them(void **state)
{
	struct keyin	k;
	const int	items[] = { KEYIN_X10_MOUSE, ' ', '!' + 9, '!' + 4,
	    KEYIN_X10_MOUSE, '#', '!' + 9, '!' + 4,
	    KEYIN_X10_MOUSE, '`', 0xc8, '!',
	    KEYIN_X10_MOUSE, ' ', KEYMAP_KEYCODE(KEY_LEFT) };

	start(&k);
	feed(&k, items, sizeof items / sizeof items[0]);
	assert_int_equal(ngot, 4);
	assert_mouse(0, KEYIN_BUTTON_LEFT, true, 4, 9);
	assert_mouse(1, KEYIN_BUTTON_NONE, false, 4, 9);
	assert_mouse(2, KEYIN_WHEEL_UP, true, 0, 0xc8 - 33);
	assert_key(3, KEYMAP_KEYCODE(KEY_LEFT));
}

static void
a_report_after_a_lone_escape_is_one(void **state)
{
	struct keyin	k;

	start(&k);
	feed_bytes(&k, "\033[<0;10;5M");	/* Escape, then the rest */
	feed_bytes(&k, "\033[A");		/* Escape, [ and a letter */
	feed_bytes(&k, "\033x");		/* Escape, then a key */
	assert_int_equal(ngot, 7);
	assert_key(0, 27);
	assert_mouse(1, KEYIN_BUTTON_LEFT, true, 4, 9);
	assert_key(2, 27);
	assert_key(3, '[');
	assert_key(4, 'A');
	assert_key(5, 27);
	assert_key(6, 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(letters_and_characters_are_keys),
		cmocka_unit_test(broken_characters_are_dropped),
		cmocka_unit_test(sgr_clicks_releases_and_the_wheel),
		cmocka_unit_test(a_report_in_pieces_is_finished_later),
		cmocka_unit_test(a_broken_report_keeps_the_key_that_broke_it),
		cmocka_unit_test(x10_reports_as_older_terminals_send_them),
		cmocka_unit_test(a_report_after_a_lone_escape_is_one),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
