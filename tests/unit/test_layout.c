/* test_layout.c: where the panes go. At the smallest supported terminal and
 * at a big one, every pane is on screen, none covers another, the header and
 * the status line stay free, the logs run the full width at the bottom (so
 * that the terminal can scroll them), and alerts and deploys sit side by
 * side. Zoom gives one pane the whole body; a mouse click finds its pane. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/app.h"
#include "tui/layout.h"

static const char *const pane_names[PANE__COUNT] = {
	[PANE_ALERTS] = "alerts", [PANE_SLO] = "slo",
	[PANE_DEPLOYS] = "deploys", [PANE_LOGS] = "logs",
};

static bool
overlap(const struct rect *a, const struct rect *b)
{
	return (a->y < b->y + b->h && b->y < a->y + a->h &&
	    a->x < b->x + b->w && b->x < a->x + a->w);
}

/* The checks every unzoomed layout must pass. */
static void
check_full_layout(int rows, int cols)
{
	struct rect	r[PANE__COUNT];
	int		i, j, covered;

	assert_true(layout_compute(rows, cols, false, PANE_ALERTS, r));
	for (i = 0; i < PANE__COUNT; i++) {
		/* Visible, on screen, clear of the header and status line. */
		if (r[i].h <= 0 || r[i].w <= 0)
			fail_msg("%dx%d: %s not shown", cols, rows,
			    pane_names[i]);
		if (r[i].y < 1 || r[i].y + r[i].h > rows - 1 ||
		    r[i].x < 0 || r[i].x + r[i].w > cols)
			fail_msg("%dx%d: %s at y%d x%d h%d w%d is off the body",
			    cols, rows, pane_names[i], r[i].y, r[i].x,
			    r[i].h, r[i].w);
		/* Room for a title and at least a couple of rows. */
		assert_true(r[i].h >= 3);
		for (j = i + 1; j < PANE__COUNT; j++) {
			if (overlap(&r[i], &r[j]))
				fail_msg("%dx%d: %s overlaps %s", cols, rows,
				    pane_names[i], pane_names[j]);
		}
	}

	/* Logs: the full width, down to the status line. */
	assert_int_equal(r[PANE_LOGS].x, 0);
	assert_int_equal(r[PANE_LOGS].w, cols);
	assert_int_equal(r[PANE_LOGS].y + r[PANE_LOGS].h, rows - 1);

	/* Alerts left, deploys right, same rows, one column between. */
	assert_int_equal(r[PANE_ALERTS].x, 0);
	assert_int_equal(r[PANE_ALERTS].y, 1);
	assert_int_equal(r[PANE_DEPLOYS].y, r[PANE_ALERTS].y);
	assert_int_equal(r[PANE_DEPLOYS].h, r[PANE_ALERTS].h);
	assert_int_equal(r[PANE_DEPLOYS].x,
	    r[PANE_ALERTS].x + r[PANE_ALERTS].w + 1);
	assert_int_equal(r[PANE_DEPLOYS].x + r[PANE_DEPLOYS].w, cols);
	/* Alerts get the larger share: their titles are long. */
	assert_true(r[PANE_ALERTS].w > r[PANE_DEPLOYS].w);

	/* Every body row belongs to some pane (no wasted rows). */
	for (i = 1; i < rows - 1; i++) {
		covered = 0;
		for (j = 0; j < PANE__COUNT; j++) {
			if (i >= r[j].y && i < r[j].y + r[j].h &&
			    r[j].x == 0)
				covered = 1;
		}
		if (!covered)
			fail_msg("%dx%d: row %d is empty", cols, rows, i);
	}
}

static void
test_80x24_all_panes(void **state)
{
	check_full_layout(24, 80);
}

static void
test_200x50_all_panes(void **state)
{
	check_full_layout(50, 200);
}

static void
test_other_sizes(void **state)
{
	check_full_layout(24, 81);
	check_full_layout(25, 80);
	check_full_layout(40, 120);
	check_full_layout(60, 300);
}

static void
test_zoom_gives_focused_pane_everything(void **state)
{
	struct rect	r[PANE__COUNT];
	int		focus, i;

	for (focus = 0; focus < PANE__COUNT; focus++) {
		assert_true(layout_compute(24, 80, true, focus, r));
		assert_int_equal(r[focus].y, 1);
		assert_int_equal(r[focus].x, 0);
		assert_int_equal(r[focus].h, 22);
		assert_int_equal(r[focus].w, 80);
		for (i = 0; i < PANE__COUNT; i++) {
			if (i != focus)
				assert_int_equal(r[i].h, 0);
		}
		/* A click anywhere in the body lands on it. */
		assert_int_equal(layout_hit(r, 1, 0), focus);
		assert_int_equal(layout_hit(r, 22, 79), focus);
		assert_int_equal(layout_hit(r, 0, 10), -1);
		assert_int_equal(layout_hit(r, 23, 10), -1);
	}
}

/* At 80x24 five alerts and five SLOs would leave one of each hidden while
 * the logs have ten rows: the logs lend rows, keeping LAYOUT_LOGS_MIN;
 * with few items nothing moves; the panes still tile the screen. */
static void
test_logs_lend_rows_to_hidden_items(void **state)
{
	struct rect		d[PANE__COUNT], r[PANE__COUNT];
	struct layout_want	few = { 2, 2, 0 }, five = { 5, 5, 0 };
	struct layout_want	many = { 50, 50, 0 };
	int			i;

	assert_true(layout_compute(24, 80, false, PANE_ALERTS, d));
	assert_true(layout_compute_for(24, 80, false, PANE_ALERTS, &few, r));
	for (i = 0; i < PANE__COUNT; i++)
		assert_memory_equal(&r[i], &d[i], sizeof r[i]);
	assert_true(layout_compute_for(24, 80, false, PANE_ALERTS, &five, r));
	/* A title and the column headings above five items. */
	assert_true(r[PANE_ALERTS].h >= 5 + 2);
	assert_int_equal(r[PANE_DEPLOYS].h, r[PANE_ALERTS].h);
	assert_true(r[PANE_SLO].h >= 5 + 2);
	assert_true(r[PANE_LOGS].h >= LAYOUT_LOGS_MIN);
	assert_int_equal(r[PANE_LOGS].y + r[PANE_LOGS].h, 23);
	assert_int_equal(r[PANE_SLO].y, r[PANE_ALERTS].y + r[PANE_ALERTS].h);
	assert_int_equal(r[PANE_LOGS].y, r[PANE_SLO].y + r[PANE_SLO].h);
	/* However many: the logs keep their minimum, the top band first. */
	assert_true(layout_compute_for(24, 80, false, PANE_ALERTS, &many, r));
	assert_int_equal(r[PANE_LOGS].h, LAYOUT_LOGS_MIN);
	assert_true(r[PANE_ALERTS].h > d[PANE_ALERTS].h);
	assert_true(r[PANE_SLO].h >= d[PANE_SLO].h);
	assert_int_equal(r[PANE_LOGS].y + r[PANE_LOGS].h, 23);
	/* Zoomed: the focused pane has it all, as ever. */
	assert_true(layout_compute_for(24, 80, true, PANE_SLO, &many, r));
	assert_int_equal(r[PANE_SLO].h, 22);
}

/* At 200 columns the Deploys pane is wider than its rows: the Alerts
 * titles get the columns it does not use; it never grows the other way. */
static void
test_deploys_lend_columns_to_alerts(void **state)
{
	struct rect		d[PANE__COUNT], r[PANE__COUNT];
	struct layout_want	narrow = { 4, 4, 69 }, wide = { 4, 4, 150 };

	assert_true(layout_compute(50, 200, false, PANE_ALERTS, d));
	assert_true(layout_compute_for(50, 200, false, PANE_ALERTS, &narrow,
	    r));
	assert_int_equal(r[PANE_DEPLOYS].w, 69);
	assert_int_equal(r[PANE_ALERTS].w + 1 + r[PANE_DEPLOYS].w, 200);
	assert_int_equal(r[PANE_DEPLOYS].x, r[PANE_ALERTS].w + 1);
	assert_true(r[PANE_ALERTS].w > d[PANE_ALERTS].w);
	assert_true(layout_compute_for(50, 200, false, PANE_ALERTS, &wide, r));
	assert_int_equal(r[PANE_ALERTS].w, d[PANE_ALERTS].w);
	assert_int_equal(r[PANE_DEPLOYS].w, d[PANE_DEPLOYS].w);
	/* Never narrower than at 80 columns: its title needs the room. */
	narrow.deploys_w = 10;
	assert_true(layout_compute(24, 80, false, PANE_ALERTS, d));
	assert_true(layout_compute_for(24, 80, false, PANE_ALERTS, &narrow,
	    r));
	assert_int_equal(r[PANE_DEPLOYS].w, d[PANE_DEPLOYS].w);
	assert_true(layout_compute_for(50, 200, false, PANE_ALERTS, &narrow,
	    r));
	assert_int_equal(r[PANE_DEPLOYS].w, d[PANE_DEPLOYS].w);
}

static void
test_too_small(void **state)
{
	struct rect	r[PANE__COUNT];
	int		i;

	assert_false(layout_compute(24, 79, false, PANE_ALERTS, r));
	assert_false(layout_compute(23, 80, false, PANE_ALERTS, r));
	assert_false(layout_compute(23, 80, true, PANE_LOGS, r));
	assert_false(layout_compute(0, 0, false, PANE_ALERTS, r));
	/* Nothing is left drawn there. */
	for (i = 0; i < PANE__COUNT; i++)
		assert_int_equal(r[i].h, 0);
	assert_int_equal(layout_hit(r, 5, 5), -1);
}

static void
test_hit_finds_the_pane(void **state)
{
	struct rect	r[PANE__COUNT];
	int		i, gap;

	assert_true(layout_compute(24, 80, false, PANE_ALERTS, r));
	for (i = 0; i < PANE__COUNT; i++) {
		/* Corners and middle of each pane. */
		assert_int_equal(layout_hit(r, r[i].y, r[i].x), i);
		assert_int_equal(layout_hit(r, r[i].y + r[i].h - 1,
		    r[i].x + r[i].w - 1), i);
		assert_int_equal(layout_hit(r, r[i].y + r[i].h / 2,
		    r[i].x + r[i].w / 2), i);
	}
	/* Header and status rows. */
	assert_int_equal(layout_hit(r, 0, 0), -1);
	assert_int_equal(layout_hit(r, 0, 40), -1);
	assert_int_equal(layout_hit(r, 23, 0), -1);
	assert_int_equal(layout_hit(r, 23, 79), -1);
	/* The separator column between alerts and deploys. */
	gap = r[PANE_ALERTS].x + r[PANE_ALERTS].w;
	assert_int_equal(layout_hit(r, r[PANE_ALERTS].y, gap), -1);
	assert_int_equal(layout_hit(r, r[PANE_ALERTS].y +
	    r[PANE_ALERTS].h - 1, gap), -1);
	/* Off the screen. */
	assert_int_equal(layout_hit(r, 5, 80), -1);
	assert_int_equal(layout_hit(r, 5, -1), -1);
	assert_int_equal(layout_hit(r, 24, 5), -1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_80x24_all_panes),
		cmocka_unit_test(test_200x50_all_panes),
		cmocka_unit_test(test_other_sizes),
		cmocka_unit_test(test_zoom_gives_focused_pane_everything),
		cmocka_unit_test(test_logs_lend_rows_to_hidden_items),
		cmocka_unit_test(test_deploys_lend_columns_to_alerts),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_hit_finds_the_pane),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
