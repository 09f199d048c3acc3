/* test_columns.c: the drop orders of views/columns.h. At 80 columns (the
 * smallest terminal) and wider, what each pane keeps: the SLO pane keeps
 * the whole name and EMPTY IN while it drops the sparkline, the suspect
 * column, the bar and the long windows first; the Deploys pane keeps the
 * lead on the first alert whole (shortening its words) before it cuts the
 * service, and drops the author, the word "first" and the version first. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "views/columns.h"

/* The window named, by index in slo_window_names. */
enum { I5M, I30M, I1H, I2H, I6H, I1D, I3D };

/* The columns do not overlap and stay within w. */
static void
check_slo_fits(const struct slo_cols *c, int w)
{
	int	i, at = SLO_COL_NAME + c->name_w + 1;

	if (c->obj >= 0) {
		assert_true(c->obj >= at);
		at = c->obj + SLO_OBJ_W;
	}
	for (i = 0; i < W__COUNT; i++) {
		if (c->win[i] < 0)
			continue;
		assert_true(c->win[i] >= at);
		at = c->win[i] + SLO_BURN_W;
	}
	assert_true(c->budget >= at);
	at = c->budget + SLO_BUDGET_W;
	if (c->bar >= 0)
		at = c->bar + SLO_BAR_W + 1;
	assert_true(c->tte >= at);
	at = c->tte + SLO_TTE_W;
	assert_true(at <= w);
	if (c->suspect >= 0)
		assert_true(c->suspect + SLO_SUSPECT_W <= w);
	if (c->spark >= 0)
		assert_true(c->spark + SLO_SPARK_MIN <= w);
}

/* 80 columns, names of 22 ("inventory-availability"): the whole name, 5m
 * and 1h, BUDGET and EMPTY IN; the sparkline, the suspect column, the bar,
 * 3d and 1d gone. */
static void
slo_at_80_keeps_names_and_empty_in(void **state)
{
	struct slo_cols	c;

	slo_columns_fit(80, 22, true, &c);
	check_slo_fits(&c, 80);
	assert_int_equal(c.name_w, 22);
	assert_true(c.win[I5M] >= 0 && c.win[I1H] >= 0);
	assert_true(c.tte >= 0);
	assert_int_equal(c.spark, -1);
	assert_int_equal(c.suspect, -1);
	assert_int_equal(c.bar, -1);
	assert_int_equal(c.win[I3D], -1);
	assert_int_equal(c.win[I1D], -1);
	/* What is left fits: 30m, 2h, 6h and the objective. */
	assert_true(c.win[I30M] >= 0 && c.win[I2H] >= 0 && c.win[I6H] >= 0);
	assert_true(c.obj >= 0);
}

/* The order, one column at a time: each narrower width loses the next
 * in the written order, never a name, EMPTY IN, 5m or 1h. */
static void
slo_drops_in_the_written_order(void **state)
{
	struct slo_cols	c;
	int		w, lost_3d = 0, lost_1d = 0, lost_2h = 0, lost_obj = 0;
	int		lost_6h = 0, lost_30m = 0, lost_bar = 0, lost_spark = 0;

	for (w = 200; w >= 60; w--) {
		slo_columns_fit(w, 22, false, &c);
		check_slo_fits(&c, w);
		assert_true(c.win[I5M] >= 0 && c.win[I1H] >= 0);
		assert_true(c.tte >= 0);
		if (c.spark < 0 && !lost_spark)
			lost_spark = w;
		if (c.bar < 0 && !lost_bar)
			lost_bar = w;
		if (c.win[I3D] < 0 && !lost_3d)
			lost_3d = w;
		if (c.win[I1D] < 0 && !lost_1d)
			lost_1d = w;
		if (c.win[I2H] < 0 && !lost_2h)
			lost_2h = w;
		if (c.obj < 0 && !lost_obj)
			lost_obj = w;
		if (c.win[I6H] < 0 && !lost_6h)
			lost_6h = w;
		if (c.win[I30M] < 0 && !lost_30m)
			lost_30m = w;
		/* The name is whole as long as anything could go. */
		if (c.win[I30M] >= 0)
			assert_int_equal(c.name_w, 22);
	}
	assert_true(lost_spark > lost_bar);
	assert_true(lost_bar > lost_3d);
	assert_true(lost_3d > lost_1d);
	assert_true(lost_1d > lost_2h);
	assert_true(lost_2h > lost_obj);
	assert_true(lost_obj > lost_6h);
	assert_true(lost_6h > lost_30m);
	/* Then the name is cut, never below SLO_NAME_MIN. */
	slo_columns_fit(40, 30, false, &c);
	assert_int_equal(c.name_w, SLO_NAME_MIN);
}

/* The suspect column goes before the bar; once it is gone the sparkline
 * comes back if it fits. */
static void
slo_suspect_column_goes_before_the_bar(void **state)
{
	struct slo_cols	c;

	slo_columns_fit(200, 22, true, &c);
	assert_true(c.suspect >= 0 && c.spark >= 0 && c.bar >= 0);
	slo_columns_fit(120, 22, true, &c);
	check_slo_fits(&c, 120);
	assert_int_equal(c.suspect, -1);
	assert_true(c.bar >= 0);
	assert_true(c.spark >= 0);
	assert_true(c.win[I3D] >= 0);
}

/* Deploys at 80 columns (31 wide), 120 (47) and 200 (79); services of
 * up to 13 columns ("notifications") unless said. */
static void
deploy_lead_is_never_cut(void **state)
{
	struct deploy_cols	c;
	char			buf[64];

	/* 200: everything. */
	deploy_columns_fit(79, 13, 8, "6m", true, &c);
	assert_true(c.version >= 0 && c.author >= 0);
	assert_int_equal(c.form, LEAD_FULL);
	/* 120: the author, then the word "first" go; the version stays. */
	deploy_columns_fit(47, 13, 8, "6m", true, &c);
	assert_int_equal(c.author, -1);
	assert_true(c.version >= 0);
	assert_int_equal(c.form, LEAD_MEDIUM);
	deploy_lead_text(buf, sizeof buf, "6m", c.form);
	assert_true(c.lead + (int)strlen(buf) <= 47);
	/* ... and with a longer lead the version goes before the lead is
	 * cut; narrower services leave it. */
	deploy_columns_fit(47, 13, 9, "2h50m", true, &c);
	assert_int_equal(c.version, -1);
	assert_int_equal(c.form, LEAD_MEDIUM);
	deploy_columns_fit(47, 9, 9, "2h50m", true, &c);
	assert_true(c.version >= 0);
	assert_int_equal(c.form, LEAD_MEDIUM);
	/* 80: the version gone, the service whole. */
	deploy_columns_fit(31, 13, 8, "6m", true, &c);
	assert_int_equal(c.version, -1);
	assert_int_equal(c.service_w, 8);
	deploy_lead_text(buf, sizeof buf, "6m", c.form);
	assert_string_equal(buf, "6m before alert");
	assert_true(c.lead + (int)strlen(buf) <= 31);
	deploy_columns_fit(31, 13, 9, "1d19h", true, &c);
	deploy_lead_text(buf, sizeof buf, "1d19h", c.form);
	assert_string_equal(buf, "alert +1d19h");
	assert_int_equal(c.service_w, 9);
	assert_true(c.lead + (int)strlen(buf) <= 31);
	/* Narrower than anything: the service is cut, the lead is not. */
	deploy_columns_fit(28, 13, 13, "1d19h", true, &c);
	deploy_lead_text(buf, sizeof buf, "1d19h", c.form);
	assert_true(c.service_w < 13);
	assert_true(c.lead + (int)strlen(buf) <= 28);
}

/* Without a lead: the author goes before the version. */
static void
deploy_author_goes_before_version(void **state)
{
	struct deploy_cols	c;

	deploy_columns_fit(79, 13, 8, NULL, true, &c);
	assert_true(c.version >= 0 && c.author >= 0);
	deploy_columns_fit(31, 13, 8, NULL, true, &c);
	assert_int_equal(c.author, -1);
	assert_true(c.version >= 0);
	assert_int_equal(c.lead, -1);
}

/* Several environments: the tag is whole at 200, cut to its first columns
 * at 80 (a 31-column pane), and goes only when the service would not keep
 * DEPLOY_ENV_MIN_REST. */
static void
deploy_env_outranks_author(void **state)
{
	assert_int_equal(deploy_env_fit(79), ENV_TAG_W);
	assert_int_equal(deploy_env_fit(31), DEPLOY_ENV_SHORT_W);
	assert_int_equal(deploy_env_fit(DEPLOY_MARK_W + DEPLOY_AGE_W +
	    DEPLOY_ENV_SHORT_W + 1 + DEPLOY_ENV_MIN_REST), DEPLOY_ENV_SHORT_W);
	assert_int_equal(deploy_env_fit(DEPLOY_MARK_W + DEPLOY_AGE_W +
	    DEPLOY_ENV_SHORT_W + DEPLOY_ENV_MIN_REST), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slo_at_80_keeps_names_and_empty_in),
		cmocka_unit_test(slo_drops_in_the_written_order),
		cmocka_unit_test(slo_suspect_column_goes_before_the_bar),
		cmocka_unit_test(deploy_lead_is_never_cut),
		cmocka_unit_test(deploy_author_goes_before_version),
		cmocka_unit_test(deploy_env_outranks_author),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
