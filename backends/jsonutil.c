/* jsonutil.c: shared jansson helpers for the parsers (see jsonutil.h). */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "backends/jsonutil.h"
#include "core/sanitize.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

json_t *
jsonu_load(const char *body, size_t len, size_t flags, json_error_t *err)
{
	json_error_t	 local, *e = err != NULL ? err : &local;
	json_t		*root;
	char		*fixed;
	size_t		 flen;

	if (body == NULL)
		body = "";
	root = json_loadb(body, len, flags, e);
	if (root != NULL || json_error_code(e) != json_error_invalid_utf8)
		return (root);
	fixed = sanitize_utf8(body, len, &flen);
	root = json_loadb(fixed, flen, flags, e);
	free(fixed);
	return (root);
}

const char *
jsonu_str(const json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

const char *
jsonu_nonempty(const json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_string(v) && json_string_length(v) > 0)
		return (json_string_value(v));
	return (NULL);
}

time_t
jsonu_time(const json_t *o, const char *key)
{
	const char	*s = jsonu_str(o, key);
	int64_t		 ns;

	if (s == NULL || !time_parse_iso(s, &ns))
		return (0);
	return ((time_t)(ns / 1000000000));
}

json_t *
jsonu_text(const char *s)
{
	json_t	*j;
	char	*copy, *p;

	if ((j = json_string(s)) != NULL)
		return (j);
	copy = xstrdup(s);
	for (p = copy; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	j = json_string(copy);
	free(copy);
	return (j);
}

char *
jsonu_dump(json_t *j)
{
	char	*s, *copy;

	if (j == NULL)
		fatal("cannot build a JSON body");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		fatal("cannot encode a JSON body");
	copy = xstrdup(s);
	free(s);
	return (copy);
}
