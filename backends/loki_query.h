/* loki_query.h: LogQL written by sitrep: a service name (outside data: an
 * alert's label) put into the query template so that it can only ever be a
 * string literal, and the count query that measures what was skipped. */
#ifndef SITREP_LOKI_QUERY_H
#define SITREP_LOKI_QUERY_H

#include <stdbool.h>
#include <stdint.h>

struct sbuf;

/* s as a Go-quoted string, as LogQL writes label values. */
void	 loki_query_quote(struct sbuf *, const char *s);
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
char	*loki_query_count(const char *, int64_t range_ms);

#endif
