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

#include "core/kvlist.h"
#include "core/loghist.h"
#include "core/logmix.h"
#include "core/ring.h"

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
/*
 * Where an unknown severity ranks (a value sitrep does not know, such as
 * Sloth's "pageteam", or none at all): just after `after` (critical, error,
 * warning or info), with a symbol of its own. By default after error: an
 * alert nobody classified is shown above warnings, never hidden below
 * info. [sitrep] unknown_severity_after sets it, before any alert.
 */
#define SEV_UNKNOWN_AFTER_DEFAULT	SEV_ERROR
void	 severity_set_unknown_after(enum severity after);
/* The rank of s when unknown ranks after `after`: lower is worse (pure). */
int	 severity_rank_with(enum severity s, enum severity after);
/* The rank of s with the setting in force. */
int	 severity_rank(enum severity s);
/* Every severity, worst first, with the setting in force (SEV__COUNT of
 * them), for the header's counts. */
void	 severity_order(enum severity out[SEV__COUNT]);

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
	struct kvlist	 details;	/* other facts the source gave:
					 * priority, silenced_by ... */
	char		*suspect;	/* "service version" of a suspect deploy */
	time_t		 suspect_at;	/* when that deploy was */
	char		*environment;	/* its source's (set by the model) */
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

/* Where an SLO's page/ticket state comes from. */
enum slo_verdict {
	SLO_VERDICT_WORKBOOK,	/* declared: the workbook's conditions, scaled */
	SLO_VERDICT_EVALUATED,	/* discovered: the generator's own conditions,
				 * evaluated by sitrep on the recorded series */
	SLO_VERDICT_RULES	/* discovered: the state of the generator's
				 * alerting rules in Prometheus (/api/v1/rules) */
};

/* One multiwindow condition as the SLO's alerting has it: both windows
 * burn faster than factor (for for_s seconds, when the rule says so). */
struct slo_cond {
	int		 long_col, short_col;	/* columns, or -1 */
	long		 long_s, short_s;	/* the real windows */
	double		 factor;		/* burn threshold */
	long		 for_s;			/* the rule's for:, 0 none */
	enum slo_alert	 level;
	bool		 holds;			/* both above factor now */
	double		 min_long, min_short;	/* lowest burn over the last
						 * for_s (NAN: unknown) */
	enum slo_alert	 state_level;		/* from the rules: this level */
	int		 state;			/* SLO_COND_* */
};
#define SLO_MAX_CONDS	8
enum {
	SLO_COND_INACTIVE,
	SLO_COND_PENDING,
	SLO_COND_FIRING
};

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
	char		*suspect;		/* as in struct alert */
	time_t		 suspect_at;

	/* The windows each column really shows (Pyrra scales them with the
	 * SLO window; Sloth's may be custom): seconds, 0 for none. */
	long		 col_seconds[W__COUNT];
	/* The conditions its alerting uses, and where the verdict is from. */
	struct slo_cond	 conds[SLO_MAX_CONDS];
	size_t		 nconds;
	enum slo_verdict verdict;
	char		*verdict_note;		/* "Pyrra's alerting rules ..." */
	enum slo_alert	 pending;		/* a rule pending, above alert */
	char		*nodata;		/* why no burn at all, or NULL */
	struct slo_history *history;		/* sitrep report only, or NULL */
	struct kvlist	 labels;		/* team=..., for the filter */
	char		*environment;		/* its source's */
};
void	slo_free(struct slo *);

/* What `sitrep report` asks of Prometheus beyond the console's: the 1h
 * burn over the period on a fine grid, and the budget remaining on a
 * coarse one (points at start + i * step; NAN where there is no data). */
struct slo_history {
	double	 start, step;
	double	*burn;
	size_t	 n;
	double	 bstart, bstep;
	double	*budget;
	size_t	 nbudget;
};
void	slo_history_free(struct slo_history *);

struct deploy {
	char	*source;
	char	*id;
	char	*service;
	char	*version;
	char	*revision;
	char	*previous_revision;
	char	*author;
	char	*url;
	char	*environment;	/* its own, else its source's (by the model) */
	char	*summary;
	time_t	 at;
	bool	 suspect;
};
void	deploy_free(struct deploy *);

/* What the header says about a source. */
/* What a source feeds; a pane shows the sources that feed it. */
enum feed {
	FEED_ALERTS,
	FEED_SLOS,
	FEED_DEPLOYS,
	FEED_LOGS,
	FEED__COUNT
};
#define FEED_BIT(f)	(1u << (f))

/* What a source could not show in one pane: how many items (0 if it
 * cannot tell) and why. */
struct feed_note {
	size_t	 count;
	char	*reason;	/* NULL: nothing to say */
};

struct source_health {
	char	*name;
	char	*kind;
	char	*environment;	/* the section's, else [sitrep]'s */
	unsigned feeds;		/* FEED_BIT()s */
	struct feed_note notes[FEED__COUNT];
	bool	 fetched;	/* at least one refresh finished */
	bool	 ok;		/* the last refresh succeeded */
	bool	 idle;		/* asks nothing: its environment is hidden */
	char	*error;		/* reason of the last failure */
	char	*warning;	/* e.g. Prometheus warnings, rate limits */
	char	*replicas_down;	/* "host:port, ..." failing, others answer */
	time_t	 last_ok;	/* wall time of the last success */
	time_t	 last_error;
	time_t	 next_try;
};

/*
 * The logs pane's side of the model. The console says what to follow (the
 * service of the focused alert, SLO or deploy; the query template typed with
 * L); log sources read it on each refresh, and say what they could not show
 * rather than lose it silently.
 */
struct log_info {
	char		*service;	/* for $service in the query, or NULL */
	time_t		 anchor;	/* that row's time (alert start, deploy) */
	char		*template;	/* in force: the config's, then L's */
	uint64_t	 gen_target;	/* bumped when service or template change */
	char		*status;	/* progress: "loading the last 15m ..." */
	bool		 sgr;		/* show SGR colours found in lines */
	uint64_t	 skipped;	/* not fetched (fell behind), as counted */
	uint64_t	 gaps;		/* stretches not fetched, count unknown */
	uint64_t	 reported;	/* dropped_entries that Loki reported */
	uint64_t	 outside;	/* sent from outside the range asked */
};

/* Log sources a line can name (log_line.from is a byte). */
#define MODEL_LOG_SOURCES	255
/* How old a followed line may grow waiting for another Loki (Loki's own
 * lines come 2-4 s old: its delay, then its poll). */
#define MODEL_LOG_MAX_LAG	((int64_t)7 * 1000000000)

struct model {
	char			*environment;	/* [sitrep]'s */
	/* The environment the panes show (NULL: all). The records of the
	 * others wait in the hidden arrays, unsorted, and move back when
	 * shown: the panes only ever see what is shown. */
	char			*shown_env;
	struct alert		*hidden_alerts;
	size_t			 nhidden_alerts;
	struct slo		*hidden_slos;
	size_t			 nhidden_slos;
	struct deploy		*hidden_deploys;
	size_t			 nhidden_deploys;
	bool			 several_envs;	/* sources in more than one
						 * (suspects stay in theirs) */
	struct kvlist		 env_marks;	/* environment -> its mark in
						 * the header ([environment]) */

	struct alert		*alerts;	/* sorted: severity, then age */
	size_t			 nalerts;
	struct slo		*slos;		/* sorted: most urgent first */
	size_t			 nslos;
	struct deploy		*deploys;	/* newest first */
	size_t			 ndeploys;
	struct ring		 logs;
	struct logmix		 log_mix;	/* several Lokis' lines in
						 * time order into logs */
	size_t			 log_src[MODEL_LOG_SOURCES];	/* by a
						 * line's from - 1: the source */
	size_t			 nlog_src;
	bool			 log_caps_set;	/* by a log source */
	char			*log_query;	/* what the log pane follows */
	struct log_info		 log;		/* its target, its losses */
	/* The SLO detail's burndown period, as the console asks for it
	 * (seconds, 0: none): SLO sources then give each record a history
	 * of that period, fetched for all SLOs at once. */
	long			 slo_history_s;
	struct loghist		 log_hist;	/* the history view's lines */

	struct source_health	*sources;
	size_t			 nsources;

	/* Bumped on every change; panes compare it to know they are dirty. */
	uint64_t		 gen_alerts, gen_slos, gen_deploys, gen_logs;
	uint64_t		 gen_sources;

	void			(*on_change)(void *);
	void			*on_change_arg;

	/* Seconds a deploy stays suspect before an alert or SLO page on its
	 * service ([sitrep] suspect_window); every set_* call re-marks. */
	long			 suspect_window;
};

void	 model_init(struct model *, const char *environment);
void	 model_free(struct model *);

/* Replace every record of one source with v[0..n) (ownership moves in).
 * Alerts are merged in, not sorted with the rest; the records replaced are
 * freed on a worker thread when there are many. */
void	 model_set_alerts(struct model *, const char *, struct alert *, size_t);
/* Name the source of v[0..n) and sort them as the model shows them: pure,
 * so a worker thread can do it before model_set_alerts(), which then only
 * merges. */
void	 model_prepare_alerts(struct alert *, size_t, const char *source);
void	 model_set_slos(struct model *, const char *, struct slo *, size_t);
void	 model_set_deploys(struct model *, const char *, struct deploy *, size_t);
/* A line from source (its index in sources). */
void	 model_log_append(struct model *, size_t, int64_t, const char *,
	     const char *, size_t);
/* A followed line of a log source that may share the ring with others:
 * it goes in in time order across them (core/logmix.h), now or when the
 * others have come past it (what waits goes when a horizon comes). */
void	 model_log_offer(struct model *, size_t, int64_t, const char *,
	     const char *, size_t);
/* The source has offered every line older than horizon (ns). */
void	 model_log_horizon(struct model *, size_t, int64_t, int64_t);
/* The source is not following (failing): nobody waits on it. */
void	 model_log_leave(struct model *, size_t, int64_t);
/* The flags naming source's lines (LOG_LINE_FROM(), its number among
 * the log sources); 0 past MODEL_LOG_SOURCES of them. */
unsigned model_log_from(struct model *, size_t);
/* Is source the one to fetch the history view's pages: the first log
 * source shown, in config order, that is not failing (else the first)? */
bool	 model_log_history_from(const struct model *, size_t);
/* The caps of the ring (and of what waits to go in). */
void	 model_log_caps(struct model *, size_t, size_t);
/* After pushing many lines straight into m->logs: one change for all. */
void	 model_logs_changed(struct model *);
/* A line of sitrep's own in the log (a gap, a skip), marked as such. */
void	 model_log_mark(struct model *, size_t, int64_t, const char *, ...)
	     __attribute__((format(printf, 4, 5)));
/* A new target for source's lines: the ring and the loss counters are
 * emptied, or, when other sources feed the ring too, only its lines go. */
void	 model_log_reset(struct model *, size_t);
/* What the logs follow: the service (and its row's time), the template. */
void	 model_set_log_service(struct model *, const char *, time_t);
void	 model_set_log_template(struct model *, const char *);
/* Lines the console did not show although the source had them, or sent
 * from outside the range asked for (known counts; log.gaps says how many
 * stretches of unknown size there were). */
uint64_t model_logs_dropped(const struct model *);

size_t	 model_add_source(struct model *, const char *name, const char *kind,
	     unsigned feeds);
/* The environment a source's records belong to (NULL: [sitrep]'s). */
void	 model_source_environment(struct model *, size_t, const char *);
/* The environment of the source named so: its own, else [sitrep]'s. */
const char *model_source_env(const struct model *, const char *source);
/* Every environment of the sources, in config order, once each; *n gets
 * the count (pointers into the model). */
const char **model_environments(const struct model *, size_t *n);
/* Show one environment in every pane (NULL: all of them). */
void	 model_show_environment(struct model *, const char *);
/* What a row says of its environment: env when rows of several are shown
 * at once, else NULL (nothing to tell apart). */
const char *model_env_tag(const struct model *, const char *env);
/* The environment of a log line: its source's, else [sitrep]'s. */
const char *model_line_environment(const struct model *,
	     const struct log_line *);
/* Is source i's environment shown? */
bool	 model_source_shown(const struct model *, size_t);
#define ENV_TAG_W	8	/* the columns a row gives it, at most */
/* Firing alerts of one environment, shown or not. */
size_t	 model_env_firing(const struct model *, const char *);
void	 model_source_ok(struct model *, size_t, time_t);
void	 model_source_fail(struct model *, size_t, time_t, const char *);
void	 model_source_warn(struct model *, size_t, const char *);
/* Source i asked nothing this time (a Loki whose environment is not
 * shown); the next ok or failure ends it. */
void	 model_source_idle(struct model *, size_t);
/* The replicas of source i that fail while another answers (NULL: none),
 * for the header to name. */
void	 model_source_replicas_down(struct model *, size_t, const char *);
/* Say what a source could not show in the pane it feeds (reason NULL:
 * nothing). */
void	 model_source_note(struct model *, size_t, enum feed, size_t count,
	     const char *reason);
/* What the log pane follows now (a query with the service filled in), or
 * NULL; set by the log source. */
void	 model_set_log_query(struct model *, const char *);
/* The order of the alerts list (qsort): most severe first (by
 * severity_rank); among equals
 * triggered first, the oldest first, then by source and id so that the
 * order is stable across refreshes. */
int	 model_alert_cmp(const void *, const void *);
/* The alert a row key ("SOURCE/ID") names, or NULL. */
const struct alert *model_alert_by_key(const struct model *, const char *);
bool	 model_source_feeds(const struct source_health *, enum feed);
void	 model_source_next(struct model *, size_t, time_t);

/* Mark deploys that precede an alert or paging SLO on the same service
 * within `window` seconds, and point those alerts and SLOs at them. */
void	 model_mark_suspects(struct model *, long);

/* Summary numbers for the header: the alerts firing (neither resolved
 * nor silenced) of one severity, and of every severity (SEV__COUNT), the
 * unknown one included, so that the header and the Alerts pane count the
 * same alerts. */
size_t	 model_count_firing(const struct model *, enum severity);
const struct slo *model_worst_slo(const struct model *);
time_t	 model_last_deploy(const struct model *);

#endif
