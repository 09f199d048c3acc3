/* model.c: the vendor-neutral store. Backends replace the records of their
 * own source in one call; the store keeps each list sorted the way the panes
 * show it and bumps a generation so that panes know to repaint. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/model.h"
#include "core/loghist.h"
#include "core/logmix.h"
#include "core/worker.h"
#include "core/xalloc.h"

/* Freeing this many replaced alerts takes milliseconds (100,000: about
 * 50 ms): more go to a worker thread. */
#define MODEL_FREE_AWAY	2000

struct alert_batch {
	struct alert	*v;
	size_t		 n;
};

const char *const slo_window_names[W__COUNT] = {
	"5m", "30m", "1h", "2h", "6h", "1d", "3d"
};
const int slo_window_seconds[W__COUNT] = {
	300, 1800, 3600, 7200, 21600, 86400, 259200
};

static const char *const severity_names[SEV__COUNT] = {
	"critical", "error", "warning", "info", "unknown"
};

const char *
severity_name(enum severity s)
{
	return (s < SEV__COUNT ? severity_names[s] : "unknown");
}

enum severity
severity_parse(const char *s)
{
	static const struct {
		const char	*name;
		enum severity	 sev;
	} map[] = {
		{ "critical", SEV_CRITICAL }, { "crit", SEV_CRITICAL },
		{ "page", SEV_CRITICAL }, { "p1", SEV_CRITICAL },
		{ "sev1", SEV_CRITICAL }, { "fatal", SEV_CRITICAL },
		{ "high", SEV_ERROR }, { "error", SEV_ERROR },
		{ "err", SEV_ERROR }, { "major", SEV_ERROR }, { "p2", SEV_ERROR },
		{ "sev2", SEV_ERROR },
		{ "warning", SEV_WARNING }, { "warn", SEV_WARNING },
		{ "low", SEV_WARNING }, { "minor", SEV_WARNING },
		{ "ticket", SEV_WARNING }, { "p3", SEV_WARNING },
		{ "sev3", SEV_WARNING },
		{ "info", SEV_INFO }, { "informational", SEV_INFO },
		{ "none", SEV_INFO }, { "p4", SEV_INFO }, { "p5", SEV_INFO },
	};
	size_t	i;

	if (s == NULL)
		return (SEV_UNKNOWN);
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(s, map[i].name) == 0)
			return (map[i].sev);
	}
	return (SEV_UNKNOWN);
}

static enum severity unknown_after = SEV_UNKNOWN_AFTER_DEFAULT;

void
severity_set_unknown_after(enum severity after)
{
	if (after < SEV_UNKNOWN)
		unknown_after = after;
}

int
severity_rank_with(enum severity s, enum severity after)
{
	if (after >= SEV_UNKNOWN)
		after = SEV_UNKNOWN_AFTER_DEFAULT;
	if (s >= SEV_UNKNOWN)
		return (2 * (int)after + 1);
	return (2 * (int)s);
}

int
severity_rank(enum severity s)
{
	return (severity_rank_with(s, unknown_after));
}

void
severity_order(enum severity out[SEV__COUNT])
{
	int	i, n = 0;

	for (i = 0; i < SEV_UNKNOWN; i++) {
		out[n++] = (enum severity)i;
		if (i == (int)unknown_after)
			out[n++] = SEV_UNKNOWN;
	}
}

const char *
alert_status_name(enum alert_status s)
{
	switch (s) {
	case ALERT_TRIGGERED:
		return ("triggered");
	case ALERT_ACKNOWLEDGED:
		return ("acknowledged");
	case ALERT_SILENCED:
		return ("silenced");
	case ALERT_RESOLVED:
		return ("resolved");
	}
	return ("unknown");
}

const char *
slo_alert_name(enum slo_alert a)
{
	switch (a) {
	case SLO_ALERT_PAGE:
		return ("page");
	case SLO_ALERT_TICKET:
		return ("ticket");
	case SLO_ALERT_NONE:
		break;
	}
	return (NULL);
}

void
alert_free(struct alert *a)
{
	free(a->source);
	free(a->id);
	free(a->service);
	free(a->title);
	free(a->url);
	free(a->runbook_url);
	free(a->dashboard_url);
	free(a->description);
	free(a->assignees);
	free(a->suspect);
	kvlist_free(&a->labels);
	kvlist_free(&a->annotations);
	kvlist_free(&a->details);
	free(a->environment);
	memset(a, 0, sizeof *a);
}

void
slo_free(struct slo *s)
{
	free(s->source);
	free(s->name);
	free(s->service);
	free(s->condition);
	free(s->spark);
	free(s->query);
	free(s->suspect);
	free(s->verdict_note);
	free(s->nodata);
	slo_history_free(s->history);
	kvlist_free(&s->labels);
	free(s->environment);
	memset(s, 0, sizeof *s);
}

void
slo_history_free(struct slo_history *h)
{
	if (h == NULL)
		return;
	free(h->burn);
	free(h->budget);
	free(h);
}

void
deploy_free(struct deploy *d)
{
	free(d->source);
	free(d->id);
	free(d->service);
	free(d->version);
	free(d->revision);
	free(d->previous_revision);
	free(d->author);
	free(d->url);
	free(d->environment);
	free(d->summary);
	memset(d, 0, sizeof *d);
}

void
model_init(struct model *m, const char *environment)
{
	memset(m, 0, sizeof *m);
	m->environment = xstrdup(environment != NULL ? environment : "");
	m->suspect_window = 3600;
	ring_init(&m->logs, 100000, 64 << 20);
	logmix_init(&m->log_mix, MODEL_LOG_MAX_LAG);
	logmix_set_caps(&m->log_mix, 100000, 64 << 20);
	loghist_init(&m->log_hist);
}

void
model_free(struct model *m)
{
	size_t	i, j;

	for (i = 0; i < m->nalerts; i++)
		alert_free(&m->alerts[i]);
	free(m->alerts);
	for (i = 0; i < m->nslos; i++)
		slo_free(&m->slos[i]);
	free(m->slos);
	for (i = 0; i < m->ndeploys; i++)
		deploy_free(&m->deploys[i]);
	free(m->deploys);
	for (i = 0; i < m->nhidden_alerts; i++)
		alert_free(&m->hidden_alerts[i]);
	free(m->hidden_alerts);
	for (i = 0; i < m->nhidden_slos; i++)
		slo_free(&m->hidden_slos[i]);
	free(m->hidden_slos);
	for (i = 0; i < m->nhidden_deploys; i++)
		deploy_free(&m->hidden_deploys[i]);
	free(m->hidden_deploys);
	free(m->shown_env);
	kvlist_free(&m->env_marks);
	for (i = 0; i < m->nsources; i++) {
		free(m->sources[i].name);
		free(m->sources[i].environment);
		free(m->sources[i].kind);
		free(m->sources[i].error);
		free(m->sources[i].warning);
		free(m->sources[i].replicas_down);
		for (j = 0; j < FEED__COUNT; j++)
			free(m->sources[i].notes[j].reason);
	}
	free(m->sources);
	ring_free(&m->logs);
	logmix_free(&m->log_mix);
	loghist_free(&m->log_hist);
	free(m->log_query);
	free(m->log.service);
	free(m->log.template);
	free(m->log.status);
	free(m->environment);
	memset(m, 0, sizeof *m);
}

static void
model_changed(struct model *m)
{
	if (m->on_change != NULL)
		m->on_change(m->on_change_arg);
}

int
model_alert_cmp(const void *va, const void *vb)
{
	const struct alert	*a = va, *b = vb;
	int			 c;

	if (a->severity != b->severity)
		return (severity_rank(a->severity) <
		    severity_rank(b->severity) ? -1 : 1);
	if ((a->status == ALERT_TRIGGERED) != (b->status == ALERT_TRIGGERED))
		return (a->status == ALERT_TRIGGERED ? -1 : 1);
	if (a->started_at != b->started_at)
		return (a->started_at < b->started_at ? -1 : 1);
	if ((c = strcmp(a->source, b->source)) != 0)
		return (c);
	return (strcmp(a->id, b->id));
}

static bool
alerts_sorted(const struct alert *v, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (model_alert_cmp(&v[i - 1], &v[i]) > 0)
			return (false);
	}
	return (true);
}

/* Worst first: paging, then ticket, then pending (a rule whose for: runs),
 * then by the highest short burn; SLOs with no data last. */
static double
slo_urgency(const struct slo *s)
{
	double	b = s->burn[W_1H];

	if (isnan(b))
		b = s->burn[W_5M];
	return (isnan(b) ? -1.0 : b);
}

static int
slo_cmp(const void *va, const void *vb)
{
	const struct slo	*a = va, *b = vb;
	double			 ua, ub;

	if (a->alert != b->alert)
		return (a->alert > b->alert ? -1 : 1);
	if (a->pending != b->pending)	/* about to page or ticket */
		return (a->pending > b->pending ? -1 : 1);
	ua = slo_urgency(a);
	ub = slo_urgency(b);
	if (ua != ub)
		return (ua > ub ? -1 : 1);
	if (!isnan(a->budget_remaining) && !isnan(b->budget_remaining) &&
	    a->budget_remaining != b->budget_remaining)
		return (a->budget_remaining < b->budget_remaining ? -1 : 1);
	return (strcmp(a->name, b->name));
}

static int
deploy_cmp(const void *va, const void *vb)
{
	const struct deploy	*a = va, *b = vb;

	if (a->at != b->at)
		return (a->at > b->at ? -1 : 1);
	return (strcmp(a->id != NULL ? a->id : "", b->id != NULL ? b->id : ""));
}

/*
 * Remove the records of one source from an array and append the new ones.
 * The macro keeps the three record types on one code path.
 */
#define MODEL_REPLACE(m, arr, n, type, freefn, source, v, nv) do {	\
	size_t	 i_, j_ = 0;						\
									\
	for (i_ = 0; i_ < (n); i_++) {					\
		if (strcmp((arr)[i_].source, (source)) == 0)		\
			freefn(&(arr)[i_]);				\
		else							\
			(arr)[j_++] = (arr)[i_];			\
	}								\
	(arr) = xreallocarray((arr), j_ + (nv), sizeof(type));		\
	for (i_ = 0; i_ < (nv); i_++) {					\
		xstrset(&(v)[i_].source, (source));			\
		(arr)[j_ + i_] = (v)[i_];				\
	}								\
	(n) = j_ + (nv);						\
	free(v);							\
} while (0)

/* Free the records of one source in an array, keeping the others in
 * order. */
#define MODEL_REPLACE_KEEP(arr, n, freefn, source) do {			\
	size_t	 i_, j_ = 0;						\
									\
	for (i_ = 0; i_ < (n); i_++) {					\
		if (strcmp((arr)[i_].source, (source)) == 0)		\
			freefn(&(arr)[i_]);				\
		else							\
			(arr)[j_++] = (arr)[i_];			\
	}								\
	(n) = j_;							\
} while (0)

/* Move nv records (owned) to the end of an array; v itself is not freed. */
#define MODEL_APPEND(arr, n, type, v, nv) do {				\
	(arr) = xreallocarray((arr), (n) + (nv) + 1, sizeof(type));	\
	if ((nv) > 0)							\
		memcpy((arr) + (n), (v), (nv) * sizeof(type));		\
	(n) += (nv);							\
} while (0)

const char *
model_source_env(const struct model *m, const char *source)
{
	size_t	i;

	for (i = 0; i < m->nsources; i++) {
		if (strcmp(m->sources[i].name, source) == 0 &&
		    m->sources[i].environment != NULL)
			return (m->sources[i].environment);
	}
	return (m->environment);
}

static bool
env_shown(const struct model *m, const char *env)
{
	return (m->shown_env == NULL || (env != NULL &&
	    strcmp(env, m->shown_env) == 0));
}

void
model_prepare_alerts(struct alert *v, size_t n, const char *source)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].source == NULL || strcmp(v[i].source, source) != 0)
			xstrset(&v[i].source, source);
	}
	if (!alerts_sorted(v, n))
		qsort(v, n, sizeof *v, model_alert_cmp);
}

/* On a worker thread: the replaced records, freed off the loop. */
static void
alerts_free_run(void *ctx)
{
	struct alert_batch	*b = ctx;
	size_t			 i;

	for (i = 0; i < b->n; i++)
		alert_free(&b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

static void
alerts_free_done(void *ctx)
{
}

/* Also when the job was dropped at exit without running. */
static void
alerts_free_release(void *ctx)
{
	alerts_free_run(ctx);
	free(ctx);
}

static void
alerts_discard(struct alert *v, size_t n)
{
	struct alert_batch	*b;
	size_t			 i;

	if (n < MODEL_FREE_AWAY) {
		for (i = 0; i < n; i++)
			alert_free(&v[i]);
		free(v);
		return;
	}
	b = xcalloc(1, sizeof *b);
	b->v = v;
	b->n = n;
	worker_submit(alerts_free_run, alerts_free_done, alerts_free_release,
	    b);
}

/* The other sources' records (sorted, as the model keeps them) and the new
 * ones (sorted) into one sorted array: linear, not a sort of everything,
 * and in place, from the back, so that no second array is touched. */
void
model_set_alerts(struct model *m, const char *source, struct alert *v,
    size_t n)
{
	struct alert	*old;
	size_t		 i, j, k, nkept = 0, nold = 0;
	const char	*env = model_source_env(m, source);

	model_prepare_alerts(v, n, source);
	for (i = 0; i < n; i++)
		xstrset(&v[i].environment, env);
	/* Another environment's: replaced among the hidden ones. */
	MODEL_REPLACE_KEEP(m->hidden_alerts, m->nhidden_alerts, alert_free,
	    source);
	if (!env_shown(m, env)) {
		MODEL_APPEND(m->hidden_alerts, m->nhidden_alerts, struct alert,
		    v, n);
		free(v);
		v = NULL;
		n = 0;
	}
	for (i = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].source, source) == 0)
			nold++;
	}
	old = xreallocarray(NULL, nold + 1, sizeof *old);
	for (i = 0, nold = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].source, source) == 0)
			old[nold++] = m->alerts[i];
		else
			m->alerts[nkept++] = m->alerts[i];
	}
	m->alerts = xreallocarray(m->alerts, nkept + n + 1, sizeof *m->alerts);
	for (i = nkept, j = n, k = nkept + n; j > 0; ) {
		if (i > 0 && model_alert_cmp(&m->alerts[i - 1], &v[j - 1]) > 0)
			m->alerts[--k] = m->alerts[--i];
		else
			m->alerts[--k] = v[--j];
	}
	free(v);
	m->nalerts = nkept + n;
	alerts_discard(old, nold);
	m->gen_alerts++;
	model_mark_suspects(m, m->suspect_window);
	model_changed(m);
}

void
model_set_slos(struct model *m, const char *source, struct slo *v, size_t n)
{
	const char	*env = model_source_env(m, source);
	size_t		 i;

	for (i = 0; i < n; i++)
		xstrset(&v[i].environment, env);
	MODEL_REPLACE_KEEP(m->hidden_slos, m->nhidden_slos, slo_free, source);
	if (!env_shown(m, env)) {
		MODEL_REPLACE_KEEP(m->slos, m->nslos, slo_free, source);
		for (i = 0; i < n; i++)
			xstrset(&v[i].source, source);
		MODEL_APPEND(m->hidden_slos, m->nhidden_slos, struct slo, v,
		    n);
		free(v);
		v = xcalloc(1, sizeof *v);
		n = 0;
	}
	MODEL_REPLACE(m, m->slos, m->nslos, struct slo, slo_free, source, v, n);
	qsort(m->slos, m->nslos, sizeof *m->slos, slo_cmp);
	m->gen_slos++;
	model_mark_suspects(m, m->suspect_window);
	model_changed(m);
}

/* A deploy's environment: its own, else its source's. */
static const char *
deploy_env(const struct deploy *d)
{
	return (d->environment);
}

void
model_set_deploys(struct model *m, const char *source, struct deploy *v,
    size_t n)
{
	const char	*env = model_source_env(m, source);
	struct deploy	*shown;
	size_t		 i, ns = 0;

	shown = xreallocarray(NULL, n + 1, sizeof *shown);
	MODEL_REPLACE_KEEP(m->hidden_deploys, m->nhidden_deploys, deploy_free,
	    source);
	for (i = 0; i < n; i++) {
		if (v[i].environment == NULL || *v[i].environment == '\0')
			xstrset(&v[i].environment, env);
		xstrset(&v[i].source, source);
		if (env_shown(m, deploy_env(&v[i])))
			shown[ns++] = v[i];
		else
			MODEL_APPEND(m->hidden_deploys, m->nhidden_deploys,
			    struct deploy, &v[i], 1);
	}
	free(v);
	MODEL_REPLACE(m, m->deploys, m->ndeploys, struct deploy, deploy_free,
	    source, shown, ns);
	qsort(m->deploys, m->ndeploys, sizeof *m->deploys, deploy_cmp);
	m->gen_deploys++;
	model_mark_suspects(m, m->suspect_window);
	model_changed(m);
}

void
model_log_append(struct model *m, size_t source, int64_t ts,
    const char *labels, const char *text, size_t len)
{
	ring_push_flags(&m->logs, ts, labels, text, len,
	    model_log_from(m, source));
	m->gen_logs++;
	model_changed(m);
}

void
model_log_offer(struct model *m, size_t source, int64_t ts,
    const char *labels, const char *text, size_t len)
{
	logmix_offer(&m->log_mix, &m->logs, source, ts, labels, text, len,
	    model_log_from(m, source));
}

void
model_log_horizon(struct model *m, size_t source, int64_t horizon,
    int64_t now)
{
	logmix_horizon(&m->log_mix, &m->logs, source, horizon, now);
}

void
model_log_leave(struct model *m, size_t source, int64_t now)
{
	logmix_leave(&m->log_mix, &m->logs, source, now);
}

void
model_log_caps(struct model *m, size_t lines, size_t bytes)
{
	/* Several Lokis share the ring: the largest caps given. */
	if (m->log_caps_set) {
		if (lines < m->logs.max_lines)
			lines = m->logs.max_lines;
		if (bytes < m->logs.max_bytes)
			bytes = m->logs.max_bytes;
	}
	m->log_caps_set = true;
	ring_set_caps(&m->logs, lines, bytes);
	logmix_set_caps(&m->log_mix, lines, bytes);
}

void
model_logs_changed(struct model *m)
{
	m->gen_logs++;
	model_changed(m);
}

void
model_log_mark(struct model *m, size_t source, int64_t ts,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	ring_push_flags(&m->logs, ts, "sitrep", text, strlen(text),
	    LOG_LINE_MARK | model_log_from(m, source));
	free(text);
	model_logs_changed(m);
}

unsigned
model_log_from(struct model *m, size_t source)
{
	size_t	k;

	for (k = 0; k < m->nlog_src; k++) {
		if (m->log_src[k] == source)
			return (LOG_LINE_FROM(k + 1));
	}
	if (m->nlog_src == MODEL_LOG_SOURCES)
		return (0);	/* more Lokis than that: lines say none */
	m->log_src[m->nlog_src++] = source;
	return (LOG_LINE_FROM(m->nlog_src));
}

/* The pane follows something else (a service, a query, an environment):
 * every log source starts again, and what was lost of the old target is
 * no longer the pane's to say. */
static void
model_log_retarget(struct model *m)
{
	m->log.gen_target++;
	m->logs.evicted = 0;
	m->log.skipped = m->log.gaps = m->log.reported = 0;
	m->log.outside = 0;
}

bool
model_log_history_from(const struct model *m, size_t source)
{
	size_t	i, first = SIZE_MAX;

	for (i = 0; i < m->nsources; i++) {
		if (!(m->sources[i].feeds & FEED_BIT(FEED_LOGS)) ||
		    !model_source_shown(m, i))
			continue;
		if (first == SIZE_MAX)
			first = i;
		if (!m->sources[i].fetched || m->sources[i].ok)
			return (i == source);
	}
	return (first == source);
}

/* How many sources feed the log ring. */
static size_t
model_log_sources(const struct model *m)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nsources; i++) {
		if (m->sources[i].feeds & FEED_BIT(FEED_LOGS))
			n++;
	}
	return (n);
}

void
model_log_reset(struct model *m, size_t source)
{
	if (model_log_sources(m) > 1) {
		/* The others' lines stay; so do the counts, which are all
		 * the sources'. */
		ring_drop_from(&m->logs, model_log_from(m, source) >> 8);
		logmix_drop(&m->log_mix, source);
		model_logs_changed(m);
		return;
	}
	ring_clear(&m->logs);
	logmix_drop(&m->log_mix, source);
	m->logs.evicted = 0;
	m->log.skipped = m->log.gaps = m->log.reported = 0;
	m->log.outside = 0;
	model_logs_changed(m);
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

void
model_set_log_service(struct model *m, const char *service, time_t anchor)
{
	m->log.anchor = anchor;
	if (same_str(m->log.service, service))
		return;
	xstrset(&m->log.service, service);
	model_log_retarget(m);
	model_changed(m);
}

void
model_set_log_template(struct model *m, const char *template)
{
	if (same_str(m->log.template, template))
		return;
	xstrset(&m->log.template, template);
	model_log_retarget(m);
	model_changed(m);
}

uint64_t
model_logs_dropped(const struct model *m)
{
	return (m->log.skipped + m->log.reported + m->log.outside);
}

size_t
model_add_source(struct model *m, const char *name, const char *kind,
    unsigned feeds)
{
	struct source_health	*h;

	m->sources = xreallocarray(m->sources, m->nsources + 1,
	    sizeof *m->sources);
	h = &m->sources[m->nsources];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name);
	h->kind = xstrdup(kind);
	h->feeds = feeds;
	m->gen_sources++;
	return (m->nsources++);
}

void
model_source_environment(struct model *m, size_t i, const char *env)
{
	const char	**v;
	size_t		  n;

	xstrset(&m->sources[i].environment, env != NULL && *env != '\0' ?
	    env : m->environment);
	v = model_environments(m, &n);
	free(v);
	m->several_envs = n > 1;
	m->gen_sources++;
}

const char **
model_environments(const struct model *m, size_t *n)
{
	const char	**v;
	const char	 *e;
	size_t		  i, j;

	v = xreallocarray(NULL, m->nsources + 1, sizeof *v);
	*n = 0;
	for (i = 0; i < m->nsources; i++) {
		e = m->sources[i].environment != NULL ?
		    m->sources[i].environment : m->environment;
		for (j = 0; j < *n; j++) {
			if (strcmp(v[j], e) == 0)
				break;
		}
		if (j == *n)
			v[(*n)++] = e;
	}
	return (v);
}

/* Split every record of one kind between shown and hidden again. */
#define MODEL_REPARTITION(m, arr, n, hid, nh, type, envf) do {		\
	type	*all_;							\
	size_t	 i_, na_ = (n) + (nh);					\
									\
	all_ = xreallocarray(NULL, na_ + 1, sizeof(type));		\
	if ((n) > 0)							\
		memcpy(all_, (arr), (n) * sizeof(type));		\
	if ((nh) > 0)							\
		memcpy(all_ + (n), (hid), (nh) * sizeof(type));		\
	(n) = (nh) = 0;							\
	(arr) = xreallocarray((arr), na_ + 1, sizeof(type));		\
	(hid) = xreallocarray((hid), na_ + 1, sizeof(type));		\
	for (i_ = 0; i_ < na_; i_++) {					\
		if (env_shown((m), envf(&all_[i_])))			\
			(arr)[(n)++] = all_[i_];			\
		else							\
			(hid)[(nh)++] = all_[i_];			\
	}								\
	free(all_);							\
} while (0)

static const char *
alert_env(const struct alert *a)
{
	return (a->environment);
}

static const char *
slo_env(const struct slo *s)
{
	return (s->environment);
}

const char *
model_line_environment(const struct model *m, const struct log_line *l)
{
	const char	*env = NULL;

	if (l->from > 0 && l->from <= m->nlog_src)
		env = m->sources[m->log_src[l->from - 1]].environment;
	return (env != NULL ? env : m->environment);
}

bool
model_source_shown(const struct model *m, size_t i)
{
	return (i >= m->nsources || env_shown(m, m->sources[i].environment));
}

void
model_show_environment(struct model *m, const char *env)
{
	size_t	k;

	xstrset(&m->shown_env, env);
	/* The log sources follow: the lines of each hidden one go now (its
	 * in-flight answer is dropped when it comes), and it waits; each
	 * shown again loads its history (backends/loki.c). */
	model_log_retarget(m);
	for (k = 0; k < m->nlog_src; k++) {
		if (model_source_shown(m, m->log_src[k]))
			continue;
		ring_drop_from(&m->logs, k + 1);
		logmix_drop(&m->log_mix, m->log_src[k]);
	}
	m->gen_logs++;
	if (m->log_hist.active)
		loghist_close(&m->log_hist);
	MODEL_REPARTITION(m, m->alerts, m->nalerts, m->hidden_alerts,
	    m->nhidden_alerts, struct alert, alert_env);
	qsort(m->alerts, m->nalerts, sizeof *m->alerts, model_alert_cmp);
	MODEL_REPARTITION(m, m->slos, m->nslos, m->hidden_slos,
	    m->nhidden_slos, struct slo, slo_env);
	qsort(m->slos, m->nslos, sizeof *m->slos, slo_cmp);
	MODEL_REPARTITION(m, m->deploys, m->ndeploys, m->hidden_deploys,
	    m->nhidden_deploys, struct deploy, deploy_env);
	qsort(m->deploys, m->ndeploys, sizeof *m->deploys, deploy_cmp);
	m->gen_alerts++;
	m->gen_slos++;
	m->gen_deploys++;
	m->gen_sources++;
	model_mark_suspects(m, m->suspect_window);
	model_changed(m);
}

const char *
model_env_tag(const struct model *m, const char *env)
{
	return (m->several_envs && m->shown_env == NULL && env != NULL &&
	    *env != '\0' ? env : NULL);
}

static bool
alert_firing(const struct alert *a)
{
	return (a->status != ALERT_RESOLVED && a->status != ALERT_SILENCED);
}

size_t
model_env_firing(const struct model *m, const char *env)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nalerts; i++) {
		if (alert_firing(&m->alerts[i]) && m->alerts[i].environment &&
		    strcmp(m->alerts[i].environment, env) == 0)
			n++;
	}
	for (i = 0; i < m->nhidden_alerts; i++) {
		if (alert_firing(&m->hidden_alerts[i]) &&
		    m->hidden_alerts[i].environment != NULL &&
		    strcmp(m->hidden_alerts[i].environment, env) == 0)
			n++;
	}
	return (n);
}

void
model_source_ok(struct model *m, size_t i, time_t now)
{
	struct source_health	*h = &m->sources[i];

	h->fetched = 1;
	h->ok = 1;
	h->idle = 0;
	h->last_ok = now;
	xstrset(&h->error, NULL);
	m->gen_sources++;
	model_changed(m);
}

void
model_source_fail(struct model *m, size_t i, time_t now, const char *why)
{
	struct source_health	*h = &m->sources[i];

	h->fetched = 1;
	h->ok = 0;
	h->idle = 0;
	h->last_error = now;
	xstrset(&h->error, why);
	m->gen_sources++;
	model_changed(m);
}

void
model_source_idle(struct model *m, size_t i)
{
	if (m->sources[i].idle)
		return;
	m->sources[i].idle = 1;
	m->gen_sources++;
	model_changed(m);
}

void
model_source_warn(struct model *m, size_t i, const char *warning)
{
	xstrset(&m->sources[i].warning, warning);
	m->gen_sources++;
	model_changed(m);
}

void
model_source_replicas_down(struct model *m, size_t i, const char *names)
{
	if ((m->sources[i].replicas_down == NULL) == (names == NULL) &&
	    (names == NULL || strcmp(names, m->sources[i].replicas_down) == 0))
		return;
	xstrset(&m->sources[i].replicas_down, names);
	m->gen_sources++;
	model_changed(m);
}

void
model_source_note(struct model *m, size_t i, enum feed f, size_t count,
    const char *reason)
{
	struct feed_note	*n = &m->sources[i].notes[f];

	n->count = reason != NULL ? count : 0;
	xstrset(&n->reason, reason);
	m->gen_sources++;
	model_changed(m);
}

void
model_set_log_query(struct model *m, const char *q)
{
	xstrset(&m->log_query, q);
}

bool
model_source_feeds(const struct source_health *h, enum feed f)
{
	return ((h->feeds & FEED_BIT(f)) != 0);
}

void
model_source_next(struct model *m, size_t i, time_t when)
{
	m->sources[i].next_try = when;
}

/* The earliest start at or after `after` of an alert on a service; 0 if
 * none. */
static bool	same_env(const struct model *, const char *, const char *);

static time_t
first_trouble(const struct model *m, const char *service, const char *env,
    time_t after)
{
	time_t	best = 0;
	size_t	i;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->service == NULL || strcmp(a->service, service) != 0 ||
		    !same_env(m, a->environment, env))
			continue;
		if (a->started_at >= after && (best == 0 || a->started_at < best))
			best = a->started_at;
	}
	return (best);
}

/* When trouble followed deploy d on its service: the first alert that
 * began after it, else now if an SLO of the service pages; 0 if none. */
static time_t
trouble_after(const struct model *m, const struct deploy *d)
{
	time_t	t = first_trouble(m, d->service, d->environment, d->at);
	size_t	j;

	for (j = 0; j < m->nslos; j++) {
		if (m->slos[j].alert == SLO_ALERT_PAGE &&
		    m->slos[j].service != NULL &&
		    strcmp(m->slos[j].service, d->service) == 0 &&
		    same_env(m, m->slos[j].environment, d->environment))
			t = (t == 0) ? time(NULL) : t;
	}
	return (t);
}

static void
suspects_clear(struct model *m)
{
	size_t	i;

	for (i = 0; i < m->ndeploys; i++)
		m->deploys[i].suspect = 0;
	for (i = 0; i < m->nalerts; i++) {
		xstrset(&m->alerts[i].suspect, NULL);
		m->alerts[i].suspect_at = 0;
	}
	for (i = 0; i < m->nslos; i++) {
		xstrset(&m->slos[i].suspect, NULL);
		m->slos[i].suspect_at = 0;
	}
}

/* Whether two records may be about the same thing: the same environment,
 * or one that does not say. */
static bool
same_env(const struct model *m, const char *a, const char *b)
{
	return (!m->several_envs || a == NULL || b == NULL ||
	    strcmp(a, b) == 0);
}

/* Point the alerts and paging SLOs of d's service (in its environment)
 * that have no suspect yet at d ("service version"). */
static void
suspects_point(struct model *m, const struct deploy *d, long window)
{
	char	*tag;
	size_t	 j;

	tag = xasprintf("%s %s", d->service, d->version != NULL ?
	    d->version : d->revision != NULL ? d->revision : "?");
	/* Only the alerts that began within the window: an alert hours
	 * later is not this deploy's doing. */
	for (j = 0; j < m->nalerts; j++) {
		struct alert *a = &m->alerts[j];

		if (a->suspect == NULL && a->service != NULL &&
		    strcmp(a->service, d->service) == 0 &&
		    same_env(m, a->environment, d->environment) &&
		    a->started_at >= d->at &&
		    a->started_at - d->at <= window) {
			xstrset(&a->suspect, tag);
			a->suspect_at = d->at;
		}
	}
	for (j = 0; j < m->nslos; j++) {
		struct slo *s = &m->slos[j];

		if (s->suspect == NULL && s->alert == SLO_ALERT_PAGE &&
		    s->service != NULL &&
		    strcmp(s->service, d->service) == 0 &&
		    same_env(m, s->environment, d->environment)) {
			xstrset(&s->suspect, tag);
			s->suspect_at = d->at;
		}
	}
	free(tag);
}

void
model_mark_suspects(struct model *m, long window)
{
	struct deploy	*d;
	time_t		 t;
	size_t		 i;

	suspects_clear(m);
	/* Deploys are newest first: the first match is the latest suspect. */
	for (i = 0; i < m->ndeploys; i++) {
		d = &m->deploys[i];
		if (d->service == NULL || d->at == 0)
			continue;
		t = trouble_after(m, d);
		if (t == 0 || t - d->at > window)
			continue;
		d->suspect = 1;
		suspects_point(m, d, window);
	}
}

size_t
model_count_firing(const struct model *m, enum severity sev)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nalerts; i++) {
		if ((sev == SEV__COUNT || m->alerts[i].severity == sev) &&
		    m->alerts[i].status != ALERT_RESOLVED &&
		    m->alerts[i].status != ALERT_SILENCED)
			n++;
	}
	return (n);
}

const struct slo *
model_worst_slo(const struct model *m)
{
	const struct slo	*worst = NULL;
	size_t			 i;

	for (i = 0; i < m->nslos; i++) {
		if (slo_urgency(&m->slos[i]) < 0)
			continue;	/* no data */
		if (worst == NULL || slo_cmp(&m->slos[i], worst) < 0)
			worst = &m->slos[i];
	}
	return (worst);
}

time_t
model_last_deploy(const struct model *m)
{
	return (m->ndeploys > 0 ? m->deploys[0].at : 0);
}

const struct alert *
model_alert_by_key(const struct model *m, const char *key)
{
	size_t	i, len;

	for (i = 0; key != NULL && i < m->nalerts; i++) {
		len = strlen(m->alerts[i].source);
		if (strncmp(key, m->alerts[i].source, len) == 0 &&
		    key[len] == '/' && strcmp(key + len + 1, m->alerts[i].id) == 0)
			return (&m->alerts[i]);
	}
	return (NULL);
}
