/* report.c: `sitrep report`: every source asked once for the period (the
 * Prometheus sources for the history of every SLO at once, in range
 * queries over the union, never one per SLO), then per SLO the budget
 * arithmetic of core/budget.c (a deploy or an incident explains only the
 * SLOs of its own environment), ranked by budget consumed, printed as text,
 * markdown, JSON, CSV or one self-contained HTML page with an SVG burndown
 * per SLO. No curses here; every outside string is sanitized (text,
 * markdown), escaped (HTML, CSV) or repaired to UTF-8 (JSON). */
#include "config.h"

#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/demo.h"
#include "backends/prometheus.h"
#include "backends/prometheus_slo.h"
#include "backends/source.h"
#include "core/budget.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "tui/oneshot.h"
#include "tui/report.h"

struct rep_slo {
	const struct slo	*s;
	struct bud_slo		 b;
};

struct rep {
	const struct report_opts *o;
	long			 suspect_s;
	struct bud_event	*ev;
	size_t			 nev;
	char			**owned;	/* event names made here */
	size_t			 nowned;
	struct rep_slo		*v;
	size_t			 n;
	char			**errors;
	size_t			 nerrors;
	const char		**envs;		/* the environments covered */
	size_t			 nenvs;
};

bool
report_format_parse(const char *s, enum report_format *f)
{
	static const struct {
		const char		*name;
		enum report_format	 f;
	} names[] = {
		{ "text", REPORT_TEXT }, { "markdown", REPORT_MARKDOWN },
		{ "md", REPORT_MARKDOWN }, { "json", REPORT_JSON },
		{ "csv", REPORT_CSV }, { "html", REPORT_HTML }
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(s, names[i].name) == 0) {
			*f = names[i].f;
			return (true);
		}
	}
	return (false);
}

/* "source: why" */
static void
rep_error(struct rep *r, const char *a, const char *b)
{
	r->errors = xreallocarray(r->errors, r->nerrors + 1,
	    sizeof *r->errors);
	r->errors[r->nerrors++] = xasprintf("%s: %s", a, b != NULL ? b : "");
}

static const char *
rep_own(struct rep *r, char *s)
{
	r->owned = xreallocarray(r->owned, r->nowned + 1, sizeof *r->owned);
	r->owned[r->nowned++] = s;
	return (s);
}

static void
rep_event(struct rep *r, enum bud_kind k, double start, double end,
    const char *name, const char *service, const char *source,
    const char *env)
{
	struct bud_event	*e;

	r->ev = xreallocarray(r->ev, r->nev + 1, sizeof *r->ev);
	e = &r->ev[r->nev++];
	e->kind = k;
	e->start = start;
	e->end = end;
	e->name = name != NULL ? name : "-";
	e->service = service;
	e->source = source;
	e->environment = env;
}

/* --- gathering ------------------------------------------------------------ */

/* Deploys, the alerts the sources hold now, and Prometheus' history of
 * firing alerts: the events that may explain an episode. */
static void
rep_events(struct rep *r, struct model *m, struct source **v, size_t n)
{
	const struct prom_result	*res;
	struct prom_interval		*iv;
	const char			*err;
	size_t				 i, k, niv;

	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *d = &m->deploys[i];

		if (d->at == 0)
			continue;
		rep_event(r, BUD_DEPLOY, (double)d->at, NAN,
		    rep_own(r, xasprintf("%s %s", d->service != NULL ?
		    d->service : "-", d->version != NULL ? d->version :
		    d->revision != NULL ? d->revision : "")),
		    d->service, d->source, d->environment);
	}
	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->started_at == 0)
			continue;
		rep_event(r, BUD_INCIDENT, (double)a->started_at, NAN,
		    a->title, a->service, a->source, a->environment);
	}
	for (i = 0; i < n; i++) {
		if ((res = prometheus_report_alerts(v[i], &err)) == NULL)
			continue;
		/* A source that failed is named once, above. */
		if (err != NULL && m->sources[v[i]->health].ok)
			rep_error(r, v[i]->name, err);
		niv = prom_alert_intervals(res, (double)bud_fine_step(
		    r->o->to - r->o->from), &iv);
		for (k = 0; k < niv; k++)
			rep_event(r, BUD_INCIDENT, iv[k].start, iv[k].end,
			    iv[k].name, iv[k].service, v[i]->name,
			    model_source_env(m, v[i]->name));
		/* The names point into the source's result, kept until
		 * sources_free. */
		free(iv);
	}
}

static int
rep_cmp(const void *a, const void *b)
{
	const struct rep_slo	*x = a, *y = b;

	return (bud_rank_cmp(x->b.consumed, x->s->name, y->b.consumed,
	    y->s->name));
}

static void
rep_compute(struct rep *r, struct model *m)
{
	size_t	i;

	r->v = xcalloc(m->nslos + 1, sizeof *r->v);
	for (i = 0; i < m->nslos; i++) {
		struct slo *s = &m->slos[i];

		if (r->o->glob != NULL && fnmatch(r->o->glob, s->name, 0) != 0)
			continue;
		r->v[r->n].s = s;
		bud_compute(s, r->o->from, r->o->to, r->ev, r->nev,
		    r->suspect_s, &r->v[r->n].b);
		r->n++;
	}
	qsort(r->v, r->n, sizeof *r->v, rep_cmp);
}

static void
rep_free(struct rep *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		bud_slo_free(&r->v[i].b);
	free(r->v);
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	for (i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	free(r->ev);
	free(r->envs);
}

/* --- shared formatting ------------------------------------------------- */

static void
fmt_time(char *buf, size_t size, double t)
{
	time_t	tt;

	if (isnan(t) || !time_from_unix(t, &tt)) {
		snprintf(buf, size, "-");
		return;
	}
	time_format_iso(buf, size, tt);
}

/* "42.1%" of a fraction, "-" unknown. */
static void
fmt_pct(char *buf, size_t size, double f)
{
	if (isnan(f) || isinf(f))
		snprintf(buf, size, "-");
	else if (fabs(f) < 0.001 && f != 0)
		snprintf(buf, size, "%.3f%%", f * 100);
	else
		snprintf(buf, size, "%.1f%%", f * 100);
}

static void
fmt_dur(char *buf, size_t size, double s)
{
	duration_format(buf, size, (int64_t)llround(s > 0 ? s : 0));
}

/* Clean text for a terminal or a document: no control bytes. */
static char *
clean(const char *s)
{
	if (s == NULL || *s == '\0')
		return (xstrdup("-"));
	return (sanitize(s, strlen(s), NULL));
}

static size_t
level_count(const struct bud_slo *b, enum slo_alert l)
{
	size_t	i, n = 0;

	for (i = 0; i < b->nep; i++)
		n += b->ep[i].level == l;
	return (n);
}

/* "consumed 42.1% of its 30d budget (left 80.0% -> 37.9%), error ratio
 * 0.042%, 2 episodes (1 page), 12.0% unexplained" */
static char *
summary_line(const struct rep_slo *x)
{
	char	c[32], a[32], z[32], er[32], un[32], w[32];
	size_t	pages = level_count(&x->b, SLO_ALERT_PAGE);
	size_t	tickets = level_count(&x->b, SLO_ALERT_TICKET);

	fmt_pct(c, sizeof c, x->b.consumed);
	fmt_pct(a, sizeof a, x->b.budget_start);
	fmt_pct(z, sizeof z, x->b.budget_end);
	fmt_pct(er, sizeof er, x->b.error_ratio);
	fmt_pct(un, sizeof un, x->b.unexplained);
	fmt_dur(w, sizeof w, (double)x->s->window_seconds);
	return (xasprintf("%.10g%% over %s: consumed %s of the budget (left "
	    "%s -> %s), error ratio %s, %zu episode%s (%zu page, %zu ticket)"
	    ", %s unexplained", x->s->objective, w, c, a, z, er, x->b.nep,
	    x->b.nep == 1 ? "" : "s", pages, tickets, un));
}

static const char *
level_word(enum slo_alert l)
{
	return (l == SLO_ALERT_PAGE ? "page" : l == SLO_ALERT_TICKET ?
	    "ticket" : "-");
}

/* "environment prod", "environments prod, staging", or "" when the only
 * one has no name (heap, unsanitized). */
static char *
scope(const struct rep *r)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb);
	for (i = 0; i < r->nenvs; i++) {
		if (*r->envs[i] == '\0' && r->nenvs == 1)
			break;
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : r->nenvs > 1 ?
		    "environments " : "environment ", *r->envs[i] != '\0' ?
		    r->envs[i] : "-");
	}
	return (sbuf_steal(&sb));
}

/* An SLO's name for people, with its environment when the report covers
 * several: "checkout [prod]" (heap, unsanitized). */
static char *
slo_label(const struct rep *r, const struct rep_slo *x)
{
	const char	*env = x->s->environment;

	if (r->nenvs < 2)
		return (xstrdup(x->s->name != NULL ? x->s->name : "-"));
	return (xasprintf("%s [%s]", x->s->name != NULL ? x->s->name : "-",
	    env != NULL && *env != '\0' ? env : "-"));
}

/* " (environment prod)" for a heading, or "" (heap, sanitized). */
static char *
scope_paren(const struct rep *r)
{
	char	*sc = scope(r), *c, *out;

	if (*sc == '\0')
		return (sc);
	c = clean(sc);
	out = xasprintf(" (%s)", c);
	free(c);
	free(sc);
	return (out);
}

/* --- text and markdown ------------------------------------------------- */

static void
put_cause_list(FILE *f, const struct rep *r, const struct bud_slo *b,
    const struct bud_episode *ep, const char *none)
{
	size_t	k;
	char	*name, lead[32];

	if (ep->ncause == 0) {
		fputs(none, f);
		return;
	}
	for (k = 0; k < ep->ncause; k++) {
		const struct bud_cause *c = &b->causes[ep->cause0 + k];
		const struct bud_event *e = &r->ev[c->event];

		name = clean(e->name);
		fmt_dur(lead, sizeof lead, fabs(c->lead));
		fprintf(f, "%s%s %s (%s %s)", k > 0 ? "; " : "",
		    bud_kind_name(e->kind), name, lead,
		    c->lead >= 0 ? "before" : "after the start");
		free(name);
	}
}

static void
put_header_text(FILE *f, const struct rep *r, bool md)
{
	char	a[32], z[32], *sc = scope_paren(r);
	size_t	i;

	fmt_time(a, sizeof a, r->o->from);
	fmt_time(z, sizeof z, r->o->to);
	fprintf(f, "%sError-budget report %s to %s: %zu SLO%s%s, ranked by "
	    "budget consumed%s\n", md ? "# " : "", a, z, r->n,
	    r->n == 1 ? "" : "s", sc, r->nerrors > 0 ? " (INCOMPLETE)" : "");
	free(sc);
	for (i = 0; i < r->nerrors; i++) {
		char *e = clean(r->errors[i]);

		fprintf(f, "%sincomplete: %s\n", md ? "\n> " : "", e);
		free(e);
	}
	fputc('\n', f);
}

/* An episode's start, end, peak burn and share consumed, as every format
 * writes them (each buffer 32 bytes). */
static void
ep_cells(const struct bud_episode *ep, char a[32], char z[32], char p[32],
    char c[32])
{
	fmt_time(a, 32, ep->start);
	fmt_time(z, 32, ep->end);
	snprintf(p, 32, "%.2f", ep->peak);
	fmt_pct(c, 32, ep->consumed);
}

static void
report_text(FILE *f, const struct rep *r, bool md)
{
	char	*name, *sum, a[32], z[32], p[32], c[32], *label;
	size_t	i, k;

	put_header_text(f, r, md);
	for (i = 0; i < r->n; i++) {
		const struct rep_slo *x = &r->v[i];

		label = slo_label(r, x);
		name = clean(label);
		free(label);
		sum = summary_line(x);
		fprintf(f, md ? "- **%s**: %s\n" : "%s: %s\n", name, sum);
		free(name);
		free(sum);
	}
	for (i = 0; i < r->n; i++) {
		const struct rep_slo *x = &r->v[i];

		if (x->b.nep == 0)
			continue;
		label = slo_label(r, x);
		name = clean(label);
		free(label);
		fprintf(f, md ? "\n## %s\n\n| start | end | peak burn | "
		    "consumed | condition | deploys and incidents |\n| --- | "
		    "--- | ---: | ---: | --- | --- |\n" : "\n%s episodes:\n",
		    name);
		free(name);
		for (k = 0; k < x->b.nep; k++) {
			const struct bud_episode *ep = &x->b.ep[k];

			ep_cells(ep, a, z, p, c);
			fprintf(f, md ? "| %s%s | %s%s | %s | %s | %s | " :
			    "  %s%s .. %s%s  peak %sx  consumed %s  %s  ",
			    ep->open_start ? "<" : "", a, z,
			    ep->open_end ? "+" : "", p, c,
			    level_word(ep->level));
			put_cause_list(f, r, &x->b, ep, md ? "none" :
			    "no deploy or incident");
			fputs(md ? " |\n" : "\n", f);
		}
	}
}

/* --- JSON ----------------------------------------------------------------- */

static json_t *
jtime(double t)
{
	char	buf[32];

	if (isnan(t))
		return (json_null());
	fmt_time(buf, sizeof buf, t);
	return (json_string(buf));
}

static json_t *
json_causes(const struct rep *r, const struct bud_slo *b,
    const struct bud_episode *ep)
{
	json_t	*a = json_array();
	size_t	 k;

	for (k = 0; k < ep->ncause; k++) {
		const struct bud_cause *c = &b->causes[ep->cause0 + k];
		const struct bud_event *e = &r->ev[c->event];

		json_array_append_new(a, json_pack("{s:s s:o s:o s:o s:o "
		    "s:o s:o}", "kind", bud_kind_name(e->kind), "name",
		    oneshot_jstr(e->name), "service", oneshot_jstr(e->service), "source",
		    oneshot_jstr(e->source), "start", jtime(e->start), "end",
		    jtime(e->end), "lead_seconds", oneshot_jnum(c->lead)));
	}
	return (a);
}

static json_t *
json_slo(const struct rep *r, const struct rep_slo *x)
{
	json_t	*eps = json_array();
	size_t	 k;

	for (k = 0; k < x->b.nep; k++) {
		const struct bud_episode *ep = &x->b.ep[k];

		json_array_append_new(eps, json_pack("{s:o s:o s:b s:b s:o "
		    "s:o s:o s:o}", "start", jtime(ep->start), "end",
		    jtime(ep->end), "open_start", ep->open_start, "open_end",
		    ep->open_end, "peak_burn", oneshot_jnum(ep->peak), "consumed",
		    oneshot_jnum(ep->consumed), "condition", ep->level ==
		    SLO_ALERT_NONE ? json_null() :
		    json_string(level_word(ep->level)), "causes",
		    json_causes(r, &x->b, ep)));
	}
	return (json_pack("{s:o s:o s:o s:o s:o s:I s:o s:o s:o s:o s:o s:I "
	    "s:I s:o}", "name", oneshot_jstr(x->s->name), "service",
	    oneshot_jstr(x->s->service), "environment",
	    oneshot_jstr(x->s->environment), "source",
	    oneshot_jstr(x->s->source), "objective", oneshot_jnum(x->s->objective),
	    "window_seconds", (json_int_t)x->s->window_seconds,
	    "budget_start", oneshot_jnum(x->b.budget_start), "budget_end",
	    oneshot_jnum(x->b.budget_end), "consumed", oneshot_jnum(x->b.consumed),
	    "error_ratio", oneshot_jnum(x->b.error_ratio), "unexplained",
	    oneshot_jnum(x->b.unexplained), "points", (json_int_t)x->b.points,
	    "points_missing", (json_int_t)x->b.missing, "episodes", eps));
}

static void
report_json(FILE *f, const struct rep *r)
{
	json_t	*slos = json_array(), *errs = json_array(), *o;
	json_t	*envs = json_array();
	char	*out;
	size_t	 i;

	for (i = 0; i < r->n; i++)
		json_array_append_new(slos, json_slo(r, &r->v[i]));
	for (i = 0; i < r->nerrors; i++)
		json_array_append_new(errs, oneshot_jstr(r->errors[i]));
	for (i = 0; i < r->nenvs; i++)
		json_array_append_new(envs, oneshot_jstr(r->envs[i]));
	o = json_pack("{s:o s:o s:I s:o s:o s:b s:o s:o}", "from",
	    jtime(r->o->from), "to", jtime(r->o->to), "period_seconds",
	    (json_int_t)llround(r->o->to - r->o->from), "environment",
	    oneshot_jstr(r->o->environment), "environments", envs,
	    "complete", r->nerrors == 0, "errors", errs, "slos", slos);
	out = json_dumps(o, JSON_INDENT(1) | JSON_ENSURE_ASCII |
	    JSON_PRESERVE_ORDER);
	if (out != NULL)
		fprintf(f, "%s\n", out);
	free(out);
	json_decref(o);
}

/* --- CSV ------------------------------------------------------------------ */

/* A field, quoted; text a spreadsheet would run as a formula is prefixed
 * with a quote. */
static void
csv_str(FILE *f, const char *s)
{
	char	*c, *p;

	if (s == NULL || *s == '\0') {
		fputs("\"\"", f);
		return;
	}
	c = clean(s);
	fputc('"', f);
	if (strchr("=+-@", *c) != NULL && *c != '\0')
		fputc('\'', f);
	for (p = c; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
	free(c);
}

static void
csv_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs(",", f);
	else
		fprintf(f, ",%.6g", v);
}

static void
report_csv(FILE *f, const struct rep *r)
{
	char	a[32], z[32];
	size_t	i, k, j;

	fputs("record,slo,service,objective,window_seconds,budget_start,"
	    "budget_end,consumed,error_ratio,unexplained,episodes,start,end,"
	    "peak_burn,condition,causes,complete,environment\n", f);
	for (i = 0; i < r->n; i++) {
		const struct rep_slo *x = &r->v[i];

		fputs("slo,", f);
		csv_str(f, x->s->name);
		fputc(',', f);
		csv_str(f, x->s->service);
		csv_num(f, x->s->objective);
		fprintf(f, ",%ld", x->s->window_seconds);
		csv_num(f, x->b.budget_start);
		csv_num(f, x->b.budget_end);
		csv_num(f, x->b.consumed);
		csv_num(f, x->b.error_ratio);
		csv_num(f, x->b.unexplained);
		fmt_time(a, sizeof a, r->o->from);
		fmt_time(z, sizeof z, r->o->to);
		fprintf(f, ",%zu,%s,%s,,,,%s,", x->b.nep, a, z,
		    r->nerrors == 0 ? "yes" : "no");
		csv_str(f, x->s->environment);
		fputc('\n', f);
		for (k = 0; k < x->b.nep; k++) {
			const struct bud_episode *ep = &x->b.ep[k];
			struct sbuf sb;

			fputs("episode,", f);
			csv_str(f, x->s->name);
			fputc(',', f);
			csv_str(f, x->s->service);
			fputs(",,,,", f);
			csv_num(f, ep->consumed);
			fputs(",,,", f);
			fmt_time(a, sizeof a, ep->start);
			fmt_time(z, sizeof z, ep->end);
			fprintf(f, ",%s,%s", a, z);
			csv_num(f, ep->peak);
			fprintf(f, ",%s,", ep->level == SLO_ALERT_NONE ? "" :
			    level_word(ep->level));
			sbuf_init(&sb);
			for (j = 0; j < ep->ncause; j++) {
				const struct bud_event *e = &r->ev[
				    x->b.causes[ep->cause0 + j].event];
				sbuf_addf(&sb, "%s%s %s", j > 0 ? "; " : "",
				    bud_kind_name(e->kind), e->name);
			}
			csv_str(f, sb.len > 0 ? sb.s : "");
			sbuf_free(&sb);
			fprintf(f, ",%s,", r->nerrors == 0 ? "yes" : "no");
			csv_str(f, x->s->environment);
			fputc('\n', f);
		}
	}
}

/* --- HTML ----------------------------------------------------------------- */

static void
html_str(FILE *f, const char *s)
{
	char		*c = clean(s);
	const char	*p;

	for (p = c; *p != '\0'; p++) {
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(c);
}

/* The burndown's frame: x from from to to over [SVG_X0, SVG_X1], y from
 * 100% (SVG_Y0) down to ymin (SVG_Y1); documented in sitrep(1). */
#define SVG_W	800
#define SVG_H	220
#define SVG_X0	60.0
#define SVG_X1	780.0
#define SVG_Y0	30.0
#define SVG_Y1	190.0

struct frame {
	double	from, to, ymin;
};

static double
fx(const struct frame *fr, double t)
{
	double	u = (t - fr->from) / (fr->to - fr->from);

	u = u < 0 ? 0 : u > 1 ? 1 : u;
	return (SVG_X0 + u * (SVG_X1 - SVG_X0));
}

static double
fy(const struct frame *fr, double b)
{
	double	u = (1.0 - b) / (1.0 - fr->ymin);

	u = u < 0 ? 0 : u > 1 ? 1 : u;
	return (SVG_Y0 + u * (SVG_Y1 - SVG_Y0));
}

static void
svg_path(FILE *f, const struct frame *fr, const struct slo_history *h)
{
	size_t	i;
	bool	pen = false;
	double	t;

	fputs("<path class=\"budget\" fill=\"none\" stroke=\"#000\" "
	    "stroke-width=\"2\" d=\"", f);
	for (i = 0; h != NULL && i < h->nbudget; i++) {
		t = h->bstart + (double)i * h->bstep;
		if (isnan(h->budget[i]) || t < fr->from - 1 || t > fr->to + 1) {
			pen = false;
			continue;
		}
		fprintf(f, "%s%.2f,%.2f ", pen ? "L" : "M", fx(fr, t),
		    fy(fr, h->budget[i]));
		pen = true;
	}
	fputs("\"/>\n", f);
}

static void
svg_events(FILE *f, const struct rep *r, const struct frame *fr,
    const struct rep_slo *x)
{
	size_t	i, k, lane = 0;
	double	a, z;

	/* Only the events named as causes: the others are noise here. */
	for (i = 0; i < r->nev; i++) {
		const struct bud_event *e = &r->ev[i];
		bool cited = false;

		for (k = 0; k < x->b.ncauses && !cited; k++)
			cited = x->b.causes[k].event == i;
		if (!cited)
			continue;
		a = fx(fr, e->start);
		if (e->kind == BUD_DEPLOY)
			fprintf(f, "<line class=\"deploy\" stroke=\"#000\" "
			    "stroke-width=\"1.5\" stroke-dasharray=\"4 3\" "
			    "x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" "
			    "y2=\"%.0f\"/>\n",
			    a, SVG_Y0 - 8, a, SVG_Y1);
		else {
			z = fx(fr, isnan(e->end) ? fr->to : e->end);
			fprintf(f, "<rect class=\"incident\" fill=\"#fff\" "
			    "stroke=\"#000\" stroke-dasharray=\"1 2\" "
			    "x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" "
			    "height=\"6\"/>\n", a,
			    SVG_Y1 + 4 + (double)(lane % 2) * 8,
			    z - a < 1 ? 1 : z - a);
		}
		fprintf(f, "<text class=\"label\" font-size=\"9\" "
		    "x=\"%.2f\" y=\"%.0f\">%s ",
		    a + 2, e->kind == BUD_DEPLOY ? SVG_Y0 - 12.0 - (double)(
		    lane % 3) * 9 : SVG_Y1 + 24 + (double)(lane % 2) * 8,
		    e->kind == BUD_DEPLOY ? "deploy" : "incident");
		html_str(f, e->name);
		fputs("</text>\n", f);
		lane++;
	}
}

static void
svg_burndown(FILE *f, const struct rep *r, const struct rep_slo *x,
    size_t idx)
{
	const struct slo_history	*h = x->s->history;
	struct frame			 fr = { r->o->from, r->o->to, 0 };
	char				 a[32], z[32];
	size_t				 i;

	for (i = 0; h != NULL && i < h->nbudget; i++) {
		if (!isnan(h->budget[i]) && h->budget[i] < fr.ymin)
			fr.ymin = h->budget[i] < -10 ? -10 : h->budget[i];
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "data-from=\"%.0f\" data-to=\"%.0f\" data-ymin=\"%.6f\">\n"
	    "<title>budget left of ", SVG_W, SVG_H + 20, SVG_W, SVG_H + 20,
	    fr.from, fr.to, fr.ymin);
	html_str(f, x->s->name);
	fprintf(f, "</title>\n<defs><pattern id=\"hatch%zu\" width=\"6\" "
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" "
	    "y2=\"6\" stroke=\"#777\" stroke-width=\"2\"/></pattern></defs>\n",
	    idx);
	for (i = 0; i < x->b.nep; i++) {
		const struct bud_episode *ep = &x->b.ep[i];
		double x0 = fx(&fr, ep->start), x1 = fx(&fr, ep->end);

		fprintf(f, "<rect class=\"episode\" fill=\"url(#hatch%zu)\" "
		    "stroke=\"#000\" stroke-width=\"0.5\" x=\"%.2f\" "
		    "y=\"%.0f\" width=\"%.2f\" height=\"%.0f\"/>\n", idx, x0,
		    SVG_Y0, x1 - x0 < 2 ? 2 : x1 - x0, SVG_Y1 - SVG_Y0);
	}
	for (i = 0; i <= 2; i++) {
		double b = 1.0 - (double)i / 2, y = fy(&fr, b);

		fprintf(f, "<line class=\"axis\" stroke=\"#000\" "
		    "stroke-width=\"0.5\" x1=\"%.0f\" y1=\"%.2f\" "
		    "x2=\"%.0f\" y2=\"%.2f\"/>\n<text class=\"tick\" "
		    "font-size=\"9\" x=\"2\" y=\"%.2f\">%.0f%% left</text>\n",
		    SVG_X0, y, SVG_X1, y, y + 3, b * 100);
	}
	fmt_time(a, sizeof a, fr.from);
	fmt_time(z, sizeof z, fr.to);
	fprintf(f, "<text class=\"tick\" font-size=\"9\" x=\"%.0f\" "
	    "y=\"%d\">%s</text>\n<text class=\"tick\" font-size=\"9\" "
	    "x=\"%.0f\" y=\"%d\" text-anchor=\"end\">%s</text>\n", SVG_X0,
	    SVG_H + 16, a, SVG_X1, SVG_H + 16, z);
	svg_path(f, &fr, h);
	svg_events(f, r, &fr, x);
	fputs("</svg>\n", f);
}

static const char html_style[] =
    "body{font-family:sans-serif;color:#000;background:#fff;margin:2em}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #000;padding:2px 6px;text-align:left}"
    "td.n{text-align:right}"
    ".budget{fill:none;stroke:#000;stroke-width:2}"
    ".episode{stroke:#000;stroke-width:0.5}"
    ".deploy{stroke:#000;stroke-width:1.5;stroke-dasharray:4 3}"
    ".incident{fill:#fff;stroke:#000;stroke-width:1;stroke-dasharray:1 2}"
    ".axis{stroke:#000;stroke-width:0.5}"
    ".label,.tick{font-size:9px;fill:#000}"
    ".incomplete{border:2px solid #000;padding:0.5em;font-weight:bold}";

static void
html_td(FILE *f, const char *s, bool num)
{
	fputs(num ? "<td class=\"n\">" : "<td>", f);
	html_str(f, s);
	fputs("</td>", f);
}

static void
html_summary(FILE *f, const struct rep *r)
{
	char	c[32], a[32], z[32], er[32], un[32], w[32], o[32], ne[32];
	size_t	i;

	fprintf(f, "<table><tr><th>SLO</th>%s<th>service</th><th>objective</th>"
	    "<th>window</th><th>budget at start</th><th>budget at end</th>"
	    "<th>consumed</th><th>error ratio</th><th>episodes</th>"
	    "<th>unexplained</th></tr>\n", r->nenvs > 1 ?
	    "<th>environment</th>" : "");
	for (i = 0; i < r->n; i++) {
		const struct rep_slo *x = &r->v[i];

		snprintf(o, sizeof o, "%.10g%%", x->s->objective);
		fmt_dur(w, sizeof w, (double)x->s->window_seconds);
		fmt_pct(a, sizeof a, x->b.budget_start);
		fmt_pct(z, sizeof z, x->b.budget_end);
		fmt_pct(c, sizeof c, x->b.consumed);
		fmt_pct(er, sizeof er, x->b.error_ratio);
		fmt_pct(un, sizeof un, x->b.unexplained);
		snprintf(ne, sizeof ne, "%zu", x->b.nep);
		fputs("<tr>", f);
		html_td(f, x->s->name, false);
		if (r->nenvs > 1)
			html_td(f, x->s->environment, false);
		html_td(f, x->s->service, false);
		html_td(f, o, true);
		html_td(f, w, true);
		html_td(f, a, true);
		html_td(f, z, true);
		html_td(f, c, true);
		html_td(f, er, true);
		html_td(f, ne, true);
		html_td(f, un, true);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
html_episodes(FILE *f, const struct rep *r, const struct rep_slo *x)
{
	char	a[32], z[32], p[32], c[32];
	size_t	k, j;

	if (x->b.nep == 0) {
		fputs("<p>No burn episode in the period.</p>\n", f);
		return;
	}
	fputs("<table><tr><th>start</th><th>end</th><th>peak burn</th>"
	    "<th>consumed</th><th>condition</th><th>deploys and incidents"
	    "</th></tr>\n", f);
	for (k = 0; k < x->b.nep; k++) {
		const struct bud_episode *ep = &x->b.ep[k];

		ep_cells(ep, a, z, p, c);
		fputs("<tr>", f);
		html_td(f, a, false);
		html_td(f, z, false);
		html_td(f, p, true);
		html_td(f, c, true);
		html_td(f, level_word(ep->level), false);
		fputs("<td>", f);
		for (j = 0; j < ep->ncause; j++) {
			const struct bud_event *e = &r->ev[
			    x->b.causes[ep->cause0 + j].event];

			fprintf(f, "%s%s ", j > 0 ? "; " : "",
			    bud_kind_name(e->kind));
			html_str(f, e->name);
		}
		if (ep->ncause == 0)
			fputs("none", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
report_html(FILE *f, const struct rep *r)
{
	char	a[32], z[32], *sum, *sc = scope_paren(r);
	size_t	i;

	fmt_time(a, sizeof a, r->o->from);
	fmt_time(z, sizeof z, r->o->to);
	fprintf(f, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/"
	    "xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<title>Error-budget report %s to %s</title>\n<style>%s</style>\n"
	    "</head>\n<body>\n<h1>Error-budget report</h1>\n<p>%s to %s: "
	    "%zu SLO%s", a, z, html_style, a, z, r->n, r->n == 1 ? "" : "s");
	html_str(f, sc);
	fputs(", ranked by budget consumed.</p>\n", f);
	free(sc);
	if (r->nerrors > 0) {
		fputs("<div class=\"incomplete\">INCOMPLETE:<ul>", f);
		for (i = 0; i < r->nerrors; i++) {
			fputs("<li>", f);
			html_str(f, r->errors[i]);
			fputs("</li>", f);
		}
		fputs("</ul></div>\n", f);
	}
	html_summary(f, r);
	for (i = 0; i < r->n; i++) {
		const struct rep_slo *x = &r->v[i];

		fputs("<h2>", f);
		sum = slo_label(r, x);
		html_str(f, sum);
		free(sum);
		fputs("</h2>\n<p>", f);
		sum = summary_line(x);
		html_str(f, sum);
		free(sum);
		fputs("</p>\n", f);
		svg_burndown(f, r, x, i);
		html_episodes(f, r, x);
	}
	fputs("</body>\n</html>\n", f);
}

/* --- the run ----------------------------------------------------------- */

/* The sources of the environment asked for (all without one), and the
 * environments covered (pointers into the model). */
static struct source **
rep_sources(struct rep *r, struct model *m, struct source **v, size_t n,
    size_t *nout)
{
	struct source	**sv = xreallocarray(NULL, n + 1, sizeof *sv);
	size_t		  i;

	*nout = 0;
	for (i = 0; i < n; i++) {
		if (r->o->environment == NULL || strcmp(model_source_env(m,
		    v[i]->name), r->o->environment) == 0)
			sv[(*nout)++] = v[i];
	}
	if (r->o->environment != NULL) {
		r->envs = xreallocarray(NULL, 1, sizeof *r->envs);
		r->envs[0] = r->o->environment;
		r->nenvs = 1;
	} else
		r->envs = model_environments(m, &r->nenvs);
	return (sv);
}

int
report_run(struct model *m, struct source **all, size_t nall,
    const struct report_opts *o, int64_t timeout_ms, FILE *f)
{
	struct source		**v;
	struct rep		 r;
	double			 period = o->to - o->from;
	size_t			 i, n;
	int			 status;

	memset(&r, 0, sizeof r);
	r.o = o;
	r.suspect_s = m->suspect_window;
	/* Another environment's sources are not asked. */
	v = rep_sources(&r, m, all, nall, &n);
	for (i = 0; i < n; i++) {
		if (!prometheus_report_period(v[i], o->from, o->to,
		    bud_fine_step(period), bud_coarse_step(period)))
			(void)demo_report_period(v[i], o->from, o->to,
			    bud_fine_step(period), bud_coarse_step(period));
	}
	oneshot_fetch(v, n, timeout_ms, false);
	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		if (o->environment != NULL && strcmp(model_source_env(m,
		    h->name), o->environment) != 0)
			continue;
		if (!h->fetched || !h->ok)
			rep_error(&r, h->name, h->fetched ?
			    h->error : "no answer in time");
	}
	/* Nothing to read is a mistake to say, not an empty report. */
	for (i = 0; i < m->nsources; i++) {
		if ((m->sources[i].feeds & FEED_BIT(FEED_SLOS)) &&
		    (o->environment == NULL || strcmp(model_source_env(m,
		    m->sources[i].name), o->environment) == 0))
			break;
	}
	if (i == m->nsources)
		rep_error(&r, "report", o->environment != NULL ?
		    "no SLO source in this environment: add a [prometheus] "
		    "section with its environment (sitrep.conf(5))" :
		    "no SLO source: add a [prometheus] section "
		    "(sitrep.conf(5))");
	rep_events(&r, m, v, n);
	rep_compute(&r, m);
	for (i = 0; i < r.nerrors; i++) {
		char *e = clean(r.errors[i]);

		fprintf(stderr, "sitrep: %s\n", e);
		free(e);
	}
	switch (o->format) {
	case REPORT_JSON:
		report_json(f, &r);
		break;
	case REPORT_CSV:
		report_csv(f, &r);
		break;
	case REPORT_HTML:
		report_html(f, &r);
		break;
	case REPORT_MARKDOWN:
		report_text(f, &r, true);
		break;
	case REPORT_TEXT:
	default:
		report_text(f, &r, false);
		break;
	}
	status = r.nerrors > 0 ? 1 : 0;
	rep_free(&r);
	free(v);
	return (status);
}
