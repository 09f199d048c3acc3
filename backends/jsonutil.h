/* jsonutil.h: the jansson chores the source parsers share (prefix jsonu_):
 * a server's body loaded with bad UTF-8 repaired, a member read as a string
 * or a time, outside text made a JSON string, a value serialized into a
 * heap string. Pure. */
#ifndef SITREP_JSONUTIL_H
#define SITREP_JSONUTIL_H

#include <jansson.h>
#include <time.h>

/* json_loadb() for what a source sends: bytes that are not UTF-8 (which
 * JSON cannot hold, but a proxy or a careless exporter may send) become
 * U+FFFD, one per maximal invalid subpart, as sanitize_utf8() repairs them,
 * instead of failing the whole answer. err may be NULL. Every source's
 * parser loads through this. */
json_t	*jsonu_load(const char *body, size_t len, size_t flags,
	     json_error_t *err);
/* Member key of o when it is a string, else NULL (o may be NULL or not an
 * object). */
const char *jsonu_str(const json_t *o, const char *key);
/* The same, but NULL for an empty string too. */
const char *jsonu_nonempty(const json_t *o, const char *key);
/* Member key as RFC 3339, in Unix seconds; 0 if absent or malformed. */
time_t	 jsonu_time(const json_t *o, const char *key);
/* A JSON string of outside text; bytes that are not UTF-8 (which JSON
 * cannot hold) become '?'. */
json_t	*jsonu_text(const char *);
/* j (the reference is taken) as compact JSON (heap); failing to build or
 * encode it is fatal, as running out of memory is. */
char	*jsonu_dump(json_t *j);

#endif
