/* prometheus_parse.h: answers of the Prometheus HTTP API (/api/v1/query,
 * /api/v1/query_range and /api/v1/rules), parsed by pure functions: bytes
 * in, series, rules or a reason for the user out. Also the scalars Prometheus writes as strings
 * ("NaN", "+Inf"), and the instants a user may write in the config. */
#ifndef SITREP_PROMETHEUS_PARSE_H
#define SITREP_PROMETHEUS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"

enum prom_kind {
	PROM_VECTOR,
	PROM_MATRIX,
	PROM_SCALAR,
	PROM_STRING
};

/* One series: its labels (__name__ among them when Prometheus kept it) and
 * either one value (vector, scalar) or n points (matrix). */
struct prom_series {
	struct kvlist	 labels;
	double		 value;		/* vector, scalar; NAN for matrix */
	double		*t;		/* matrix: unix seconds */
	double		*v;		/* matrix: values */
	size_t		 n;
};

struct prom_result {
	enum prom_kind		 kind;
	struct prom_series	*series;
	size_t			 n;
	char			**warnings;	/* "warnings" and "infos" */
	size_t			 nwarnings;
};

/*
 * Parse one answer. status is the HTTP status (0 when unknown). On success
 * the result is filled; on failure *error gets a short reason (heap) such
 * as "bad_data: 1:5: parse error: ..." for Prometheus' own error body,
 * "HTTP 502 (not a Prometheus answer)" for a proxy's page, or "bad JSON:
 * ..." for a truncated body, and the result is left empty.
 */
bool	 prom_parse_response(const char *, size_t, long status,
	     struct prom_result *, char **error);
void	 prom_result_free(struct prom_result *);

/*
 * /api/v1/rules: the alerting rules Prometheus evaluates, each with its
 * state and the alerts it holds:
 *   {"status":"success","data":{"groups":[{"name":..,"rules":[{"type":
 *    "alerting","name":..,"query":..,"duration":120,"labels":{..},
 *    "state":"pending","alerts":[{"labels":{..},"state":"pending",
 *    "activeAt":"2026-..Z"}]}]}]}}
 * Recording rules are skipped; a rule that is not an object with a name is
 * skipped too, so that one odd rule does not hide the others.
 */
enum prom_rule_state {
	PROM_RULE_INACTIVE,
	PROM_RULE_PENDING,
	PROM_RULE_FIRING
};

struct prom_rule_alert {
	struct kvlist		 labels;
	enum prom_rule_state	 state;
	double			 active_at;	/* unix seconds, 0 unknown */
};

struct prom_rule {
	char			*group;
	char			*name;
	char			*query;
	long			 for_s;		/* "duration", bounded */
	struct kvlist		 labels;
	enum prom_rule_state	 state;
	struct prom_rule_alert	*alerts;
	size_t			 nalerts;
};

struct prom_rules {
	struct prom_rule	*v;
	size_t			 n;
};

/* Parse a /api/v1/rules answer; on failure *error as for
 * prom_parse_response() and nothing kept. */
bool	 prom_parse_rules(const char *, size_t, long status,
	     struct prom_rules *, char **error);
void	 prom_rules_free(struct prom_rules *);

/* A sample value as Prometheus writes it: "0.5", "1e-05", "NaN", "+Inf",
 * "-Inf". False for anything else. */
bool	 prom_parse_value(const char *, double *);

/* An instant: unix seconds ("1700000000", "1700000000.25") or RFC 3339
 * ("2026-11-26T14:32:05Z"). False if malformed. */
bool	 prom_parse_time(const char *, double *);

#endif
