/* timeline.h: what sitrep saw and did, in order: an
 * append-only file of JSON lines ($XDG_STATE_HOME/sitrep/timeline-ENV.jsonl,
 * next to the audit log, mode 0600), each line one event written with one
 * write(2) on an O_APPEND descriptor and fsync'd. Bounded: past its limit
 * the newest half is kept in FILE.1 and the file starts again, so the two
 * hold at most one and a half limits. Reading takes only whole lines that
 * parse (a line torn by a kill is never an event), and only the last
 * limit's worth of each file, so a huge file costs no more than a small
 * one. Events carry a key; an event whose key is already recorded (another
 * seat, a restart) is not written again. A file that cannot be written
 * (a full disk) costs a message; the events stay in memory. The file is
 * named after [sitrep]'s environment; each event says its own (the
 * alert's, SLO's or deploy's; a note's, action's or status update's that
 * of its item), and a line that does not (written before events did)
 * belongs to the file's. */
#ifndef SITREP_TIMELINE_H
#define SITREP_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One event. Strings may be NULL except kind and key. */
struct tl_event {
	int64_t	 t_ms;		/* Unix milliseconds */
	bool	 source_clock;	/* the source's own time, else sitrep's */
	char	*kind;		/* TL_* below */
	char	*key;		/* the same happening has the same key */
	char	*service;
	char	*incident;	/* "source/id" of the alert or incident */
	char	*who;
	char	*text;
	char	*result;
	char	*environment;	/* NULL on adding: the file's */
};

#define TL_ALERT_FIRING		"alert.firing"
#define TL_ALERT_ACKED		"alert.acknowledged"
#define TL_ALERT_RESOLVED	"alert.resolved"
#define TL_INCIDENT_LOG		"incident.log"
#define TL_SLO_START		"slo.start"
#define TL_SLO_END		"slo.end"
#define TL_DEPLOY		"deploy"
#define TL_ACTION_START		"action.start"
#define TL_ACTION_END		"action.end"
#define TL_NOTE			"note"
#define TL_STATUS_UPDATE	"status.update"

#define TIMELINE_MAX_DEFAULT	((int64_t)8 << 20)	/* 8 MiB */
#define TIMELINE_MAX_EVENTS	50000			/* kept in memory */

struct timeline;

/* The file for an environment: path (NULL: the default for env). Reads
 * what is there (bounded), repairs a torn last line, rotates a file past
 * max_bytes. Never fails: a file that cannot be read or written is said
 * in *warn (heap, or NULL) and the timeline lives in memory. */
struct timeline *timeline_open(const char *path, const char *env,
	     int64_t max_bytes, char **warn);
void	 timeline_close(struct timeline *);
const char *timeline_path(const struct timeline *);
/* Record ev (copied) unless its key is known: true if it is new. A write
 * failure is said once in *warn (heap) until a write succeeds again. */
bool	 timeline_add(struct timeline *, const struct tl_event *,
	     char **warn);
/* Between on and off, adds are written together: one write, one fsync
 * (a refresh that brings a thousand alerts). Off may say a failure. */
void	 timeline_batch(struct timeline *, bool on, char **warn);
/* Is this key recorded? */
bool	 timeline_has(const struct timeline *, const char *key);
/* The events in time order (file order among equal times). */
const struct tl_event *timeline_events(const struct timeline *, size_t *n);
/* Changes whenever an event is added. */
uint64_t timeline_generation(const struct timeline *);

/* Which events a reader wants; NULL / 0 fields take everything. */
struct tl_filter {
	const char	*environment;
	const char	*incident;	/* "PT4KHLK" or "pagerduty/PT4KHLK" */
	const char	*service;
	int64_t		 since_ms;
};
bool	 timeline_match(const struct tl_event *, const struct tl_filter *);
/* "fired", "acknowledged", ... for people. */
const char *timeline_kind_label(const char *kind);
/* The moment as "2026-12-02 14:05:21" in UTC or local time. */
void	 timeline_format_time(char *, size_t, int64_t t_ms, bool local);
/* One event for people (heap; outside text sanitized): a line of text,
 * or a row of a Markdown table (timeline_markdown_head() first); with_env
 * adds a column naming its environment (when several are shown). */
char	*timeline_format_text(const struct tl_event *, bool local,
	     bool with_env);
char	*timeline_format_markdown(const struct tl_event *, bool local,
	     bool with_env);
/* The text's column heads, and the Markdown table's head (heap). */
char	*timeline_text_head(bool local, bool with_env);
char	*timeline_markdown_head(bool local, bool with_env);
/* Do the events v[0..n) that match f (environment aside) belong to more
 * than one environment? */
bool	 timeline_several_envs(const struct tl_event *, size_t,
	     const struct tl_filter *);
/* The start of the JSON form: {"environment":ENV,"events":[ (heap). */
char	*timeline_json_head(const char *env);
/* One event as a JSON object line with its time spelled out (heap). */
char	*timeline_format_json(const struct tl_event *);

/* The default file for an environment (heap). */
char	*timeline_default_path(const char *env);
/* Pure: one event as a JSON line ending in "\n" (heap), and back; the
 * parser takes exactly one line's bytes, false for anything that is not a
 * whole event (torn, not JSON, a field missing or of the wrong type). */
char	*timeline_line(const struct tl_event *);
bool	 timeline_parse_line(const char *, size_t, struct tl_event *);
void	 tl_event_free(struct tl_event *);
/* "8M", "512K", "1G", "100000": bytes, or -1. */
int64_t	 timeline_parse_size(const char *);

#endif
