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
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
