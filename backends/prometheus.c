/* prometheus.c: the Prometheus source: error-budget burn for every SLO,
 * declared in the config ([slo "NAME"]) or found in the recording rules of
 * Sloth and Pyrra (discover = sloth, pyrra).
 *
 * A refresh sends a fixed set of requests, however many SLOs there are:
 * for declared SLOs one union query per burn window and one for the budget
 * (POST, form-encoded, so that long queries fit), one selector per discovery
 * tool, the alerting rules (/api/v1/rules: Sloth's and Pyrra's own alerts,
 * whose state is the verdict when they are loaded), once Pyrra's SLOs are
 * known one query for the history their for: needs, and, once per
 * sparkline step (15 minutes), one query_range for every sparkline. All go
 * out at once; when the last answer is in, the SLOs are published together
 * and the scheduler is told, once. Any failure fails the refresh and the
 * last good SLOs stay, marked stale by the pane; only the sparklines, the
 * rules and the for: history may fail alone (a note; the conditions are
 * then evaluated here, and the detail says so). The PromQL and the parsing
 * are pure and live in prometheus_slo.c and prometheus_parse.c. With `url`
 * repeated (an HA pair behind no balancer), each request goes to the first
 * replica in config order that answers (backends/http.c fails over); the
 * replicas that failed are named in the source's warning. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "backends/prometheus_parse.h"
#include "backends/prometheus_slo.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/worker.h"
#include "core/xalloc.h"

#define HOUR		3600L
#define DAY		86400L
#define SPARK_SPAN	(24 * HOUR)	/* the sparkline's reach */
#define SPARK_STEP	(15 * 60)
#define SPARK_POINTS	(SPARK_SPAN / SPARK_STEP + 1)
#define SPARK_EVERY_MS	((int64_t)SPARK_STEP * 1000)	/* fetch at most */

/* The requests of one refresh. */
#define PROM_FREE_AWAY	2000	/* series: more are freed on a worker */

enum prom_slot {
	SLOT_WINDOW,				/* + W_5M ... W_3D */
	SLOT_BUDGET = SLOT_WINDOW + W__COUNT,
	SLOT_SLOTH,
	SLOT_PYRRA,
	SLOT_SPARK,
	SLOT_FOR,				/* Pyrra's for:, after SLOT_PYRRA */
	SLOT_RULES,				/* /api/v1/rules (alerting) */
	SLOT__COUNT
};

struct prom_round;

struct prom_call {
	struct prom_round	*round;
	enum prom_slot		 slot;
	struct http_request	*req;
	struct worker_job	*job;		/* its answer being parsed */
	size_t			*spans;		/* declared parts, for blame */
};

/* One answer parsed off the loop: the job owns the bytes and the result
 * until the loop takes it. */
struct prom_parse {
	struct prom_call	*c;		/* the loop's side only */
	char			*body;
	size_t			 len;
	long			 status;
	int64_t			 retry_after_s;
	struct prom_result	 res;
	bool			 is_rules;	/* SLOT_RULES: another shape */
	struct prom_rules	 rules;
	char			*perr;
};

struct prom_round {
	struct source		*src;
	double			 at;		/* the instant evaluated */
	int			 pending;
	char			*error;		/* the first failure */
	struct prom_call	 calls[SLOT__COUNT];
	struct prom_result	 res[SLOT__COUNT];
	bool			 have[SLOT__COUNT];
	bool			 spark_due;
	struct prom_rules	 rules;		/* have[SLOT_RULES] */
	char			*rules_error;	/* why they could not be read */
	struct prom_notes	 notes;
};

struct prom {
	struct http_client	 http;
	struct prom_decl	*decl;		/* sorted by name */
	size_t			 ndecl;
	bool			 sloth;
	bool			 pyrra;
	bool			 pinned;	/* time = ... */
	double			 at;
	struct prom_round	*round;		/* in flight, or NULL */

	/* The sparklines, fetched once per step and kept in between. */
	struct prom_result	 spark;
	bool			 have_spark;
	double			 spark_at;	/* the instant it ends at */
	int64_t			 spark_tried;	/* monotonic ms, 0: never */
};

/* --- configuration ------------------------------------------------------ */

static bool
prom_configure_discover(struct prom *p, struct config *cfg,
    struct config_section *sec)
{
	const struct config_entry	*e = config_get(sec, "discover");
	char				**list;
	size_t				  n, i;
	bool				  ok = true;

	if ((list = config_list(sec, "discover", &n)) == NULL)
		return (true);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i], "sloth") == 0)
			p->sloth = true;
		else if (strcmp(list[i], "pyrra") == 0)
			p->pyrra = true;
		else {
			config_error(cfg, e->line, "discover: unknown \"%s\" "
			    "(use sloth, pyrra or both)", list[i]);
			ok = false;
		}
	}
	config_list_free(list, n);
	return (ok);
}

static bool
prom_configure_time(struct prom *p, struct config *cfg,
    struct config_section *sec)
{
	const struct config_entry	*e = config_get(sec, "time");

	if (e == NULL)
		return (true);
	if (!prom_parse_time(e->value, &p->at)) {
		config_error(cfg, e->line, "time: \"%s\" is neither unix "
		    "seconds nor RFC 3339 (2026-11-26T14:32:05Z)", e->value);
		return (false);
	}
	p->pinned = true;
	return (true);
}

static const char *
section_source_name(const struct config_section *sec)
{
	return (sec->name != NULL ? sec->name : sec->type);
}

static struct config_section *
first_prometheus(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nsections; i++) {
		if (strcmp(cfg->sections[i].type, "prometheus") == 0)
			return (&cfg->sections[i]);
	}
	return (NULL);
}

static bool
prometheus_named(struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->nsections; i++) {
		if (strcmp(cfg->sections[i].type, "prometheus") == 0 &&
		    strcmp(section_source_name(&cfg->sections[i]), name) == 0)
			return (true);
	}
	return (false);
}

/* An [slo] belongs to the Prometheus its source key names, or else to the
 * first [prometheus] of the file. */
static bool
slo_is_mine(struct config *cfg, struct config_section *slo,
    struct source *s)
{
	const struct config_entry	*e = config_get(slo, "source");
	bool				 first = first_prometheus(cfg) == s->section;

	if (e == NULL)
		return (first);
	if (first && !prometheus_named(cfg, e->value)) {
		config_error(cfg, e->line, "source: no [prometheus] source is "
		    "named \"%s\"", e->value);
		return (true);	/* still check the rest of it */
	}
	return (strcmp(e->value, s->name) == 0);
}

/* A template must say where the window goes. */
static char *
slo_template(struct config *cfg, struct config_section *sec, const char *key,
    const char *label)
{
	const struct config_entry	*e = config_get(sec, key);

	if (e == NULL)
		return (NULL);
	if (strstr(e->value, "$window") == NULL) {
		config_error(cfg, e->line, "%s %s: no $window in the "
		    "expression (e.g. rate(x[$window]))", label, key);
		return (NULL);
	}
	return (xstrdup(e->value));
}

static bool
slo_read_expr(struct config *cfg, struct config_section *sec,
    struct prom_decl *d, const char *label)
{
	bool	 ratio = config_get(sec, "error_ratio") != NULL;
	bool	 good = config_get(sec, "good") != NULL;
	bool	 total = config_get(sec, "total") != NULL;
	char	*g, *t;

	if (ratio && (good || total)) {
		config_error(cfg, sec->line, "%s has error_ratio and good/"
		    "total: choose one", label);
		return (false);
	}
	if (ratio)
		return ((d->error_ratio = slo_template(cfg, sec, "error_ratio",
		    label)) != NULL);
	if (!good || !total) {
		config_error(cfg, sec->line, "%s needs error_ratio = ..., or "
		    "good = ... and total = ...", label);
		return (false);
	}
	g = slo_template(cfg, sec, "good", label);
	t = slo_template(cfg, sec, "total", label);
	if (g != NULL && t != NULL)
		d->error_ratio = promql_good_total(g, t);
	free(g);
	free(t);
	return (d->error_ratio != NULL);
}

static bool
slo_read(struct config *cfg, struct config_section *sec, struct prom_decl *d)
{
	const struct config_entry	*e;
	char				*label;
	int64_t				 ms;
	bool				 ok = true;

	label = config_section_label(sec->type, sec->name);
	d->name = xstrdup(sec->name);
	d->service = xstrdup(config_str(sec, "service", sec->name));
	d->objective = NAN;
	if ((e = config_get(sec, "objective")) == NULL) {
		config_error(cfg, sec->line, "%s needs objective = (a percent, "
		    "e.g. 99.9)", label);
		ok = false;
	} else {
		d->objective = config_number(cfg, sec, "objective", NAN, 0, 100);
		if (d->objective == 0 || d->objective == 100)
			config_error(cfg, e->line, "%s objective must be "
			    "between 0 and 100, exclusive", label);
		if (!(d->objective > 0 && d->objective < 100))
			ok = false;
	}
	ms = config_duration_ms(cfg, sec, "window", 30 * DAY * 1000);
	if (ms < HOUR * 1000 || ms % 1000 != 0) {
		e = config_get(sec, "window");
		config_error(cfg, e != NULL ? e->line : sec->line,
		    "%s window must be whole seconds, at least 1h", label);
		ok = false;
	}
	d->window_s = (long)(ms / 1000);
	if (!slo_read_expr(cfg, sec, d, label))
		ok = false;
	free(label);
	return (ok);
}

static bool
prom_configure_slos(struct prom *p, struct config *cfg, struct source *s)
{
	struct config_section	*sec;
	const char		*dup;
	size_t			 i;
	bool			 ok = true;

	for (i = 0; i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (strcmp(sec->type, "slo") != 0 || !slo_is_mine(cfg, sec, s))
			continue;
		if (sec->name == NULL || *sec->name == '\0') {
			config_error(cfg, sec->line, "[slo] needs a name: "
			    "[slo \"checkout-availability\"]");
			ok = false;
			continue;
		}
		p->decl = xreallocarray(p->decl, p->ndecl + 1,
		    sizeof *p->decl);
		memset(&p->decl[p->ndecl], 0, sizeof *p->decl);
		if (!slo_read(cfg, sec, &p->decl[p->ndecl++]))
			ok = false;
	}
	if (!prom_decl_sort(p->decl, p->ndecl, &dup)) {
		config_error(cfg, s->section->line, "[slo \"%s\"] is declared "
		    "twice", dup);
		ok = false;
	}
	return (ok);
}

static bool
prom_start(struct source *s, struct config *cfg)
{
	struct prom	*p;
	bool		 ok = true;

	p = xcalloc(1, sizeof *p);
	s->data = p;
	if (!http_client_configure(&p->http, cfg, s->section, NULL))
		ok = false;
	if (!prom_configure_discover(p, cfg, s->section))
		ok = false;
	if (!prom_configure_time(p, cfg, s->section))
		ok = false;
	if (!prom_configure_slos(p, cfg, s))
		ok = false;
	if (ok && p->ndecl == 0 && !p->sloth && !p->pyrra) {
		config_error(cfg, s->section->line, "[%s] has no SLO to show: "
		    "declare [slo \"NAME\"] sections or set discover = sloth, "
		    "pyrra", s->name);
		ok = false;
	}
	return (ok);
}

/* --- one refresh ---------------------------------------------------------- */

/* On a worker thread: a round's results, freed off the loop. */
static void
prom_results_free_run(void *ctx)
{
	struct prom_result	*res = ctx;
	size_t			 i;

	for (i = 0; i < SLOT__COUNT; i++)
		prom_result_free(&res[i]);
}

static void
prom_results_free_done(void *ctx)
{
}

static void
prom_results_free_release(void *ctx)
{
	prom_results_free_run(ctx);
	free(ctx);
}

static void
prom_round_free(struct prom_round *r)
{
	struct prom_result	*res;
	size_t			 i, nseries = 0;

	for (i = 0; i < SLOT__COUNT; i++) {
		http_cancel(r->calls[i].req);
		worker_cancel(&r->calls[i].job);
		free(r->calls[i].spans);
		nseries += r->res[i].n;
	}
	if (nseries < PROM_FREE_AWAY)
		prom_results_free_run(r->res);
	else {
		/* 100,000 series take tens of milliseconds to free. */
		res = xreallocarray(NULL, SLOT__COUNT, sizeof *res);
		memcpy(res, r->res, sizeof r->res);
		worker_submit(prom_results_free_run, prom_results_free_done,
		    prom_results_free_release, res);
	}
	prom_notes_free(&r->notes);
	prom_rules_free(&r->rules);
	free(r->rules_error);
	free(r->error);
	free(r);
}

static void	prom_answer(struct http_response *, void *);
static void	prom_release(struct prom_round *);

/* POST the query (form-encoded: a union of 2,000 SLOs does not fit in a
 * URL). range: a query_range over the sparkline's day. */
static void
prom_send(struct prom_round *r, enum prom_slot slot, const char *query,
    size_t *spans, bool range)
{
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL
	};
	struct prom		*p = r->src->data;
	struct prom_call	*c = &r->calls[slot];
	char			*q, *body;

	q = http_escape(query);
	if (range)
		body = xasprintf("query=%s&start=%.3f&end=%.3f&step=%d", q,
		    r->at - SPARK_SPAN, r->at, SPARK_STEP);
	else
		body = xasprintf("query=%s&time=%.3f", q, r->at);
	c->round = r;
	c->slot = slot;
	c->spans = spans;
	r->pending++;
	c->req = http_start(&p->http, "POST", range ? "/api/v1/query_range" :
	    "/api/v1/query", headers, body, prom_answer, c);
	free(body);
	free(q);
}

/* The alerting rules Prometheus evaluates: Sloth's and Pyrra's own, when
 * they are loaded (GET: the endpoint takes no POST). */
static void
prom_send_rules(struct prom_round *r)
{
	static const char *const headers[] = {
		"Accept: application/json",
		NULL
	};
	struct prom		*p = r->src->data;
	struct prom_call	*c = &r->calls[SLOT_RULES];

	c->round = r;
	c->slot = SLOT_RULES;
	r->pending++;
	c->req = http_start(&p->http, "GET", "/api/v1/rules?type=alert",
	    headers, NULL, prom_answer, c);
}

/* Every sparkline in one query_range: the declared SLOs' 1h ratios, then
 * Sloth's and Pyrra's 1h series. */
static void
prom_send_spark(struct prom_round *r)
{
	struct prom	*p = r->src->data;
	struct sbuf	 sb;
	size_t		*spans = NULL;
	char		*part;

	sbuf_init(&sb);
	if (p->ndecl > 0) {
		part = promql_declared(p->decl, p->ndecl, "1h", &spans);
		sbuf_adds(&sb, part);
		free(part);
	}
	if (p->sloth)
		sbuf_addf(&sb, "%s%s", sb.len > 0 ? " or " : "",
		    promql_sloth_spark);
	if (p->pyrra && r->have[SLOT_PYRRA] &&
	    (part = promql_pyrra_spark(&r->res[SLOT_PYRRA])) != NULL) {
		sbuf_addf(&sb, "%s%s", sb.len > 0 ? " or " : "", part);
		free(part);
	}
	if (sb.len > 0) {
		p->spark_tried = time_mono_ms();
		prom_send(r, SLOT_SPARK, sb.s, spans, true);
	} else
		free(spans);
	sbuf_free(&sb);
}

/* Pyrra's for: history, once its SLOs are known. */
static void
prom_send_for(struct prom_round *r)
{
	char	*q;

	if ((q = promql_pyrra_for(&r->res[SLOT_PYRRA])) != NULL)
		prom_send(r, SLOT_FOR, q, NULL, false);
	free(q);
}

/* The sparklines have a 15-minute step: fetch them when the instant has
 * moved a step on since the last ones, and try at most once a step. */
static bool
prom_spark_due(struct prom *p, double at)
{
	int64_t	now = time_mono_ms();

	if (p->have_spark && at - p->spark_at < SPARK_STEP)
		return (false);
	if (p->spark_tried != 0 && now - p->spark_tried < SPARK_EVERY_MS)
		return (false);
	return (true);
}

static void
prom_refresh(struct source *s)
{
	struct prom		*p = s->data;
	struct prom_round	*r;
	size_t			*spans;
	char			*q;
	int			 k;

	if (p->round != NULL)
		return;		/* the scheduler never overlaps; be sure */
	if (p->http.base_url == NULL) {
		source_done(s, "not configured");
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->src = s;
	r->at = p->pinned ? p->at : (double)(time_wall_ns() / 1000000) / 1e3;
	p->round = r;
	/* Hold one count until every request is out, so that no answer
	 * can end the refresh halfway through sending. */
	r->pending = 1;
	for (k = 0; p->ndecl > 0 && k < W__COUNT; k++) {
		q = promql_declared(p->decl, p->ndecl, slo_window_names[k],
		    &spans);
		prom_send(r, SLOT_WINDOW + k, q, spans, false);
		free(q);
	}
	if (p->ndecl > 0) {
		q = promql_declared(p->decl, p->ndecl, NULL, &spans);
		prom_send(r, SLOT_BUDGET, q, spans, false);
		free(q);
	}
	if (p->sloth)
		prom_send(r, SLOT_SLOTH, promql_sloth_selector, NULL, false);
	if (p->pyrra)
		prom_send(r, SLOT_PYRRA, promql_pyrra_selector, NULL, false);
	/* The rules' state is of now: no use for a pinned instant. */
	if ((p->sloth || p->pyrra) && !p->pinned)
		prom_send_rules(r);
	else if (p->sloth || p->pyrra)
		r->rules_error = xstrdup("not read, as time is pinned and their "
		    "state is of now");
	r->spark_due = prom_spark_due(p, r->at);
	if (r->spark_due && !p->pyrra)
		prom_send_spark(r);	/* Pyrra's names are not needed */
	prom_release(r);	/* the 1 above */
}

/* Collect the records of every kind into one list for the model. */
static void
prom_append(struct slo **all, size_t *n, struct slo *v, size_t nv)
{
	*all = xreallocarray(*all, *n + nv + 1, sizeof **all);
	memcpy(*all + *n, v, nv * sizeof *v);
	*n += nv;
	free(v);
}

/* Why the generators' rules are not used, in each record's verdict. */
static void
prom_rules_note(struct slo *v, size_t n, const char *why)
{
	size_t	 i;
	char	*note;

	for (i = 0; why != NULL && i < n; i++) {
		note = v[i].verdict_note;
		v[i].verdict_note = xasprintf("%s (/api/v1/rules: %s)",
		    note != NULL ? note : "", why);
		free(note);
	}
}

/* An HA pair: the replicas that failed, after what Prometheus warned. */
static void
prom_replicas_warn(struct source *s, char **warn)
{
	struct prom	*p = s->data;
	char		*failing, *both;

	if ((failing = http_replicas_failing(&p->http)) == NULL)
		return;
	if (*warn == NULL) {
		*warn = failing;
		return;
	}
	both = xasprintf("%s; %s", *warn, failing);
	free(*warn);
	free(failing);
	*warn = both;
}

static void
prom_publish(struct prom_round *r)
{
	struct source			*s = r->src;
	struct prom			*p = s->data;
	const struct prom_result	*win[W__COUNT];
	struct prom_spark		 sp;
	const struct prom_rules		*rules;
	struct slo			*all = NULL, *v;
	size_t				 n = 0, nv;
	char				*warn;
	int				 k;

	sp.r = p->have_spark ? &p->spark : NULL;
	sp.start = p->spark_at - SPARK_SPAN;
	sp.step = SPARK_STEP;
	sp.n = SPARK_POINTS;
	for (k = 0; k < W__COUNT; k++)
		win[k] = &r->res[SLOT_WINDOW + k];
	if (p->ndecl > 0) {
		nv = prom_declared_slos(p->decl, p->ndecl, win,
		    &r->res[SLOT_BUDGET], &sp, &v, &r->notes);
		prom_append(&all, &n, v, nv);
	}
	rules = r->have[SLOT_RULES] ? &r->rules : NULL;
	if (p->sloth) {
		nv = prom_sloth_slos(&r->res[SLOT_SLOTH], &sp, &v, &r->notes);
		prom_rules_note(v, nv, r->rules_error);
		prom_apply_rules(v, nv, false, rules);
		prom_append(&all, &n, v, nv);
	}
	if (p->pyrra) {
		nv = prom_pyrra_slos(&r->res[SLOT_PYRRA], &sp,
		    r->have[SLOT_FOR] ? &r->res[SLOT_FOR] : NULL, &v,
		    &r->notes);
		prom_rules_note(v, nv, r->rules_error);
		prom_apply_rules(v, nv, true, rules);
		prom_append(&all, &n, v, nv);
	}
	warn = prom_notes_join(&r->notes);
	model_source_note(s->model, s->health, FEED_SLOS, r->notes.n, warn);
	prom_replicas_warn(s, &warn);
	model_source_warn(s->model, s->health, warn);
	free(warn);
	/* This re-marks suspects with [sitrep] suspect_window. */
	model_set_slos(s->model, s->name, all != NULL ? all :
	    xcalloc(1, sizeof *all), n);
}

static void
prom_finish(struct prom_round *r)
{
	struct source	*s = r->src;
	struct prom	*p = s->data;
	char		*error;

	p->round = NULL;
	if (r->error == NULL)
		prom_publish(r);
	error = r->error;
	r->error = NULL;
	prom_round_free(r);
	source_done(s, error);
	free(error);
}

/* The new sparklines replace the kept ones. */
static void
prom_keep_spark(struct prom *p, struct prom_round *r)
{
	prom_result_free(&p->spark);
	p->spark = r->res[SLOT_SPARK];
	memset(&r->res[SLOT_SPARK], 0, sizeof r->res[SLOT_SPARK]);
	p->spark_at = r->at;
	p->have_spark = true;
}

/* What went wrong with one answer (heap), or NULL with the result kept. A
 * failed sparkline query is only a note. */
static char *
prom_take(struct prom_call *c, long status, int64_t retry_after_s,
    char *perr)
{
	struct prom_round	*r = c->round;
	struct prom		*p = r->src->data;
	char			*blamed;
	size_t			 i;

	if (retry_after_s > 0 && (status == 429 || status == 503))
		r->src->retry_after_ms = time_mul_sat(retry_after_s, 1000);
	if (perr != NULL) {
		blamed = promql_blame(perr, p->decl, p->ndecl, c->spans);
		free(perr);
		if (c->slot == SLOT_RULES) {
			/* Not every server has them (or lets us read them):
			 * sitrep then evaluates the conditions itself. */
			free(r->rules_error);
			r->rules_error = blamed;
			return (NULL);
		}
		if (c->slot != SLOT_SPARK && c->slot != SLOT_FOR)
			return (blamed);
		prom_note(&r->notes, "%s: %s", c->slot == SLOT_SPARK ?
		    "sparklines" : "for: history", blamed);
		free(blamed);
		return (NULL);
	}
	r->have[c->slot] = true;
	if (c->slot == SLOT_SPARK)
		prom_keep_spark(p, r);
	for (i = 0; i < r->res[c->slot].nwarnings; i++)
		prom_note(&r->notes, "%s", r->res[c->slot].warnings[i]);
	return (NULL);
}

/* One answer fewer to wait for; after the last, finish the refresh. */
static void
prom_release(struct prom_round *r)
{
	if (--r->pending == 0)
		prom_finish(r);
}

/* One answer taken (error: why it failed, heap, or NULL). */
static void
prom_answered(struct prom_call *c, char *error)
{
	struct prom_round	*r = c->round;
	struct prom		*p = r->src->data;

	if (error == NULL && r->error == NULL && c->slot == SLOT_PYRRA &&
	    p->pyrra && r->spark_due)
		prom_send_spark(r);
	if (error == NULL && r->error == NULL && c->slot == SLOT_PYRRA &&
	    p->pyrra)
		prom_send_for(r);
	if (error != NULL && r->error == NULL)
		r->error = error;
	else
		free(error);
	prom_release(r);
}

/* On a worker thread. */
static void
prom_parse_run(void *ctx)
{
	struct prom_parse	*j = ctx;

	if (j->is_rules)
		(void)prom_parse_rules(j->body, j->len, j->status, &j->rules,
		    &j->perr);
	else
		(void)prom_parse_response(j->body, j->len, j->status, &j->res,
		    &j->perr);
	free(j->body);
	j->body = NULL;
}

/* On the loop: the result into its slot, as if parsed here. */
static void
prom_parse_done(void *ctx)
{
	struct prom_parse	*j = ctx;
	struct prom_call	*c = j->c;
	char			*perr = j->perr;

	c->job = NULL;
	j->perr = NULL;
	c->round->res[c->slot] = j->res;
	memset(&j->res, 0, sizeof j->res);
	if (c->slot == SLOT_RULES) {
		c->round->rules = j->rules;
		memset(&j->rules, 0, sizeof j->rules);
	}
	prom_answered(c, prom_take(c, j->status, j->retry_after_s, perr));
}

static void
prom_parse_release(void *ctx)
{
	struct prom_parse	*j = ctx;

	free(j->body);
	free(j->perr);
	prom_result_free(&j->res);
	prom_rules_free(&j->rules);
	free(j);
}

static void
prom_answer(struct http_response *resp, void *arg)
{
	struct prom_call	*c = arg;
	struct prom_parse	*j;

	c->req = NULL;
	if (resp->error != NULL || resp->status == 0) {
		prom_answered(c, prom_take(c, resp->status,
		    resp->retry_after_s, http_describe_error(resp)));
		return;
	}
	j = xcalloc(1, sizeof *j);
	j->c = c;
	j->is_rules = c->slot == SLOT_RULES;
	j->body = xmemdup(resp->body != NULL ? resp->body : "", resp->len);
	j->len = resp->len;
	j->status = resp->status;
	j->retry_after_s = resp->retry_after_s;
	c->job = worker_submit(prom_parse_run, prom_parse_done,
	    prom_parse_release, j);
}

static void
prom_stop(struct source *s)
{
	struct prom	*p = s->data;
	size_t		 i;

	if (p == NULL)
		return;
	if (p->round != NULL)
		prom_round_free(p->round);
	http_client_free(&p->http);
	prom_result_free(&p->spark);
	for (i = 0; i < p->ndecl; i++)
		prom_decl_free(&p->decl[i]);
	free(p->decl);
	free(p);
	s->data = NULL;
}

const struct backend_ops prometheus_backend_ops = {
	.kind = "prometheus",
	.replicas = true,
	.feeds = FEED_BIT(FEED_SLOS),
	.start = prom_start,
	.refresh = prom_refresh,
	.act = NULL,
	.stop = prom_stop,
};
