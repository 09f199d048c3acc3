/* test_demo.c: `sitrep --demo` through the real interface (config, source
 * registry, scheduler, event loop). After its first refresh the console must
 * tell the demo's story: checkout alerts firing six minutes after the
 * v2.14.0 deploy, which is flagged; the checkout SLO paging at about 15x;
 * inventory with no data; a screenful of log backlog. Asked for the
 * burndown, it has 30 days of past. The same seed gives the same incident,
 * so screenshots and benchmarks are repeatable. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/xalloc.h"
#include "core/loop.h"

#define TIMEOUT_MS	10000

struct wait {
	bool	refreshed;
	bool	timed_out;
};

static void
first_round_done(struct source *s, void *arg)
{
	struct wait	*w = arg;

	if (s->rounds >= 1) {
		w->refreshed = true;
		loop_quit(0);
	}
}

static void
give_up(void *arg)
{
	struct wait	*w = arg;

	w->timed_out = true;
	loop_quit(1);
}

/* Start the demo with this seed (and the SLO detail asking for the
 * burndown over history_s seconds, 0: none), run the loop until its first
 * refresh is done, stop it; m keeps what it produced. */
static void
run_demo_history(struct model *m, unsigned seed, long history_s)
{
	struct config		 cfg;
	struct source		**v;
	struct loop_timer	*t;
	struct wait		 w = { false, false };
	char			*text;
	size_t			 n;

	memset(&cfg, 0, sizeof cfg);
	text = xasprintf("[demo]\nseed = %u\nfrozen = yes\n", seed);
	assert_true(config_parse_string(&cfg, "demo.conf", text));
	free(text);

	loop_init();
	model_init(m, "demo");
	m->slo_history_s = history_s;
	v = sources_create(&cfg, m, &n);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->ops->kind, "demo");

	sources_set_observer(first_round_done, &w);
	sources_start(v, n);
	t = loop_timer_add(TIMEOUT_MS, give_up, &w);
	loop_run();
	loop_timer_cancel(&t);
	sources_set_observer(NULL, NULL);
	assert_false(w.timed_out);
	assert_true(w.refreshed);

	sources_free(v, n);
	config_free(&cfg);
	loop_free();
}

static void
run_demo(struct model *m, unsigned seed)
{
	run_demo_history(m, seed, 0);
}

static const struct alert *
first_alert_of(const struct model *m, const char *service)
{
	const struct alert	*best = NULL;
	size_t			 i;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (strcmp(a->service, service) == 0 &&
		    (best == NULL || a->started_at < best->started_at))
			best = a;
	}
	return (best);
}

static size_t
count_alerts_of(const struct model *m, const char *service)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].service, service) == 0)
			n++;
	}
	return (n);
}

static const struct slo *
slo_named(const struct model *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nslos; i++) {
		if (strcmp(m->slos[i].name, name) == 0)
			return (&m->slos[i]);
	}
	fail_msg("no SLO %s", name);
	return (NULL);
}

static const struct deploy *
deploy_of(const struct model *m, const char *service, const char *version)
{
	size_t	i;

	for (i = 0; i < m->ndeploys; i++) {
		if (strcmp(m->deploys[i].service, service) == 0 &&
		    strcmp(m->deploys[i].version, version) == 0)
			return (&m->deploys[i]);
	}
	fail_msg("no deploy %s %s", service, version);
	return (NULL);
}

static void
test_first_refresh_tells_the_story(void **state)
{
	struct model		 m;
	const struct alert	*a;
	const struct deploy	*d;
	size_t			 i;

	run_demo(&m, 7);

	/* The source reports healthy. */
	assert_int_equal(m.nsources, 1);
	assert_true(m.sources[0].fetched);
	assert_true(m.sources[0].ok);

	/* Checkout is on fire; the worst alert leads the list. */
	assert_true(count_alerts_of(&m, "checkout") >= 2);
	assert_string_equal(m.alerts[0].service, "checkout");
	assert_int_equal(m.alerts[0].severity, SEV_CRITICAL);
	assert_true(model_count_firing(&m, SEV_CRITICAL) >= 1);
	for (i = 0; i < m.nalerts; i++)
		assert_string_equal(m.alerts[i].source, "demo");

	/* The deploy six minutes before the first checkout alert. */
	d = deploy_of(&m, "checkout", "v2.14.0");
	a = first_alert_of(&m, "checkout");
	assert_non_null(a);
	assert_true(d->suspect);
	assert_int_equal(a->started_at - d->at, 6 * 60);
	assert_non_null(a->suspect);
	assert_string_equal(a->suspect, "checkout v2.14.0");
	/* The other deploys are not blamed. */
	for (i = 0; i < m.ndeploys; i++) {
		if (&m.deploys[i] != d)
			assert_false(m.deploys[i].suspect);
	}
	/* Newest first. */
	for (i = 1; i < m.ndeploys; i++)
		assert_true(m.deploys[i - 1].at >= m.deploys[i].at);

	/* 200 lines of backlog, nothing more while frozen. */
	assert_int_equal(m.logs.n, 200);
	assert_non_null(m.log_query);
	model_free(&m);
}

static void
test_checkout_slo_pages_and_inventory_has_no_data(void **state)
{
	struct model		 m;
	const struct slo	*s;
	size_t			 i;

	run_demo(&m, 7);
	s = slo_named(&m, "checkout-availability");
	assert_int_equal(s->alert, SLO_ALERT_PAGE);
	assert_true(fabs(s->burn[W_1H] - 15.5) < 15.5 * 0.10);
	assert_true(fabs(s->burn[W_5M] - 15.5) < 15.5 * 0.10);
	assert_non_null(s->condition);
	assert_non_null(strstr(s->condition, "1h"));
	assert_string_equal(s->suspect, "checkout v2.14.0");
	/* It leads the SLO pane. */
	assert_string_equal(m.slos[0].name, "checkout-availability");
	assert_ptr_equal(model_worst_slo(&m), &m.slos[0]);

	s = slo_named(&m, "inventory-availability");
	for (i = 0; i < W__COUNT; i++)
		assert_true(isnan(s->burn[i]));
	assert_true(isnan(s->budget_remaining));
	assert_int_equal(s->alert, SLO_ALERT_NONE);
	/* No data goes last. */
	assert_string_equal(m.slos[m.nslos - 1].name,
	    "inventory-availability");
	model_free(&m);
}

/* Times follow the clock; compare them relative to the first deploy. */
static time_t
origin(const struct model *m)
{
	return (deploy_of(m, "checkout", "v2.14.0")->at);
}

static bool
same_double(double a, double b)
{
	return ((isnan(a) && isnan(b)) || a == b);
}

static void
test_same_seed_same_incident(void **state)
{
	struct model	 a, b;
	size_t		 i, k;

	run_demo(&a, 7);
	run_demo(&b, 7);
	assert_int_equal(a.nalerts, b.nalerts);
	for (i = 0; i < a.nalerts; i++) {
		assert_string_equal(a.alerts[i].id, b.alerts[i].id);
		assert_string_equal(a.alerts[i].title, b.alerts[i].title);
		assert_int_equal(a.alerts[i].severity, b.alerts[i].severity);
		assert_int_equal(a.alerts[i].status, b.alerts[i].status);
		assert_int_equal(a.alerts[i].started_at - origin(&a),
		    b.alerts[i].started_at - origin(&b));
	}
	assert_int_equal(a.nslos, b.nslos);
	for (i = 0; i < a.nslos; i++) {
		assert_string_equal(a.slos[i].name, b.slos[i].name);
		assert_int_equal(a.slos[i].alert, b.slos[i].alert);
		for (k = 0; k < W__COUNT; k++) {
			if (!same_double(a.slos[i].burn[k], b.slos[i].burn[k]))
				fail_msg("%s %s: %.17g vs %.17g",
				    a.slos[i].name, slo_window_names[k],
				    a.slos[i].burn[k], b.slos[i].burn[k]);
		}
		assert_true(same_double(a.slos[i].budget_remaining,
		    b.slos[i].budget_remaining));
	}
	assert_int_equal(a.logs.n, b.logs.n);
	for (i = 0; i < a.logs.n; i++)
		assert_string_equal(LOG_LINE_TEXT(ring_get(&a.logs, i)),
		    LOG_LINE_TEXT(ring_get(&b.logs, i)));
	model_free(&a);
	model_free(&b);
}

static void
test_other_seed_other_logs(void **state)
{
	struct model	 a, b;
	size_t		 i, same = 0;

	run_demo(&a, 7);
	run_demo(&b, 8);
	assert_int_equal(a.logs.n, b.logs.n);
	for (i = 0; i < a.logs.n; i++) {
		if (strcmp(LOG_LINE_TEXT(ring_get(&a.logs, i)),
		    LOG_LINE_TEXT(ring_get(&b.logs, i))) == 0)
			same++;
	}
	/* The trace ids alone make identical lines practically impossible. */
	assert_int_equal(same, 0);
	/* The story is the same one. */
	assert_int_equal(a.nalerts, b.nalerts);
	assert_int_equal(slo_named(&b, "checkout-availability")->alert,
	    SLO_ALERT_PAGE);
	model_free(&a);
	model_free(&b);
}

/* The SLO detail asks for the burndown over 30 days: every SLO with
 * traffic has one over the whole period, the budget known at its start,
 * ending where the pane's budget is; checkout's paged four days ago too,
 * after its v2.13.0, and the same seed draws the same past. */
static void
test_history_over_the_window(void **state)
{
	struct model		 a, b;
	const struct slo	*s, *t;
	const struct slo_history *h;
	const struct deploy	*bad;
	double			 x;
	size_t			 i, k, paged = 0;

	run_demo_history(&a, 7, 30 * 86400);
	run_demo_history(&b, 7, 30 * 86400);
	for (i = 0; i < a.nslos; i++) {
		s = &a.slos[i];
		h = s->history;
		assert_non_null(h);
		if (strcmp(s->name, "inventory-availability") == 0) {
			for (k = 0; k < h->nbudget; k++)
				assert_true(isnan(h->budget[k]));
			continue;
		}
		/* The burndown's grid: 30 days in steps of 30 minutes, the
		 * budget every 6 hours, a point at each end. */
		assert_true(h->step == 1800 && h->n == 30 * 48 + 1);
		assert_true(h->bstep == 21600 && h->nbudget == 30 * 4 + 1);
		for (k = 0; k < h->n; k++)
			assert_false(isnan(h->burn[k]));
		for (k = 0; k < h->nbudget; k++)
			assert_true(h->budget[k] > 0 && h->budget[k] < 1);
		assert_true(fabs(h->budget[h->nbudget - 1] -
		    s->budget_remaining) < 1e-9);
		t = slo_named(&b, s->name);
		assert_int_equal(t->history->n, h->n);
		for (k = 0; k < h->n; k++)
			assert_true(t->history->burn[k] == h->burn[k]);
	}
	s = slo_named(&a, "checkout-availability");
	assert_true(fabs(s->budget_remaining - 0.627) < 0.0005);
	bad = deploy_of(&a, "checkout", "v2.13.0");
	h = s->history;
	for (k = 0; k < h->n; k++) {
		x = h->start + (double)k * h->step - (double)bad->at;
		if (x > 0 && x < 3 * 3600 && h->burn[k] > 14.4)
			paged++;
	}
	assert_true(paged >= 2);
	assert_true(bad->at < origin(&a) - 3 * 86400);
	model_free(&a);
	model_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_first_refresh_tells_the_story),
		cmocka_unit_test(test_checkout_slo_pages_and_inventory_has_no_data),
		cmocka_unit_test(test_same_seed_same_incident),
		cmocka_unit_test(test_other_seed_other_logs),
		cmocka_unit_test(test_history_over_the_window),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
