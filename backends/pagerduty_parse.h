/* pagerduty_parse.h: PagerDuty REST API v2, without I/O: response bodies
 * in, vendor-neutral records (or a reason) out, and the paths and JSON
 * bodies of the requests the backend sends. Pure functions, so that unit
 * tests feed them the OpenAPI document's own examples and hostile bytes.
 *
 * Severity: an incident's priority decides when it has one whose name
 * reads as a severity (P1 critical, P2 error, P3 warning, P4/P5 info);
 * otherwise urgency high is critical and low is warning. */
#ifndef SITREP_PAGERDUTY_PARSE_H
#define SITREP_PAGERDUTY_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct alert;
struct detail_section;

/* Classic pagination: PagerDuty serves at most this many per page. */
#define PD_PAGE_LIMIT	100
/* Snooze bounds from the API (seconds). */
#define PD_SNOOZE_MAX	604800

/* One page of GET /incidents. */
struct pd_page {
	struct alert	*v;		/* n records, ownership to the caller */
	size_t		 n;
	bool		 more;		/* another page follows */
};

/* Parse a page of incidents; false with *err (heap) if the body is not
 * what the API documents. Items without an id are skipped. */
bool	 pd_parse_incidents(const char *, size_t, struct pd_page *,
	     char **err);
void	 pd_page_free(struct pd_page *);

/* One entry of an incident's log (GET /incidents/{id}/log_entries): what
 * happened, by whom, when (PagerDuty's clock). */
struct pd_log_entry {
	char	*id;
	char	*type;		/* "acknowledge_log_entry" ... */
	char	*summary;	/* "Acknowledged by Maria" */
	char	*agent;		/* who or what did it, or NULL */
	time_t	 at;		/* 0: unknown */
};
#define PD_LOG_PAGE	100	/* entries asked for per page */
#define PD_LOG_PAGES	10	/* pages at most: the newest 1,000 */
/* A page of log entries, appended to *v (*n grows); *more if another
 * page follows. Entries without an id are skipped. */
bool	 pd_parse_log_entries(const char *, size_t, struct pd_log_entry **,
	     size_t *n, bool *more, char **err);
void	 pd_log_entries_free(struct pd_log_entry *, size_t);

/* GET /incidents/{id}/alerts and /notes, as detail lines: one section
 * each, appended to *v (*n grows). */
bool	 pd_parse_alerts(const char *, size_t, struct detail_section **,
	     size_t *, char **err);
bool	 pd_parse_notes(const char *, size_t, struct detail_section **,
	     size_t *, char **err);

/* What an error body says ({"error":{"message","errors"}}, or Prism's
 * problem+json), at most a line; NULL if nothing useful. */
char	*pd_error_message(const char *, size_t);

/* Requests. Paths are relative to the base URL; ids are escaped. */
char	*pd_list_path(char *const *services, size_t, char *const *teams,
	     size_t, int limit, long offset);
char	*pd_incident_path(const char *id, const char *suffix);
char	*pd_body_status(const char *status);	/* acknowledged, resolved */
char	*pd_body_note(const char *);
/* POST /incidents/{id}/status_updates: {"message": text}. */
char	*pd_body_status_update(const char *);
char	*pd_body_snooze(int64_t seconds);
/* Reassign: digits are an escalation level ("2"), anything else must be a
 * PagerDuty user id ("PXPGF42"); NULL with *err (static) otherwise. */
char	*pd_body_reassign(const char *, const char **err);

/* A PagerDuty object id: letters and digits, 1 to 64 of them. */
bool	 pd_valid_id(const char *);

#endif
