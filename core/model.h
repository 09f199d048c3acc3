/* model.h: the vendor-neutral state every pane draws from: alerts, SLOs,
 * deploys, the log ring and the health of each source. Backends replace their
 * own records; views only read. Strings here are raw source data (valid
 * UTF-8, possibly hostile): the sanitizer runs when they are drawn. */
#ifndef SITREP_MODEL_H
#define SITREP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/ring.h"

/* A list of key=value pairs (labels, annotations). */
struct kv {
	char	*key;
	char	*value;
};
struct kvlist {
	struct kv	*v;
	size_t		 n;
};
void		 kvlist_add(struct kvlist *, const char *, const char *);
const char	*kvlist_get(const struct kvlist *, const char *);
void		 kvlist_sort(struct kvlist *);
void		 kvlist_free(struct kvlist *);

enum severity {
	SEV_CRITICAL,
	SEV_ERROR,
	SEV_WARNING,
	SEV_INFO,
	SEV_UNKNOWN,
	SEV__COUNT
};
const char	*severity_name(enum severity);
enum severity	 severity_parse(const char *);	/* "crit", "P1", "high" ... */

enum alert_status {
	ALERT_TRIGGERED,
	ALERT_ACKNOWLEDGED,
	ALERT_SILENCED,
	ALERT_RESOLVED
};
const char	*alert_status_name(enum alert_status);

struct alert {
	char		*source;	/* configured source name */
	char		*id;		/* unique within the source */
	char		*service;
	enum severity	 severity;
	enum alert_status status;
	char		*title;
	time_t		 started_at;	/* 0: unknown */
	char		*url;		/* the source's page for it */
	char		*runbook_url;
	char		*dashboard_url;
	char		*description;
	char		*assignees;	/* comma-separated names */
	struct kvlist	 labels;
	struct kvlist	 annotations;
	char		*suspect;	/* "service version" of a suspect deploy */
};
void	alert_free(struct alert *);

/* The burn-rate windows, shortest first. */
enum slo_window {
	W_5M, W_30M, W_1H, W_2H, W_6H, W_1D, W_3D,
	W__COUNT
};
extern const char *const slo_window_names[W__COUNT];
extern const int slo_window_seconds[W__COUNT];

enum slo_alert {
	SLO_ALERT_NONE,
	SLO_ALERT_TICKET,
	SLO_ALERT_PAGE
};
const char	*slo_alert_name(enum slo_alert);	/* NULL, "ticket", "page" */

struct slo {
	char		*source;
	char		*name;
	char		*service;
	double		 objective;		/* percent, e.g. 99.9 */
	long		 window_seconds;	/* e.g. 30d */
	double		 error_ratio[W__COUNT];	/* NAN: no data */
	double		 burn[W__COUNT];	/* NAN: no data */
	double		 budget_remaining;	/* fraction; NAN unknown */
	enum slo_alert	 alert;
	char		*condition;		/* e.g. "1h+5m > 14.4" */
	double		*spark;			/* 1h burn over 24h, NAN gaps */
	size_t		 nspark;
	char		*query;			/* PromQL shown in the detail */
	char		*suspect;
};
void	slo_free(struct slo *);

struct deploy {
	char	*source;
	char	*id;
	char	*service;
	char	*version;
	char	*revision;
	char	*previous_revision;
	char	*author;
	char	*url;
	char	*environment;
	char	*summary;
	time_t	 at;
	bool	 suspect;
};
void	deploy_free(struct deploy *);

/* What the header says about a source. */
struct source_health {
	char	*name;
	char	*kind;
	bool	 fetched;	/* at least one refresh finished */
	bool	 ok;		/* the last refresh succeeded */
	char	*error;		/* reason of the last failure */
	char	*warning;	/* e.g. Prometheus warnings, rate limits */
	time_t	 last_ok;	/* wall time of the last success */
	time_t	 last_error;
	time_t	 next_try;
};

struct model {
	char			*environment;

	struct alert		*alerts;	/* sorted: severity, then age */
	size_t			 nalerts;
	struct slo		*slos;		/* sorted: most urgent first */
	size_t			 nslos;
	struct deploy		*deploys;	/* newest first */
	size_t			 ndeploys;
	struct ring		 logs;
	char			*log_query;	/* what the log pane follows */

	struct source_health	*sources;
	size_t			 nsources;

	/* Bumped on every change; panes compare it to know they are dirty. */
	uint64_t		 gen_alerts, gen_slos, gen_deploys, gen_logs;
	uint64_t		 gen_sources;

	void			(*on_change)(void *);
	void			*on_change_arg;
};

void	 model_init(struct model *, const char *environment);
void	 model_free(struct model *);

/* Replace every record of one source with v[0..n) (ownership moves in). */
void	 model_set_alerts(struct model *, const char *, struct alert *, size_t);
void	 model_set_slos(struct model *, const char *, struct slo *, size_t);
void	 model_set_deploys(struct model *, const char *, struct deploy *, size_t);
void	 model_log_append(struct model *, int64_t, const char *, const char *,
	     size_t);

size_t	 model_add_source(struct model *, const char *, const char *);
void	 model_source_ok(struct model *, size_t, time_t);
void	 model_source_fail(struct model *, size_t, time_t, const char *);
void	 model_source_warn(struct model *, size_t, const char *);
void	 model_source_next(struct model *, size_t, time_t);

/* Mark deploys that precede an alert or paging SLO on the same service
 * within `window` seconds, and point those alerts and SLOs at them. */
void	 model_mark_suspects(struct model *, long);

/* Summary numbers for the header. */
size_t	 model_count_firing(const struct model *, enum severity);
const struct slo *model_worst_slo(const struct model *);
time_t	 model_last_deploy(const struct model *);

#endif
