/* deploys_parse.c: JSON lines → struct deploy. A line that is not a JSON
 * object, lacks "service" or a valid "at", or has a field of the wrong type
 * is skipped and named by its line number; the rest still count. */
#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/deploys_parse.h"
#include "backends/jsonutil.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

static const char *const string_fields[] = {
	"service", "version", "revision", "previous_revision", "author",
	"url", "environment", "summary", "id"
};

/* Skip a line; name it while there is room. Takes msg (heap). */
static void
problem(struct deploys_parsed *out, size_t line, char *msg)
{
	out->skipped++;
	if (out->nproblems < DEPLOYS_PARSE_MAX_PROBLEMS) {
		out->problems = xreallocarray(out->problems,
		    out->nproblems + 1, sizeof *out->problems);
		out->problems[out->nproblems++] = xasprintf("line %zu: %s",
		    line, msg);
	}
	free(msg);
}

/* "at": an RFC 3339 string or Unix seconds after 1970 and within what
 * time_from_unix takes (1e300 is no time at all). */
static bool
parse_at(json_t *v, time_t *at)
{
	int64_t	ns;

	if (json_is_string(v)) {
		if (!time_parse_iso(json_string_value(v), &ns))
			return (false);
		*at = (time_t)(ns / 1000000000);
		return (true);
	}
	if (!json_is_number(v) || !time_from_unix(json_number_value(v), at))
		return (false);
	return (*at > 0);
}

static char **
field_slot(struct deploy *d, const char *name)
{
	if (strcmp(name, "service") == 0)
		return (&d->service);
	if (strcmp(name, "version") == 0)
		return (&d->version);
	if (strcmp(name, "revision") == 0)
		return (&d->revision);
	if (strcmp(name, "previous_revision") == 0)
		return (&d->previous_revision);
	if (strcmp(name, "author") == 0)
		return (&d->author);
	if (strcmp(name, "url") == 0)
		return (&d->url);
	if (strcmp(name, "environment") == 0)
		return (&d->environment);
	if (strcmp(name, "summary") == 0)
		return (&d->summary);
	return (&d->id);
}

/* One object into d; NULL, or what is wrong (heap). */
static char *
fill(struct deploy *d, json_t *o)
{
	json_t	*v;
	size_t	 i;

	for (i = 0; i < sizeof string_fields / sizeof string_fields[0]; i++) {
		v = json_object_get(o, string_fields[i]);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v))
			return (xasprintf("\"%s\" is not a string",
			    string_fields[i]));
		if (json_string_length(v) > 0)
			*field_slot(d, string_fields[i]) =
			    xstrdup(json_string_value(v));
	}
	if (d->service == NULL)
		return (xstrdup("no \"service\""));
	if ((v = json_object_get(o, "at")) == NULL)
		return (xstrdup("no \"at\""));
	if (!parse_at(v, &d->at))
		return (xstrdup("\"at\" is not an RFC 3339 time or Unix "
		    "seconds"));
	return (NULL);
}

static void
parse_line(const char *s, size_t len, size_t lineno, const char *source,
    struct deploys_parsed *out)
{
	json_t		*o;
	json_error_t	 jerr;
	struct deploy	 d;
	char		*why;

	o = jsonu_load(s, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL) {
		problem(out, lineno, xasprintf("not JSON: %s", jerr.text));
		return;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		problem(out, lineno, xstrdup("not a JSON object"));
		return;
	}
	memset(&d, 0, sizeof d);
	if ((why = fill(&d, o)) != NULL) {
		json_decref(o);
		deploy_free(&d);
		problem(out, lineno, why);
		return;
	}
	json_decref(o);
	d.source = xstrdup(source);
	if (d.id == NULL)
		d.id = xasprintf("%s@%s@%lld", d.service, d.revision != NULL ?
		    d.revision : (d.version != NULL ? d.version : ""),
		    (long long)d.at);
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	out->v[out->n++] = d;
}

static bool
blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return (false);
	}
	return (true);
}

void
deploys_parse(const char *buf, size_t len, const char *source,
    struct deploys_parsed *out)
{
	const char	*end = buf + len, *nl;
	size_t		 lineno = 0, named;

	memset(out, 0, sizeof *out);
	while (buf < end) {
		lineno++;
		if ((nl = memchr(buf, '\n', end - buf)) == NULL)
			nl = end;
		if (!blank(buf, nl - buf))
			parse_line(buf, nl - buf, lineno, source, out);
		buf = nl + 1;
	}
	named = out->nproblems;
	if (out->skipped > named) {
		out->problems = xreallocarray(out->problems, named + 1,
		    sizeof *out->problems);
		out->problems[out->nproblems++] = xasprintf("%zu more bad "
		    "line%s", out->skipped - named,
		    out->skipped - named == 1 ? "" : "s");
	}
}

void
deploys_parsed_free(struct deploys_parsed *out)
{
	size_t	i;

	for (i = 0; i < out->n; i++)
		deploy_free(&out->v[i]);
	free(out->v);
	for (i = 0; i < out->nproblems; i++)
		free(out->problems[i]);
	free(out->problems);
	memset(out, 0, sizeof *out);
}
