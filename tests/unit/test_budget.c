/* test_budget.c: the error-budget review's arithmetic (core/budget.c). A
 * lead pasting the report into a weekly review must be able to trust that
 * "consumed 10%" is a tenth of the window's budget, that an episode starts
 * and ends where the 1h burn crossed 1, that its peak is the peak, that a
 * deploy an hour before the burst is named and an unrelated service's is
 * not, and that what no deploy explains is counted as unexplained. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/budget.h"
#include "core/model.h"
#include "core/slomath.h"
#include "core/xalloc.h"

#define HOUR	3600.0
#define DAY	86400L
#define T0	1700000000.0

static void
assert_close(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (+-%g)", got, want, tol);
}

/* A 99.9% SLO over 30 days with n points of 1h burn every step. */
static void
slo_make(struct slo *s, size_t n, double step)
{
	size_t	i;

	memset(s, 0, sizeof *s);
	s->name = xstrdup("checkout");
	s->service = xstrdup("checkout");
	s->objective = 99.9;
	s->window_seconds = 30 * DAY;
	s->budget_remaining = NAN;
	s->nconds = slo_conds_workbook(s->window_seconds, s->conds);
	s->history = xcalloc(1, sizeof *s->history);
	s->history->start = T0;
	s->history->step = step;
	s->history->n = n;
	s->history->burn = xcalloc(n, sizeof *s->history->burn);
	for (i = 0; i < n; i++)
		s->history->burn[i] = 0;
}

static void
test_steady_burn_consumes_its_share(void **state)
{
	struct slo	s;
	struct bud_slo	b;
	size_t		i, n = 7 * 24 + 1;

	(void)state;
	slo_make(&s, n, HOUR);
	for (i = 0; i < n; i++)
		s.history->burn[i] = 0.5;
	bud_compute(&s, T0, T0 + 7 * DAY, NULL, 0, 3600, &b);
	/* Half the sustainable rate for 7 of 30 days: 7/60 of the budget. */
	assert_close(b.consumed, 7.0 / 60.0, 1e-9);
	assert_close(b.error_ratio, 0.5 * 0.001, 1e-12);
	assert_int_equal(b.nep, 0);
	assert_true(isnan(b.budget_start));
	bud_slo_free(&b);
	slo_free(&s);
}

static void
test_episode_start_end_peak_and_deploy(void **state)
{
	struct slo		s;
	struct bud_slo		b;
	struct bud_event	ev[3] = {
		{ BUD_DEPLOY, T0 + 9.5 * HOUR, NAN, "checkout v2", "checkout",
		  "deploys", NULL },
		{ BUD_DEPLOY, T0 + 9.9 * HOUR, NAN, "search v7", "search",
		  "deploys", NULL },
		{ BUD_DEPLOY, T0 + 2 * HOUR, NAN, "checkout v1", "checkout",
		  "deploys", NULL },
	};
	size_t			i, n = 48 + 1;

	(void)state;
	slo_make(&s, n, HOUR);
	/* 10:00 to 12:00 at 20x, 13:00 at 3x: one episode of four points. */
	s.history->burn[10] = 20;
	s.history->burn[11] = 20;
	s.history->burn[12] = 20;
	s.history->burn[13] = 3;
	s.history->burn[30] = 0.5;
	bud_compute(&s, T0, T0 + 48 * HOUR, ev, 3, 3600, &b);
	assert_int_equal(b.nep, 1);
	assert_close(b.ep[0].start, T0 + 10 * HOUR, 0);
	assert_close(b.ep[0].end, T0 + 13 * HOUR, 0);
	assert_close(b.ep[0].peak, 20, 0);
	assert_close(b.ep[0].consumed, 63 * HOUR / (30 * DAY), 1e-12);
	assert_close(b.consumed, 63.5 * HOUR / (30 * DAY), 1e-12);
	/* 20x over 1h (and 6h mean 10.5 > 6 with 30m): a page. */
	assert_int_equal(b.ep[0].level, SLO_ALERT_PAGE);
	/* The checkout deploy half an hour before; not search's, not the
	 * one eight hours before. */
	assert_int_equal(b.ep[0].ncause, 1);
	assert_int_equal(b.causes[b.ep[0].cause0].event, 0);
	assert_close(b.causes[0].lead, 0.5 * HOUR, 1e-9);
	assert_close(b.unexplained, 0.5 / 63.5, 1e-9);
	bud_slo_free(&b);
	/* The SLO in prod: the same deploy in staging explains nothing. */
	s.environment = "prod";
	ev[0].environment = "staging";
	bud_compute(&s, T0, T0 + 48 * HOUR, ev, 3, 3600, &b);
	assert_int_equal(b.ep[0].ncause, 0);
	bud_slo_free(&b);
	ev[0].environment = "prod";
	bud_compute(&s, T0, T0 + 48 * HOUR, ev, 3, 3600, &b);
	assert_int_equal(b.ep[0].ncause, 1);
	bud_slo_free(&b);
	s.environment = NULL;
	for (i = 0; i < n; i++)
		s.history->burn[i] = NAN;
	bud_compute(&s, T0, T0 + 48 * HOUR, ev, 3, 3600, &b);
	assert_int_equal(b.missing, n);
	assert_close(b.consumed, 0, 0);
	assert_true(isnan(b.error_ratio));
	assert_int_equal(b.nep, 0);
	bud_slo_free(&b);
	slo_free(&s);
}

static void
test_incidents_overlapping_and_order(void **state)
{
	struct slo		s;
	struct bud_slo		b;
	struct bud_event	ev[3] = {
		{ BUD_INCIDENT, T0 + 5 * HOUR, T0 + 12 * HOUR, "db slow", "",
		  "prometheus", NULL },
		{ BUD_DEPLOY, T0 + 9 * HOUR, NAN, "checkout v2", "checkout",
		  "deploys", NULL },
		{ BUD_INCIDENT, T0 + 11 * HOUR, NAN, "5xx", "checkout",
		  "pagerduty", NULL },
	};

	(void)state;
	slo_make(&s, 25, HOUR);
	s.history->burn[10] = 2;
	s.history->burn[11] = 2;
	bud_compute(&s, T0, T0 + 24 * HOUR, ev, 3, 3600, &b);
	assert_int_equal(b.nep, 1);
	/* A ticket at most: 2x never reaches the page factors. */
	assert_true(b.ep[0].level != SLO_ALERT_PAGE);
	assert_int_equal(b.ep[0].ncause, 3);
	/* Same service, before: the deploy; same service, during: the page;
	 * then the incident naming no service, open when it began. */
	assert_int_equal(b.causes[0].event, 1);
	assert_int_equal(b.causes[1].event, 2);
	assert_int_equal(b.causes[2].event, 0);
	assert_close(b.unexplained, 0, 1e-12);
	bud_slo_free(&b);
	slo_free(&s);
}

static void
test_open_ends_budget_points_and_bounds(void **state)
{
	struct slo	s;
	struct bud_slo	b;
	size_t		i;

	(void)state;
	slo_make(&s, 5, HOUR);
	for (i = 0; i < 5; i++)
		s.history->burn[i] = i == 2 ? INFINITY : 4;
	s.history->bstart = T0;
	s.history->bstep = 2 * HOUR;
	s.history->nbudget = 3;
	s.history->budget = xcalloc(3, sizeof *s.history->budget);
	s.history->budget[0] = 0.9;
	s.history->budget[1] = 0.8;
	s.history->budget[2] = -0.25;
	bud_compute(&s, T0, T0 + 4 * HOUR, NULL, 0, 3600, &b);
	assert_int_equal(b.nep, 1);
	assert_true(b.ep[0].open_start);
	assert_true(b.ep[0].open_end);
	/* An infinite burn from the server is bounded, not propagated. */
	assert_true(isfinite(b.consumed));
	assert_close(b.ep[0].peak, 1e9, 0);
	assert_close(b.budget_start, 0.9, 0);
	assert_close(b.budget_end, -0.25, 0);
	assert_close(b.unexplained, 1, 1e-12);
	bud_slo_free(&b);
	slo_free(&s);
}

static void
test_steps_and_ranking(void **state)
{
	(void)state;
	assert_int_equal(bud_fine_step(7 * DAY), 300);
	assert_int_equal(bud_fine_step(30 * DAY), 1800);
	assert_int_equal(bud_fine_step(DAY), 60);
	assert_int_equal(bud_coarse_step(7 * DAY), 3600);
	assert_true(bud_rank_cmp(0.5, "a", 0.2, "b") < 0);
	assert_true(bud_rank_cmp(NAN, "a", 0.0, "b") > 0);
	assert_true(bud_rank_cmp(0.2, "a", 0.2, "b") < 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_steady_burn_consumes_its_share),
		cmocka_unit_test(test_episode_start_end_peak_and_deploy),
		cmocka_unit_test(test_incidents_overlapping_and_order),
		cmocka_unit_test(test_open_ends_budget_points_and_bounds),
		cmocka_unit_test(test_steps_and_ranking),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
