/* source.c: the registry of backends and the scheduler that refreshes each
 * configured source on its interval, with jitter, exponential backoff after
 * failures and Retry-After honoured; a refresh never overlaps the previous
 * one. Health lands in the model for the header to show. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/loop.h"

extern const struct backend_ops demo_backend_ops;
extern const struct backend_ops deploys_backend_ops;
extern const struct backend_ops prometheus_backend_ops;
extern const struct backend_ops pagerduty_backend_ops;
extern const struct backend_ops alertmanager_backend_ops;
extern const struct backend_ops loki_backend_ops;

static const struct backend_ops *const backends[] = {
	&demo_backend_ops,
	&deploys_backend_ops,
	&prometheus_backend_ops,
	&pagerduty_backend_ops,
	&alertmanager_backend_ops,
	&loki_backend_ops,
};

/* Sections that configure the console rather than a source. */
static const char *const other_sections[] = {
	"sitrep", "slo", "rollback", "runbook", "environment", "highlight",
	"keys", "defaults", NULL
};

#define BACKOFF_MAX_MS	(5 * 60 * 1000)
/* However a backend came by a server's wait, it is at most this. */
#define RETRY_MAX_MS	(HTTP_RETRY_MAX_S * 1000)

static void	(*observer)(struct source *, void *);
static void	*observer_arg;

const struct backend_ops *
backend_find(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		if (strcmp(backends[i]->kind, kind) == 0)
			return (backends[i]);
	}
	return (NULL);
}

static bool
is_other_section(const char *type)
{
	size_t	i;

	for (i = 0; other_sections[i] != NULL; i++) {
		if (strcmp(other_sections[i], type) == 0)
			return (true);
	}
	return (false);
}

static struct source *
source_new(const struct backend_ops *ops, struct config_section *sec,
    struct model *m, int64_t interval_ms)
{
	struct source	*s;

	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->section = sec;
	s->model = m;
	s->name = xstrdup(sec->name != NULL ? sec->name : sec->type);
	s->interval_ms = interval_ms;
	s->rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)s;
	s->health = model_add_source(m, s->name, ops->kind, ops->feeds);
	return (s);
}

static void	sources_env_marks(struct config *, struct model *);

struct source **
sources_create(struct config *cfg, struct model *m, size_t *n)
{
	struct source			**v = NULL;
	struct config_section		 *sec, *top;
	const struct config_entry	 *e;
	const struct backend_ops	 *ops;
	int64_t				  interval, own;
	size_t				  i;

	*n = 0;
	top = config_find(cfg, "sitrep", NULL);
	interval = (top != NULL) ?
	    config_duration_ms(cfg, top, "refresh", 15000) : 15000;
	if (interval < 1000) {
		config_error(cfg, config_get(top, "refresh")->line,
		    "refresh: at least 1s");
		interval = 1000;
	}
	for (i = 0; i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (*sec->type == '\0')
			continue;	/* dropped, e.g. by --demo */
		if ((ops = backend_find(sec->type)) == NULL) {
			if (!is_other_section(sec->type))
				config_error(cfg, sec->line,
				    "unknown section [%s]", sec->type);
			continue;
		}
		if (source_find(v, *n, sec->name != NULL ? sec->name :
		    sec->type) != NULL) {
			config_error(cfg, sec->line, "a source named \"%s\" "
			    "exists already", sec->name ? sec->name : sec->type);
			continue;
		}
		if (!ops->replicas && (e = config_next(sec, "url",
		    config_next(sec, "url", NULL))) != NULL) {
			config_error(cfg, e->line, "[%s] url given twice: only "
			    "alertmanager and prometheus take replicas",
			    sec->type);
			continue;
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[*n] = source_new(ops, sec, m, interval);
		model_source_environment(m, v[*n]->health,
		    config_str(sec, "environment", NULL));
		own = config_duration_ms(cfg, sec, "refresh", interval);
		v[*n]->interval_ms = own < 1000 ? 1000 : own;
		if (!ops->start(v[*n], cfg))
			model_source_fail(m, v[*n]->health, time_wall(),
			    "not configured");
		(*n)++;
	}
	sources_env_marks(cfg, m);
	return (v);
}

/* [environment "NAME"] mark = TEXT: said after the name in the header. */
static void
sources_env_marks(struct config *cfg, struct model *m)
{
	struct config_section	*sec;
	const char		*mark;
	size_t			 i;

	for (i = 0; i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (strcmp(sec->type, "environment") != 0 || sec->name == NULL)
			continue;
		if ((mark = config_str(sec, "mark", NULL)) == NULL)
			continue;
		if (strlen(mark) > 8 || *mark == '\0') {
			config_error(cfg, config_get(sec, "mark")->line,
			    "mark: 1 to 8 bytes, e.g. ! or (prod)");
			continue;
		}
		kvlist_add(&m->env_marks, sec->name, mark);
	}
}

void
sources_free(struct source **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		loop_timer_cancel(&v[i]->timer);
		if (v[i]->ops->stop != NULL)
			v[i]->ops->stop(v[i]);
		free(v[i]->name);
		free(v[i]->writer);
		free(v[i]);
	}
	free(v);
}

struct source *
source_find(struct source **v, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->name, name) == 0)
			return (v[i]);
	}
	return (NULL);
}

void
sources_set_observer(void (*fn)(struct source *, void *), void *arg)
{
	observer = fn;
	observer_arg = arg;
}

static uint64_t
source_random(struct source *s)
{
	/* xorshift64: jitter only needs to differ between sources. */
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (s->rng);
}

/* Up to +-10% of jitter, so that sources do not fire in lockstep. */
static int64_t
jitter(struct source *s, int64_t ms)
{
	int64_t	spread = ms / 10;

	if (spread <= 0)
		return (ms);
	return (time_add_sat(ms - spread,
	    (int64_t)(source_random(s) % (uint64_t)(2 * spread + 1))));
}

static void	source_fire(void *);

static void
source_schedule(struct source *s, int64_t ms)
{
	loop_timer_cancel(&s->timer);
	s->timer = loop_timer_add(ms, source_fire, s);
	model_source_next(s->model, s->health,
	    (time_t)time_add_sat(time_wall(), ms / 1000));
}

static void
source_fire(void *arg)
{
	struct source	*s = arg;

	s->timer = NULL;
	if (s->busy) {
		s->again = true;
		return;
	}
	s->busy = true;
	s->again = false;
	s->ops->refresh(s);
}

void
sources_start(struct source **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		source_schedule(v[i], 0);
}

void
source_refresh_now(struct source *s)
{
	if (s->busy)
		s->again = true;
	else
		source_schedule(s, 0);
}

/* The wait after failures in a row: the interval, doubled per failure up
 * to 64 times and at most BACKOFF_MAX_MS, with jitter. */
static int64_t
source_backoff(struct source *s)
{
	int64_t	next = s->interval_ms;
	int	shift;

	if (s->failures > 1) {
		shift = s->failures - 1 > 6 ? 6 : s->failures - 1;
		next = time_mul_sat(s->interval_ms, INT64_C(1) << shift);
	}
	if (next > BACKOFF_MAX_MS)
		next = BACKOFF_MAX_MS;
	return (jitter(s, next));
}

/* The wait a server asked for (Retry-After), taken once and bounded. */
static int64_t
source_take_retry(struct source *s)
{
	int64_t	ms = s->retry_after_ms;

	s->retry_after_ms = 0;
	if (ms <= 0)
		return (0);
	return (ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS);
}

/* A failure as the header, the snapshot and the log say it: with the
 * server's wait when that decides the next try, unless the backend said
 * it already. */
static char *
source_failure_text(const char *error, int64_t wait_ms)
{
	char	when[32];

	if (wait_ms <= 0 || strstr(error, "retry in ") != NULL)
		return (xstrdup(error));
	duration_format(when, sizeof when, wait_ms / 1000 +
	    (wait_ms % 1000 != 0));
	return (xasprintf("%s (retry in %s)", error, when));
}

void
source_done(struct source *s, const char *error)
{
	int64_t	next, wait = source_take_retry(s);
	time_t	now = time_wall();
	char	*shown;

	s->busy = false;
	s->rounds++;
	if (error == NULL) {
		if (s->failures > 0)
			log_msg("%s: recovered after %d failure%s", s->name,
			    s->failures, s->failures == 1 ? "" : "s");
		s->failures = 0;
		model_source_ok(s->model, s->health, now);
		next = jitter(s, s->interval_ms);
	} else {
		s->failures++;
		next = source_backoff(s);
		shown = source_failure_text(error, wait >= next ? wait : 0);
		if (s->failures == 1)
			log_msg("%s: %s", s->name, shown);
		model_source_fail(s->model, s->health, now, shown);
		free(shown);
	}
	if (next < wait)
		next = wait;
	if (s->again && error == NULL)
		next = 0;
	s->again = false;
	source_schedule(s, next);
	if (observer != NULL)
		observer(s, observer_arg);
}

void
source_idle(struct source *s)
{
	s->busy = false;
	s->again = false;
	s->rounds++;
	model_source_idle(s->model, s->health);
	source_schedule(s, jitter(s, s->interval_ms));
	if (observer != NULL)
		observer(s, observer_arg);
}

void
source_restart(struct source *s)
{
	s->busy = false;
	s->again = false;
	source_schedule(s, 0);
}

void
source_details_free(struct detail_section *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].heading);
		if (v[i].lines != NULL)
			kvlist_free(v[i].lines);
		free(v[i].lines);
	}
	free(v);
}

bool
source_can(const struct source *s, enum action_kind k)
{
	return (s->ops->act != NULL && (s->ops->actions & ACTION_BIT(k)) != 0);
}

size_t
sources_refresh_feeding(struct source **v, size_t n, int feed)
{
	size_t	i, started = 0;

	for (i = 0; i < n; i++) {
		if ((v[i]->ops->feeds & FEED_BIT(feed)) != 0) {
			source_refresh_now(v[i]);
			started++;
		}
	}
	return (started);
}
