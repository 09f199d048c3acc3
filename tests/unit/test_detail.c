/* test_detail.c: the detail and help overlay's text. A long line wraps
 * between words (a word longer than the row is cut, nothing else is), the
 * rest of a wrapped line is indented under its own column, scrolling stops
 * with the last line at the bottom however the lines wrap, and a search
 * finds the next and previous line that holds the text, in any case,
 * around the end. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "views/detail.h"
#include "views/draw.h"

static void
a_long_line_wraps_between_words(void **state)
{
	/* "the quick brown fox " | "jumps over the lazy " | "dog" */
	assert_int_equal(draw_wrapped_rows(20, 0,
	    "the quick brown fox jumps over the lazy dog"), 3);
	/* Cut at 19 columns, "fox" would be split: it moves down whole. */
	assert_int_equal(draw_wrapped_rows(19, 0,
	    "the quick brown fox jumps"), 2);
	assert_int_equal(draw_wrapped_rows(80, 0, "short"), 1);
	assert_int_equal(draw_wrapped_rows(80, 0, ""), 1);
}

static void
only_a_word_longer_than_the_row_is_cut(void **state)
{
	assert_int_equal(draw_wrapped_rows(5, 0, "abcdefghij"), 2);
	assert_int_equal(draw_wrapped_rows(5, 0, "abcdefghijk"), 3);
}

#define LONG_X	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"	/* 70 */

static void
the_rest_of_a_line_is_indented_under_its_column(void **state)
{
	/* 20 columns, the rest indented by 10: "aaaa bbbb cccc dddd " then
	 * 10 columns a row: "eeee ffff " and "gggg". */
	assert_int_equal(draw_wrapped_rows(20, 10,
	    "aaaa bbbb cccc dddd eeee ffff gggg"), 3);
	/* An indent of more than half the width is not honoured... */
	assert_int_equal(draw_wrapped_rows(20, 15,
	    "aaaa bbbb cccc dddd eeee ffff gggg"), 2);
	/* ...unless it leaves 12 columns or more (the Timeline view's
	 * "what" at 120 columns). 76 wide: 70 x's and a blank, then 14 a
	 * row from column 62 ("yyyyyyyyyy", "zzzzzzzzzz"); not honoured,
	 * the y's and z's share the second row. */
	assert_int_equal(draw_wrapped_rows(76, 62, LONG_X
	    " yyyyyyyyyy zzzzzzzzzz"), 3);
	assert_int_equal(draw_wrapped_rows(76, 66, LONG_X
	    " yyyyyyyyyy zzzzzzzzzz"), 2);
}

static void
scrolling_stops_with_the_last_line_at_the_bottom(void **state)
{
	struct detail	d;
	int		i;

	memset(&d, 0, sizeof d);
	for (i = 0; i < 10; i++)
		detail_add(&d, DRAW_NORMAL, "line %d", i);
	/* Ten one-row lines in four rows: the last four are shown. */
	assert_int_equal(detail_last_top(&d, 4, 40), 6);
	assert_int_equal(detail_last_top(&d, 40, 40), 0);
	/* The last line takes four rows of twenty columns ("a line long
	 * enough " | "to wrap over four " | "rows of twenty " | "columns"):
	 * in five rows only it and one more fit, in four it alone. */
	detail_add(&d, DRAW_NORMAL, "%s", "a line long enough to wrap over "
	    "four rows of twenty columns");
	assert_int_equal(detail_last_top(&d, 5, 20), 9);
	assert_int_equal(detail_last_top(&d, 4, 20), 10);
	detail_clear(&d);
}

static void
a_search_finds_lines_in_any_case_around_the_end(void **state)
{
	struct detail	d;

	memset(&d, 0, sizeof d);
	detail_add(&d, DRAW_NORMAL, "j Down  down  select the next row");
	detail_add(&d, DRAW_NORMAL, "k Up  up  select the previous row");
	detail_add(&d, DRAW_NORMAL, "q  quit  quit sitrep");
	detail_add(&d, DRAW_NORMAL, "PgDn C-d  page-down  move down a page");
	d.find = xstrdup("DOWN");
	assert_true(detail_find(&d, 1));
	assert_int_equal(d.found, 1);
	assert_true(detail_find(&d, 1));
	assert_int_equal(d.found, 4);
	assert_true(detail_find(&d, 1));	/* around the end */
	assert_int_equal(d.found, 1);
	assert_true(detail_find(&d, -1));	/* and back */
	assert_int_equal(d.found, 4);
	assert_true(detail_line_holds(&d, 3));
	assert_false(detail_line_holds(&d, 2));
	free(d.find);
	d.find = xstrdup("xyzzy");
	d.found = 0;
	assert_false(detail_find(&d, 1));
	assert_int_equal(d.found, 0);
	detail_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_long_line_wraps_between_words),
		cmocka_unit_test(only_a_word_longer_than_the_row_is_cut),
		cmocka_unit_test(
		    the_rest_of_a_line_is_indented_under_its_column),
		cmocka_unit_test(
		    scrolling_stops_with_the_last_line_at_the_bottom),
		cmocka_unit_test(
		    a_search_finds_lines_in_any_case_around_the_end),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
