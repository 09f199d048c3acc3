/* alertmanager_parse.h: Alertmanager API v2 without I/O: GET /api/v2/alerts
 * bodies to vendor-neutral records, silences to JSON and back, error
 * bodies to a reason. Pure functions for unit tests and fuzzers.
 *
 * Mapping: id is the fingerprint; state active is "triggered", suppressed
 * is "silenced" (details silenced_by / inhibited_by say by what); severity
 * is the `severity` label read by severity_parse(); service is the first of
 * the configured labels present; the title is "alertname: summary". */
#ifndef SITREP_ALERTMANAGER_PARSE_H
#define SITREP_ALERTMANAGER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct alert;
struct kvlist;

struct am_options {
	char *const	*service_labels;	/* default: service, job */
	size_t		 nservice_labels;
};

/* Parse the list of alerts; false with *err (heap) if the body is not a
 * JSON array. Items without a fingerprint are skipped. */
bool	 am_parse_alerts(const char *, size_t, const struct am_options *,
	     struct alert **, size_t *, char **err);

/* The answers of several replicas of one cluster, concatenated in v[0..n),
 * as one list: one record per fingerprint, the one in the most advanced
 * state (resolved > silenced > acknowledged > triggered; among equals the
 * earliest start, then the first given). Duplicates are freed; returns
 * the new count. Order is by id afterwards. */
size_t	 am_merge_alerts(struct alert *v, size_t n);

/* POST /api/v2/silences body: equality matchers, one per pair. */
char	*am_silence_body(const struct kvlist *matchers, time_t starts,
	     time_t ends, const char *created_by, const char *comment);
/* The silenceID of a successful POST; NULL with *err otherwise. */
char	*am_parse_silence_id(const char *, size_t, char **err);
/* An error body: a bare JSON string (some 400s) or {"message": ...}. NULL
 * if nothing useful. */
char	*am_error_message(const char *, size_t);
/* "alertname=X, job=Y" for showing matchers before confirming (heap). */
char	*am_matchers_text(const struct kvlist *);

#endif
