/* prometheus_slo.c: SLO records from Prometheus answers, and the PromQL
 * that asks for them. Pure: strings and parsed answers in, records out.
 *
 * Declared SLOs are asked for all at once: one union query per window, each
 * SLO's series tagged with a sitrep_slo label, so that 2,000 SLOs cost the
 * requests of one. Sloth and Pyrra record one series per SLO and window
 * under shared metric names; one selector per tool returns all of them. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "backends/prometheus_slo.h"
#include "core/sbuf.h"
#include "core/slomath.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#define DAY		86400L
#define DEFAULT_WINDOW	(30 * DAY)

const char promql_sloth_selector[] =
    "{__name__=~\"slo:(sli_error:ratio_rate.+|objective:ratio|"
    "error_budget:ratio|time_period:days|"
    "period_error_budget_remaining:ratio)\"}";
const char promql_pyrra_selector[] =
    "{__name__=~\".+:burnrate.+|pyrra_objective|pyrra_window|"
    "pyrra_availability\",slo!=\"\"}";
const char promql_sloth_spark[] = "slo:sli_error:ratio_rate1h";

#define SLOTH_RATIO	"slo:sli_error:ratio_rate"
#define PYRRA_BURNRATE	":burnrate"

/* --- declared SLOs and notes ---------------------------------------------- */

void
prom_decl_free(struct prom_decl *d)
{
	free(d->name);
	free(d->service);
	free(d->error_ratio);
	kvlist_free(&d->labels);
	memset(d, 0, sizeof *d);
}

static int
decl_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct prom_decl *)a)->name,
	    ((const struct prom_decl *)b)->name));
}

bool
prom_decl_sort(struct prom_decl *d, size_t n, const char **dup)
{
	size_t	i;

	if (n > 1)	/* none declared: d is NULL */
		qsort(d, n, sizeof *d, decl_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(d[i - 1].name, d[i].name) == 0) {
			*dup = d[i].name;
			return (false);
		}
	}
	return (true);
}

static ssize_t
decl_find(const struct prom_decl *d, size_t n, const char *name)
{
	struct prom_decl	 key = { .name = (char *)name };
	const struct prom_decl	*hit;

	hit = bsearch(&key, d, n, sizeof *d, decl_cmp);
	return (hit == NULL ? -1 : hit - d);
}

void
prom_note(struct prom_notes *notes, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	size_t	 i;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	for (i = 0; i < notes->n; i++) {
		if (strcmp(notes->v[i], s) == 0) {
			free(s);
			return;
		}
	}
	notes->v = xreallocarray(notes->v, notes->n + 1, sizeof *notes->v);
	notes->v[notes->n++] = s;
}

char *
prom_notes_join(const struct prom_notes *notes)
{
	struct sbuf	sb;
	size_t		i;

	if (notes->n == 0)
		return (NULL);
	sbuf_init(&sb);
	for (i = 0; i < notes->n; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? "; " : "", notes->v[i]);
	return (sbuf_steal(&sb));
}

void
prom_notes_free(struct prom_notes *notes)
{
	size_t	i;

	for (i = 0; i < notes->n; i++)
		free(notes->v[i]);
	free(notes->v);
	memset(notes, 0, sizeof *notes);
}

/* --- PromQL ------------------------------------------------------------- */

char *
promql_duration(long s)
{
	if (s > 0 && s % DAY == 0)
		return (xasprintf("%ldd", s / DAY));
	if (s > 0 && s % 3600 == 0)
		return (xasprintf("%ldh", s / 3600));
	if (s > 0 && s % 60 == 0)
		return (xasprintf("%ldm", s / 60));
	return (xasprintf("%lds", s));
}

char *
promql_expand(const char *tmpl, const char *window)
{
	static const char	 var[] = "$window";
	struct sbuf		 sb;
	const char		*p;

	sbuf_init(&sb);
	while ((p = strstr(tmpl, var)) != NULL) {
		sbuf_add(&sb, tmpl, p - tmpl);
		sbuf_adds(&sb, window);
		tmpl = p + sizeof var - 1;
	}
	sbuf_adds(&sb, tmpl);
	return (sbuf_steal(&sb));
}

char *
promql_string(const char *s)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	sbuf_addc(&sb, '"');
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
		case '\\':
			sbuf_addc(&sb, '\\');
			sbuf_addc(&sb, *s);
			break;
		case '\n':
			sbuf_adds(&sb, "\\n");
			break;
		default:
			sbuf_addc(&sb, *s);
		}
	}
	sbuf_addc(&sb, '"');
	return (sbuf_steal(&sb));
}

char *
promql_good_total(const char *good, const char *total)
{
	return (xasprintf("1 - (%s) / (%s)", good, total));
}

/* label_replace's replacement expands $1 and ${name}: a literal $ is $$. */
static char *
promql_replacement(const char *name)
{
	struct sbuf	 sb;
	char		*q;

	sbuf_init(&sb);
	for (; *name != '\0'; name++) {
		if (*name == '$')
			sbuf_addc(&sb, '$');
		sbuf_addc(&sb, *name);
	}
	q = promql_string(sb.s);
	sbuf_free(&sb);
	return (q);
}

/* The union of parts[lo, hi) as a balanced tree of "or": a chain of 2,000
 * costs Prometheus quadratic time, a tree n log n. Each leaf's span is
 * recorded for blame. */
static void
promql_tree(struct sbuf *sb, char **parts, size_t lo, size_t hi,
    size_t *spans)
{
	size_t	mid;

	if (hi - lo == 1) {
		if (spans != NULL)
			spans[2 * lo] = sb->len;
		sbuf_adds(sb, parts[lo]);
		if (spans != NULL)
			spans[2 * lo + 1] = sb->len;
		return;
	}
	mid = lo + (hi - lo) / 2;
	sbuf_addc(sb, '(');
	promql_tree(sb, parts, lo, mid, spans);
	sbuf_adds(sb, " or ");
	promql_tree(sb, parts, mid, hi, spans);
	sbuf_addc(sb, ')');
}

char *
promql_declared(const struct prom_decl *d, size_t n, const char *window,
    size_t **spans)
{
	struct sbuf	 sb;
	char		**parts, *expr, *own, *name;
	size_t		 i;

	if (spans != NULL)
		*spans = xcalloc(2 * (n > 0 ? n : 1), sizeof **spans);
	parts = xcalloc(n > 0 ? n : 1, sizeof *parts);
	for (i = 0; i < n; i++) {
		own = window == NULL ? promql_duration(d[i].window_s) : NULL;
		expr = promql_expand(d[i].error_ratio,
		    own != NULL ? own : window);
		name = promql_replacement(d[i].name);
		parts[i] = xasprintf("label_replace((%s), \"" PROM_SLO_LABEL
		    "\", %s, \"\", \"\")", expr, name);
		free(name);
		free(expr);
		free(own);
	}
	sbuf_init(&sb);
	if (n > 0)
		promql_tree(&sb, parts, 0, n, spans != NULL ? *spans : NULL);
	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
	return (sbuf_steal(&sb));
}

/* "...: 1:234: parse error: ..." -> the byte offset 233, or -1. */
static long
promql_error_offset(const char *error, const char **rest)
{
	const char	*p;
	char		*end;
	long		 line, col;

	for (p = error; (p = strstr(p, ": parse error")) != NULL; p++) {
		const char *q = p;

		while (q > error && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (q == p || q - 2 < error || q[-1] != ':')
			continue;
		col = strtol(q, &end, 10);
		q -= 2;
		while (q > error && q[-1] >= '0' && q[-1] <= '9')
			q--;
		line = strtol(q, &end, 10);
		if (line != 1 || col < 1)
			continue;
		*rest = p + 2;		/* "parse error: ..." */
		return (col - 1);
	}
	return (-1);
}

char *
promql_blame(const char *error, const struct prom_decl *d, size_t n,
    const size_t *spans)
{
	const char	*rest = NULL;
	long		 off;
	size_t		 i, best = n;

	if (spans == NULL || (off = promql_error_offset(error, &rest)) < 0)
		return (xstrdup(error));
	/* The part the offset falls in, or else the last one that began
	 * before it (an unclosed parenthesis is noticed further on). */
	for (i = 0; i < n; i++) {
		if (spans[2 * i] <= (size_t)off &&
		    (best == n || spans[2 * i] > spans[2 * best]))
			best = i;
	}
	if (best == n)
		return (xstrdup(error));
	return (xasprintf("[slo \"%s\"] error_ratio: %s", d[best].name, rest));
}

/* --- building records ------------------------------------------------------ */

static void
slo_blank(struct slo *s)
{
	size_t	k;

	memset(s, 0, sizeof *s);
	for (k = 0; k < W__COUNT; k++)
		s->error_ratio[k] = s->burn[k] = NAN;
	s->objective = NAN;
	s->budget_remaining = NAN;
	s->window_seconds = DEFAULT_WINDOW;
}

/* The worst of several series for one SLO and window; NaN means no data
 * and loses to any number. An infinite ratio is no ratio either. */
static void
merge_max(double *dst, double v)
{
	if (!isfinite(v))
		return;
	if (isnan(*dst) || v > *dst)
		*dst = v;
}

static const char *
label(const struct prom_series *ps, const char *key)
{
	return (kvlist_get(&ps->labels, key));
}

/* An SLO's labels (team, tier ...) from one of its series: the
 * generator's own window and the metric name left out. */
static void
slo_labels_from(struct slo *s, const struct prom_series *ps)
{
	size_t	i;

	for (i = 0; ps != NULL && i < ps->labels.n; i++) {
		const char *k = ps->labels.v[i].key;

		if (strcmp(k, "__name__") == 0 ||
		    strcmp(k, "sloth_window") == 0)
			continue;
		kvlist_add(&s->labels, k, ps->labels.v[i].value);
	}
}

/* Fold one matrix series (error ratios) into the record's sparkline of 1h
 * burn rates on the grid. */
static void
spark_fold(struct slo *s, const struct prom_series *ps,
    const struct prom_spark *sp)
{
	double	budget = 1.0 - s->objective / 100.0, pos;
	size_t	i, j;

	if (sp->n == 0 || sp->step <= 0 || !(budget > 0))
		return;
	if (s->spark == NULL) {
		s->nspark = sp->n;
		s->spark = xcalloc(sp->n, sizeof *s->spark);
		for (i = 0; i < sp->n; i++)
			s->spark[i] = NAN;
	}
	for (i = 0; i < ps->n; i++) {
		pos = (ps->t[i] - sp->start) / sp->step;
		if (pos < -0.5 || pos >= (double)sp->n - 0.5)
			continue;
		j = (size_t)(pos + 0.5);
		merge_max(&s->spark[j], ps->v[i] / budget);
	}
}

static void
prom_slo_finish(struct slo *s)
{
	size_t	k;

	for (k = 0; k < W__COUNT; k++)
		s->burn[k] = slo_burn(s->error_ratio[k], s->objective);
	slo_evaluate(s);
}

/* "$window = 5m, 30m, ... 3d; 30d for the budget" after the template. */
static char *
declared_query_text(const struct prom_decl *d)
{
	struct sbuf	 sb;
	char		*w;
	size_t		 k;

	sbuf_init(&sb);
	sbuf_addf(&sb, "%s   ($window = ", d->error_ratio);
	for (k = 0; k < W__COUNT; k++)
		sbuf_addf(&sb, "%s%s", k > 0 ? ", " : "", slo_window_names[k]);
	w = promql_duration(d->window_s);
	sbuf_addf(&sb, "; %s for the budget)", w);
	free(w);
	return (sbuf_steal(&sb));
}

/* The declared SLO a series of a union answer belongs to, or -1. */
static ssize_t
declared_owner(const struct prom_decl *d, size_t n,
    const struct prom_series *ps)
{
	const char	*name = label(ps, PROM_SLO_LABEL);

	return (name == NULL ? -1 : decl_find(d, n, name));
}

/* Fold one union answer into per-SLO values; several series for one SLO
 * (an expression that keeps labels) keep the worst and say so. */
static void
declared_fold(const struct prom_decl *d, size_t n,
    const struct prom_result *r, double *vals, size_t stride,
    struct prom_notes *notes)
{
	size_t	*seen, i;
	ssize_t	 o;

	if (r == NULL)
		return;
	seen = xcalloc(n > 0 ? n : 1, sizeof *seen);
	for (i = 0; i < r->n; i++) {
		if ((o = declared_owner(d, n, &r->series[i])) < 0)
			continue;
		if (++seen[o] == 2)
			prom_note(notes, "[slo \"%s\"]: the expression returns "
			    "several series; the worst is shown", d[o].name);
		merge_max(&vals[o * stride], r->series[i].value);
	}
	free(seen);
}

size_t
prom_declared_slos(const struct prom_decl *d, size_t n,
    const struct prom_result *const win[W__COUNT],
    const struct prom_result *budget, const struct prom_spark *sp,
    struct slo **out, struct prom_notes *notes)
{
	struct slo	*v;
	double		*ratios, *whole;
	size_t		 i, k;
	ssize_t		 o;

	v = xcalloc(n > 0 ? n : 1, sizeof *v);
	ratios = xcalloc(n * W__COUNT + 1, sizeof *ratios);
	whole = xcalloc(n + 1, sizeof *whole);
	for (i = 0; i < n * W__COUNT; i++)
		ratios[i] = NAN;
	for (i = 0; i < n; i++)
		whole[i] = NAN;
	for (k = 0; k < W__COUNT; k++)
		declared_fold(d, n, win[k], ratios + k, W__COUNT, notes);
	declared_fold(d, n, budget, whole, 1, notes);

	for (i = 0; i < n; i++) {
		slo_blank(&v[i]);
		v[i].name = xstrdup(d[i].name);
		v[i].service = xstrdup(d[i].service);
		v[i].objective = d[i].objective;
		v[i].window_seconds = d[i].window_s;
		for (k = 0; k < d[i].labels.n; k++)
			kvlist_add(&v[i].labels, d[i].labels.v[k].key,
			    d[i].labels.v[k].value);
		for (k = 0; k < W__COUNT; k++)
			v[i].error_ratio[k] = ratios[i * W__COUNT + k];
		if (!isnan(whole[i]))
			v[i].budget_remaining = 1.0 -
			    slo_burn(whole[i], d[i].objective);
		v[i].query = declared_query_text(&d[i]);
	}
	for (i = 0; sp != NULL && sp->r != NULL && i < sp->r->n; i++) {
		if ((o = declared_owner(d, n, &sp->r->series[i])) >= 0)
			spark_fold(&v[o], &sp->r->series[i], sp);
	}
	for (i = 0; i < n; i++)
		prom_slo_finish(&v[i]);
	free(ratios);
	free(whole);
	*out = v;
	return (n);
}

/* --- discovered SLOs: grouping series by SLO --------------------------- */

struct ref {
	char				*key;
	const struct prom_series	*s;
};

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return (c);
	return (x->s < y->s ? -1 : x->s > y->s);
}

/* The series of r that keyfn names, sorted by key (heap, *n of them). */
static struct ref *
refs_sorted(const struct prom_result *r, char *(*keyfn)(const struct
    prom_series *), size_t *n)
{
	struct ref	*v;
	char		*key;
	size_t		 i;

	*n = 0;
	v = xcalloc(r != NULL && r->n > 0 ? r->n : 1, sizeof *v);
	for (i = 0; r != NULL && i < r->n; i++) {
		/* A declared SLO's series never counts as discovered. */
		if (label(&r->series[i], PROM_SLO_LABEL) != NULL)
			continue;
		if ((key = keyfn(&r->series[i])) == NULL)
			continue;
		v[*n].key = key;
		v[(*n)++].s = &r->series[i];
	}
	qsort(v, *n, sizeof *v, ref_cmp);
	return (v);
}

static void
refs_free(struct ref *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

/* The record named key among v[0..n), sorted by name. */
static struct slo *
slo_by_name(struct slo *v, size_t n, const char *key)
{
	size_t	lo = 0, hi = n, mid;
	int	c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(key, v[mid].name)) == 0)
			return (&v[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

static long
window_seconds_of(const char *s)
{
	int64_t	ms;

	if (s == NULL || (ms = duration_parse_ms(s)) <= 0 || ms % 1000 != 0 ||
	    ms / 1000 > 3660 * DAY)
		return (-1);
	return ((long)(ms / 1000));
}

/* --- the windows a generator recorded ---------------------------------- */

/*
 * Sloth and Pyrra record one series per window, and their windows need not
 * be sitrep's seven (Pyrra scales them with the SLO window: for 14 days 3m,
 * 15m, 30m, 1h, 3h, 12h, 2d; Sloth's may be custom). Seven windows fill
 * the seven columns in order, whatever they are; other counts go to the
 * nearest column. Each record says in col_seconds what its columns hold.
 */
#define GEN_MAX_WINDOWS	16

struct gen_window {
	long		 secs;
	const char	*metric;
	double		 ratio;
};

struct gen_windows {
	struct gen_window	 w[GEN_MAX_WINDOWS];
	size_t			 n;
};

static void
gen_take(struct gen_windows *g, long secs, const char *metric, double v)
{
	size_t	i;

	for (i = 0; i < g->n; i++) {
		if (g->w[i].secs == secs) {
			merge_max(&g->w[i].ratio, v);
			return;
		}
	}
	if (g->n == GEN_MAX_WINDOWS)
		return;
	g->w[g->n].secs = secs;
	g->w[g->n].metric = metric;
	g->w[g->n].ratio = NAN;
	merge_max(&g->w[g->n].ratio, v);
	g->n++;
}

static int
gen_window_cmp(const void *a, const void *b)
{
	const struct gen_window	*x = a, *y = b;

	return (x->secs < y->secs ? -1 : x->secs > y->secs);
}

static void
gen_sort(struct gen_windows *g)
{
	qsort(g->w, g->n, sizeof *g->w, gen_window_cmp);
}

/* Which of g's (sorted) windows stands for column k, or -1. */
static int
gen_slot(const struct gen_windows *g, int k)
{
	double	best = INFINITY, d;
	size_t	i;
	int	pick = -1;

	if (g->n == W__COUNT)
		return (k);
	for (i = 0; i < g->n; i++) {
		d = fabs(log((double)g->w[i].secs / slo_window_seconds[k]));
		if (d < best && d < log(2.0)) {
			best = d;
			pick = (int)i;
		}
	}
	return (pick);
}

/* The columns of s from g: their windows and error ratios. */
static void
gen_fill(struct slo *s, const struct gen_windows *g)
{
	int	k, w;

	for (k = 0; k < W__COUNT; k++) {
		s->col_seconds[k] = 0;
		if ((w = gen_slot(g, k)) < 0)
			continue;
		s->col_seconds[k] = g->w[w].secs;
		s->error_ratio[k] = g->w[w].ratio;
	}
}

/* The metric recorded for a window, or NULL. */
static const char *
gen_metric(const struct gen_windows *g, long secs)
{
	size_t	i;

	for (i = 0; i < g->n; i++) {
		if (g->w[i].secs == secs)
			return (g->w[i].metric);
	}
	return (NULL);
}

/* "5m,30m,1h" */
static void
gen_names(struct sbuf *sb, const struct gen_windows *g)
{
	char	buf[32];
	size_t	i;

	for (i = 0; i < g->n; i++) {
		slo_window_format(buf, sizeof buf, g->w[i].secs);
		sbuf_addf(sb, "%s%s", i > 0 ? "," : "", buf);
	}
}

/* --- Sloth ---------------------------------------------------------------- */

static char *
sloth_key(const struct prom_series *ps)
{
	const char	*id = label(ps, "sloth_id");
	const char	*svc = label(ps, "sloth_service");
	const char	*slo = label(ps, "sloth_slo");

	if (id != NULL && *id != '\0')
		return (xstrdup(id));
	if (svc != NULL && slo != NULL)
		return (xasprintf("%s-%s", svc, slo));
	return (NULL);
}

struct sloth_acc {
	struct gen_windows w;	/* ratio_rate windows, the period's too */
	double	objective;	/* ratio */
	double	error_budget;	/* ratio */
	double	days;
	double	remaining;
	const char *service;
	const struct prom_series *first;	/* its labels */
};

static void
sloth_take(struct sloth_acc *a, const struct prom_series *ps)
{
	const char	*name = label(ps, "__name__"), *w;
	long		 secs;

	if (name == NULL)
		return;
	if (a->first == NULL)
		a->first = ps;
	if (a->service == NULL)
		a->service = label(ps, "sloth_service");
	if (strncmp(name, SLOTH_RATIO, strlen(SLOTH_RATIO)) == 0) {
		if ((w = label(ps, "sloth_window")) == NULL)
			w = name + strlen(SLOTH_RATIO);
		if ((secs = window_seconds_of(w)) > 0)
			gen_take(&a->w, secs, name, ps->value);
	} else if (strcmp(name, "slo:objective:ratio") == 0)
		a->objective = ps->value;
	else if (strcmp(name, "slo:error_budget:ratio") == 0)
		a->error_budget = ps->value;
	else if (strcmp(name, "slo:time_period:days") == 0)
		a->days = ps->value;
	else if (strcmp(name, "slo:period_error_budget_remaining:ratio") == 0)
		a->remaining = ps->value;
}

static double
sloth_objective(const struct sloth_acc *a)
{
	if (a->objective > 0 && a->objective < 1)
		return (a->objective * 100.0);
	if (a->error_budget > 0 && a->error_budget < 1)
		return ((1.0 - a->error_budget) * 100.0);
	return (NAN);
}

/* Split the recorded windows into the alert windows and the period's. */
static void
sloth_split(const struct sloth_acc *a, long period_s, bool known,
    struct gen_windows *alert, double *period_ratio)
{
	size_t	i;
	long	secs;

	memset(alert, 0, sizeof *alert);
	*period_ratio = NAN;
	for (i = 0; i < a->w.n; i++) {
		secs = a->w.w[i].secs;
		if (known ? secs == period_s :
		    secs > slo_window_seconds[W__COUNT - 1])
			merge_max(period_ratio, a->w.w[i].ratio);
		else if (!known || secs < period_s)
			alert->w[alert->n++] = a->w.w[i];
	}
	gen_sort(alert);
}

static void
sloth_conds(struct slo *s, const struct gen_windows *g)
{
	const char	*table;
	long		 wins[GEN_MAX_WINDOWS];
	size_t		 i;

	for (i = 0; i < g->n; i++)
		wins[i] = g->w[i].secs;
	s->verdict = SLO_VERDICT_EVALUATED;
	s->nconds = slo_conds_sloth(s->window_seconds, wins, g->n, s->conds,
	    &table);
	slo_conds_place(s);
	if (s->nconds == 0)
		s->verdict_note = xasprintf("Sloth's conditions are unknown "
		    "for these %zu windows and its alerting rules for this SLO "
		    "are not loaded in this Prometheus: no verdict", g->n);
	else
		s->verdict_note = xasprintf("evaluated by sitrep with %s; "
		    "Sloth's alerting rules for this SLO are not loaded in "
		    "this Prometheus (or its alerts are off)", table);
}

/* One record from the series of one Sloth SLO; false if unusable. */
static bool
sloth_record(struct slo *s, const char *key, const struct sloth_acc *a,
    struct prom_notes *notes)
{
	struct gen_windows	 g;
	struct sbuf		 sb;
	double			 period_ratio;
	bool			 known = a->days > 0 && a->days < 3660;

	slo_blank(s);
	s->objective = sloth_objective(a);
	if (isnan(s->objective)) {
		prom_note(notes, "sloth SLO %s: no slo:objective:ratio", key);
		return (false);
	}
	s->name = xstrdup(key);
	s->service = xstrdup(a->service != NULL ? a->service : key);
	slo_labels_from(s, a->first);
	if (known)
		s->window_seconds = lround(a->days * DAY);
	sloth_split(a, s->window_seconds, known, &g, &period_ratio);
	gen_fill(s, &g);
	if (a->w.n == 0)
		s->nodata = xstrdup("no error series recorded");
	if (isfinite(a->remaining))
		s->budget_remaining = a->remaining;
	else if (!isnan(period_ratio))
		s->budget_remaining = 1.0 - slo_burn(period_ratio,
		    s->objective);
	sloth_conds(s, &g);
	sbuf_init(&sb);
	sbuf_adds(&sb, SLOTH_RATIO "{");
	gen_names(&sb, &g);
	sbuf_addf(&sb, "}{sloth_id=\"%s\"}, slo:period_error_budget_remaining"
	    ":ratio (Sloth recording rules)", key);
	s->query = sbuf_steal(&sb);
	return (true);
}

static void
sloth_acc_init(struct sloth_acc *a)
{
	memset(a, 0, sizeof *a);
	a->objective = a->error_budget = NAN;
	a->days = a->remaining = NAN;
}

/* Spark series: Sloth's 1h ratio, matched to records by sloth id. */
static void
sloth_sparks(struct slo *v, size_t n, const struct prom_spark *sp)
{
	const struct prom_series	*ps;
	const char			*name;
	struct slo			*s;
	char				*key;
	size_t				 i;

	for (i = 0; sp != NULL && sp->r != NULL && i < sp->r->n; i++) {
		ps = &sp->r->series[i];
		name = label(ps, "__name__");
		if (name == NULL || strcmp(name, promql_sloth_spark) != 0 ||
		    label(ps, PROM_SLO_LABEL) != NULL ||
		    (key = sloth_key(ps)) == NULL)
			continue;
		if ((s = slo_by_name(v, n, key)) != NULL)
			spark_fold(s, ps, sp);
		free(key);
	}
}

size_t
prom_sloth_slos(const struct prom_result *r, const struct prom_spark *sp,
    struct slo **out, struct prom_notes *notes)
{
	struct sloth_acc	 a;
	struct ref		*refs;
	struct slo		*v;
	size_t			 nrefs, i, j, n = 0;

	refs = refs_sorted(r, sloth_key, &nrefs);
	v = xcalloc(nrefs > 0 ? nrefs : 1, sizeof *v);
	for (i = 0; i < nrefs; i = j) {
		sloth_acc_init(&a);
		for (j = i; j < nrefs && strcmp(refs[j].key, refs[i].key) == 0;
		    j++)
			sloth_take(&a, refs[j].s);
		if (sloth_record(&v[n], refs[i].key, &a, notes))
			n++;
	}
	sloth_sparks(v, n, sp);
	for (i = 0; i < n; i++)
		prom_slo_finish(&v[i]);
	refs_free(refs, nrefs);
	*out = v;
	return (n);
}

/* --- Pyrra ----------------------------------------------------------------- */

/*
 * Pyrra scales its windows with the SLO window (for 28d: 5m, 30m, 1h, 2h,
 * 6h, 1d, 4d; for 14d: 3m, 15m, 30m, 1h, 3h, 12h, 2d; for 30d: 5m, 32m,
 * 1h4m, 2h9m, 6h26m, 1d1h43m, 4d6h51m) and names each series
 * <metric>:burnrate<window>. Its conditions are its own (slomath).
 */
struct pyrra_acc {
	struct gen_windows	 w;
	double			 objective;	/* ratio */
	double			 window;	/* seconds */
	double			 availability;
	const char		*service;
	const struct prom_series *first;	/* its labels */
};

static char *
pyrra_key(const struct prom_series *ps)
{
	const char	*slo = label(ps, "slo");

	return (slo != NULL && *slo != '\0' ? xstrdup(slo) : NULL);
}

/* The window of a "<metric>:burnrate<window>" name, or -1. */
static long
pyrra_window_of(const char *name)
{
	const char	*p, *last = NULL;

	for (p = name; (p = strstr(p, PYRRA_BURNRATE)) != NULL; p++)
		last = p;
	if (last == NULL)
		return (-1);
	return (window_seconds_of(last + strlen(PYRRA_BURNRATE)));
}

static void
pyrra_take(struct pyrra_acc *a, const struct prom_series *ps)
{
	const char	*name = label(ps, "__name__");
	long		 secs;

	if (name == NULL)
		return;
	if (a->first == NULL)
		a->first = ps;
	if (a->service == NULL)
		a->service = label(ps, "service");
	if (strcmp(name, "pyrra_objective") == 0)
		a->objective = ps->value;
	else if (strcmp(name, "pyrra_window") == 0)
		a->window = ps->value;
	else if (strcmp(name, "pyrra_availability") == 0)
		a->availability = ps->value;
	else if ((secs = pyrra_window_of(name)) > 0)
		gen_take(&a->w, secs, name, ps->value);
}

/* Pyrra's service: the rule's service, job or namespace label. */
static const char *
pyrra_service(const struct ref *refs, size_t n, const char *key)
{
	static const char *const keys[] = { "service", "job", "namespace" };
	const char		*v;
	size_t			 i, j;

	for (j = 0; j < sizeof keys / sizeof keys[0]; j++) {
		for (i = 0; i < n; i++) {
			if ((v = label(refs[i].s, keys[j])) != NULL &&
			    *v != '\0')
				return (v);
		}
	}
	return (key);
}

/* "http_requests:burnrate{5m,30m,...}{slo="x"}" for the detail view. */
static char *
pyrra_query_text(const struct pyrra_acc *a, const char *key)
{
	struct sbuf	 sb;
	const char	*m;
	size_t		 i;

	sbuf_init(&sb);
	for (i = 0; i < a->w.n; i++) {
		m = strstr(a->w.w[i].metric, PYRRA_BURNRATE);
		if (i == 0)
			sbuf_add(&sb, a->w.w[i].metric, m - a->w.w[i].metric);
		sbuf_addf(&sb, "%s%s", i == 0 ? PYRRA_BURNRATE "{" : ",",
		    m + strlen(PYRRA_BURNRATE));
	}
	sbuf_addf(&sb, "%s{slo=\"%s\"}, pyrra_availability (Pyrra recording "
	    "rules)", a->w.n > 0 ? "}" : "", key);
	return (sbuf_steal(&sb));
}

/* The SLO window: pyrra_window, or seven times the longest burn window
 * (Pyrra's longest is window / 7), or 28 days. */
static long
pyrra_slo_window(const struct pyrra_acc *a)
{
	if (a->window >= 3600 && a->window < 3660.0 * DAY)
		return (lround(a->window));
	if (a->w.n == W__COUNT)
		return (lround(7.0 * a->w.w[W__COUNT - 1].secs / DAY) * DAY);
	return (28 * DAY);
}

/* One record from the series of one Pyrra SLO (windows sorted); false if
 * unusable. */
static bool
pyrra_record(struct slo *s, const char *key, const struct pyrra_acc *a,
    const char *service, struct prom_notes *notes)
{
	char	buf[32];
	size_t	i, missing = 0;

	slo_blank(s);
	if (!(a->objective > 0 && a->objective < 1)) {
		prom_note(notes, "pyrra SLO %s: no pyrra_objective (turn on "
		    "Pyrra's generic rules)", key);
		return (false);
	}
	s->name = xstrdup(key);
	s->service = xstrdup(service);
	slo_labels_from(s, a->first);
	s->objective = a->objective * 100.0;
	s->window_seconds = pyrra_slo_window(a);
	gen_fill(s, &a->w);
	if (isfinite(a->availability))
		s->budget_remaining = 1.0 - slo_burn(1.0 - a->availability,
		    s->objective);
	s->query = pyrra_query_text(a, key);
	s->verdict = SLO_VERDICT_EVALUATED;
	s->nconds = slo_conds_pyrra(s->window_seconds, s->conds);
	slo_conds_place(s);
	for (i = 0; i < s->nconds; i++) {
		if (s->conds[i].long_col < 0 || s->conds[i].short_col < 0)
			missing++;
	}
	duration_format(buf, sizeof buf, s->window_seconds);
	s->verdict_note = xasprintf("evaluated by sitrep with Pyrra's "
	    "conditions for a %s window (its windows, factors and for:)%s; "
	    "Pyrra's alerting rules for this SLO are not loaded in this "
	    "Prometheus (or its alerts are off)", buf,
	    missing > 0 ? ", though some of their windows are not recorded" :
	    "");
	return (true);
}

static void
pyrra_acc_init(struct pyrra_acc *a)
{
	memset(a, 0, sizeof *a);
	a->objective = a->window = a->availability = NAN;
}

/* Visit each Pyrra SLO: fn(key, acc, refs of the group). */
static void
pyrra_groups(const struct prom_result *r, void (*fn)(const char *,
    struct pyrra_acc *, const struct ref *, size_t, void *), void *arg)
{
	struct pyrra_acc	 a;
	struct ref		*refs;
	size_t			 nrefs, i, j;

	refs = refs_sorted(r, pyrra_key, &nrefs);
	for (i = 0; i < nrefs; i = j) {
		pyrra_acc_init(&a);
		for (j = i; j < nrefs && strcmp(refs[j].key, refs[i].key) == 0;
		    j++)
			pyrra_take(&a, refs[j].s);
		gen_sort(&a.w);
		fn(refs[i].key, &a, refs + i, j - i, arg);
	}
	refs_free(refs, nrefs);
}

/* Metric names wanted per SLO: the one standing for "1h" (sparkline), or
 * those of conditions with a for: of for_s seconds. */
struct pyrra_names {
	char	**metric;
	long	 *for_s;
	size_t	  n;
};

static void
pyrra_names_add(struct pyrra_names *pn, const char *metric, long for_s)
{
	if (metric == NULL)
		return;
	pn->metric = xreallocarray(pn->metric, pn->n + 1, sizeof *pn->metric);
	pn->for_s = xreallocarray(pn->for_s, pn->n + 1, sizeof *pn->for_s);
	pn->metric[pn->n] = xstrdup(metric);
	pn->for_s[pn->n++] = for_s;
}

static void
pyrra_name_one(const char *key, struct pyrra_acc *a, const struct ref *refs,
    size_t n, void *arg)
{
	int	w;

	if ((w = gen_slot(&a->w, W_1H)) >= 0)
		pyrra_names_add(arg, a->w.w[w].metric, 0);
}

static void
pyrra_for_one(const char *key, struct pyrra_acc *a, const struct ref *refs,
    size_t n, void *arg)
{
	struct slo_cond	c[SLO_MAX_CONDS];
	size_t		i, nc;

	if (!(a->objective > 0 && a->objective < 1))
		return;
	nc = slo_conds_pyrra(pyrra_slo_window(a), c);
	for (i = 0; i < nc; i++) {
		if (c[i].for_s <= 0)
			continue;
		pyrra_names_add(arg, gen_metric(&a->w, c[i].long_s),
		    c[i].for_s);
		pyrra_names_add(arg, gen_metric(&a->w, c[i].short_s),
		    c[i].for_s);
	}
}

static void
pyrra_names_free(struct pyrra_names *pn)
{
	size_t	i;

	for (i = 0; i < pn->n; i++)
		free(pn->metric[i]);
	free(pn->metric);
	free(pn->for_s);
	memset(pn, 0, sizeof *pn);
}

static int
str_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* "a|b|c" (a PromQL string literal) of the names with this for_s. */
static char *
pyrra_names_regex(const struct pyrra_names *pn, long for_s)
{
	struct sbuf	 sb;
	char		**names, *q;
	size_t		 i, n = 0, k = 0;

	names = xcalloc(pn->n > 0 ? pn->n : 1, sizeof *names);
	for (i = 0; i < pn->n; i++) {
		if (pn->for_s[i] == for_s)
			names[n++] = pn->metric[i];
	}
	qsort(names, n, sizeof *names, str_cmp);
	sbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;
		sbuf_addf(&sb, "%s%s", k++ > 0 ? "|" : "", names[i]);
	}
	q = promql_string(sb.len > 0 ? sb.s : "");
	sbuf_free(&sb);
	free(names);
	return (q);
}

char *
promql_pyrra_spark(const struct prom_result *r)
{
	struct pyrra_names	 pn = { 0 };
	char			*q, *sel;

	pyrra_groups(r, pyrra_name_one, &pn);
	if (pn.n == 0)
		return (NULL);
	q = pyrra_names_regex(&pn, 0);
	pyrra_names_free(&pn);
	sel = xasprintf("{__name__=~%s,slo!=\"\"}", q);
	free(q);
	return (sel);
}

static int
long_cmp(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return (x < y ? -1 : x > y);
}

char *
promql_pyrra_for(const struct prom_result *r)
{
	struct pyrra_names	 pn = { 0 };
	struct sbuf		 sb;
	long			*fors, step;
	char			*q;
	size_t			 i, n = 0;

	pyrra_groups(r, pyrra_for_one, &pn);
	if (pn.n == 0)
		return (NULL);
	fors = xcalloc(pn.n, sizeof *fors);
	for (i = 0; i < pn.n; i++)
		fors[i] = pn.for_s[i];
	qsort(fors, pn.n, sizeof *fors, long_cmp);
	sbuf_init(&sb);
	for (i = 0; i < pn.n; i++) {
		if (i > 0 && fors[i] == fors[i - 1])
			continue;
		/* The lowest burn over the last for: seconds, on a grid of
		 * about 60 points; the name is kept as a label, since
		 * min_over_time drops it. */
		step = fors[i] / 60 > 15 ? fors[i] / 60 : 15;
		q = pyrra_names_regex(&pn, fors[i]);
		sbuf_addf(&sb, "%slabel_replace(min_over_time(label_replace("
		    "{__name__=~%s,slo!=\"\"}, \"" PROM_NAME_LABEL "\", "
		    "\"$1\", \"__name__\", \"(.+)\")[%lds:%lds]), \""
		    PROM_FOR_LABEL "\", \"%ld\", \"\", \"\")",
		    n++ > 0 ? " or " : "", q, fors[i], step, fors[i]);
		free(q);
	}
	free(fors);
	pyrra_names_free(&pn);
	return (sbuf_steal(&sb));
}

struct pyrra_build {
	struct slo		*v;
	struct gen_windows	*gw;	/* per record: its windows */
	size_t			 n;
	struct prom_notes	*notes;
};

static void
pyrra_build_one(const char *key, struct pyrra_acc *a, const struct ref *refs,
    size_t n, void *arg)
{
	struct pyrra_build	*b = arg;

	b->v = xreallocarray(b->v, b->n + 1, sizeof *b->v);
	b->gw = xreallocarray(b->gw, b->n + 1, sizeof *b->gw);
	if (!pyrra_record(&b->v[b->n], key, a, pyrra_service(refs, n, key),
	    b->notes))
		return;
	b->gw[b->n++] = a->w;
}

/* Spark series: the 1h-standing series of each record, by slo label. */
static void
pyrra_sparks(struct pyrra_build *b, const struct prom_spark *sp)
{
	const struct prom_series	*ps;
	const char			*name, *key;
	struct slo			*s;
	size_t				 i;
	int				 w;

	for (i = 0; sp != NULL && sp->r != NULL && i < sp->r->n; i++) {
		ps = &sp->r->series[i];
		name = label(ps, "__name__");
		key = label(ps, "slo");
		if (name == NULL || key == NULL ||
		    label(ps, PROM_SLO_LABEL) != NULL ||
		    (s = slo_by_name(b->v, b->n, key)) == NULL)
			continue;
		w = gen_slot(&b->gw[s - b->v], W_1H);
		if (w >= 0 && strcmp(b->gw[s - b->v].w[w].metric, name) == 0)
			spark_fold(s, ps, sp);
	}
}

/* The lowest burns over each condition's for:, from promql_pyrra_for(). */
static void
pyrra_fors(struct pyrra_build *b, const struct prom_result *fr)
{
	const struct prom_series	*ps;
	const struct gen_windows	*g;
	const char			*name, *key, *fs;
	struct slo_cond			*c;
	struct slo			*s;
	double				 budget, burn;
	size_t				 i, j;
	long				 for_s;

	for (i = 0; fr != NULL && i < fr->n; i++) {
		ps = &fr->series[i];
		name = label(ps, PROM_NAME_LABEL);
		key = label(ps, "slo");
		fs = label(ps, PROM_FOR_LABEL);
		if (name == NULL || key == NULL || fs == NULL ||
		    (s = slo_by_name(b->v, b->n, key)) == NULL)
			continue;
		for_s = strtol(fs, NULL, 10);
		g = &b->gw[s - b->v];
		budget = 1.0 - s->objective / 100.0;
		burn = ps->value / budget;
		for (j = 0; j < s->nconds; j++) {
			c = &s->conds[j];
			if (c->for_s != for_s)
				continue;
			if (strcmp(name, gen_metric(g, c->long_s) != NULL ?
			    gen_metric(g, c->long_s) : "") == 0)
				merge_max(&c->min_long, burn);
			if (strcmp(name, gen_metric(g, c->short_s) != NULL ?
			    gen_metric(g, c->short_s) : "") == 0)
				merge_max(&c->min_short, burn);
		}
	}
}

size_t
prom_pyrra_slos(const struct prom_result *r, const struct prom_spark *sp,
    const struct prom_result *fr, struct slo **out, struct prom_notes *notes)
{
	struct pyrra_build	b = { .notes = notes };
	size_t			i;

	pyrra_groups(r, pyrra_build_one, &b);
	pyrra_sparks(&b, sp);
	pyrra_fors(&b, fr);
	for (i = 0; i < b.n; i++) {
		if (fr == NULL) {
			char *note = b.v[i].verdict_note;

			b.v[i].verdict_note = xasprintf("%s; the history for "
			    "for: could not be read, so a condition that holds "
			    "stays pending", note);
			free(note);
		}
		prom_slo_finish(&b.v[i]);
	}
	free(b.gw);
	if (b.v == NULL)
		b.v = xcalloc(1, sizeof *b.v);
	*out = b.v;
	return (b.n);
}

/* --- the generators' own alerting rules ------------------------------- */

static enum slo_alert
level_max(enum slo_alert a, enum slo_alert b)
{
	return (a > b ? a : b);
}

/* The sloth_id="..." values a Sloth rule's query names; fn per value. */
static void
sloth_rule_ids(const struct prom_rule *r, void (*fn)(const char *, void *),
    void *arg)
{
	static const char	 key[] = "sloth_id=\"";
	const char		*p, *e;
	char			*id;
	size_t			 i;

	for (i = 0; i < r->nalerts; i++) {
		if ((p = kvlist_get(&r->alerts[i].labels, "sloth_id")) != NULL)
			fn(p, arg);
	}
	for (p = r->query; (p = strstr(p, key)) != NULL; p = e) {
		p += sizeof key - 1;
		for (e = p; *e != '\0' && *e != '"'; e++) {
			if (*e == '\\' && e[1] != '\0')
				e++;
		}
		id = xstrndup(p, (size_t)(e - p));
		fn(id, arg);
		free(id);
	}
}

/*
 * The conditions a Sloth alerting rule's query holds: each term
 * "slo:sli_error:ratio_rate<window>{...} > (<factor> * <budget>)", two by
 * two (short and long window) joined by "and", the pairs by "or". Up to
 * max into out; returns how many.
 */
static size_t
sloth_rule_conds(const char *q, enum slo_alert level, struct slo_cond *out,
    size_t max)
{
	static const char	 term[] = SLOTH_RATIO;
	const char		*p, *e;
	char			*w, *end;
	long			 secs[2];
	double			 f[2];
	size_t			 n = 0, k = 0;

	for (p = q; n < max && (p = strstr(p, term)) != NULL; p = e) {
		p += sizeof term - 1;
		for (e = p; *e != '\0' && *e != '{' && *e != ' '; e++)
			;
		w = xstrndup(p, (size_t)(e - p));
		secs[k] = window_seconds_of(w);
		free(w);
		if ((e = strstr(e, "> (")) == NULL)
			break;
		f[k] = strtod(e + 3, &end);
		if (end == e + 3 || secs[k] <= 0 || !isfinite(f[k]) ||
		    f[k] <= 0 || f[k] > 1e6) {
			k = 0;		/* not a term of Sloth's: start over */
			continue;
		}
		if (++k < 2)
			continue;
		k = 0;
		memset(&out[n], 0, sizeof out[n]);
		out[n].long_s = secs[0] > secs[1] ? secs[0] : secs[1];
		out[n].short_s = secs[0] > secs[1] ? secs[1] : secs[0];
		out[n].factor = f[0];
		out[n].level = level;
		out[n].long_col = out[n].short_col = -1;
		out[n].min_long = out[n].min_short = NAN;
		n++;
	}
	return (n);
}

struct rule_hit {
	struct slo		*v;
	size_t			 n;
	const struct prom_rule	*rule;
	enum slo_alert		 level;
	bool			 pyrra;
	struct slo_cond		(*conds)[SLO_MAX_CONDS];	/* Sloth's, read */
	size_t			*nconds;
	struct sbuf		*notes;		/* per record */
	bool			*seen;
	const struct prom_rule	**last;	/* per record: the last rule */
};

static const char *
rule_state_name(enum prom_rule_state st)
{
	return (st == PROM_RULE_FIRING ? "firing" : st == PROM_RULE_PENDING ?
	    "pending" : "inactive");
}

/* One rule matched to the record named id: its state joins the record's. */
static void
rule_hit_one(const char *id, void *arg)
{
	struct rule_hit		*h = arg;
	struct slo		*s;
	size_t			 i;
	char			 buf[32];

	if ((s = slo_by_name(h->v, h->n, id)) == NULL)
		return;
	i = (size_t)(s - h->v);
	if (h->last[i] == h->rule)
		return;		/* the same rule names it again */
	h->last[i] = h->rule;
	if (!h->seen[i]) {
		h->seen[i] = true;
		s->alert = s->pending = SLO_ALERT_NONE;
	}
	if (!h->pyrra)
		h->nconds[i] += sloth_rule_conds(h->rule->query, h->level,
		    h->conds[i] + h->nconds[i], SLO_MAX_CONDS - h->nconds[i]);
	if (h->rule->state == PROM_RULE_FIRING)
		s->alert = level_max(s->alert, h->level);
	else if (h->rule->state == PROM_RULE_PENDING)
		s->pending = level_max(s->pending, h->level);
	sbuf_addf(&h->notes[i], "%s%s (%s", h->notes[i].len > 0 ? "; " : "",
	    h->rule->name, slo_alert_name(h->level));
	if (h->rule->for_s > 0) {
		slo_window_format(buf, sizeof buf, h->rule->for_s);
		sbuf_addf(&h->notes[i], ", for %s", buf);
	}
	sbuf_addf(&h->notes[i], ") %s", rule_state_name(h->rule->state));
}

/* A Pyrra burn-rate rule: its condition's for: and state. */
static void
pyrra_rule_cond(struct slo *s, const struct prom_rule *r, enum slo_alert *lvl)
{
	long	sh = window_seconds_of(kvlist_get(&r->labels, "short"));
	long	lo = window_seconds_of(kvlist_get(&r->labels, "long"));
	size_t	i;

	for (i = 0; i < s->nconds; i++) {
		if (s->conds[i].short_s == sh && s->conds[i].long_s == lo) {
			s->conds[i].for_s = r->for_s;
			*lvl = s->conds[i].level;
			return;
		}
	}
}

void
prom_apply_rules(struct slo *v, size_t n, bool pyrra,
    const struct prom_rules *rules)
{
	struct rule_hit	 h = { .v = v, .n = n };
	const char	*sev, *id;
	struct slo	*s;
	size_t		 i;

	if (rules == NULL || n == 0)
		return;
	h.notes = xcalloc(n, sizeof *h.notes);
	h.seen = xcalloc(n, sizeof *h.seen);
	h.last = xcalloc(n, sizeof *h.last);
	h.conds = xcalloc(n, sizeof *h.conds);
	h.nconds = xcalloc(n, sizeof *h.nconds);
	h.pyrra = pyrra;
	for (i = 0; i < n; i++)
		sbuf_init(&h.notes[i]);
	for (i = 0; i < rules->n; i++) {
		h.rule = &rules->v[i];
		if (pyrra) {
			id = kvlist_get(&h.rule->labels, "slo");
			sev = kvlist_get(&h.rule->labels, "severity");
			if (id == NULL || kvlist_get(&h.rule->labels,
			    "short") == NULL || kvlist_get(&h.rule->labels,
			    "long") == NULL)
				continue;
			h.level = sev != NULL && strcmp(sev, "warning") == 0 ?
			    SLO_ALERT_TICKET : SLO_ALERT_PAGE;
			if ((s = slo_by_name(v, n, id)) != NULL)
				pyrra_rule_cond(s, h.rule, &h.level);
			rule_hit_one(id, &h);
		} else {
			sev = kvlist_get(&h.rule->labels, "sloth_severity");
			if (sev == NULL || (strcmp(sev, "page") != 0 &&
			    strcmp(sev, "ticket") != 0))
				continue;
			h.level = strcmp(sev, "page") == 0 ? SLO_ALERT_PAGE :
			    SLO_ALERT_TICKET;
			sloth_rule_ids(h.rule, rule_hit_one, &h);
		}
	}
	for (i = 0; i < n; i++) {
		if (h.nconds[i] > 0) {
			/* The conditions as Sloth's own rules write them. */
			memcpy(v[i].conds, h.conds[i], h.nconds[i] *
			    sizeof v[i].conds[0]);
			v[i].nconds = h.nconds[i];
			slo_conds_place(&v[i]);
		}
		if (h.seen[i]) {
			v[i].verdict = SLO_VERDICT_RULES;
			if (v[i].pending <= v[i].alert)
				v[i].pending = SLO_ALERT_NONE;
			free(v[i].verdict_note);
			v[i].verdict_note = xasprintf("the state of %s's "
			    "alerting rules in Prometheus: %s", pyrra ?
			    "Pyrra" : "Sloth", h.notes[i].s);
			slo_evaluate(&v[i]);
		}
		sbuf_free(&h.notes[i]);
	}
	free(h.notes);
	free(h.seen);
	free(h.last);
	free(h.conds);
	free(h.nconds);
}

/* --- the report's history ------------------------------------------------ */

const char promql_sloth_budget[] = "slo:period_error_budget_remaining:ratio";
const char promql_pyrra_budget[] = "pyrra_availability{slo!=\"\"}";
const char promql_alerts_history[] = "ALERTS{alertstate=\"firing\"}";

/* The record a budget series belongs to, and its budget left, or NULL. */
static struct slo *
history_owner(struct slo *v, size_t n, enum prom_gen gen,
    const struct prom_series *ps)
{
	const char	*name = label(ps, "__name__");
	char		*key;
	struct slo	*s;

	switch (gen) {
	case PROM_GEN_DECLARED:
		if ((name = label(ps, PROM_SLO_LABEL)) == NULL)
			return (NULL);
		return (slo_by_name(v, n, name));
	case PROM_GEN_SLOTH:
		if (name == NULL || strcmp(name, promql_sloth_budget) != 0 ||
		    (key = sloth_key(ps)) == NULL)
			return (NULL);
		break;
	case PROM_GEN_PYRRA:
	default:
		if (name == NULL || strcmp(name, "pyrra_availability") != 0 ||
		    (key = pyrra_key(ps)) == NULL)
			return (NULL);
		break;
	}
	s = slo_by_name(v, n, key);
	free(key);
	return (s);
}

/* The budget left a value stands for, bounded, or NAN. */
static double
history_budget(const struct slo *s, enum prom_gen gen, double v)
{
	double	b;

	if (!isfinite(v))
		return (NAN);
	switch (gen) {
	case PROM_GEN_DECLARED:
		b = 1.0 - slo_burn(v, s->objective);
		break;
	case PROM_GEN_SLOTH:
		b = v;
		break;
	case PROM_GEN_PYRRA:
	default:
		b = 1.0 - slo_burn(1.0 - v, s->objective);
		break;
	}
	if (isnan(b))
		return (NAN);
	return (b < -1e6 ? -1e6 : b > 1 ? 1 : b);
}

void
prom_history_fold(struct slo *v, size_t n, enum prom_gen gen,
    const struct prom_spark *burn, const struct prom_spark *budget)
{
	struct slo_history	*h;
	struct slo		*s;
	double			 pos;
	size_t			 i, j, k;

	for (i = 0; i < n; i++) {
		h = xcalloc(1, sizeof *h);
		h->start = burn->start;
		h->step = burn->step;
		h->burn = v[i].spark;
		h->n = v[i].spark != NULL ? v[i].nspark : 0;
		v[i].spark = NULL;
		v[i].nspark = 0;
		h->bstart = budget->start;
		h->bstep = budget->step;
		h->nbudget = budget->n;
		h->budget = xcalloc(budget->n + 1, sizeof *h->budget);
		for (j = 0; j < budget->n; j++)
			h->budget[j] = NAN;
		slo_history_free(v[i].history);
		v[i].history = h;
	}
	for (i = 0; budget->r != NULL && budget->step > 0 &&
	    i < budget->r->n; i++) {
		const struct prom_series *ps = &budget->r->series[i];

		if ((s = history_owner(v, n, gen, ps)) == NULL)
			continue;
		h = s->history;
		for (k = 0; k < ps->n; k++) {
			pos = (ps->t[k] - budget->start) / budget->step;
			if (!(pos > -0.5 && pos < (double)budget->n - 0.5))
				continue;
			j = (size_t)(pos + 0.5);
			/* Several series: the least budget left. */
			pos = history_budget(s, gen, ps->v[k]);
			if (!isnan(pos) && (isnan(h->budget[j]) ||
			    pos < h->budget[j]))
				h->budget[j] = pos;
		}
	}
}

size_t
prom_alert_intervals(const struct prom_result *r, double step,
    struct prom_interval **out)
{
	struct prom_interval	*v = NULL, iv;
	const char		*svc;
	size_t			 i, k, n = 0;
	bool			 have;

	*out = NULL;
	if (r == NULL || r->kind != PROM_MATRIX || !(step > 0))
		return (0);
	for (i = 0; i < r->n; i++) {
		const struct prom_series *ps = &r->series[i];

		iv.name = label(ps, "alertname");
		if ((svc = label(ps, "service")) == NULL &&
		    (svc = label(ps, "sloth_service")) == NULL)
			svc = label(ps, "job");
		iv.service = svc;
		iv.severity = label(ps, "severity");
		have = false;
		for (k = 0; k < ps->n; k++) {
			if (!isfinite(ps->t[k]))
				continue;
			/* A gap, or a time out of order (a hostile
			 * answer): a new interval, never one that ends
			 * before it starts. */
			if (!have || ps->t[k] - iv.end > 1.5 * step ||
			    ps->t[k] < iv.end) {
				if (have) {
					v = xreallocarray(v, n + 1, sizeof *v);
					v[n++] = iv;
				}
				iv.start = ps->t[k];
			}
			iv.end = ps->t[k];
			have = true;
		}
		if (have) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = iv;
		}
	}
	*out = v;
	return (n);
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* A sloth_id as a regular expression matching only itself. */
static void
regex_quote(struct sbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr(".+*?()|[]{}^$\\", *s) != NULL)
			sbuf_add(sb, "\\", 1);
		sbuf_add(sb, s, 1);
	}
}

char **
promql_sloth_chunks(const struct prom_result *r, const char *metric,
    size_t per, size_t *n)
{
	const char	**ids;
	char		**out = NULL, *q;
	struct sbuf	  sb;
	size_t		  i, k = 0, nids = 0;

	*n = 0;
	if (r == NULL || per == 0)
		return (NULL);
	ids = xcalloc(r->n + 1, sizeof *ids);
	for (i = 0; i < r->n; i++) {
		const char *id = label(&r->series[i], "sloth_id");

		if (id == NULL || *id == '\0') {
			free(ids);
			return (NULL);
		}
		ids[nids++] = id;
	}
	qsort(ids, nids, sizeof *ids, str_ptr_cmp);
	sbuf_init(&sb);
	for (i = 0; i <= nids; i++) {
		if (i < nids && i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
			continue;
		if (i < nids) {
			if (sb.len > 0)
				sbuf_adds(&sb, "|");
			regex_quote(&sb, ids[i]);
			k++;
		}
		if ((k == per || i == nids) && sb.len > 0) {
			q = promql_string(sb.s);
			out = xreallocarray(out, *n + 1, sizeof *out);
			out[(*n)++] = xasprintf("%s{sloth_id=~%s}", metric, q);
			free(q);
			sbuf_free(&sb);
			sbuf_init(&sb);
			k = 0;
		}
	}
	sbuf_free(&sb);
	free(ids);
	return (out);
}
