/* loki_parse.h: Loki's HTTP answers, parsed by pure functions: bytes in,
 * log entries or a reason for the user out. Covers /loki/api/v1/query_range
 * (resultType "streams"; a metric query's "matrix" or "vector" is an error
 * that says so), an instant count (a "vector" summed), /loki/api/v1/labels,
 * a /tail frame with its dropped_entries, Loki's error bodies (plain text)
 * and a proxy's. */
#ifndef SITREP_LOKI_PARSE_H
#define SITREP_LOKI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/loki_result.h"

/*
 * A query_range answer (status: the HTTP status, 0 if unknown). Entries
 * come out sorted oldest first whatever the direction, ties broken as Loki
 * breaks them (by the stream's labels) and then by position in the stream.
 * On failure *error gets a short reason (heap) and the result is empty.
 * Invalid UTF-8 in the body (which Loki itself never sends) becomes U+FFFD
 * rather than losing the page.
 */
bool	 loki_parse_query_range(const char *, size_t, long status,
	     enum loki_direction, struct loki_result *, char **error);
/*
 * The jansson path alone, for the differential test and the fuzz targets:
 * loki_parse_query_range() tries the fast scanner (backends/loki_scan.h)
 * first, falling back to this when the scanner gives up, and answers
 * exactly as this alone does.
 */
bool	 loki_parse_query_range_json(const char *, size_t, long status,
	     enum loki_direction, struct loki_result *, char **error);
/* A /tail frame: streams and dropped_entries. */
bool	 loki_parse_tail(const char *, size_t, struct loki_result *,
	     char **error);

/* An instant query such as sum(count_over_time(...)): the sum of the
 * vector's values (0 for an empty vector). */
bool	 loki_parse_count(const char *, size_t, long status, double *,
	     char **error);
/* /loki/api/v1/labels (and label values): a NULL-ended list (heap). */
bool	 loki_parse_labels(const char *, size_t, long status, char ***,
	     size_t *, char **error);
void	 loki_labels_free(char **, size_t);

/* The reason in a failed answer: Loki writes text/plain ("parse error at
 * line 1, col 8: ..."); proxies may write JSON or HTML. At most ~200 bytes,
 * one line (heap). */
char	*loki_error_reason(long status, const char *, size_t);
/* "max entries limit per query exceeded, limit > max_entries_limit (N > M)":
 * true with *max = M. */
bool	 loki_parse_max_entries(const char *, long *max);

#endif
