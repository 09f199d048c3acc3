/* test_slomath.c: the error-budget arithmetic behind the SLO pane. The lead
 * reading it must be able to trust that "15x" means fifteen times the
 * sustainable rate, that a page needs both the long and the short window
 * (the workbook's multiwindow rule), that missing data never pages anybody,
 * and that "budget gone in 1.5d" is the right number. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"
#include "core/slomath.h"

#define DAY	86400L
#define EPS	1e-9

static void
assert_close(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (+-%g)", got, want, tol);
}

/* An SLO with no data anywhere, 99.9% over 30 days. */
static void
slo_blank(struct slo *s, long window)
{
	size_t	i;

	memset(s, 0, sizeof *s);
	s->objective = 99.9;
	s->window_seconds = window;
	s->budget_remaining = NAN;
	for (i = 0; i < W__COUNT; i++)
		s->burn[i] = s->error_ratio[i] = NAN;
}

static void
slo_done(struct slo *s)
{
	slo_free(s);
}

/* The rule for a given pair of windows. */
static const struct slo_rule *
rule(enum slo_window long_w, enum slo_window short_w)
{
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (slo_rules[i].long_w == long_w &&
		    slo_rules[i].short_w == short_w)
			return (&slo_rules[i]);
	}
	fail_msg("no rule %s+%s", slo_window_names[long_w],
	    slo_window_names[short_w]);
	return (NULL);
}

/* --- burn --------------------------------------------------------------- */

static void
test_burn_is_ratio_over_budget(void **state)
{
	/* 1% errors against a 0.1% budget burn it 10x as fast as allowed. */
	assert_close(slo_burn(0.01, 99.9), 10.0, EPS);
	assert_close(slo_burn(0.001, 99.9), 1.0, EPS);
	assert_close(slo_burn(0.0, 99.9), 0.0, EPS);
	assert_close(slo_burn(0.05, 99.0), 5.0, EPS);
	assert_close(slo_burn(0.0005, 99.95), 1.0, EPS);
	assert_close(slo_burn(1.0, 90.0), 10.0, EPS);
}

static void
test_burn_unknown_is_nan(void **state)
{
	assert_true(isnan(slo_burn(NAN, 99.9)));
	assert_true(isnan(slo_burn(0.01, NAN)));
	/* A 100% objective has no budget: the burn is undefined, not inf. */
	assert_true(isnan(slo_burn(0.01, 100.0)));
	assert_true(isnan(slo_burn(0.0, 100.0)));
	assert_true(isnan(slo_burn(0.01, 101.0)));
}

/* --- thresholds --------------------------------------------------------- */

static void
test_thresholds_for_30_days_are_the_workbooks(void **state)
{
	/* Exact: the pane prints "> 14.4", not "> 14.399999". */
	assert_true(slo_threshold(rule(W_1H, W_5M), 30 * DAY) == 14.4);
	assert_true(slo_threshold(rule(W_6H, W_30M), 30 * DAY) == 6.0);
	assert_true(slo_threshold(rule(W_1D, W_2H), 30 * DAY) == 3.0);
	assert_true(slo_threshold(rule(W_3D, W_6H), 30 * DAY) == 1.0);
	assert_int_equal(rule(W_1H, W_5M)->level, SLO_ALERT_PAGE);
	assert_int_equal(rule(W_6H, W_30M)->level, SLO_ALERT_PAGE);
	assert_int_equal(rule(W_1D, W_2H)->level, SLO_ALERT_TICKET);
	assert_int_equal(rule(W_3D, W_6H)->level, SLO_ALERT_TICKET);
}

/* The same budget fraction per long window: threshold * window / 30d. */
static void
test_thresholds_scale_with_the_window(void **state)
{
	assert_close(slo_threshold(rule(W_1H, W_5M), 28 * DAY),
	    14.4 * 28 / 30, EPS);
	assert_close(slo_threshold(rule(W_6H, W_30M), 28 * DAY),
	    6.0 * 28 / 30, EPS);
	assert_close(slo_threshold(rule(W_1D, W_2H), 28 * DAY),
	    3.0 * 28 / 30, EPS);
	assert_close(slo_threshold(rule(W_3D, W_6H), 28 * DAY),
	    28.0 / 30, EPS);
	assert_close(slo_threshold(rule(W_1H, W_5M), 7 * DAY), 3.36, EPS);
	assert_close(slo_threshold(rule(W_6H, W_30M), 7 * DAY), 1.4, EPS);
	assert_close(slo_threshold(rule(W_1D, W_2H), 7 * DAY), 0.7, EPS);
	assert_close(slo_threshold(rule(W_3D, W_6H), 7 * DAY), 7.0 / 30, EPS);
}

/* --- evaluation --------------------------------------------------------- */

static void
test_page_needs_1h_and_5m(void **state)
{
	struct slo	s;

	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = 15.2;
	s.burn[W_5M] = 16.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	assert_non_null(s.condition);
	assert_non_null(strstr(s.condition, "1h"));
	assert_non_null(strstr(s.condition, "5m"));
	assert_non_null(strstr(s.condition, "14.4"));
	slo_done(&s);

	/* The long window alone: the incident is already over. */
	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = 15.2;
	s.burn[W_5M] = 2.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	assert_null(s.condition);
	slo_done(&s);

	/* The short window alone: a blip. */
	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = 2.0;
	s.burn[W_5M] = 40.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);

	/* Exactly at the threshold is not above it. */
	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = 14.4;
	s.burn[W_5M] = 14.4;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);
}

static void
test_page_via_6h_and_30m(void **state)
{
	struct slo	s;

	slo_blank(&s, 30 * DAY);
	s.burn[W_6H] = 6.5;
	s.burn[W_30M] = 7.0;
	s.burn[W_1H] = 7.0;
	s.burn[W_5M] = 7.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	assert_non_null(strstr(s.condition, "6h"));
	assert_non_null(strstr(s.condition, "30m"));
	slo_done(&s);

	slo_blank(&s, 30 * DAY);
	s.burn[W_6H] = 6.5;
	s.burn[W_30M] = 5.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);
}

static void
test_ticket_conditions(void **state)
{
	struct slo	s;

	slo_blank(&s, 30 * DAY);
	s.burn[W_1D] = 3.5;
	s.burn[W_2H] = 4.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_TICKET);
	assert_non_null(strstr(s.condition, "1d"));
	assert_non_null(strstr(s.condition, "2h"));
	slo_done(&s);

	slo_blank(&s, 30 * DAY);
	s.burn[W_3D] = 1.2;
	s.burn[W_6H] = 1.5;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_TICKET);
	assert_non_null(strstr(s.condition, "3d"));
	assert_non_null(strstr(s.condition, "6h"));
	slo_done(&s);

	/* Only one of each pair: nothing. */
	slo_blank(&s, 30 * DAY);
	s.burn[W_1D] = 3.5;
	s.burn[W_2H] = 2.0;
	s.burn[W_3D] = 0.5;
	s.burn[W_6H] = 2.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);
}

static void
test_page_wins_over_ticket(void **state)
{
	struct slo	s;
	size_t		i;

	slo_blank(&s, 30 * DAY);
	for (i = 0; i < W__COUNT; i++)
		s.burn[i] = 20.0;	/* every condition holds */
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	assert_non_null(s.condition);
	/* The condition shown is a paging one. */
	assert_true(strstr(s.condition, "1h") != NULL ||
	    strstr(s.condition, "6h") != NULL);
	assert_null(strstr(s.condition, "1d"));
	assert_null(strstr(s.condition, "3d"));
	slo_done(&s);
}

static void
test_nan_windows_never_fire(void **state)
{
	struct slo	s;
	size_t		i;

	/* No data at all. */
	slo_blank(&s, 30 * DAY);
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	assert_null(s.condition);
	slo_done(&s);

	/* Long windows burning hot, the short ones they pair with unknown
	 * (6h is both: the long window of a page, the short one of a
	 * ticket, so it stays unknown here). */
	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = s.burn[W_1D] = s.burn[W_3D] = 100;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);

	/* And the other way round. */
	slo_blank(&s, 30 * DAY);
	s.burn[W_5M] = s.burn[W_30M] = s.burn[W_2H] = 100;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	slo_done(&s);

	/* Re-evaluating after the data went away clears an old page. */
	slo_blank(&s, 30 * DAY);
	for (i = 0; i < W__COUNT; i++)
		s.burn[i] = 20.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	for (i = 0; i < W__COUNT; i++)
		s.burn[i] = NAN;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	assert_null(s.condition);
	slo_done(&s);
}

/* A 7-day SLO pages at a lower burn than a 30-day one. */
static void
test_short_slo_window_pages_sooner(void **state)
{
	struct slo	s;

	slo_blank(&s, 7 * DAY);
	s.burn[W_1H] = 4.0;
	s.burn[W_5M] = 4.0;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	assert_non_null(strstr(s.condition, "3.36"));
	slo_done(&s);

	slo_blank(&s, 30 * DAY);
	s.burn[W_1H] = 4.0;
	s.burn[W_5M] = 4.0;
	slo_evaluate(&s);
	assert_int_not_equal(s.alert, SLO_ALERT_PAGE);
	slo_done(&s);
}

/* --- time to exhaustion ------------------------------------------------- */

static void
test_time_to_exhaustion(void **state)
{
	/* Half the budget left, burning 10x over 30 days: 1.5 days. */
	assert_close(slo_time_to_exhaustion(0.5, 10.0, 30 * DAY),
	    1.5 * DAY, 1e-6);
	/* At exactly the sustainable rate a full budget lasts the window. */
	assert_close(slo_time_to_exhaustion(1.0, 1.0, 30 * DAY), 30 * DAY,
	    1e-6);
	assert_true(isinf(slo_time_to_exhaustion(0.5, 0.0, 30 * DAY)));
	assert_true(slo_time_to_exhaustion(0.5, 0.0, 30 * DAY) > 0);
	assert_true(slo_time_to_exhaustion(0.0, 10.0, 30 * DAY) == 0);
	assert_true(slo_time_to_exhaustion(-0.2, 10.0, 30 * DAY) == 0);
	assert_true(isnan(slo_time_to_exhaustion(NAN, 10.0, 30 * DAY)));
	assert_true(isnan(slo_time_to_exhaustion(0.5, NAN, 30 * DAY)));
}

/* A burn under 1x over a rolling window never empties the budget: the
 * days it would take are no number to show (and swung with noise). */
static void
test_never_runs_out_below_1x(void **state)
{
	struct slo	s;

	assert_true(isinf(slo_time_to_exhaustion(0.4, 0.6, 30 * DAY)));
	assert_true(isinf(slo_time_to_exhaustion(0.9, 0.999, 30 * DAY)));
	/* Already overspent: gone, whatever the burn. */
	assert_true(slo_time_to_exhaustion(-0.1, 0.6, 30 * DAY) == 0);

	/* EMPTY IN divides by the window closest to an hour: 1h here ... */
	slo_blank(&s, 30 * DAY);
	s.budget_remaining = 0.5;
	s.burn[W_1H] = 10.0;
	s.burn[W_30M] = 20.0;
	assert_int_equal(slo_tte_col(&s), W_1H);
	assert_close(slo_tte(&s), 1.5 * DAY, 1e-6);
	slo_done(&s);
	/* ... and for a 7-day Pyrra SLO (1m, 8m, 15m, 30m, 1h30m, 6h, 1d)
	 * its 1h30m (1.5x an hour; 30m is 2x off), never the 15m one that
	 * sits under the "1h" header. */
	slo_blank(&s, 7 * DAY);
	s.col_seconds[0] = 60; s.col_seconds[1] = 480;
	s.col_seconds[2] = 900; s.col_seconds[3] = 1800;
	s.col_seconds[4] = 5400; s.col_seconds[5] = 6 * 3600;
	s.col_seconds[6] = DAY;
	assert_int_equal(slo_tte_col(&s), 4);
	slo_done(&s);
}

/* --- each generator's own conditions ------------------------------------ */

struct want_cond {
	const char	*lng, *shrt, *for_;
	double		 factor;
	enum slo_alert	 level;
};

static void
assert_conds(const struct slo_cond *c, size_t n, const struct want_cond *w)
{
	char	buf[32];
	size_t	i;

	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		slo_window_format(buf, sizeof buf, c[i].long_s);
		assert_string_equal(buf, w[i].lng);
		slo_window_format(buf, sizeof buf, c[i].short_s);
		assert_string_equal(buf, w[i].shrt);
		if (w[i].for_ != NULL) {
			slo_window_format(buf, sizeof buf, c[i].for_s);
			assert_string_equal(buf, w[i].for_);
		} else
			assert_int_equal(c[i].for_s, 0);
		assert_close(c[i].factor, w[i].factor, 1e-9);
		assert_int_equal(c[i].level, w[i].level);
	}
}

#define P	SLO_ALERT_PAGE
#define T	SLO_ALERT_TICKET

/* Pyrra's windows, factors and for: as its generator writes them (the
 * rule groups pyrra-dev/pyrra's slo/rules_test.go asserts for 28d, 14d and
 * 7d; 30d as slo.Windows computes it, rounded to the minute). */
static void
test_pyrra_tables(void **state)
{
	static const struct want_cond d28[] = {
		{ "1h", "5m", "2m", 14, P }, { "6h", "30m", "15m", 7, P },
		{ "1d", "2h", "1h", 2, T }, { "4d", "6h", "3h", 1, T } };
	static const struct want_cond d14[] = {
		{ "30m", "3m", "1m", 14, P }, { "3h", "15m", "8m", 7, P },
		{ "12h", "1h", "30m", 2, T }, { "2d", "3h", "1h30m", 1, T } };
	static const struct want_cond d7[] = {
		{ "15m", "1m", "1m", 14, P }, { "1h30m", "8m", "4m", 7, P },
		{ "6h", "30m", "15m", 2, T }, { "1d", "1h30m", "45m", 1, T } };
	static const struct want_cond d30[] = {
		{ "1h4m", "5m", "2m", 14, P }, { "6h26m", "32m", "16m", 7, P },
		{ "1d1h43m", "2h9m", "1h4m", 2, T },
		{ "4d6h51m", "6h26m", "3h13m", 1, T } };
	struct slo_cond	c[SLO_MAX_CONDS];

	assert_conds(c, slo_conds_pyrra(28 * DAY, c), d28);
	assert_conds(c, slo_conds_pyrra(14 * DAY, c), d14);
	assert_conds(c, slo_conds_pyrra(7 * DAY, c), d7);
	assert_conds(c, slo_conds_pyrra(30 * DAY, c), d30);
}

/* Sloth's: its Google 30d and 28d windows (examples/_gen, and
 * out-base-28d), the 7d windows of its tests (out-base-custom-windows-7d:
 * 13.44, 3.5, 1.4, 0.98), its custom 30d example (2m ... 36h), and a
 * period it has no table for: the same pairing with the workbook's
 * shares. The factor is share x period / long window. */
static void
test_sloth_tables(void **state)
{
	static const long google[] = { 300, 1800, 3600, 7200, 21600, DAY,
	    3 * DAY };
	static const long custom[] = { 120, 900, 1800, 3600, 3 * 3600,
	    12 * 3600, 36 * 3600 };
	static const struct want_cond d30[] = {
		{ "1h", "5m", NULL, 14.4, P }, { "6h", "30m", NULL, 6, P },
		{ "1d", "2h", NULL, 3, T }, { "3d", "6h", NULL, 1, T } };
	static const struct want_cond d28[] = {
		{ "1h", "5m", NULL, 13.44, P }, { "6h", "30m", NULL, 5.6, P },
		{ "1d", "2h", NULL, 2.8, T }, { "3d", "6h", NULL, 28.0 / 30, T } };
	static const struct want_cond d7[] = {
		{ "1h", "5m", NULL, 13.44, P }, { "6h", "30m", NULL, 3.5, P },
		{ "1d", "2h", NULL, 1.4, T }, { "3d", "6h", NULL, 0.98, T } };
	static const struct want_cond c30[] = {
		{ "30m", "2m", NULL, 14.4, P }, { "3h", "15m", NULL, 4.8, P },
		{ "12h", "1h", NULL, 3, T }, { "1d12h", "3h", NULL, 1, T } };
	static const struct want_cond d90[] = {
		{ "1h", "5m", NULL, 43.2, P }, { "6h", "30m", NULL, 18, P },
		{ "1d", "2h", NULL, 9, T }, { "3d", "6h", NULL, 3, T } };
	struct slo_cond	 c[SLO_MAX_CONDS];
	const char	*table;

	assert_conds(c, slo_conds_sloth(30 * DAY, google, 7, c, &table), d30);
	assert_non_null(strstr(table, "Google 30d"));
	assert_conds(c, slo_conds_sloth(28 * DAY, google, 7, c, &table), d28);
	assert_conds(c, slo_conds_sloth(7 * DAY, google, 7, c, &table), d7);
	assert_non_null(strstr(table, "7d"));
	assert_conds(c, slo_conds_sloth(30 * DAY, custom, 7, c, &table), c30);
	assert_conds(c, slo_conds_sloth(90 * DAY, google, 7, c, &table), d90);
	assert_non_null(strstr(table, "assumed"));
	/* Some windows not recorded: still Sloth's table for the period. */
	assert_conds(c, slo_conds_sloth(28 * DAY, (const long[]){ 300, 3600,
	    3 * DAY }, 3, c, &table), d28);
	/* Windows that pair with nothing known: no conditions. */
	assert_int_equal(slo_conds_sloth(30 * DAY, (const long[]){ 90, 700 },
	    2, c, &table), 0);
}

/* A Pyrra 14-day 99% SLO burning 10/10/10/8.6/2.78/0.71/0.19 over its 3m
 * ... 2d: Pyrra needs 14x on 3m and 30m, or 7x on 15m and 3h; nothing
 * fires (sitrep used to page: "1h 10.0 & 5m 10.0 > 6.72"). 15x on all
 * short windows pages once its for: has held. */
static void
test_pyrra_14d_verdicts(void **state)
{
	static const double burns[W__COUNT] = { 10, 10, 10, 8.6, 2.78, 0.71,
	    0.19 };
	static const long wins[W__COUNT] = { 180, 900, 1800, 3600, 3 * 3600,
	    12 * 3600, 2 * DAY };
	struct slo	s;
	size_t		k;

	slo_blank(&s, 14 * DAY);
	s.objective = 99.0;
	s.verdict = SLO_VERDICT_EVALUATED;
	for (k = 0; k < W__COUNT; k++) {
		s.burn[k] = burns[k];
		s.col_seconds[k] = wins[k];
	}
	s.nconds = slo_conds_pyrra(14 * DAY, s.conds);
	slo_conds_place(&s);
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	assert_int_equal(s.pending, SLO_ALERT_NONE);
	assert_null(s.condition);

	/* 15x on 3m and 30m: holds; its for: (1m) unknown: pending. */
	s.burn[0] = s.burn[2] = 15;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_NONE);
	assert_int_equal(s.pending, SLO_ALERT_PAGE);
	assert_string_equal(s.condition, "30m 15.0 & 3m 15.0 > 14");
	/* Held over the last minute: page. */
	s.conds[0].min_long = s.conds[0].min_short = 14.5;
	slo_evaluate(&s);
	assert_int_equal(s.alert, SLO_ALERT_PAGE);
	assert_int_equal(s.pending, SLO_ALERT_NONE);
	slo_done(&s);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_burn_is_ratio_over_budget),
		cmocka_unit_test(test_burn_unknown_is_nan),
		cmocka_unit_test(test_thresholds_for_30_days_are_the_workbooks),
		cmocka_unit_test(test_thresholds_scale_with_the_window),
		cmocka_unit_test(test_page_needs_1h_and_5m),
		cmocka_unit_test(test_page_via_6h_and_30m),
		cmocka_unit_test(test_ticket_conditions),
		cmocka_unit_test(test_page_wins_over_ticket),
		cmocka_unit_test(test_nan_windows_never_fire),
		cmocka_unit_test(test_short_slo_window_pages_sooner),
		cmocka_unit_test(test_time_to_exhaustion),
		cmocka_unit_test(test_never_runs_out_below_1x),
		cmocka_unit_test(test_pyrra_tables),
		cmocka_unit_test(test_sloth_tables),
		cmocka_unit_test(test_pyrra_14d_verdicts),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
