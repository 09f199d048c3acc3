/* test_pane.c: a selection is an item, not a row (views/pane.c). A pane
 * over a list the test rewrites: rows arriving above the highlighted item,
 * moving or vanishing leave the highlight on it, whether or not the user
 * ever moved; when it vanishes, the row below it (else the one above) is
 * selected and becomes the identity. */
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
#include "views/pane.h"
#include "views/ui.h"
#include "views/view.h"

/* The list shown: names, and a generation bumped on every change. */
static const char	*items[16];
static size_t		 nitems;
static uint64_t		 gen;

static void
set_items(const char *const *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		items[i] = v[i];
	nitems = n;
	gen++;
}

static size_t
fake_count(struct ui *app, struct pane *p)
{
	return (nitems);
}

static char *
fake_row_key(struct ui *app, struct pane *p, size_t i)
{
	return (xstrdup(items[i]));
}

static uint64_t
fake_generation(struct ui *app, struct pane *p)
{
	return (gen);
}

static const struct view_ops fake_view = {
	.name = "fake",
	.title = "Fake",
	.count = fake_count,
	.row_key = fake_row_key,
	.generation = fake_generation,
};

static const char *
selected(struct ui *app, struct pane *p)
{
	pane_sync(app, p);
	return (items[p->sel]);
}

static void
setup_pane(struct pane *p)
{
	memset(p, 0, sizeof *p);
	p->ops = &fake_view;
	p->body_rows = 10;
}

/* Never moved: the first row's item is the identity from the first sync. */
static void
a_newer_row_above_leaves_the_highlight(void **state)
{
	struct ui	 app;
	struct pane	 p;
	const char	*v1[] = { "checkout", "search" };
	const char	*v2[] = { "notifications", "checkout", "search" };

	memset(&app, 0, sizeof app);
	setup_pane(&p);
	set_items(v1, 2);
	assert_string_equal(selected(&app, &p), "checkout");
	set_items(v2, 3);
	assert_string_equal(selected(&app, &p), "checkout");
	assert_int_equal(p.sel, 1);
	pane_forget(&p);
}

static void
a_vanished_item_gives_way_to_the_row_below_else_above(void **state)
{
	struct ui	 app;
	struct pane	 p;
	const char	*v1[] = { "a", "b", "c", "d" };
	const char	*v2[] = { "a", "c", "d" };
	const char	*v3[] = { "x", "a", "d" };
	const char	*v4[] = { "x", "a" };
	const char	*v5[] = { "y", "z" };

	memset(&app, 0, sizeof app);
	setup_pane(&p);
	set_items(v1, 4);
	pane_select(&app, &p, 1);			/* b */
	set_items(v2, 3);				/* b gone */
	assert_string_equal(selected(&app, &p), "c");	/* below it */
	set_items(v3, 3);				/* c gone, x above */
	assert_string_equal(selected(&app, &p), "d");
	set_items(v4, 2);				/* d, the last, gone */
	assert_string_equal(selected(&app, &p), "a");	/* above it */
	set_items(v5, 2);			/* it and its neighbours gone */
	assert_string_equal(selected(&app, &p), "z");	/* the same row */
	/* ... and what is selected now is the identity. */
	set_items((const char *[]){ "w", "y", "z" }, 3);
	assert_string_equal(selected(&app, &p), "z");
	pane_forget(&p);
}

static void
moving_rows_keep_the_item(void **state)
{
	struct ui	 app;
	struct pane	 p;
	const char	*v1[] = { "a", "b", "c" };
	const char	*v2[] = { "c", "b", "a" };

	memset(&app, 0, sizeof app);
	setup_pane(&p);
	set_items(v1, 3);
	pane_select(&app, &p, 2);			/* c */
	set_items(v2, 3);
	assert_string_equal(selected(&app, &p), "c");
	assert_int_equal(p.sel, 0);
	pane_move(&app, &p, 1);
	assert_string_equal(selected(&app, &p), "b");
	pane_forget(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_newer_row_above_leaves_the_highlight),
		cmocka_unit_test(
		    a_vanished_item_gives_way_to_the_row_below_else_above),
		cmocka_unit_test(moving_rows_keep_the_item),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
