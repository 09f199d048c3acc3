/* backend.h: the one interface every source implements. A source is a
 * configured instance of a backend (one per config section): start reads its
 * config, refresh begins an asynchronous fetch that ends in source_done()
 * (or source_restart() when given up unanswered),
 * act performs a write (acknowledge, silence, ...). Backends never draw; they
 * parse bytes with pure functions and hand records to the model. The
 * registry and the scheduler that run them are backends/source.h. */
#ifndef SITREP_BACKEND_H
#define SITREP_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct config;
struct config_section;
struct model;
struct loop_timer;
struct source;

enum action_kind {
	ACTION_ACK,
	ACTION_RESOLVE,
	ACTION_NOTE,
	ACTION_SNOOZE,
	ACTION_REASSIGN,
	ACTION_SILENCE,
	ACTION_EXPIRE_SILENCE,
	ACTION_STATUS_UPDATE	/* text: the message (PagerDuty) */
};

/* The bit of each kind in backend_ops.actions. */
#define ACTION_BIT(k)	(1u << (k))

struct kvlist;

struct action {
	enum action_kind	 kind;
	const char		*target;	/* record id within the source;
						 * expire: the silence id */
	const char		*text;		/* note, comment, assignee */
	int64_t			 duration_s;	/* snooze, silence */
	const struct kvlist	*matchers;	/* silence: name = value each */
};

/* ok: done, and message says what was done ("acknowledged PT4KHLK (HTTP
 * 200)"); otherwise message says only why ("connection refused"): the
 * action road puts what failed in front. status: the HTTP status of the
 * answer, 0 if no request was answered. */
typedef void (*action_done_cb)(bool ok, long status, const char *message,
	     void *arg);

/* More about one record, fetched on demand for the detail view (an
 * incident's alerts and notes): headed groups of key: value lines. */
struct detail_section {
	char		*heading;
	struct kvlist	*lines;
};
/* sections NULL and error set on failure; both are freed after the call. */
typedef void (*detail_done_cb)(const struct detail_section *, size_t,
	     const char *error, void *arg);

/* An incident's own log, as its source keeps it (PagerDuty's log
 * entries): what happened, by whom, when by the source's clock. */
struct incident_entry {
	char	*id;
	char	*kind;		/* "acknowledge_log_entry" ... */
	char	*summary;
	char	*who;		/* or NULL */
	time_t	 at;		/* 0: unknown */
};
/* The entries, oldest first, or error; both are freed after the call. */
typedef void (*incident_log_cb)(const struct incident_entry *, size_t,
	     const char *error, void *arg);

struct backend_ops {
	const char	 *kind;		/* the config section type */
	bool		(*start)(struct source *, struct config *);
	void		(*refresh)(struct source *);
	/* Start a write. The callback runs exactly once, from the loop or,
	 * when the write is refused without a request (no `from`, rate
	 * limited), before act returns. False (no callback) only for a kind
	 * the backend does not have. */
	bool		(*act)(struct source *, const struct action *,
			     action_done_cb, void *);
	void		(*stop)(struct source *);
	unsigned	  actions;	/* ACTION_BIT()s that act accepts */
	unsigned	  feeds;	/* FEED_BIT()s: the panes it fills */
	bool		  replicas;	/* `url` may repeat: replicas */
	/* Optional: fetch more about record id for its detail view. */
	void		(*details)(struct source *, const char *id,
			     detail_done_cb, void *);
	/* Optional: record id's own log, every page (as many as the source
	 * allows), for the timeline. */
	void		(*incident_log)(struct source *, const char *id,
			     incident_log_cb, void *);
};

struct source {
	const struct backend_ops *ops;
	char			*name;
	struct config_section	*section;
	struct model		*model;
	size_t			 health;	/* index in model->sources */
	void			*data;		/* the backend's own */
	char			*writer;	/* who its writes are made as
						 * (a silence's createdBy), or
						 * NULL; set by start */

	int64_t			 interval_ms;
	int64_t			 retry_after_ms; /* set by a backend on 429 */
	int			 failures;	/* in a row, for backoff */
	bool			 busy;		/* a refresh is in flight */
	bool			 again;		/* refresh asked for while busy */
	uint64_t		 rounds;	/* refreshes finished */
	struct loop_timer	*timer;
	uint64_t		 rng;
};

#endif
