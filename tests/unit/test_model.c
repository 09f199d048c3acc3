/* test_model.c: the store every pane draws from. A refresh of one source
 * replaces only that source's records; the lists come out in the order the
 * on-call engineer reads them (worst first, newest deploy first); a deploy
 * shortly before an alert on the same service is flagged as the suspect; the
 * header's counts and the source health say what the user must know.
 * Sources in several environments: every record says its environment,
 * showing one hides the others' records from every list and showing all
 * brings them back, refreshes of a hidden source stay hidden, the counts
 * per environment include what is hidden, and a deploy in one environment
 * is not the suspect of an alert in another. */
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
#include "core/worker.h"
#include "core/xalloc.h"

#define T0	1700000000	/* an arbitrary wall time */
#define MIN	60

/* --- building records --------------------------------------------------- */

struct a_spec {
	const char		*id;
	const char		*service;
	enum severity		 sev;
	enum alert_status	 status;
	time_t			 started_at;
};

/* A heap array of alerts, as a backend hands it to the model. */
static struct alert *
alerts_new(const struct a_spec *spec, size_t n)
{
	struct alert	*v;
	size_t		 i;

	v = xcalloc(n > 0 ? n : 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].id = xstrdup(spec[i].id);
		v[i].service = spec[i].service != NULL ?
		    xstrdup(spec[i].service) : NULL;
		v[i].severity = spec[i].sev;
		v[i].status = spec[i].status;
		v[i].started_at = spec[i].started_at;
		v[i].title = xasprintf("title of %s", spec[i].id);
	}
	return (v);
}

static void
set_alerts(struct model *m, const char *source, const struct a_spec *spec,
    size_t n)
{
	model_set_alerts(m, source, alerts_new(spec, n), n);
}

/* An SLO with every window at the same burn (NAN: no data). */
static void
slo_fill(struct slo *s, const char *name, const char *service, double burn,
    enum slo_alert alert)
{
	size_t	i;

	s->name = xstrdup(name);
	s->service = service != NULL ? xstrdup(service) : NULL;
	s->objective = 99.9;
	s->window_seconds = 30L * 86400;
	for (i = 0; i < W__COUNT; i++) {
		s->burn[i] = burn;
		s->error_ratio[i] = isnan(burn) ? NAN : burn * 0.001;
	}
	s->budget_remaining = isnan(burn) ? NAN : 0.5;
	s->alert = alert;
}

static void
deploy_fill(struct deploy *d, const char *id, const char *service,
    const char *version, time_t at)
{
	d->id = xstrdup(id);
	d->service = xstrdup(service);
	d->version = xstrdup(version);
	d->at = at;
}

/* The index of the alert with this source and id, or -1. */
static int
alert_index(const struct model *m, const char *source, const char *id)
{
	size_t	i;

	for (i = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].source, source) == 0 &&
		    strcmp(m->alerts[i].id, id) == 0)
			return ((int)i);
	}
	return (-1);
}

static const struct alert *
alert_by_id(const struct model *m, const char *id)
{
	size_t	i;

	for (i = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].id, id) == 0)
			return (&m->alerts[i]);
	}
	fail_msg("no alert %s", id);
	return (NULL);
}

static const struct deploy *
deploy_by_id(const struct model *m, const char *id)
{
	size_t	i;

	for (i = 0; i < m->ndeploys; i++) {
		if (strcmp(m->deploys[i].id, id) == 0)
			return (&m->deploys[i]);
	}
	fail_msg("no deploy %s", id);
	return (NULL);
}

/* --- replacing one source's records ------------------------------------- */

static void
test_set_alerts_replaces_only_that_source(void **state)
{
	struct model		 m;
	const struct a_spec	 pd[] = {
		{ "P1", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "P2", "search", SEV_WARNING, ALERT_TRIGGERED, T0 + 1 },
	};
	const struct a_spec	 am[] = {
		{ "A1", "payments", SEV_ERROR, ALERT_TRIGGERED, T0 + 2 },
		{ "A2", "checkout", SEV_INFO, ALERT_TRIGGERED, T0 + 3 },
	};
	const struct a_spec	 pd2[] = {
		{ "P3", "frontend", SEV_WARNING, ALERT_TRIGGERED, T0 + 4 },
	};
	uint64_t		 gen;

	model_init(&m, "prod");
	set_alerts(&m, "pagerduty", pd, 2);
	set_alerts(&m, "alertmanager", am, 2);
	assert_int_equal(m.nalerts, 4);
	/* The records carry their source's name. */
	assert_true(alert_index(&m, "pagerduty", "P1") >= 0);
	assert_true(alert_index(&m, "alertmanager", "A2") >= 0);

	/* PagerDuty refreshes: its two become one; Alertmanager's stay. */
	gen = m.gen_alerts;
	set_alerts(&m, "pagerduty", pd2, 1);
	assert_true(m.gen_alerts > gen);
	assert_int_equal(m.nalerts, 3);
	assert_int_equal(alert_index(&m, "pagerduty", "P1"), -1);
	assert_int_equal(alert_index(&m, "pagerduty", "P2"), -1);
	assert_true(alert_index(&m, "pagerduty", "P3") >= 0);
	assert_true(alert_index(&m, "alertmanager", "A1") >= 0);
	assert_true(alert_index(&m, "alertmanager", "A2") >= 0);

	/* Alertmanager now has nothing firing: PagerDuty's alert stays. */
	set_alerts(&m, "alertmanager", NULL, 0);
	assert_int_equal(m.nalerts, 1);
	assert_string_equal(m.alerts[0].id, "P3");
	assert_string_equal(m.alerts[0].source, "pagerduty");

	/* An unknown source with no records changes nothing else. */
	set_alerts(&m, "loki", NULL, 0);
	assert_int_equal(m.nalerts, 1);
	model_free(&m);
}

static void
test_same_id_in_two_sources_are_two_alerts(void **state)
{
	struct model		 m;
	const struct a_spec	 one[] = {
		{ "42", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	model_init(&m, NULL);
	set_alerts(&m, "a", one, 1);
	set_alerts(&m, "b", one, 1);
	assert_int_equal(m.nalerts, 2);
	set_alerts(&m, "a", NULL, 0);
	assert_int_equal(m.nalerts, 1);
	assert_string_equal(m.alerts[0].source, "b");
	model_free(&m);
}

/* --- the order the panes show ------------------------------------------- */

static void
test_alert_order(void **state)
{
	struct model		 m;
	const struct a_spec	 am[] = {
		{ "w-old", "s", SEV_WARNING, ALERT_TRIGGERED, T0 - 600 },
		{ "c-ack-old", "s", SEV_CRITICAL, ALERT_ACKNOWLEDGED, T0 - 900 },
		{ "c-new", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "i", "s", SEV_INFO, ALERT_TRIGGERED, T0 - 9000 },
		{ "c-old", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 - 300 },
		{ "e", "s", SEV_ERROR, ALERT_TRIGGERED, T0 },
		{ "u", "s", SEV_UNKNOWN, ALERT_TRIGGERED, T0 - 99999 },
	};
	const struct a_spec	 pd[] = {
		{ "w-new", "s", SEV_WARNING, ALERT_TRIGGERED, T0 },
		{ "c-ack-new", "s", SEV_CRITICAL, ALERT_ACKNOWLEDGED, T0 },
	};
	/* An unknown severity ranks after error by default: never hidden
	 * below info. */
	const char *const	 want[] = {
		"c-old", "c-new", "c-ack-old", "c-ack-new", "e", "u", "w-old",
		"w-new", "i"
	};
	size_t			 i;

	model_init(&m, NULL);
	set_alerts(&m, "am", am, 7);
	set_alerts(&m, "pd", pd, 2);
	assert_int_equal(m.nalerts, 9);
	for (i = 0; i < 9; i++)
		assert_string_equal(m.alerts[i].id, want[i]);
	model_free(&m);
}

/* Same severity, status and start: source, then id; so a refresh that
 * hands the records over in another order does not move the selection. */
static void
test_alert_order_is_stable(void **state)
{
	struct model		 m;
	const struct a_spec	 fwd[] = {
		{ "b", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "a", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "c", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};
	const struct a_spec	 rev[] = {
		{ "c", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "a", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "b", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};
	const struct a_spec	 other[] = {
		{ "a", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	model_init(&m, NULL);
	set_alerts(&m, "zz", other, 1);
	set_alerts(&m, "mm", fwd, 3);
	assert_string_equal(m.alerts[0].source, "mm");
	assert_string_equal(m.alerts[0].id, "a");
	assert_string_equal(m.alerts[1].id, "b");
	assert_string_equal(m.alerts[2].id, "c");
	assert_string_equal(m.alerts[3].source, "zz");
	set_alerts(&m, "mm", rev, 3);
	assert_string_equal(m.alerts[0].id, "a");
	assert_string_equal(m.alerts[1].id, "b");
	assert_string_equal(m.alerts[2].id, "c");
	assert_string_equal(m.alerts[3].source, "zz");
	model_free(&m);
}

static struct alert *
random_alerts(unsigned *seed, size_t n, int round)
{
	struct alert	*v = xcalloc(n + 1, sizeof *v);
	size_t		 i;

	for (i = 0; i < n; i++) {
		v[i].id = xasprintf("r%d-%zu", round, i);
		v[i].severity = (enum severity)(rand_r(seed) % 4);
		v[i].status = rand_r(seed) % 3 == 0 ? ALERT_ACKNOWLEDGED :
		    ALERT_TRIGGERED;
		v[i].started_at = T0 + rand_r(seed) % 50;
	}
	return (v);
}

/* Three sources refreshed in turn with thousands of alerts (enough that
 * the replaced ones are freed on a worker thread): each time the list is
 * what sorting everything would give, and each source has what it sent
 * last. */
static void
test_alert_merge_equals_full_sort(void **state)
{
	static const char *const names[] = { "pd", "am-east", "am-west" };
	struct model	 m;
	struct alert	*copy;
	unsigned	 seed = 7;
	size_t		 sizes[3] = { 0, 0, 0 }, i, n, count;
	int		 round, k;

	model_init(&m, NULL);
	for (round = 0; round < 12; round++) {
		k = round % 3;
		n = (size_t)(rand_r(&seed) % 5000);
		model_set_alerts(&m, names[k], random_alerts(&seed, n, round),
		    n);
		sizes[k] = n;
		assert_int_equal(m.nalerts, sizes[0] + sizes[1] + sizes[2]);
		copy = xreallocarray(NULL, m.nalerts + 1, sizeof *copy);
		memcpy(copy, m.alerts, m.nalerts * sizeof *copy);
		qsort(copy, m.nalerts, sizeof *copy, model_alert_cmp);
		for (i = 0; i < m.nalerts; i++) {
			assert_string_equal(m.alerts[i].source,
			    copy[i].source);
			assert_string_equal(m.alerts[i].id, copy[i].id);
		}
		free(copy);
		for (i = 0, count = 0; i < m.nalerts; i++)
			count += strcmp(m.alerts[i].source, names[k]) == 0;
		assert_int_equal(count, n);
	}
	model_free(&m);
	worker_free();
}

static void
test_slo_order(void **state)
{
	struct model		 m;
	struct slo		*v;
	const char *const	 want[] = {
		"page-hot", "page-warm", "ticket", "calm-high", "calm-low",
		"no-data"
	};
	size_t			 i;

	v = xcalloc(6, sizeof *v);
	slo_fill(&v[0], "no-data", "a", NAN, SLO_ALERT_NONE);
	slo_fill(&v[1], "calm-low", "b", 0.2, SLO_ALERT_NONE);
	/* A ticket burns less than a calm SLO's spike but still comes first. */
	slo_fill(&v[2], "ticket", "c", 3.5, SLO_ALERT_TICKET);
	slo_fill(&v[3], "page-warm", "d", 15, SLO_ALERT_PAGE);
	slo_fill(&v[4], "calm-high", "e", 5, SLO_ALERT_NONE);
	slo_fill(&v[5], "page-hot", "f", 40, SLO_ALERT_PAGE);
	model_init(&m, NULL);
	model_set_slos(&m, "prom", v, 6);
	assert_int_equal(m.nslos, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(m.slos[i].name, want[i]);
	model_free(&m);
}

/* The pane sorts by the 1h burn, not by whichever window is worst. */
static void
test_slo_order_uses_the_1h_burn(void **state)
{
	struct model	 m;
	struct slo	*v;

	v = xcalloc(2, sizeof *v);
	slo_fill(&v[0], "spiky", "a", 1, SLO_ALERT_NONE);
	v[0].burn[W_5M] = 50;
	slo_fill(&v[1], "steady", "b", 2, SLO_ALERT_NONE);
	model_init(&m, NULL);
	model_set_slos(&m, "prom", v, 2);
	assert_string_equal(m.slos[0].name, "steady");
	assert_string_equal(m.slos[1].name, "spiky");
	model_free(&m);
}

static void
test_deploys_newest_first(void **state)
{
	struct model	 m;
	struct deploy	*v, *w;

	v = xcalloc(3, sizeof *v);
	deploy_fill(&v[0], "d-old", "search", "v1", T0 - 3600);
	deploy_fill(&v[1], "d-new", "checkout", "v2", T0);
	deploy_fill(&v[2], "d-mid", "payments", "v3", T0 - 60);
	w = xcalloc(1, sizeof *w);
	deploy_fill(&w[0], "argo-1", "frontend", "v9", T0 - 30);
	model_init(&m, NULL);
	model_set_deploys(&m, "github", v, 3);
	model_set_deploys(&m, "argo", w, 1);
	assert_int_equal(m.ndeploys, 4);
	assert_string_equal(m.deploys[0].id, "d-new");
	assert_string_equal(m.deploys[1].id, "argo-1");
	assert_string_equal(m.deploys[2].id, "d-mid");
	assert_string_equal(m.deploys[3].id, "d-old");
	assert_int_equal(model_last_deploy(&m), T0);
	model_free(&m);
}

/* --- "what changed": suspect deploys ------------------------------------ */

static void
test_deploy_six_minutes_before_alert_is_suspect(void **state)
{
	struct model		 m;
	struct deploy		*v;
	const struct a_spec	 am[] = {
		{ "boom", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	v = xcalloc(1, sizeof *v);
	deploy_fill(&v[0], "d1", "checkout", "v2.14.0", T0 - 6 * MIN);
	model_init(&m, NULL);
	model_set_deploys(&m, "ci", v, 1);
	set_alerts(&m, "am", am, 1);
	model_mark_suspects(&m, 90 * MIN);
	assert_true(m.deploys[0].suspect);
	assert_non_null(m.alerts[0].suspect);
	assert_string_equal(m.alerts[0].suspect, "checkout v2.14.0");
	/* The detail view says "(6m before)" from this. */
	assert_int_equal(m.alerts[0].suspect_at, T0 - 6 * MIN);
	model_free(&m);
}

static void
test_unrelated_deploys_are_not_suspect(void **state)
{
	struct model		 m;
	struct deploy		*v;
	const struct a_spec	 am[] = {
		{ "boom", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	v = xcalloc(3, sizeof *v);
	/* Another service, just before. */
	deploy_fill(&v[0], "other", "search", "v1", T0 - 6 * MIN);
	/* The same service, but long before the window. */
	deploy_fill(&v[1], "old", "checkout", "v2.13.0", T0 - 3 * 3600);
	/* The same service, after the alert began. */
	deploy_fill(&v[2], "after", "checkout", "v2.14.1", T0 + 2 * MIN);
	model_init(&m, NULL);
	model_set_deploys(&m, "ci", v, 3);
	set_alerts(&m, "am", am, 1);
	model_mark_suspects(&m, 90 * MIN);
	assert_false(deploy_by_id(&m, "other")->suspect);
	assert_false(deploy_by_id(&m, "old")->suspect);
	assert_false(deploy_by_id(&m, "after")->suspect);
	assert_null(m.alerts[0].suspect);
	model_free(&m);
}

/* The latest deploy before the alert is the one to blame. */
static void
test_latest_preceding_deploy_is_named(void **state)
{
	struct model		 m;
	struct deploy		*v;
	const struct a_spec	 am[] = {
		{ "boom", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	v = xcalloc(2, sizeof *v);
	deploy_fill(&v[0], "first", "checkout", "v2.13.0", T0 - 40 * MIN);
	deploy_fill(&v[1], "second", "checkout", "v2.14.0", T0 - 6 * MIN);
	model_init(&m, NULL);
	model_set_deploys(&m, "ci", v, 2);
	set_alerts(&m, "am", am, 1);
	model_mark_suspects(&m, 90 * MIN);
	assert_string_equal(m.alerts[0].suspect, "checkout v2.14.0");
	assert_true(deploy_by_id(&m, "second")->suspect);
	model_free(&m);
}

/* An alert hours after a suspect deploy is not pinned on it: only the
 * alerts within the window point at the deploy. */
static void
test_alert_outside_window_not_pinned_on_deploy(void **state)
{
	struct model		 m;
	struct deploy		*v;
	const struct a_spec	 am[] = {
		{ "soon", "checkout", SEV_CRITICAL, ALERT_TRIGGERED,
		  T0 + 6 * MIN },
		{ "later", "checkout", SEV_WARNING, ALERT_TRIGGERED,
		  T0 + 5 * 3600 },
	};

	v = xcalloc(1, sizeof *v);
	deploy_fill(&v[0], "d1", "checkout", "v2.14.0", T0);
	model_init(&m, NULL);
	model_set_deploys(&m, "ci", v, 1);
	set_alerts(&m, "am", am, 2);
	model_mark_suspects(&m, 90 * MIN);
	assert_true(m.deploys[0].suspect);
	assert_string_equal(alert_by_id(&m, "soon")->suspect,
	    "checkout v2.14.0");
	assert_null(alert_by_id(&m, "later")->suspect);
	model_free(&m);
}

/* Marks are recomputed: when the alert is gone, so is the suspicion. */
static void
test_suspects_cleared_when_alert_goes(void **state)
{
	struct model		 m;
	struct deploy		*v;
	const struct a_spec	 am[] = {
		{ "boom", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};

	v = xcalloc(1, sizeof *v);
	deploy_fill(&v[0], "d1", "checkout", "v2.14.0", T0 - 6 * MIN);
	model_init(&m, NULL);
	model_set_deploys(&m, "ci", v, 1);
	set_alerts(&m, "am", am, 1);
	model_mark_suspects(&m, 90 * MIN);
	assert_true(m.deploys[0].suspect);
	set_alerts(&m, "am", NULL, 0);
	model_mark_suspects(&m, 90 * MIN);
	assert_false(m.deploys[0].suspect);
	model_free(&m);
}

/* --- header numbers ----------------------------------------------------- */

static void
test_count_firing_ignores_silenced_and_resolved(void **state)
{
	struct model		 m;
	const struct a_spec	 am[] = {
		{ "t", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "a", "s", SEV_CRITICAL, ALERT_ACKNOWLEDGED, T0 },
		{ "s", "s", SEV_CRITICAL, ALERT_SILENCED, T0 },
		{ "r", "s", SEV_CRITICAL, ALERT_RESOLVED, T0 },
		{ "w", "s", SEV_WARNING, ALERT_TRIGGERED, T0 },
		{ "ws", "s", SEV_WARNING, ALERT_SILENCED, T0 },
	};

	model_init(&m, NULL);
	assert_int_equal(model_count_firing(&m, SEV_CRITICAL), 0);
	set_alerts(&m, "am", am, 6);
	assert_int_equal(model_count_firing(&m, SEV_CRITICAL), 2);
	assert_int_equal(model_count_firing(&m, SEV_WARNING), 1);
	assert_int_equal(model_count_firing(&m, SEV_INFO), 0);
	model_free(&m);
}

/* Every firing alert is counted somewhere: an unknown severity (Sloth's
 * "pageteam", none at all) under its own, and the total (SEV__COUNT) is
 * the sum, which is what the Alerts pane calls open. */
static void
test_count_firing_counts_unknown_severities(void **state)
{
	struct model		 m;
	const struct a_spec	 am[] = {
		{ "c", "s", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "p", "s", SEV_UNKNOWN, ALERT_TRIGGERED, T0 },
		{ "n", "s", SEV_UNKNOWN, ALERT_ACKNOWLEDGED, T0 },
		{ "ns", "s", SEV_UNKNOWN, ALERT_SILENCED, T0 },
		{ "w", "s", SEV_WARNING, ALERT_TRIGGERED, T0 },
	};
	enum severity		 order[SEV__COUNT];
	size_t			 i, sum = 0;

	model_init(&m, NULL);
	set_alerts(&m, "am", am, 5);
	assert_int_equal(model_count_firing(&m, SEV_UNKNOWN), 2);
	assert_int_equal(model_count_firing(&m, SEV__COUNT), 4);
	severity_order(order);
	for (i = 0; i < SEV__COUNT; i++)
		sum += model_count_firing(&m, order[i]);
	assert_int_equal(sum, 4);
	model_free(&m);
}

/* Where an unknown severity ranks: just after the level given, after
 * error by default; the known ones keep their order. */
static void
test_severity_rank(void **state)
{
	enum severity	order[SEV__COUNT];
	int		s;

	for (s = SEV_CRITICAL; s < SEV_INFO; s++)
		assert_true(severity_rank_with(s, SEV_ERROR) <
		    severity_rank_with(s + 1, SEV_ERROR));
	assert_true(severity_rank_with(SEV_UNKNOWN, SEV_ERROR) >
	    severity_rank_with(SEV_ERROR, SEV_ERROR));
	assert_true(severity_rank_with(SEV_UNKNOWN, SEV_ERROR) <
	    severity_rank_with(SEV_WARNING, SEV_ERROR));
	assert_true(severity_rank_with(SEV_UNKNOWN, SEV_CRITICAL) <
	    severity_rank_with(SEV_ERROR, SEV_CRITICAL));
	assert_true(severity_rank_with(SEV_UNKNOWN, SEV_INFO) >
	    severity_rank_with(SEV_INFO, SEV_INFO));
	/* Nonsense falls back to the default. */
	assert_int_equal(severity_rank_with(SEV_UNKNOWN, SEV_UNKNOWN),
	    severity_rank_with(SEV_UNKNOWN, SEV_UNKNOWN_AFTER_DEFAULT));

	severity_order(order);
	assert_int_equal(order[0], SEV_CRITICAL);
	assert_int_equal(order[1], SEV_ERROR);
	assert_int_equal(order[2], SEV_UNKNOWN);
	assert_int_equal(order[3], SEV_WARNING);
	assert_int_equal(order[4], SEV_INFO);
	severity_set_unknown_after(SEV_INFO);
	severity_order(order);
	assert_int_equal(order[3], SEV_INFO);
	assert_int_equal(order[4], SEV_UNKNOWN);
	severity_set_unknown_after(SEV_CRITICAL);
	severity_order(order);
	assert_int_equal(order[0], SEV_CRITICAL);
	assert_int_equal(order[1], SEV_UNKNOWN);
	severity_set_unknown_after(SEV_UNKNOWN_AFTER_DEFAULT);
}

static void
test_worst_slo_skips_no_data(void **state)
{
	struct model	 m;
	struct slo	*v;

	model_init(&m, NULL);
	assert_null(model_worst_slo(&m));

	v = xcalloc(1, sizeof *v);
	slo_fill(&v[0], "dark", "a", NAN, SLO_ALERT_NONE);
	model_set_slos(&m, "prom", v, 1);
	assert_null(model_worst_slo(&m));

	v = xcalloc(3, sizeof *v);
	slo_fill(&v[0], "dark", "a", NAN, SLO_ALERT_NONE);
	slo_fill(&v[1], "calm", "b", 0.3, SLO_ALERT_NONE);
	slo_fill(&v[2], "warm", "c", 2.0, SLO_ALERT_NONE);
	model_set_slos(&m, "prom", v, 3);
	assert_non_null(model_worst_slo(&m));
	assert_string_equal(model_worst_slo(&m)->name, "warm");

	v = xcalloc(3, sizeof *v);
	slo_fill(&v[0], "dark", "a", NAN, SLO_ALERT_NONE);
	slo_fill(&v[1], "paging", "b", 20, SLO_ALERT_PAGE);
	slo_fill(&v[2], "warm", "c", 30, SLO_ALERT_NONE);
	model_set_slos(&m, "prom", v, 3);
	assert_string_equal(model_worst_slo(&m)->name, "paging");
	model_free(&m);
}

/* --- source health ------------------------------------------------------ */

static void
test_source_health_transitions(void **state)
{
	struct model			 m;
	const struct source_health	*h;
	size_t				 i;
	uint64_t			 gen;

	model_init(&m, NULL);
	i = model_add_source(&m, "prom-eu", "prometheus", FEED_BIT(FEED_SLOS));
	h = &m.sources[i];
	assert_string_equal(h->name, "prom-eu");
	assert_string_equal(h->kind, "prometheus");
	assert_false(h->fetched);
	assert_false(h->ok);

	gen = m.gen_sources;
	model_source_ok(&m, i, T0);
	h = &m.sources[i];
	assert_true(m.gen_sources > gen);
	assert_true(h->fetched);
	assert_true(h->ok);
	assert_int_equal(h->last_ok, T0);
	assert_null(h->error);

	gen = m.gen_sources;
	model_source_fail(&m, i, T0 + 30, "connection refused");
	assert_true(m.gen_sources > gen);
	assert_true(h->fetched);
	assert_false(h->ok);
	/* "Last good data: 30s ago" needs the last success kept. */
	assert_int_equal(h->last_ok, T0);
	assert_int_equal(h->last_error, T0 + 30);
	assert_string_equal(h->error, "connection refused");

	model_source_fail(&m, i, T0 + 60, "HTTP 503");
	assert_string_equal(h->error, "HTTP 503");
	assert_int_equal(h->last_ok, T0);

	model_source_ok(&m, i, T0 + 90);
	assert_true(h->ok);
	assert_int_equal(h->last_ok, T0 + 90);
	assert_null(h->error);
	model_free(&m);
}

static void
test_second_source_does_not_disturb_first(void **state)
{
	struct model	 m;
	size_t		 a, b;

	model_init(&m, NULL);
	a = model_add_source(&m, "pd", "pagerduty", FEED_BIT(FEED_ALERTS));
	model_source_fail(&m, a, T0, "401 Unauthorized");
	b = model_add_source(&m, "am", "alertmanager", FEED_BIT(FEED_ALERTS));
	assert_true(a != b);
	model_source_ok(&m, b, T0);
	assert_false(m.sources[a].ok);
	assert_string_equal(m.sources[a].error, "401 Unauthorized");
	assert_true(m.sources[b].ok);
	model_free(&m);
}

/* --- vocabulary --------------------------------------------------------- */

static void
test_severity_parse_vendor_words(void **state)
{
	assert_int_equal(severity_parse("critical"), SEV_CRITICAL);
	assert_int_equal(severity_parse("CRITICAL"), SEV_CRITICAL);
	assert_int_equal(severity_parse("crit"), SEV_CRITICAL);
	assert_int_equal(severity_parse("P1"), SEV_CRITICAL);
	assert_int_equal(severity_parse("p1"), SEV_CRITICAL);
	assert_int_equal(severity_parse("page"), SEV_CRITICAL);
	assert_int_equal(severity_parse("high"), SEV_ERROR);
	assert_int_equal(severity_parse("error"), SEV_ERROR);
	assert_int_equal(severity_parse("P2"), SEV_ERROR);
	assert_int_equal(severity_parse("warning"), SEV_WARNING);
	assert_int_equal(severity_parse("Warning"), SEV_WARNING);
	assert_int_equal(severity_parse("warn"), SEV_WARNING);
	assert_int_equal(severity_parse("low"), SEV_WARNING);
	assert_int_equal(severity_parse("info"), SEV_INFO);
	assert_int_equal(severity_parse("none"), SEV_INFO);
	assert_int_equal(severity_parse("P5"), SEV_INFO);
	assert_int_equal(severity_parse("unknown stuff"), SEV_UNKNOWN);
	assert_int_equal(severity_parse("criticality"), SEV_UNKNOWN);
	assert_int_equal(severity_parse(""), SEV_UNKNOWN);
	assert_int_equal(severity_parse(NULL), SEV_UNKNOWN);
	/* The names round-trip. */
	assert_int_equal(severity_parse(severity_name(SEV_ERROR)), SEV_ERROR);
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(severity_name(SEV_UNKNOWN), "unknown");
}

static void
test_log_append_bumps_generation(void **state)
{
	struct model			 m;
	const struct log_line		*l;
	uint64_t			 gen;

	model_init(&m, NULL);
	gen = m.gen_logs;
	model_log_append(&m, 0, 1700000000000000000LL, "checkout", "hello", 5);
	assert_true(m.gen_logs > gen);
	gen = m.gen_logs;
	model_log_append(&m, 0, 1700000000000000001LL, "checkout", "again", 5);
	assert_true(m.gen_logs > gen);
	assert_int_equal(m.logs.n, 2);
	l = ring_get(&m.logs, 1);
	assert_string_equal(LOG_LINE_TEXT(l), "again");
	assert_string_equal(LOG_LINE_LABELS(l), "checkout");
	model_free(&m);
}

/* Panes learn of changes through the hook. */
static void
count_change(void *arg)
{
	(*(int *)arg)++;
}

static void
test_changes_call_the_hook(void **state)
{
	struct model	m;
	int		calls = 0;

	model_init(&m, NULL);
	m.on_change = count_change;
	m.on_change_arg = &calls;
	set_alerts(&m, "am", NULL, 0);
	model_log_append(&m, 0, 0, NULL, "x", 1);
	assert_int_equal(calls, 2);
	model_free(&m);
}

/* --- environments ------------------------------------------------------- */

static void
test_environments_show_one_or_all(void **state)
{
	struct model		 m;
	const struct a_spec	 prod[] = {
		{ "p1", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
		{ "p2", "cart", SEV_WARNING, ALERT_SILENCED, T0 },
	};
	const struct a_spec	 stg[] = {
		{ "s1", "checkout", SEV_CRITICAL, ALERT_TRIGGERED, T0 },
	};
	const char		**env;
	struct slo		*slos;
	struct deploy		*d;
	size_t			 n;

	model_init(&m, "prod");
	model_add_source(&m, "am-prod", "alertmanager", FEED_BIT(FEED_ALERTS));
	model_source_environment(&m, 0, NULL);
	model_add_source(&m, "am-stg", "alertmanager", FEED_BIT(FEED_ALERTS));
	model_source_environment(&m, 1, "staging");
	model_add_source(&m, "deploys", "deploys", FEED_BIT(FEED_DEPLOYS));
	model_source_environment(&m, 2, "staging");
	env = model_environments(&m, &n);
	assert_int_equal(n, 2);
	assert_string_equal(env[0], "prod");
	assert_string_equal(env[1], "staging");
	free(env);

	set_alerts(&m, "am-prod", prod, 2);
	set_alerts(&m, "am-stg", stg, 1);
	slos = xcalloc(1, sizeof *slos);
	slo_fill(&slos[0], "stg-avail", "checkout", 20, SLO_ALERT_PAGE);
	model_set_slos(&m, "am-stg", slos, 1);
	/* A deploy to staging's checkout before both alerts. */
	d = xcalloc(1, sizeof *d);
	deploy_fill(&d[0], "d1", "checkout", "v2", T0 - 5 * MIN);
	model_set_deploys(&m, "deploys", d, 1);

	assert_int_equal(m.nalerts, 3);
	assert_string_equal(alert_by_id(&m, "p1")->environment, "prod");
	assert_string_equal(alert_by_id(&m, "s1")->environment, "staging");
	assert_string_equal(m.slos[0].environment, "staging");
	assert_string_equal(m.deploys[0].environment, "staging");
	/* The staging deploy is staging's suspect, not prod's. */
	assert_string_equal(alert_by_id(&m, "s1")->suspect, "checkout v2");
	assert_null(alert_by_id(&m, "p1")->suspect);
	assert_int_equal(model_env_firing(&m, "prod"), 1);
	assert_int_equal(model_env_firing(&m, "staging"), 1);

	model_show_environment(&m, "prod");
	assert_int_equal(m.nalerts, 2);
	assert_int_equal(m.nslos, 0);
	assert_int_equal(m.ndeploys, 0);
	assert_int_equal(alert_index(&m, "am-stg", "s1"), -1);
	/* Hidden, staging still counts; its refresh stays hidden. */
	assert_int_equal(model_env_firing(&m, "staging"), 1);
	set_alerts(&m, "am-stg", stg, 1);
	assert_int_equal(m.nalerts, 2);
	assert_int_equal(m.nhidden_alerts, 1);
	slos = xcalloc(1, sizeof *slos);
	slo_fill(&slos[0], "stg-avail", "checkout", 30, SLO_ALERT_PAGE);
	model_set_slos(&m, "am-stg", slos, 1);
	assert_int_equal(m.nslos, 0);
	assert_int_equal(m.nhidden_slos, 1);
	d = xcalloc(1, sizeof *d);
	deploy_fill(&d[0], "d2", "checkout", "v3", T0 - 4 * MIN);
	model_set_deploys(&m, "deploys", d, 1);
	assert_int_equal(m.ndeploys, 0);
	assert_int_equal(m.nhidden_deploys, 1);

	model_show_environment(&m, "staging");
	assert_int_equal(m.nalerts, 1);
	assert_string_equal(m.alerts[0].id, "s1");
	assert_int_equal(m.nslos, 1);
	assert_true(m.slos[0].burn[W_1H] == 30);	/* the refresh, kept */
	assert_int_equal(m.ndeploys, 1);
	assert_string_equal(m.deploys[0].id, "d2");

	model_show_environment(&m, NULL);
	assert_int_equal(m.nalerts, 3);
	assert_int_equal(m.nhidden_alerts, 0);
	assert_string_equal(m.alerts[0].id, "p1");	/* sorted again */
	assert_int_equal(m.nslos, 1);
	model_free(&m);
	worker_free();
}


/* Two [loki] sections share the ring: the larger caps hold, whichever
 * section comes last. */
static void
test_log_caps_the_largest(void **state)
{
	struct model	m;

	(void)state;
	model_init(&m, "prod");
	model_log_caps(&m, 5000, 1 << 20);
	model_log_caps(&m, 200, 1 << 24);
	assert_int_equal(m.logs.max_lines, 5000);
	assert_int_equal(m.logs.max_bytes, 1 << 24);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_environments_show_one_or_all),
		cmocka_unit_test(test_set_alerts_replaces_only_that_source),
		cmocka_unit_test(test_same_id_in_two_sources_are_two_alerts),
		cmocka_unit_test(test_alert_order),
		cmocka_unit_test(test_alert_order_is_stable),
		cmocka_unit_test(test_alert_merge_equals_full_sort),
		cmocka_unit_test(test_slo_order),
		cmocka_unit_test(test_slo_order_uses_the_1h_burn),
		cmocka_unit_test(test_deploys_newest_first),
		cmocka_unit_test(test_deploy_six_minutes_before_alert_is_suspect),
		cmocka_unit_test(test_unrelated_deploys_are_not_suspect),
		cmocka_unit_test(test_latest_preceding_deploy_is_named),
		cmocka_unit_test(test_alert_outside_window_not_pinned_on_deploy),
		cmocka_unit_test(test_suspects_cleared_when_alert_goes),
		cmocka_unit_test(test_count_firing_ignores_silenced_and_resolved),
		cmocka_unit_test(test_count_firing_counts_unknown_severities),
		cmocka_unit_test(test_severity_rank),
		cmocka_unit_test(test_worst_slo_skips_no_data),
		cmocka_unit_test(test_source_health_transitions),
		cmocka_unit_test(test_second_source_does_not_disturb_first),
		cmocka_unit_test(test_severity_parse_vendor_words),
		cmocka_unit_test(test_log_append_bumps_generation),
		cmocka_unit_test(test_changes_call_the_hook),
		cmocka_unit_test(test_log_caps_the_largest),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
