/* loki_parse.h: Loki's HTTP answers, parsed by pure functions: bytes in,
 * log entries or a reason for the user out. Covers /loki/api/v1/query_range
 * (resultType "streams"; a metric query's "matrix" or "vector" is an error
 * that says so), an instant count (a "vector" summed), /loki/api/v1/labels,
 * a /tail frame with its dropped_entries, Loki's error bodies (plain text)
 * and a proxy's. Also the LogQL side: $service put into a query template,
 * quoted for where it lands. */
#ifndef SITREP_LOKI_PARSE_H
#define SITREP_LOKI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum loki_direction {
	LOKI_FORWARD,		/* each stream's values oldest first */
	LOKI_BACKWARD		/* newest first (Loki's default) */
};

struct loki_stream {
	char		*labels;	/* {app="api", pod="api-1"}, keys sorted */
	uint64_t	 hash;		/* of labels */
};

/* One log line. The text points into the parsed document, which lives as
 * long as the result: copy it before loki_result_free(). */
struct loki_entry {
	int64_t		 ts;		/* ns since the epoch */
	uint64_t	 hash;		/* of the stream and the text: identity */
	const char	*line;		/* may hold NULs; not sanitized */
	size_t		 len;
	uint32_t	 stream;	/* index into streams */
	uint32_t	 pos;		/* order within its stream, oldest 0 */
	uint32_t	 rank;		/* of the stream's labels, sorted */
};

struct loki_dropped {
	int64_t		 ts;
	char		*labels;
};

struct loki_result {
	struct loki_stream	*streams;
	size_t			 nstreams;
	struct loki_entry	*entries;	/* sorted: ts, labels, pos */
	size_t			 n;
	struct loki_dropped	*dropped;	/* tail frames only */
	size_t			 ndropped;
	char			**warnings;
	size_t			 nwarnings;
	void			*doc;		/* what entries point into: */
	char			*arena;		/* a jansson tree, or this */
};

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
 * Its two ways, for the differential test and the fuzz targets:
 * loki_parse_query_range() is the fast scanner, falling back to the
 * jansson path when the scanner gives up (false, r empty), and answers
 * exactly as the jansson path alone does.
 */
bool	 loki_scan_query_range(const char *, size_t, enum loki_direction,
	     struct loki_result *);
bool	 loki_parse_query_range_json(const char *, size_t, long status,
	     enum loki_direction, struct loki_result *, char **error);
/* A /tail frame: streams and dropped_entries. */
bool	 loki_parse_tail(const char *, size_t, struct loki_result *,
	     char **error);
void	 loki_result_free(struct loki_result *);

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

/*
 * Put service into a LogQL template wherever it says $service or
 * ${service}, quoted for where it lands: inside "..." escaped as a Go
 * string (and as a regular expression after =~, !~, |~ or !~), outside
 * quotes as a whole "..." string; inside `...` a service containing ` is
 * refused. NULL service with a $service in the template is an error.
 * Returns the query (heap), or NULL with *error set.
 */
char	*loki_query_expand(const char *, const char *service, char **error);
/* Does the template use $service? */
bool	 loki_query_uses_service(const char *);
/* sum(count_over_time(QUERY [Nms])) for counting what was skipped (heap). */
char	*loki_count_query(const char *, int64_t range_ms);

#endif
