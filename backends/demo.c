/* demo.c: the in-process demo source behind the ordinary backend interface.
 * It plays one deterministic incident relative to its start: a deploy of
 * checkout, error alerts six minutes later, the checkout SLO burning at about
 * 15x, error logs streaming; other services stay quiet. The same seed gives
 * the same records; only their times follow the clock. Its alerts can be
 * acknowledged, resolved and noted (the state lives here), and once a
 * rollback of checkout ends well (the demo's own, `sitrep demo-rollout`,
 * told through demo_action_ended) its errors stop, its burn falls over the
 * next minute (an hour's recovery fast-forwarded, so the 1h window falls
 * too) and its alerts resolve a minute after the rollback. Its SLOs have a
 * past as well, a curve computed when asked rather than kept samples: an
 * everyday burn with a day's wave, and earlier episodes, two of them after
 * older demo deploys; from it the burn columns, the sparkline, the SLO
 * detail's burndown and `sitrep report`'s history over any period. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "backends/demo.h"
#include "backends/source.h"
#include "core/audit.h"
#include "core/budget.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/slomath.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/loghist.h"
#include "core/loop.h"

#define MIN		60
#define HOUR		3600
#define DAY		86400
#define LOG_TICK_MS	200
#define RECOVERY	60		/* seconds a rollback takes to bite */
#define FAST_FORWARD	60		/* after a rollback, a minute plays an
					 * hour of the SLO's recovery */
#define NALERTS		5
#define NSERVICES	8

/* What the console did to one demo alert. */
struct demo_override {
	bool		 acked;
	bool		 resolved;
	struct kvlist	 notes;		/* time -> text */
};

/* A rollback that ended well, in the incident's seconds. */
struct demo_rollback {
	char		*service;
	double		 at;
	time_t		 wall;
};
#define DEMO_PAGE	1000	/* history lines per page */

struct demo {
	uint64_t		 seed;
	double			 logs_per_second;
	bool			 frozen;
	time_t			 t0;		/* wall time at start */
	int64_t			 t0_ns;
	int64_t			 t0_mono;
	uint64_t		 lines;		/* log lines emitted */
	struct loop_timer	*log_timer;
	bool			 backlog_done;
	double			 now;		/* the incident's clock */
	struct demo_override	 ov[NALERTS];
	struct demo_rollback	 rb[NSERVICES];
	size_t			 nrb;
	struct source		*self;
	double			 phase;		/* of the day's wave */
	bool			 report;	/* sitrep report's period: */
	double			 rfrom, rto;
	long			 rstep, rbstep;
};

/* The running demo sources, for demo_action_ended. */
#define MAX_DEMOS	4
static struct source	*demos[MAX_DEMOS];

/* The incident, in seconds relative to start. */
#define DEPLOY_AT	(-70 * MIN)
#define ERRORS_FROM	(-65 * MIN)	/* the bad build starts failing */
#define ALERTS_AT	(-64 * MIN)	/* six minutes after the deploy */

static uint64_t
demo_rand(uint64_t *state)
{
	/* splitmix64: small, deterministic and good enough for a demo. */
	uint64_t	z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static double
demo_uniform(uint64_t *state)
{
	return ((double)(demo_rand(state) >> 11) / 9007199254740992.0);
}

/* Seconds since the demo started, frozen at 0 for benchmarks. */
static double
demo_elapsed(const struct demo *d)
{
	if (d->frozen)
		return (0);
	return ((double)(loop_now_ms() - d->t0_mono) / 1000.0);
}

static void
demo_register(struct source *s, bool on)
{
	size_t	i;

	for (i = 0; i < MAX_DEMOS; i++) {
		if (on && demos[i] == NULL) {
			demos[i] = s;
			return;
		}
		if (!on && demos[i] == s)
			demos[i] = NULL;
	}
}

bool
demo_running(void)
{
	size_t	i;

	for (i = 0; i < MAX_DEMOS; i++) {
		if (demos[i] != NULL)
			return (true);
	}
	return (false);
}

/* When service was rolled back (the incident's seconds), or NAN. */
static double
demo_rolled_back(const struct demo *d, const char *service)
{
	size_t	i;

	for (i = 0; i < d->nrb; i++) {
		if (strcmp(d->rb[i].service, service) == 0)
			return (d->rb[i].at);
	}
	return (NAN);
}

static bool
demo_start(struct source *s, struct config *cfg)
{
	struct demo	*d;
	uint64_t	 rng;

	d = xcalloc(1, sizeof *d);
	d->seed = (uint64_t)config_number(cfg, s->section, "seed", 1, 0, 1e15);
	d->logs_per_second = config_number(cfg, s->section, "logs_per_second",
	    50, 0, 100000);
	d->frozen = config_bool(cfg, s->section, "frozen", false);
	d->t0 = time_wall();
	d->t0_ns = time_wall_ns();
	d->t0_mono = loop_now_ms();
	rng = d->seed * 31ULL + 17;
	d->phase = (double)(demo_rand(&rng) % DAY);
	if (config_get(s->section, "refresh") == NULL)
		s->interval_ms = 2000;
	s->data = d;
	d->self = s;
	demo_register(s, true);
	return (true);
}

/* --- alerts ----------------------------------------------------------- */

extern const struct backend_ops demo_backend_ops;

struct demo_alert {
	const char	*id;
	const char	*name;
	const char	*service;
	enum severity	 severity;
	enum alert_status status;
	int		 at;		/* relative to start */
	const char	*summary;
};

static const struct demo_alert demo_alerts[NALERTS] = {
	{ "demo-1", "CheckoutHighErrorRate", "checkout", SEV_CRITICAL,
	  ALERT_TRIGGERED, ALERTS_AT,
	  "checkout: 5xx ratio 1.6% over 5m (threshold 1%)" },
	{ "demo-2", "CheckoutErrorBudgetBurn", "checkout", SEV_CRITICAL,
	  ALERT_ACKNOWLEDGED, ALERTS_AT + 2 * MIN,
	  "checkout-availability burning 15x: 2% of budget in 1h" },
	{ "demo-3", "CheckoutLatencyP99High", "checkout", SEV_WARNING,
	  ALERT_TRIGGERED, ALERTS_AT + 4 * MIN,
	  "checkout: p99 latency 2.3s (threshold 1s)" },
	{ "demo-4", "PaymentsUpstreamErrors", "payments", SEV_ERROR,
	  ALERT_TRIGGERED, 30,
	  "payments: authorization calls from checkout failing (502)" },
	{ "demo-5", "InventoryDiskUsage", "inventory", SEV_INFO,
	  ALERT_ACKNOWLEDGED, -5 * HOUR,
	  "inventory-db-0: disk 78% full" },
};

static void
demo_fill_alert(struct alert *a, const struct demo_alert *da, time_t t0)
{
	a->id = xstrdup(da->id);
	a->service = xstrdup(da->service);
	a->severity = da->severity;
	a->status = da->status;
	a->title = xasprintf("%s: %s", da->name, da->summary);
	a->started_at = t0 + da->at;
	a->url = xasprintf("https://alerts.example.com/alert/%s", da->id);
	a->runbook_url = xasprintf("https://runbooks.example.com/%s", da->name);
	a->dashboard_url = xasprintf("https://grafana.example.com/d/%s",
	    da->service);
	a->description = xstrdup(da->summary);
	if (da->status == ALERT_ACKNOWLEDGED)
		a->assignees = xstrdup("Maria Lopez");
	kvlist_add(&a->labels, "alertname", da->name);
	kvlist_add(&a->labels, "service", da->service);
	kvlist_add(&a->labels, "severity", severity_name(da->severity));
	kvlist_add(&a->labels, "env", "demo");
	kvlist_add(&a->annotations, "summary", da->summary);
	kvlist_add(&a->annotations, "runbook_url", a->runbook_url);
}

/* Is demo alert i gone: resolved by hand, or by its service's recovery? */
static bool
demo_alert_gone(const struct demo *d, size_t i, double now)
{
	double	rb = demo_rolled_back(d, demo_alerts[i].service);

	return (d->ov[i].resolved || (!isnan(rb) && now >= rb + RECOVERY));
}

static void
demo_alerts_update(struct source *s, struct demo *d, double now)
{
	struct alert	*v;
	size_t		 i, n = 0;

	v = xcalloc(NALERTS, sizeof *v);
	for (i = 0; i < NALERTS; i++) {
		if (demo_alerts[i].at > now || demo_alert_gone(d, i, now))
			continue;
		demo_fill_alert(&v[n], &demo_alerts[i], d->t0);
		if (d->ov[i].acked && v[n].status == ALERT_TRIGGERED) {
			v[n].status = ALERT_ACKNOWLEDGED;
			free(v[n].assignees);
			v[n].assignees = xstrdup(audit_user());
		}
		n++;
	}
	model_set_alerts(s->model, s->name, v, n);
}

static size_t
demo_alert_index(const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < NALERTS; i++) {
		if (strcmp(demo_alerts[i].id, id) == 0)
			return (i);
	}
	return (NALERTS);
}

/* Acknowledge, resolve or note a demo alert: the answer comes at once,
 * the state stays here. */
static bool
demo_act(struct source *s, const struct action *a, action_done_cb done,
    void *arg)
{
	struct demo	*d = s->data;
	size_t		 i = demo_alert_index(a->target);
	char		 when[32], *msg;

	if ((demo_backend_ops.actions & ACTION_BIT(a->kind)) == 0)
		return (false);
	if (i == NALERTS || demo_alerts[i].at > d->now ||
	    demo_alert_gone(d, i, d->now)) {
		done(false, 0, "no such open demo alert", arg);
		return (true);
	}
	switch (a->kind) {
	case ACTION_ACK:
		d->ov[i].acked = true;
		msg = xasprintf("acknowledged %s (demo)", a->target);
		break;
	case ACTION_RESOLVE:
		d->ov[i].resolved = true;
		msg = xasprintf("resolved %s (demo)", a->target);
		break;
	default:
		if (a->text == NULL || *a->text == '\0') {
			done(false, 0, "a note needs some text", arg);
			return (true);
		}
		time_format_iso(when, sizeof when, time_wall());
		kvlist_add(&d->ov[i].notes, when, a->text);
		msg = xasprintf(a->kind == ACTION_NOTE ? "note added to %s "
		    "(demo)" : "status update posted on %s (demo)", a->target);
		break;
	}
	done(true, 0, msg, arg);	/* no request was made */
	free(msg);
	return (true);
}

/* The notes typed on a demo alert, for its detail view. */
static void
demo_details(struct source *s, const char *id, detail_done_cb done,
    void *arg)
{
	struct demo		*d = s->data;
	struct detail_section	 sec;
	size_t			 i = demo_alert_index(id);

	if (i == NALERTS) {
		done(NULL, 0, "no such demo alert", arg);
		return;
	}
	sec.heading = (char *)"notes";
	sec.lines = &d->ov[i].notes;
	done(&sec, d->ov[i].notes.n > 0 ? 1 : 0, NULL, arg);
}

/* --- SLOs -------------------------------------------------------------- */

/* The SLOs' history is a curve, not samples: an everyday burn that grew
 * over the month before last, a day's wave on it, the earlier episodes
 * below and the incident; any window's mean burn (the burn columns, the
 * sparkline, the report's and the burndown's points, the budget left) is
 * its exact integral, computed when asked. */
#define DRIFT_FROM	(-60 * DAY)	/* the everyday burn, old_burn here, */
#define DRIFT_TO	(-35 * DAY)	/* grew to base_burn by here */
#define DIURNAL		0.2		/* by day up to a fifth more, by night
					 * as much less */
#define NEPISODES	3

/* The deploys behind the earlier episodes. */
#define CK_BAD_AT	(-(4 * DAY + 3 * HOUR + 20 * MIN))	/* v2.13.0 */
#define CK_OFF_AT	(CK_BAD_AT + 2 * HOUR)	/* its cache switched off */
#define FE_BAD_AT	(-26 * HOUR)				/* v5.0.7 */

/* An earlier episode: `extra` burn on top of the everyday one from `at`
 * (relative to start), reached over `ramp` seconds, held `len`, gone over
 * `ramp` again. */
struct demo_episode {
	int	 at, ramp, len;
	double	 extra;		/* 0: none */
};

struct demo_slo {
	const char		*name;
	const char		*service;
	double			 objective;
	double			 base_burn;	/* everyday, since DRIFT_TO */
	double			 old_burn;	/* ... before DRIFT_FROM */
	double			 incident_burn;	/* after ERRORS_FROM, 0: none */
	bool			 no_traffic;
	struct demo_episode	 ep[NEPISODES];
};

/* The everyday burns are such that the budget left at the start is what
 * the demo always showed: checkout 62.7%, payments 69.8%, search 40%,
 * frontend 88%. */
static const struct demo_slo demo_slos[] = {
	{ "checkout-availability", "checkout", 99.9, 0.227, 0.15, 15.5, false,
	  { /* v2.13.0 failed until its cache was switched off: a page */
	    { CK_BAD_AT + 6 * MIN, 4 * MIN, CK_OFF_AT - CK_BAD_AT - 10 * MIN,
	      16.5 },
	    /* a slow leak nothing explains: a ticket */
	    { -(19 * DAY + 5 * HOUR), HOUR, 18 * HOUR, 3.0 },
	    /* older than the window: its budget came back 11 days ago */
	    { -(41 * DAY + 9 * HOUR), 10 * MIN, 6 * HOUR, 10.0 } } },
	{ "payments-availability", "payments", 99.95, 0.242, 0.2, 1.8, false,
	  { /* the acquirer's outage: no deploy of payments explains it */
	    { -(12 * DAY + 2 * HOUR), 10 * MIN, 4 * HOUR, 10.0 } } },
	{ "search-latency", "search", 99.0, 0.60, 0.3, 0, false, { { 0 } } },
	{ "frontend-availability", "frontend", 99.9, 0.093, 0.06, 0, false,
	  { /* v5.0.7's basket drawer, until a flag turned it off */
	    { FE_BAD_AT + 9 * MIN, 3 * MIN, 45 * MIN, 24.0 } } },
	{ "inventory-availability", "inventory", 99.5, 0, 0, 0, true,
	  { { 0 } } },
};

/* The incident's clock at moment x: after a rollback at rb (NAN: none)
 * a second plays FAST_FORWARD, so that every window, the hour's too,
 * shows the burn falling within the minute. */
static double
demo_clock(double x, double rb)
{
	if (isnan(rb) || x <= rb)
		return (x);
	return (rb + (x - rb) * FAST_FORWARD);
}

static double
demo_episode_at(const struct demo_episode *e, double x)
{
	double	a = e->at, b = a + e->ramp, c = b + e->len, z = c + e->ramp;

	if (e->extra == 0 || x <= a || x >= z)
		return (0);
	if (x < b)
		return (e->extra * (x - a) / e->ramp);
	if (x <= c)
		return (e->extra);
	return (e->extra * (z - x) / e->ramp);
}

/* The burn at moment x but the day's wave: the everyday burn, the
 * episodes, and the incident from ERRORS_FROM, back to the everyday burn
 * over RECOVERY seconds from a rollback at rb (NAN: none). Linear between
 * the knots of demo_knots. */
static double
demo_burn_at(const struct demo_slo *ds, double x, double rb)
{
	double	b = ds->base_burn, inc = ds->incident_burn - ds->base_burn;
	size_t	i;

	if (x <= DRIFT_FROM)
		b = ds->old_burn;
	else if (x < DRIFT_TO)
		b = ds->old_burn + (ds->base_burn - ds->old_burn) *
		    (x - DRIFT_FROM) / (DRIFT_TO - DRIFT_FROM);
	for (i = 0; i < NEPISODES; i++)
		b += demo_episode_at(&ds->ep[i], x);
	if (ds->incident_burn == 0 || x < ERRORS_FROM)
		return (b);
	if (isnan(rb) || x < rb)
		return (b + inc);
	if (x >= rb + RECOVERY)
		return (b);
	return (b + inc * (1 - (x - rb) / RECOVERY));
}

/* Where demo_burn_at bends or jumps; returns how many (at most 24). */
static size_t
demo_knots(const struct demo_slo *ds, double rb, double *k)
{
	const struct demo_episode	*e;
	size_t				 n = 0, i;

	k[n++] = DRIFT_FROM;
	k[n++] = DRIFT_TO;
	for (i = 0; i < NEPISODES; i++) {
		if ((e = &ds->ep[i])->extra == 0)
			continue;
		k[n++] = e->at;
		k[n++] = e->at + e->ramp;
		k[n++] = e->at + e->ramp + e->len;
		k[n++] = e->at + 2 * e->ramp + e->len;
	}
	k[n++] = ERRORS_FROM;
	if (!isnan(rb)) {
		k[n++] = rb;
		k[n++] = rb + RECOVERY;
	}
	return (n);
}

/* The mean burn over [t - w, t]: a trapezoid per linear piece, and the
 * day's wave (phase: where it starts rising) by its integral. */
static double
demo_mean_burn(const struct demo_slo *ds, double t, double w, double rb,
    double phase)
{
	const double	om = 2 * 3.14159265358979323846 / DAY;
	double		k[24], cut[26], sum = 0, a, b, e;
	size_t		nk, n = 0, i, j;

	if (!(w > 0))
		return (ds->base_burn);
	nk = demo_knots(ds, rb, k);
	cut[n++] = t - w;
	for (i = 0; i < nk; i++) {
		if (k[i] > t - w && k[i] < t)
			cut[n++] = k[i];
	}
	cut[n++] = t;
	for (i = 1; i < n; i++) {	/* a few cuts: insertion sort */
		for (j = i; j > 0 && cut[j] < cut[j - 1]; j--) {
			a = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = a;
		}
	}
	for (i = 1; i < n; i++) {
		a = cut[i - 1];
		b = cut[i];
		e = (b - a) * 1e-9;	/* inside the piece, past a jump */
		sum += (demo_burn_at(ds, a + e, rb) +
		    demo_burn_at(ds, b - e, rb)) / 2 * (b - a);
	}
	sum += DIURNAL * ds->base_burn / om * (cos(om * (t - w - phase)) -
	    cos(om * (t - phase)));
	return (sum > 0 ? sum / w : 0);
}

/* The history of [from, to] (wall seconds) as a Prometheus source gives
 * it to the report and the burndown: the 1h burn every step seconds, with
 * the wobble of a short window, and the budget left every bstep; no data
 * after the incident's now, nor for no traffic. */
static struct slo_history *
demo_slo_history(const struct demo *d, const struct demo_slo *ds,
    size_t idx, double rb, double now, double from, double to, long step,
    long bstep)
{
	struct slo_history	*h;
	uint64_t		 rng;
	double			 x;
	size_t			 i;

	if (!(to > from) || step <= 0 || bstep <= 0)
		return (NULL);
	h = xcalloc(1, sizeof *h);
	h->start = h->bstart = from;
	h->step = (double)step;
	h->bstep = (double)bstep;
	h->n = (size_t)((to - from) / h->step) + 1;
	h->nbudget = (size_t)((to - from) / h->bstep) + 1;
	h->burn = xreallocarray(NULL, h->n, sizeof *h->burn);
	h->budget = xreallocarray(NULL, h->nbudget, sizeof *h->budget);
	for (i = 0; i < h->n; i++) {
		x = from + (double)i * h->step - (double)d->t0;
		h->burn[i] = NAN;
		if (ds->no_traffic || x > now + 1)
			continue;
		/* The wobble depends on the seed and the point alone. */
		rng = d->seed * 2654435761ULL + idx * 40503ULL +
		    (uint64_t)llround(x / h->step);
		h->burn[i] = demo_mean_burn(ds, demo_clock(x, rb), HOUR, rb,
		    d->phase) * (1.0 + (demo_uniform(&rng) - 0.5) * 0.16);
	}
	for (i = 0; i < h->nbudget; i++) {
		x = from + (double)i * h->bstep - (double)d->t0;
		h->budget[i] = NAN;
		if (ds->no_traffic || x > now + 1)
			continue;
		h->budget[i] = 1.0 - demo_mean_burn(ds, demo_clock(x, rb),
		    30.0 * DAY, rb, d->phase);
	}
	return (h);
}

static void
demo_fill_slo(struct slo *sl, const struct demo_slo *ds, const struct demo *d,
    double now, double rb, uint64_t *rng)
{
	double	b, noise;
	size_t	i;

	now = demo_clock(now, rb);
	sl->name = xstrdup(ds->name);
	sl->service = xstrdup(ds->service);
	sl->objective = ds->objective;
	sl->window_seconds = 30 * DAY;
	sl->budget_remaining = NAN;
	for (i = 0; i < W__COUNT; i++) {
		sl->burn[i] = sl->error_ratio[i] = NAN;
		if (ds->no_traffic)
			continue;
		b = demo_mean_burn(ds, now, slo_window_seconds[i], rb,
		    d->phase);
		/* Short windows wobble; long ones barely move. */
		noise = (demo_uniform(rng) - 0.5) * 0.08 *
		    (i <= W_30M ? 1.0 : 0.2);
		b *= 1.0 + noise;
		sl->error_ratio[i] = b * (1.0 - ds->objective / 100.0);
		sl->burn[i] = slo_burn(sl->error_ratio[i], ds->objective);
	}
	if (!ds->no_traffic) {
		sl->budget_remaining = 1.0 - demo_mean_burn(ds, now, 30.0 * DAY,
		    rb, d->phase);
		sl->nspark = 96;
		sl->spark = xcalloc(sl->nspark, sizeof *sl->spark);
		for (i = 0; i < sl->nspark; i++) {
			double at = now - (double)(sl->nspark - 1 - i) * 15 * MIN;

			sl->spark[i] = demo_mean_burn(ds, at, HOUR, rb,
			    d->phase) * (1.0 + (demo_uniform(rng) - 0.5) * 0.2);
		}
	}
	/* Say what the numbers show. */
	if (ds->no_traffic)
		sl->query = xasprintf("demo: %s has no traffic", ds->service);
	else if (ds->incident_burn == 0)
		sl->query = xasprintf("demo: %s burns about %.2fx its budget, "
		    "more by day than by night", ds->service, ds->base_burn);
	else if (now <= ERRORS_FROM)
		sl->query = xasprintf("demo: %s burns about %.2fx its budget; "
		    "its errors begin after the next deploy", ds->service,
		    ds->base_burn);
	else
		sl->query = xasprintf("demo: %s burned about %.2fx its budget "
		    "until the deploy and %.1fx since, so the short windows "
		    "read higher than the long ones", ds->service,
		    ds->base_burn, ds->incident_burn);
	slo_evaluate(sl);
}

static void
demo_slos_update(struct source *s, struct demo *d, double now)
{
	struct slo	*v;
	size_t		 i, n = sizeof demo_slos / sizeof demo_slos[0];
	long		 want = s->model->slo_history_s;
	double		 rb, to = (double)d->t0 + now;
	uint64_t	 rng;

	/* The noise depends on the seed and the refresh round only. */
	rng = d->seed * 1000003ULL + (d->frozen ? 0 : s->rounds);
	v = xcalloc(n, sizeof *v);
	for (i = 0; i < n; i++) {
		rb = demo_rolled_back(d, demo_slos[i].service);
		demo_fill_slo(&v[i], &demo_slos[i], d, now, rb, &rng);
		/* The report's period (no traffic: no history, as from
		 * Prometheus), else the burndown's the SLO detail wants. */
		if (d->report && !demo_slos[i].no_traffic)
			v[i].history = demo_slo_history(d, &demo_slos[i], i,
			    rb, now, d->rfrom, d->rto, d->rstep, d->rbstep);
		else if (!d->report && want >= HOUR && want <= 400 * DAY)
			v[i].history = demo_slo_history(d, &demo_slos[i], i,
			    rb, now, to - (double)want, to,
			    bud_fine_step((double)want),
			    bud_coarse_step((double)want));
	}
	model_set_slos(s->model, s->name, v, n);
}

bool
demo_report_period(struct source *s, double from, double to, long step,
    long bstep)
{
	struct demo	*d;

	if (s->ops != &demo_backend_ops || (d = s->data) == NULL ||
	    !(to > from) || step <= 0 || bstep <= 0)
		return (false);
	d->report = true;
	d->rfrom = from;
	d->rto = to;
	d->rstep = step;
	d->rbstep = bstep;
	return (true);
}

/* --- deploys ----------------------------------------------------------- */

struct demo_deploy {
	const char	*service;
	const char	*version;
	const char	*revision;
	const char	*previous;
	const char	*author;
	int		 at;
	const char	*summary;
};

/* Newest first; frontend's and the oldest are behind the SLOs' earlier
 * episodes. Five at the start: at 80x24 more would make the top band
 * taller, and the action terminal hide the SLO pane's rows. */
static const struct demo_deploy demo_deploys[] = {
	{ "checkout", "v2.14.0", "a1b2c3d", "9f8e7d6", "maria.lopez",
	  DEPLOY_AT, "Switch payment client to async retries" },
	{ "notifications", "v1.4.0", "77c1e0a", "5d0b9f2", "deploy-bot",
	  45, "Templated SMS copy" },
	{ "search", "v1.8.3", "e4d3c2b", "b1a0f9e", "sam.okafor",
	  -(2 * HOUR + 15 * MIN), "Bump analyzer dictionaries" },
	{ "frontend", "v5.0.7", "9a8b7c6", "d5e4f3a", "jo.martin",
	  FE_BAD_AT, "New basket drawer" },
	{ "inventory", "v0.9.12", "1f2e3d4", "c5b6a79", "deploy-bot",
	  -2 * DAY, "Nightly dependency updates" },
	{ "checkout", "v2.13.0", "9f8e7d6", "4c3b2a1", "sam.okafor",
	  CK_BAD_AT, "Cache cart totals per session" },
};

static void
demo_deploys_update(struct source *s, struct demo *d, double now)
{
	struct deploy	*v;
	size_t		 i, n = 0;

	v = xcalloc(sizeof demo_deploys / sizeof demo_deploys[0], sizeof *v);
	for (i = 0; i < sizeof demo_deploys / sizeof demo_deploys[0]; i++) {
		const struct demo_deploy *dd = &demo_deploys[i];
		struct deploy *dp;

		if (dd->at > now)
			continue;
		dp = &v[n++];
		dp->id = xasprintf("demo-deploy-%zu", i);
		dp->service = xstrdup(dd->service);
		dp->version = xstrdup(dd->version);
		dp->revision = xstrdup(dd->revision);
		dp->previous_revision = xstrdup(dd->previous);
		dp->author = xstrdup(dd->author);
		dp->environment = xstrdup("demo");
		dp->summary = xstrdup(dd->summary);
		dp->url = xasprintf("https://ci.example.com/%s/%s",
		    dd->service, dd->revision);
		dp->at = d->t0 + dd->at;
	}
	model_set_deploys(s->model, s->name, v, n);
}

/* --- logs -------------------------------------------------------------- */

static const char *const quiet_services[] = {
	"search", "frontend", "payments", "inventory", "notifications"
};

static const char *const error_messages[] = {
	"payment authorization failed: upstream payments returned 502",
	"POST /api/v1/orders 500 internal error: retry budget exhausted",
	"async retry queue full, dropping payment callback",
	"context deadline exceeded calling payments.Authorize",
};

static const char *const info_messages[] = {
	"GET /healthz 200",
	"request completed",
	"cache refresh done",
	"index segment merged",
	"GET /api/v1/items 200",
};

/* Line k of the incident (k < 0 before the demo started) is stamped
 * t0 + k / logs_per_second: the history view finds the same lines at the
 * same times as the live view had. */
static int64_t
demo_line_ts(const struct demo *d, int64_t k)
{
	return (d->t0_ns + (int64_t)((double)k * 1e9 / d->logs_per_second));
}

/* When checkout's rollback was run (wall clock, seconds), or 0. */
static time_t
demo_rollback_wall(const struct demo *d)
{
	size_t	i;

	for (i = 0; i < d->nrb; i++) {
		if (strcmp(d->rb[i].service, "checkout") == 0)
			return (d->rb[i].wall);
	}
	return (0);
}

/* Line k's labels and text: they depend only on the seed, k and when
 * checkout was rolled back. Before the bad build starts failing, and
 * once its rollback has bitten (RECOVERY seconds after it ran), checkout
 * is as quiet as the rest. */
static void
demo_log_format(const struct demo *d, int64_t k, char *labels, size_t llen,
    char *text, size_t tlen)
{
	uint64_t	 n = (uint64_t)k + (UINT64_C(1) << 40);
	uint64_t	 rng = d->seed * 7919ULL + n * 104729ULL;
	unsigned	 pod = (unsigned)(demo_rand(&rng) % 3);
	int64_t		 ts = demo_line_ts(d, k);
	time_t		 rb = demo_rollback_wall(d);
	bool		 failing = ts >= d->t0_ns +
			    (int64_t)ERRORS_FROM * 1000000000 && (rb == 0 ||
			    ts < ((int64_t)rb + RECOVERY) * 1000000000);
	double		 p = failing ? 0.45 : 0.02;
	bool		 error = demo_uniform(&rng) < p;
	const char	*svc;

	if (error) {
		snprintf(labels, llen, "{env=\"demo\", pod=\""
		    "checkout-7f9c6d-%c%c\", service=\"checkout\"}",
		    "xkq"[pod], "2p7"[pod]);
		snprintf(text, tlen, "level=error msg=\"%s\" "
		    "trace_id=%016llx latency_ms=%u",
		    error_messages[demo_rand(&rng) % 4], (unsigned long long)
		    demo_rand(&rng), (unsigned)(800 + demo_rand(&rng) % 2400));
	} else {
		svc = quiet_services[demo_rand(&rng) % 5];
		snprintf(labels, llen, "{env=\"demo\", pod=\"%s-%u\", "
		    "service=\"%s\"}", svc, pod, svc);
		snprintf(text, tlen, "level=info msg=\"%s\" "
		    "trace_id=%016llx latency_ms=%u",
		    info_messages[demo_rand(&rng) % 5], (unsigned long long)
		    demo_rand(&rng), (unsigned)(3 + demo_rand(&rng) % 80));
	}
}

static void
demo_log_line(struct source *s, struct demo *d, int64_t k)
{
	char	labels[160], text[512];

	demo_log_format(d, k, labels, sizeof labels, text, sizeof text);
	model_log_append(s->model, s->health, demo_line_ts(d, k), labels, text,
	    strlen(text));
}

/* Emit every line due by now, at logs_per_second. */
static void
demo_logs_catch_up(struct source *s, struct demo *d)
{
	double		 due;
	uint64_t	 target;

	due = demo_elapsed(d) * d->logs_per_second;
	target = (uint64_t)due;
	while (d->lines < target) {
		demo_log_line(s, d, (int64_t)d->lines);
		d->lines++;
	}
}

/* One page of the history view: the lines of [start, end), newest first
 * going back, at most DEMO_PAGE. */
static void
demo_history_page(struct source *s, struct demo *d, enum loghist_want dir)
{
	struct loghist	*h = &s->model->log_hist;
	double		 per = 1e9 / d->logs_per_second;
	int64_t		 start, end, k, lo, hi, first;
	size_t		 n = 0;
	char		 labels[160], text[512];

	loghist_range(h, dir, 10 * MIN * INT64_C(1000000000), time_wall_ns(),
	    &start, &end);
	h->doing = dir;
	loghist_page_begin(h, dir, start, end);
	/* The incident's story starts ten minutes before the deploy. */
	first = (int64_t)((DEPLOY_AT - 10 * MIN) * d->logs_per_second);
	lo = (int64_t)ceil((double)(start - d->t0_ns) / per);
	hi = (int64_t)ceil((double)(end - d->t0_ns) / per);
	if (lo < first)
		lo = first;
	for (k = dir == LOGHIST_OLDER ? hi - 1 : lo;
	    (dir == LOGHIST_OLDER ? k >= lo : k < hi) && n < DEMO_PAGE;
	    k += dir == LOGHIST_OLDER ? -1 : 1) {
		if (demo_line_ts(d, k) < start || demo_line_ts(d, k) >= end)
			continue;
		demo_log_format(d, k, labels, sizeof labels, text,
		    sizeof text);
		loghist_page_take(h, demo_line_ts(d, k), (uint64_t)k, labels,
		    text, strlen(text));
		n++;
	}
	loghist_page_end(h, n >= DEMO_PAGE);
}

/* Serve the history view's request: the demo holds the incident's whole
 * story, from before the deploy until now. */
static void
demo_history(struct source *s, struct demo *d)
{
	struct loghist		*h = &s->model->log_hist;
	enum loghist_want	 w;

	if (d->logs_per_second <= 0 || (w = loghist_take(h)) == LOGHIST_NONE)
		return;
	if (w == LOGHIST_AROUND) {
		demo_history_page(s, d, LOGHIST_OLDER);
		demo_history_page(s, d, LOGHIST_NEWER);
	} else
		demo_history_page(s, d, w);
	loghist_done(h, NULL);
	model_logs_changed(s->model);
}

static void
demo_log_tick(void *arg)
{
	struct source	*s = arg;
	struct demo	*d = s->data;

	d->log_timer = loop_timer_add(LOG_TICK_MS, demo_log_tick, s);
	demo_logs_catch_up(s, d);
	demo_history(s, d);
}

/* The last 200 lines before start, so the pane is not empty. */
static void
demo_logs_backlog(struct source *s, struct demo *d)
{
	int64_t	k;

	if (d->logs_per_second > 0) {
		for (k = -200; k < 0; k++)
			demo_log_line(s, d, k);
	}
	d->backlog_done = true;
}

static void
demo_refresh(struct source *s)
{
	struct demo	*d = s->data;
	double		 now;

	/* The incident's clock moves one refresh interval per round, not with
	 * the wall clock: the same seed and round give the same records
	 * however slowly the machine got here. */
	now = d->frozen ? 0 : (double)s->rounds * (double)s->interval_ms / 1000;
	d->now = now;

	/* A real log source configured beside the demo says what it
	 * follows; the demo's own lines then are just lines. */
	if (s->model->log_query == NULL)
		model_set_log_query(s->model, "{env=\"demo\"}");
	demo_deploys_update(s, d, now);
	demo_alerts_update(s, d, now);
	demo_slos_update(s, d, now);
	if (!d->backlog_done) {
		demo_logs_backlog(s, d);
		if (d->logs_per_second > 0 && !d->frozen)
			d->log_timer = loop_timer_add(LOG_TICK_MS,
			    demo_log_tick, s);
	}
	demo_history(s, d);
	source_done(s, NULL);
}

void
demo_action_ended(const char *action, const char *target, bool ok)
{
	struct demo	*d;
	size_t		 i, len;

	if (!ok || strcmp(action, "rollback") != 0 || target == NULL)
		return;
	len = strcspn(target, " ");
	for (i = 0; i < MAX_DEMOS; i++) {
		if (demos[i] == NULL || (d = demos[i]->data) == NULL ||
		    d->nrb == NSERVICES)
			continue;
		d->rb[d->nrb].service = xstrndup(target, len);
		if (!isnan(demo_rolled_back(d, d->rb[d->nrb].service))) {
			free(d->rb[d->nrb].service);
			continue;
		}
		d->rb[d->nrb].at = d->now;
		d->rb[d->nrb].wall = time_wall();
		d->nrb++;
		source_refresh_now(demos[i]);
	}
}

static void
demo_stop(struct source *s)
{
	struct demo	*d = s->data;
	size_t		 i;

	demo_register(s, false);
	if (d == NULL)
		return;
	loop_timer_cancel(&d->log_timer);
	for (i = 0; i < NALERTS; i++)
		kvlist_free(&d->ov[i].notes);
	for (i = 0; i < d->nrb; i++)
		free(d->rb[i].service);
	free(d);
	s->data = NULL;
}

const struct backend_ops demo_backend_ops = {
	.kind = "demo",
	.feeds = FEED_BIT(FEED_ALERTS) | FEED_BIT(FEED_SLOS) |
	    FEED_BIT(FEED_DEPLOYS) | FEED_BIT(FEED_LOGS),
	.start = demo_start,
	.refresh = demo_refresh,
	.act = demo_act,
	.stop = demo_stop,
	.actions = ACTION_BIT(ACTION_ACK) | ACTION_BIT(ACTION_RESOLVE) |
	    ACTION_BIT(ACTION_NOTE) | ACTION_BIT(ACTION_STATUS_UPDATE),
	.details = demo_details,
};
