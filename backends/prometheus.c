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
#include "backends/prometheus.h"
#include "backends/prometheus_parse.h"
#include "backends/prometheus_slo.h"
#include "core/budget.h"
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
/* A report's range queries over declared SLOs go in unions of this many:
 * Prometheus 2.42 costs the square of a query's size (bench/README.md). */
#define PROM_REPORT_CHUNK 50
/* Chunks in flight at once, the others queued: Prometheus runs 20 queries
 * at a time and times out the ones that wait too long. */
#define PROM_CHUNKS_INFLIGHT 4

enum prom_slot {
	SLOT_WINDOW,				/* + W_5M ... W_3D */
	SLOT_BUDGET = SLOT_WINDOW + W__COUNT,
	SLOT_SLOTH,
	SLOT_PYRRA,
	SLOT_SPARK,
	SLOT_FOR,				/* Pyrra's for:, after SLOT_PYRRA */
	SLOT_RULES,				/* /api/v1/rules (alerting) */
	SLOT_RBUDGET,				/* report: budget over time */
	SLOT_RALERTS,				/* report: ALERTS history */
	SLOT_HBURN,				/* the detail's 1h burn */
	SLOT__COUNT
};

struct prom_round;

struct prom_call {
	struct prom_round	*round;
	enum prom_slot		 slot;
	struct http_request	*req;
	struct worker_job	*job;		/* its answer being parsed */
	size_t			*spans;		/* declared parts, for blame */
	bool			 chunk;		/* one of rcalls */
	char			*query;		/* queued: not sent yet */
	bool			 range;
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
	struct prom_call	**rcalls;	/* range and report chunks */
	size_t			 nrcalls;
	size_t			 nsent;		/* rcalls sent, in order */
	int			 inflight;	/* chunks not answered yet */
	/* The range queries' period: a report's, or the SLO detail's
	 * burndown (hist). */
	bool			 hist;
	double			 rfrom, rto;
	long			 rstep, rbstep;
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

	/* sitrep report: the period, its grids, what only it asks. */
	bool			 report;
	double			 rfrom, rto;
	long			 rstep, rbstep;
	struct prom_result	 ralerts;
	char			*rerror;	/* a report query failed */

	/* The SLO detail's burndown: the last history fetched, its period
	 * (model->slo_history_s) and grid; fetched again every 15 minutes. */
	struct prom_result	 hburn, hbudget;
	bool			 have_hist;
	long			 hist_s;
	double			 hfrom, hto;
	long			 hstep, hbstep;
	int64_t			 hist_tried;	/* monotonic ms */
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

/* labels = team=payments, tier=1: for the SLO pane's filter. */
static bool
slo_read_labels(struct config *cfg, struct config_section *sec,
    struct prom_decl *d, const char *label)
{
	const struct config_entry	*e = config_get(sec, "labels");
	char				**list, *eq;
	size_t				  n, i;
	bool				  ok = true;

	if ((list = config_list(sec, "labels", &n)) == NULL)
		return (true);
	for (i = 0; i < n; i++) {
		if ((eq = strchr(list[i], '=')) == NULL || eq == list[i] ||
		    eq[1] == '\0') {
			config_error(cfg, e->line, "%s labels: \"%s\" is not "
			    "NAME=VALUE (e.g. labels = team=payments, tier=1)",
			    label, list[i]);
			ok = false;
			continue;
		}
		*eq = '\0';
		kvlist_add(&d->labels, list[i], eq + 1);
	}
	config_list_free(list, n);
	return (ok);
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
	if (!slo_read_labels(cfg, sec, d, label))
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
	for (i = 0; i < r->nrcalls; i++) {
		http_cancel(r->rcalls[i]->req);
		worker_cancel(&r->rcalls[i]->job);
		free(r->rcalls[i]->spans);
		free(r->rcalls[i]->query);
		free(r->rcalls[i]);
	}
	free(r->rcalls);
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
prom_send_call(struct prom_round *r, struct prom_call *c, enum prom_slot slot,
    const char *query, size_t *spans, bool range)
{
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL
	};
	struct prom		*p = r->src->data;
	char			*q, *body;

	q = http_escape(query);
	if (range && (slot == SLOT_RBUDGET || slot == SLOT_RALERTS ||
	    slot == SLOT_HBURN || (slot == SLOT_SPARK && p->report)))
		body = xasprintf("query=%s&start=%.3f&end=%.3f&step=%ld", q,
		    r->rfrom, r->rto, slot == SLOT_RBUDGET ? r->rbstep :
		    r->rstep);
	else if (range)
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

static void
prom_send(struct prom_round *r, enum prom_slot slot, const char *query,
    size_t *spans, bool range)
{
	prom_send_call(r, &r->calls[slot], slot, query, spans, range);
}

/* One of a report's chunked range queries; their answers are merged into
 * the slot's result. */
/* Send queued chunks while fewer than PROM_CHUNKS_INFLIGHT are out; after
 * a failure the rest are dropped. Called with the round held (while
 * sending, or before the answer in hand is released), so that dropping
 * one never ends the round here. */
static void
prom_send_queued(struct prom_round *r)
{
	struct prom_call	*c;
	char			*q;

	while (r->nsent < r->nrcalls && (r->inflight < PROM_CHUNKS_INFLIGHT ||
	    r->error != NULL)) {
		c = r->rcalls[r->nsent++];
		q = c->query;
		c->query = NULL;
		r->pending--;	/* prom_send_call counts it again */
		if (r->error == NULL) {
			r->inflight++;
			prom_send_call(r, c, c->slot, q, NULL, c->range);
		}
		free(q);
	}
}

static void
prom_send_chunk(struct prom_round *r, enum prom_slot slot, const char *query,
    bool range)
{
	struct prom_call	*c = xcalloc(1, sizeof *c);

	/* Each call stays where it is: its request points at it. Queued
	 * ones count as pending, so that the round waits for them. */
	r->rcalls = xreallocarray(r->rcalls, r->nrcalls + 1,
	    sizeof *r->rcalls);
	r->rcalls[r->nrcalls++] = c;
	c->round = r;
	c->slot = slot;
	c->chunk = true;
	c->query = xstrdup(query);
	c->range = range;
	r->pending++;
	prom_send_queued(r);
}

/* A report's range query over every SLO: the declared ones in unions of
 * PROM_REPORT_CHUNK (window NULL: each SLO's own), then the discovered
 * ones' selector, if any, in one more. */
static void
prom_send_chunks_as(struct prom_round *r, enum prom_slot slot,
    const char *window, const char *discovered, bool range)
{
	struct prom	*p = r->src->data;
	size_t		 k, m;
	char		*q;

	for (k = 0; k < p->ndecl; k += PROM_REPORT_CHUNK) {
		m = p->ndecl - k < PROM_REPORT_CHUNK ? p->ndecl - k :
		    PROM_REPORT_CHUNK;
		q = promql_declared(p->decl + k, m, window, NULL);
		prom_send_chunk(r, slot, q, range);
		free(q);
	}
	if (discovered != NULL && *discovered != '\0')
		prom_send_chunk(r, slot, discovered, range);
}

static void
prom_send_chunks(struct prom_round *r, enum prom_slot slot,
    const char *window, const char *discovered)
{
	prom_send_chunks_as(r, slot, window, discovered, true);
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
prom_send_burns(struct prom_round *r, enum prom_slot slot)
{
	struct prom	*p = r->src->data;
	struct sbuf	 sb;
	size_t		*spans = NULL;
	char		*part;

	sbuf_init(&sb);
	if (p->report || slot == SLOT_HBURN) {
		/* Chunked: the declared SLOs in unions, then Pyrra's; Sloth's
		 * by their ids once they are known (prom_send_sloth). */
		if (p->pyrra && r->have[SLOT_PYRRA] &&
		    (part = promql_pyrra_spark(&r->res[SLOT_PYRRA])) != NULL) {
			sbuf_addf(&sb, "%s%s", sb.len > 0 ? " or " : "", part);
			free(part);
		}
		if (slot == SLOT_SPARK)
			p->spark_tried = time_mono_ms();
		prom_send_chunks(r, slot, "1h", sb.s);
		sbuf_free(&sb);
		return;
	}
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

static void
prom_send_spark(struct prom_round *r)
{
	prom_send_burns(r, SLOT_SPARK);
}

/* The report's own range queries: every SLO's budget left over the
 * period (one union), Prometheus' history of firing alerts. */
static void
prom_send_report(struct prom_round *r)
{
	struct prom	*p = r->src->data;
	struct sbuf	 sb;

	sbuf_init(&sb);
	if (p->pyrra)
		sbuf_adds(&sb, promql_pyrra_budget);
	prom_send_chunks(r, SLOT_RBUDGET, NULL, sb.s);
	sbuf_free(&sb);
	if (p->report)
		prom_send(r, SLOT_RALERTS, promql_alerts_history, NULL, true);
}

/* The range queries of Sloth's SLOs, once they are known: their 1h burn
 * and budget left, PROM_REPORT_CHUNK SLOs a query (one selector of 2,000
 * SLOs over 7 days is past the 16 MB an answer may have). */
static void
prom_send_sloth(struct prom_round *r)
{
	struct prom	*p = r->src->data;
	const char	*metric[2] = {
		promql_sloth_spark, promql_sloth_budget
	};
	enum prom_slot	 slot[2];
	char		**q;
	size_t		 n, i, k;

	slot[0] = p->report ? SLOT_SPARK : SLOT_HBURN;
	slot[1] = SLOT_RBUDGET;
	for (k = 0; k < 2; k++) {
		q = promql_sloth_chunks(&r->res[SLOT_SLOTH], metric[k],
		    PROM_REPORT_CHUNK, &n);
		if (q == NULL) {
			prom_send_chunk(r, slot[k], metric[k], true);
			continue;
		}
		for (i = 0; i < n; i++) {
			prom_send_chunk(r, slot[k], q[i], true);
			free(q[i]);
		}
		free(q);
	}
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

	if (p->report)
		return (true);
	if (p->have_spark && at - p->spark_at < SPARK_STEP)
		return (false);
	if (p->spark_tried != 0 && now - p->spark_tried < SPARK_EVERY_MS)
		return (false);
	return (true);
}

/* A report's period, or the SLO detail's burndown when it is wanted and
 * the last one is of another period or 15 minutes old (tried at most once
 * a minute). */
static void
prom_ranges(struct prom *p, struct prom_round *r)
{
	long	want = r->src->model->slo_history_s;
	int64_t	now = time_mono_ms();

	if (p->report) {
		r->rfrom = p->rfrom;
		r->rto = p->rto;
		r->rstep = p->rstep;
		r->rbstep = p->rbstep;
	} else if (want >= 3600 && want <= 400 * DAY && (want != p->hist_s ||
	    !p->have_hist || r->at - p->hto >= 900) && (want != p->hist_s ||
	    p->hist_tried == 0 || now - p->hist_tried >= 60000)) {
		r->hist = true;
		r->rto = r->at;
		r->rfrom = r->at - (double)want;
		r->rstep = bud_fine_step((double)want);
		r->rbstep = bud_coarse_step((double)want);
		p->hist_s = want;
		p->hist_tried = now;
	} else
		return;
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
	prom_ranges(p, r);
	/* A report sends even its instant queries in unions of 50: one
	 * union of 2,000 SLOs takes Prometheus minutes. */
	for (k = 0; p->report && p->ndecl > 0 && k < W__COUNT; k++)
		prom_send_chunks_as(r, SLOT_WINDOW + k, slo_window_names[k],
		    NULL, false);
	if (p->report && p->ndecl > 0)
		prom_send_chunks_as(r, SLOT_BUDGET, NULL, NULL, false);
	for (k = 0; !p->report && p->ndecl > 0 && k < W__COUNT; k++) {
		q = promql_declared(p->decl, p->ndecl, slo_window_names[k],
		    &spans);
		prom_send(r, SLOT_WINDOW + k, q, spans, false);
		free(q);
	}
	if (!p->report && p->ndecl > 0) {
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
	if (p->report || r->hist)
		prom_send_report(r);
	if (r->hist && !p->pyrra)
		prom_send_burns(r, SLOT_HBURN);
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

/* The SLO detail's burndown: each record of v (of one origin, as built
 * below) gets a history from the kept range answers: the records are built
 * a second time over them, their sparklines then the period's 1h burn. */
static void
prom_hist_attach(struct prom_round *r, struct slo *v, size_t nv,
    enum prom_gen gen)
{
	struct prom			*p = r->src->data;
	const struct prom_result	*win[W__COUNT];
	struct prom_spark		 hs, hb;
	struct prom_notes		 notes = { NULL, 0 };
	struct slo			*w = NULL;
	size_t				 nw = 0, i;
	int				 k;

	if (!p->have_hist || p->hist_s != r->src->model->slo_history_s ||
	    p->hstep <= 0 || p->hbstep <= 0)
		return;
	hs.r = &p->hburn;
	hs.start = p->hfrom;
	hs.step = (double)p->hstep;
	hs.n = (size_t)((p->hto - p->hfrom) / hs.step) + 1;
	hb.r = &p->hbudget;
	hb.start = p->hfrom;
	hb.step = (double)p->hbstep;
	hb.n = (size_t)((p->hto - p->hfrom) / hb.step) + 1;
	switch (gen) {
	case PROM_GEN_DECLARED:
		for (k = 0; k < W__COUNT; k++)
			win[k] = &r->res[SLOT_WINDOW + k];
		nw = prom_declared_slos(p->decl, p->ndecl, win,
		    &r->res[SLOT_BUDGET], &hs, &w, &notes);
		break;
	case PROM_GEN_SLOTH:
		nw = prom_sloth_slos(&r->res[SLOT_SLOTH], &hs, &w, &notes);
		break;
	case PROM_GEN_PYRRA:
		nw = prom_pyrra_slos(&r->res[SLOT_PYRRA], &hs, NULL, &w,
		    &notes);
		break;
	}
	prom_history_fold(w, nw, gen, &hs, &hb);
	for (i = 0; i < nv && i < nw; i++) {
		if (strcmp(v[i].name, w[i].name) != 0)
			continue;
		slo_history_free(v[i].history);
		v[i].history = w[i].history;
		w[i].history = NULL;
	}
	for (i = 0; i < nw; i++)
		slo_free(&w[i]);
	free(w);
	prom_notes_free(&notes);
}

/* An HA pair: the replicas that failed, after what Prometheus warned. */
static void
prom_replicas_warn(struct source *s, char **warn)
{
	struct prom	*p = s->data;
	char		*failing, *both;

	failing = http_replicas_down(&p->http);
	model_source_replicas_down(s->model, s->health, failing);
	free(failing);
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
	struct prom_spark		 sp, bd;
	const struct prom_rules		*rules;
	struct slo			*all = NULL, *v;
	size_t				 n = 0, nv;
	char				*warn;
	int				 k;

	sp.r = p->have_spark ? &p->spark : NULL;
	sp.start = p->spark_at - SPARK_SPAN;
	sp.step = SPARK_STEP;
	sp.n = SPARK_POINTS;
	if (p->report) {
		sp.start = p->rfrom;
		sp.step = (double)p->rstep;
		sp.n = (size_t)((p->rto - p->rfrom) / (double)p->rstep) + 1;
		bd.r = r->have[SLOT_RBUDGET] ? &r->res[SLOT_RBUDGET] : NULL;
		bd.start = p->rfrom;
		bd.step = (double)p->rbstep;
		bd.n = (size_t)((p->rto - p->rfrom) / (double)p->rbstep) + 1;
	}
	for (k = 0; k < W__COUNT; k++)
		win[k] = &r->res[SLOT_WINDOW + k];
	if (p->ndecl > 0) {
		nv = prom_declared_slos(p->decl, p->ndecl, win,
		    &r->res[SLOT_BUDGET], &sp, &v, &r->notes);
		if (p->report)
			prom_history_fold(v, nv, PROM_GEN_DECLARED, &sp, &bd);
		else
			prom_hist_attach(r, v, nv, PROM_GEN_DECLARED);
		prom_append(&all, &n, v, nv);
	}
	rules = r->have[SLOT_RULES] ? &r->rules : NULL;
	if (p->sloth) {
		nv = prom_sloth_slos(&r->res[SLOT_SLOTH], &sp, &v, &r->notes);
		prom_rules_note(v, nv, r->rules_error);
		prom_apply_rules(v, nv, false, rules);
		if (p->report)
			prom_history_fold(v, nv, PROM_GEN_SLOTH, &sp, &bd);
		else
			prom_hist_attach(r, v, nv, PROM_GEN_SLOTH);
		prom_append(&all, &n, v, nv);
	}
	if (p->pyrra) {
		nv = prom_pyrra_slos(&r->res[SLOT_PYRRA], &sp,
		    r->have[SLOT_FOR] ? &r->res[SLOT_FOR] : NULL, &v,
		    &r->notes);
		prom_rules_note(v, nv, r->rules_error);
		prom_apply_rules(v, nv, true, rules);
		if (p->report)
			prom_history_fold(v, nv, PROM_GEN_PYRRA, &sp, &bd);
		else
			prom_hist_attach(r, v, nv, PROM_GEN_PYRRA);
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
	if (r->error == NULL && r->hist && r->have[SLOT_HBURN]) {
		/* The detail's burndown, kept until the next one. */
		prom_result_free(&p->hburn);
		prom_result_free(&p->hbudget);
		p->hburn = r->res[SLOT_HBURN];
		p->hbudget = r->res[SLOT_RBUDGET];
		memset(&r->res[SLOT_HBURN], 0, sizeof p->hburn);
		memset(&r->res[SLOT_RBUDGET], 0, sizeof p->hbudget);
		p->hfrom = r->rfrom;
		p->hto = r->rto;
		p->hstep = r->rstep;
		p->hbstep = r->rbstep;
		p->have_hist = true;
	}
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
	if (p->report) {
		prom_result_merge(&p->spark, &r->res[SLOT_SPARK]);
		p->spark_at = r->at;
		p->have_spark = true;
		return;
	}
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
		if (p->report && (c->slot == SLOT_SPARK ||
		    c->slot >= SLOT_RBUDGET)) {
			/* The report still prints what it has. */
			if (p->rerror == NULL)
				p->rerror = xasprintf("%s: %s",
				    c->slot == SLOT_SPARK ? "the 1h burn" :
				    c->slot == SLOT_RBUDGET ? "the budget" :
				    "the ALERTS history", blamed);
			free(blamed);
			return (NULL);
		}
		if (c->slot == SLOT_HBURN || c->slot == SLOT_RBUDGET) {
			prom_note(&r->notes, "burndown: %s", blamed);
			free(blamed);
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
	if (c->slot == SLOT_RALERTS) {
		prom_result_free(&p->ralerts);
		p->ralerts = r->res[SLOT_RALERTS];
		memset(&r->res[SLOT_RALERTS], 0, sizeof p->ralerts);
	}
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

	if (c->chunk)
		r->inflight--;
	if (error == NULL && r->error == NULL && c->slot == SLOT_PYRRA &&
	    p->pyrra && r->spark_due)
		prom_send_spark(r);
	if (error == NULL && r->error == NULL && c->slot == SLOT_PYRRA &&
	    p->pyrra && r->hist)
		prom_send_burns(r, SLOT_HBURN);
	if (error == NULL && r->error == NULL && c->slot == SLOT_SLOTH &&
	    (p->report || r->hist))
		prom_send_sloth(r);
	if (error == NULL && r->error == NULL && c->slot == SLOT_PYRRA &&
	    p->pyrra)
		prom_send_for(r);
	if (error != NULL && r->error == NULL)
		r->error = error;
	else
		free(error);
	prom_send_queued(r);
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
	/* A report's chunks add to what the slot holds. */
	prom_result_merge(&c->round->res[c->slot], &j->res);
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
	prom_result_free(&p->ralerts);
	prom_result_free(&p->hburn);
	prom_result_free(&p->hbudget);
	free(p->rerror);
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

/* --- sitrep report ------------------------------------------------------- */

bool
prometheus_report_period(struct source *s, double from, double to,
    long step, long bstep)
{
	struct prom	*p;

	if (s->ops != &prometheus_backend_ops || (p = s->data) == NULL ||
	    !(to > from) || step <= 0 || bstep <= 0)
		return (false);
	p->report = true;
	p->pinned = true;
	p->at = to;
	p->rfrom = from;
	p->rto = to;
	p->rstep = step;
	p->rbstep = bstep;
	return (true);
}

const struct prom_result *
prometheus_report_alerts(const struct source *s, const char **error)
{
	const struct prom	*p;

	*error = NULL;
	if (s->ops != &prometheus_backend_ops || (p = s->data) == NULL)
		return (NULL);
	*error = p->rerror;
	return (&p->ralerts);
}
