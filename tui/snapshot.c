/* snapshot.c: fetch every source once, then print the state as text or
 * JSON and exit. No curses here. */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "core/slomath.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/loop.h"
#include "tui/oneshot.h"
#include "tui/snapshot.h"

static json_t *
jtime(time_t t)
{
	char	buf[32];

	if (t == 0)
		return (json_null());
	time_format_iso(buf, sizeof buf, t);
	return (json_string(buf));
}

static json_t *
jkv(const struct kvlist *l)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < l->n; i++)
		json_object_set_new(o, l->v[i].key, oneshot_jstr(l->v[i].value));
	return (o);
}

static json_t *
json_sources(const struct model *m)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		json_array_append_new(a, json_pack(
		    "{s:o s:o s:o s:b s:b s:o s:o s:o s:o}",
		    "name", oneshot_jstr(h->name), "kind", oneshot_jstr(h->kind),
		    "environment", oneshot_jstr(h->environment != NULL ?
		    h->environment : m->environment),
		    "ok", h->fetched && h->ok, "idle", h->idle,
		    "error", oneshot_jstr(h->error),
		    "warning", oneshot_jstr(h->warning),
		    "replicas_down", oneshot_jstr(h->replicas_down),
		    "fetched_at", jtime(h->ok ? h->last_ok : 0)));
	}
	return (a);
}

static json_t *
json_alerts(const struct model *m)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *al = &m->alerts[i];
		json_t *o = json_object();

		json_object_set_new(o, "source", oneshot_jstr(al->source));
		json_object_set_new(o, "environment", oneshot_jstr(al->environment));
		json_object_set_new(o, "id", oneshot_jstr(al->id));
		json_object_set_new(o, "service", oneshot_jstr(al->service));
		json_object_set_new(o, "severity",
		    json_string(severity_name(al->severity)));
		json_object_set_new(o, "status",
		    json_string(alert_status_name(al->status)));
		json_object_set_new(o, "title", oneshot_jstr(al->title));
		json_object_set_new(o, "started_at", jtime(al->started_at));
		json_object_set_new(o, "url", oneshot_jstr(al->url));
		json_object_set_new(o, "runbook_url", oneshot_jstr(al->runbook_url));
		json_object_set_new(o, "dashboard_url",
		    oneshot_jstr(al->dashboard_url));
		json_object_set_new(o, "assignees", oneshot_jstr(al->assignees));
		json_object_set_new(o, "suspect_deploy", oneshot_jstr(al->suspect));
		json_object_set_new(o, "labels", jkv(&al->labels));
		json_object_set_new(o, "annotations", jkv(&al->annotations));
		json_object_set_new(o, "details", jkv(&al->details));
		json_array_append_new(a, o);
	}
	return (a);
}

/* The real window of column k ("3m" for a 14-day Pyrra SLO's first), or
 * null. */
static json_t *
json_window(const struct slo *s, int k)
{
	char	buf[32];
	long	secs;
	int	j;

	if (k < 0 || k >= W__COUNT)
		return (json_null());
	secs = slo_window_seconds[k];
	for (j = 0; j < W__COUNT; j++) {
		if (s->col_seconds[j] != 0) {
			secs = s->col_seconds[k];
			break;
		}
	}
	if (secs <= 0)
		return (json_null());
	slo_window_format(buf, sizeof buf, secs);
	return (json_string(buf));
}

/* {"5m": "3m", "30m": "15m", ...}: column name -> the window it holds. */
static json_t *
json_windows(const struct slo *s)
{
	json_t	*o = json_object();
	int	 k;

	for (k = 0; k < W__COUNT; k++)
		json_object_set_new(o, slo_window_names[k], json_window(s, k));
	return (o);
}

static json_t *
json_conds(const struct slo *s)
{
	json_t	*a = json_array(), *o;
	char	 buf[32];
	size_t	 i;

	for (i = 0; i < s->nconds; i++) {
		const struct slo_cond *c = &s->conds[i];

		o = json_object();
		json_object_set_new(o, "level", json_string(
		    slo_alert_name(c->level)));
		slo_window_format(buf, sizeof buf, c->long_s);
		json_object_set_new(o, "long", json_string(buf));
		slo_window_format(buf, sizeof buf, c->short_s);
		json_object_set_new(o, "short", json_string(buf));
		json_object_set_new(o, "factor", oneshot_jnum(c->factor));
		json_object_set_new(o, "for_s", json_integer(c->for_s));
		json_object_set_new(o, "holds", json_boolean(c->holds));
		json_array_append_new(a, o);
	}
	return (a);
}

static json_t *
json_slos(const struct model *m)
{
	json_t	*a = json_array(), *o, *burn, *ratio, *spark;
	size_t	 i, k;
	char	 window[16];

	for (i = 0; i < m->nslos; i++) {
		const struct slo *s = &m->slos[i];
		const char *alert = slo_alert_name(s->alert);

		burn = json_object();
		ratio = json_object();
		for (k = 0; k < W__COUNT; k++) {
			json_object_set_new(burn, slo_window_names[k],
			    oneshot_jnum(s->burn[k]));
			json_object_set_new(ratio, slo_window_names[k],
			    oneshot_jnum(s->error_ratio[k]));
		}
		duration_format(window, sizeof window, s->window_seconds);
		o = json_object();
		json_object_set_new(o, "source", oneshot_jstr(s->source));
		json_object_set_new(o, "environment", oneshot_jstr(s->environment));
		json_object_set_new(o, "name", oneshot_jstr(s->name));
		json_object_set_new(o, "service", oneshot_jstr(s->service));
		json_object_set_new(o, "objective", oneshot_jnum(s->objective));
		json_object_set_new(o, "window", json_string(window));
		json_object_set_new(o, "burn_rates", burn);
		json_object_set_new(o, "error_ratios", ratio);
		json_object_set_new(o, "error_budget_remaining",
		    oneshot_jnum(s->budget_remaining));
		json_object_set_new(o, "time_to_exhaustion_s",
		    oneshot_jnum(slo_tte(s)));
		json_object_set_new(o, "time_to_exhaustion_window",
		    json_window(s, slo_tte_col(s)));
		json_object_set_new(o, "alert", alert != NULL ?
		    json_string(alert) : json_null());
		alert = slo_alert_name(s->pending);
		json_object_set_new(o, "pending", alert != NULL ?
		    json_string(alert) : json_null());
		json_object_set_new(o, "verdict", json_string(
		    s->verdict == SLO_VERDICT_RULES ? "rules" :
		    s->verdict == SLO_VERDICT_EVALUATED ? "evaluated" :
		    "workbook"));
		json_object_set_new(o, "verdict_note", oneshot_jstr(s->verdict_note));
		json_object_set_new(o, "windows", json_windows(s));
		json_object_set_new(o, "conditions", json_conds(s));
		json_object_set_new(o, "no_data", oneshot_jstr(s->nodata));
		json_object_set_new(o, "condition", oneshot_jstr(s->condition));
		json_object_set_new(o, "suspect_deploy", oneshot_jstr(s->suspect));
		json_object_set_new(o, "query", oneshot_jstr(s->query));
		spark = json_array();
		for (k = 0; k < s->nspark; k++)
			json_array_append_new(spark, oneshot_jnum(s->spark[k]));
		json_object_set_new(o, "spark_1h_burn", spark);
		json_array_append_new(a, o);
	}
	return (a);
}

static json_t *
json_deploys(const struct model *m)
{
	json_t	*a = json_array(), *o;
	size_t	 i;

	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *d = &m->deploys[i];

		o = json_object();
		json_object_set_new(o, "source", oneshot_jstr(d->source));
		json_object_set_new(o, "id", oneshot_jstr(d->id));
		json_object_set_new(o, "service", oneshot_jstr(d->service));
		json_object_set_new(o, "version", oneshot_jstr(d->version));
		json_object_set_new(o, "revision", oneshot_jstr(d->revision));
		json_object_set_new(o, "previous_revision",
		    oneshot_jstr(d->previous_revision));
		json_object_set_new(o, "at", jtime(d->at));
		json_object_set_new(o, "author", oneshot_jstr(d->author));
		json_object_set_new(o, "environment", oneshot_jstr(d->environment));
		json_object_set_new(o, "url", oneshot_jstr(d->url));
		json_object_set_new(o, "suspect", json_boolean(d->suspect));
		json_array_append_new(a, o);
	}
	return (a);
}

/* Every environment with its firing alerts, and which one is shown. */
static json_t *
json_environments(const struct model *m)
{
	json_t		 *a = json_array();
	const char	**v;
	size_t		  n, i;

	v = model_environments(m, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s s:I s:b}", "name",
		    v[i], "firing", (json_int_t)model_env_firing(m, v[i]),
		    "shown", m->shown_env == NULL ||
		    strcmp(m->shown_env, v[i]) == 0));
	free(v);
	return (a);
}

static json_t *
json_logs(const struct model *m)
{
	json_t		*a = json_array();
	size_t		 i;
	char		 ts[32];

	for (i = 0; i < m->logs.n; i++) {
		const struct log_line *l = ring_get(&m->logs, i);

		json_t *o;

		snprintf(ts, sizeof ts, "%" PRId64, l->ts);
		o = json_pack("{s:s s:o s:o s:o}", "ts", ts,
		    "labels", oneshot_jstr(LOG_LINE_LABELS(l)),
		    "environment", oneshot_jstr(model_line_environment(m, l)),
		    "line", oneshot_jstr(LOG_LINE_TEXT(l)));
		if (l->flags & LOG_LINE_MARK)
			json_object_set_new(o, "marker", json_true());
		json_array_append_new(a, o);
	}
	return (a);
}

char *
snapshot_json(const struct model *m)
{
	json_t	*root;
	char	*out, now[32];

	time_format_iso(now, sizeof now, time_wall());
	root = json_object();
	json_object_set_new(root, "sitrep", json_integer(1));
	json_object_set_new(root, "environment", oneshot_jstr(m->environment));
	json_object_set_new(root, "environment_shown", oneshot_jstr(m->shown_env));
	json_object_set_new(root, "environments", json_environments(m));
	json_object_set_new(root, "generated_at", json_string(now));
	json_object_set_new(root, "sources", json_sources(m));
	json_object_set_new(root, "alerts", json_alerts(m));
	json_object_set_new(root, "slos", json_slos(m));
	json_object_set_new(root, "deploys", json_deploys(m));
	json_object_set_new(root, "log_query", oneshot_jstr(m->log_query));
	json_object_set_new(root, "logs_dropped", json_integer((json_int_t)
	    (m->logs.evicted + model_logs_dropped(m))));
	json_object_set_new(root, "logs_drops", json_pack(
	    "{s:I s:I s:I s:I s:I}",
	    "evicted", (json_int_t)m->logs.evicted,
	    "skipped", (json_int_t)m->log.skipped,
	    "gaps", (json_int_t)m->log.gaps,
	    "reported", (json_int_t)m->log.reported,
	    "outside", (json_int_t)m->log.outside));
	json_object_set_new(root, "logs", json_logs(m));
	out = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	    JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (out == NULL)
		fatal("cannot serialize the snapshot");
	return (out);
}

/* Text goes to a terminal too: every outside string is sanitized. */
static void
put(FILE *f, const char *s)
{
	char	*clean;

	clean = sanitize(s != NULL ? s : "-", strlen(s != NULL ? s : "-"), NULL);
	fputs(clean, f);
	free(clean);
}

/* A log line's time to the millisecond, UTC: 2026-12-02T15:24:52.665Z. */
static void
log_time(char *buf, size_t len, int64_t ts)
{
	char	iso[32];
	int64_t	ms = ts / 1000000;

	if (ts <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	time_format_iso(iso, sizeof iso, (time_t)(ms / 1000));
	if (strlen(iso) > 0 && iso[strlen(iso) - 1] == 'Z')
		iso[strlen(iso) - 1] = '\0';
	snprintf(buf, len, "%s.%03dZ", iso, (int)(ms % 1000));
}

/*
 * The text a person pastes into the bridge chat: what, where, when it was
 * taken, every alert's age, every SLO's EMPTY IN (at the burn of the window
 * closest to an hour), the last log lines with their times, and as many of
 * them as the heading says.
 */
/* "environment: prod", or with several "environment: staging (of prod,
 * staging)" when one is shown and "environment: all (prod, staging)". */
static void
text_environment(const struct model *m, FILE *f)
{
	const char	**v;
	size_t		  n, i;

	v = model_environments(m, &n);
	fprintf(f, "environment: ");
	if (n <= 1)
		put(f, *m->environment != '\0' ? m->environment : "-");
	else {
		put(f, m->shown_env != NULL ? m->shown_env : "all");
		fprintf(f, m->shown_env != NULL ? " (of " : " (");
		for (i = 0; i < n; i++) {
			if (i > 0)
				fprintf(f, ", ");
			put(f, *v[i] != '\0' ? v[i] : "-");
		}
		fputc(')', f);
	}
	fputc('\n', f);
	free(v);
}

void
snapshot_text_at(const struct model *m, time_t now, FILE *f)
{
	char	 buf[32];
	size_t	 i, k, from;
	double	 tte;

	text_environment(m, f);
	time_format_iso(buf, sizeof buf, now);
	fprintf(f, "taken: %s\n\nSOURCES\n", buf);
	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		fprintf(f, "  ");
		put(f, h->name);
		fprintf(f, " (%s): %s", h->kind, h->idle ? "idle (its "
		    "environment is not shown)" : h->ok ? "ok" : "failing: ");
		if (!h->ok && !h->idle)
			put(f, h->error != NULL ? h->error : "no answer");
		fputc('\n', f);
	}
	fprintf(f, "\nALERTS (%zu)\n", m->nalerts);
	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->started_at != 0 && now >= a->started_at)
			duration_format_short(buf, sizeof buf,
			    now - a->started_at);
		else
			snprintf(buf, sizeof buf, "-");
		fprintf(f, "  %-8s %-12s %-6s ", severity_name(a->severity),
		    alert_status_name(a->status), buf);
		put(f, a->service);
		fputs("  ", f);
		put(f, a->title);
		fputc('\n', f);
	}
	fprintf(f, "\nSLOS (%zu)\n", m->nslos);
	for (i = 0; i < m->nslos; i++) {
		const struct slo *s = &m->slos[i];

		fputs("  ", f);
		put(f, s->name);
		fprintf(f, " %g%%", s->objective);
		for (k = 0; k < W__COUNT; k++) {
			if (isnan(s->burn[k]))
				fprintf(f, " %s=-", slo_window_names[k]);
			else
				fprintf(f, " %s=%.2f", slo_window_names[k],
				    s->burn[k]);
		}
		if (!isnan(s->budget_remaining))
			fprintf(f, " budget=%.1f%%", s->budget_remaining * 100);
		tte = slo_tte(s);
		if (isnan(tte))
			fprintf(f, " empty_in=?");
		else if (isinf(tte) || tte > 365.0 * 86400)
			fprintf(f, " empty_in=never");
		else {
			duration_format(buf, sizeof buf, (int64_t)tte);
			fprintf(f, " empty_in=%s", buf);
		}
		if (s->alert != SLO_ALERT_NONE)
			fprintf(f, " %s", slo_alert_name(s->alert));
		if (s->pending != SLO_ALERT_NONE)
			fprintf(f, " (%s pending)", slo_alert_name(s->pending));
		fputc('\n', f);
	}
	fprintf(f, "\nDEPLOYS (%zu)\n", m->ndeploys);
	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *d = &m->deploys[i];

		time_format_iso(buf, sizeof buf, d->at);
		fprintf(f, "  %s %s", buf, d->suspect ? "SUSPECT " : "");
		put(f, d->service);
		fputc(' ', f);
		put(f, d->version);
		fputs(" by ", f);
		put(f, d->author);
		fputc('\n', f);
	}
	from = m->logs.n > SNAPSHOT_LOG_LINES ?
	    m->logs.n - SNAPSHOT_LOG_LINES : 0;
	if (from > 0)
		fprintf(f, "\nLOGS (the last %zu of %zu lines)\n",
		    m->logs.n - from, m->logs.n);
	else
		fprintf(f, "\nLOGS (%zu lines)\n", m->logs.n);
	for (i = from; i < m->logs.n; i++) {
		const struct log_line *l = ring_get(&m->logs, i);
		const char *tag = model_env_tag(m,
		    model_line_environment(m, l));

		log_time(buf, sizeof buf, l->ts);
		fprintf(f, "  %s ", buf);
		if (tag != NULL) {
			put(f, tag);
			fputc(' ', f);
		}
		put(f, LOG_LINE_LABELS(l));
		fputs(": ", f);
		put(f, LOG_LINE_TEXT(l));
		fputc('\n', f);
	}
}

void
snapshot_text(const struct model *m, FILE *f)
{
	snapshot_text_at(m, time_wall(), f);
}

int
snapshot_run(struct model *m, struct source **v, size_t n, bool json,
    int64_t timeout_ms, int64_t follow_ms)
{
	char			*out;
	size_t			 i;
	int			 status = 0;

	/* --follow: keep the sources polling (logs streaming in) for that
	 * long, then print what the console holds. */
	oneshot_fetch(v, n, follow_ms > 0 ? follow_ms : timeout_ms,
	    follow_ms > 0);
	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		if ((h->fetched && h->ok) || h->idle)
			continue;	/* idle: not asked, its environment hidden */
		fprintf(stderr, "sitrep: %s: ", h->name);
		put(stderr, h->fetched ? h->error : "no answer in time");
		fputc('\n', stderr);
		status = 1;
	}
	if (json) {
		out = snapshot_json(m);
		puts(out);
		free(out);
	} else
		snapshot_text(m, stdout);
	return (status);
}
