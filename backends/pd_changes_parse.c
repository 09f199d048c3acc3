/* pd_changes_parse.c: PagerDuty change events → struct deploy, and an
 * incident's related changes → a detail section (see pd_changes_parse.h).
 * A change event is PagerDuty's record of "what changed": a deploy, a
 * config push, a flag flip. Its custom_details are free-form; the keys
 * that CI integrations commonly send are read. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "backends/http.h"
#include "backends/jsonutil.h"
#include "backends/pd_changes_parse.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

/* The first of the keys custom_details has, as text. */
static char *
detail(const json_t *cd, const char *const *keys)
{
	const json_t	*v;
	size_t		 i;

	for (i = 0; keys[i] != NULL; i++) {
		v = json_object_get(cd, keys[i]);
		if (json_is_string(v) && json_string_length(v) > 0)
			return (xstrdup(json_string_value(v)));
		if (json_is_integer(v))
			return (xasprintf("%lld",
			    (long long)json_integer_value(v)));
	}
	return (NULL);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static bool
in_list(char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return (true);
	}
	return (false);
}

/* The name of the event's service within scope (see pd_changes_scope);
 * NULL if it has none there. */
static const char *
service_name(const json_t *e, const struct pd_changes_scope *scope)
{
	const json_t	*svc;
	const char	*id, *name;
	size_t		 i;

	json_array_foreach(json_object_get(e, "services"), i, svc) {
		id = jsonu_nonempty(svc, "id");
		if (scope != NULL && scope->nservice_ids > 0 &&
		    (id == NULL || !in_list(scope->service_ids,
		    scope->nservice_ids, id)))
			continue;
		name = NULL;
		if (scope != NULL && scope->names != NULL && id != NULL)
			name = kvlist_get(scope->names, id);
		if (name == NULL || *name == '\0')
			name = jsonu_nonempty(svc, "summary") != NULL ?
			    jsonu_nonempty(svc, "summary") : id;
		if (name != NULL || scope == NULL)
			return (name);
	}
	return (NULL);
}

static bool
change_to_deploy(const json_t *e, const char *source,
    const struct pd_changes_scope *scope, struct deploy *d)
{
	static const char *const version_keys[] = {
		"version", "release", "tag", "build_number", NULL };
	static const char *const revision_keys[] = {
		"revision", "commit", "sha", "git_sha", NULL };
	static const char *const previous_keys[] = {
		"previous_revision", "previous_commit", "previous_version",
		NULL };
	static const char *const author_keys[] = {
		"author", "user", "triggered_by", "actor", NULL };
	static const char *const env_keys[] = {
		"environment", "env", NULL };
	const json_t	*cd, *link;
	const char	*ts, *name;
	int64_t		 ns;

	ts = jsonu_nonempty(e, "timestamp");
	name = service_name(e, scope);
	if (ts == NULL || !time_parse_iso(ts, &ns) || name == NULL)
		return (false);
	memset(d, 0, sizeof *d);
	d->source = xstrdup(source);
	d->id = dup_or_null(jsonu_nonempty(e, "id"));
	d->service = xstrdup(name);
	d->at = (time_t)(ns / 1000000000);
	d->summary = dup_or_null(jsonu_nonempty(e, "summary"));
	cd = json_object_get(e, "custom_details");
	if (json_is_object(cd)) {
		d->version = detail(cd, version_keys);
		d->revision = detail(cd, revision_keys);
		d->previous_revision = detail(cd, previous_keys);
		d->author = detail(cd, author_keys);
		d->environment = detail(cd, env_keys);
	}
	if (d->author == NULL)
		d->author = dup_or_null(jsonu_nonempty(e, "source"));
	link = json_array_get(json_object_get(e, "links"), 0);
	d->url = dup_or_null(jsonu_nonempty(link, "href"));
	return (true);
}

/* The body's root and its "change_events" list; NULL with *err if the
 * body is not such an object. */
static json_t *
changes_load(const char *body, size_t len, json_t **list, char **err)
{
	json_t		*root;
	json_error_t	 jerr;

	if ((root = jsonu_load(body, len, 0, &jerr)) == NULL) {
		*err = xasprintf("change events: not JSON: %s", jerr.text);
		return (NULL);
	}
	*list = json_object_get(root, "change_events");
	if (!json_is_array(*list)) {
		json_decref(root);
		*err = xstrdup("change events: no \"change_events\" list");
		return (NULL);
	}
	return (root);
}

bool
pd_changes_parse_scoped(const char *body, size_t len, const char *source,
    struct pd_changes_scope *scope, struct deploy **v, size_t *n,
    char **err)
{
	json_t		*root, *list, *e;
	size_t		 i;

	*v = NULL;
	*n = 0;
	if (scope != NULL)
		scope->more = false;
	if ((root = changes_load(body, len, &list, err)) == NULL)
		return (false);
	*v = xcalloc(json_array_size(list) + 1, sizeof **v);
	json_array_foreach(list, i, e) {
		if (json_is_object(e) && change_to_deploy(e, source, scope,
		    &(*v)[*n]))
			(*n)++;
	}
	if (scope != NULL)
		scope->more = json_is_true(json_object_get(root, "more"));
	json_decref(root);
	return (true);
}

bool
pd_changes_parse(const char *body, size_t len, const char *source,
    struct deploy **v, size_t *n, char **err)
{
	return (pd_changes_parse_scoped(body, len, source, NULL, v, n, err));
}

/* --- an incident's related changes ---------------------------------------- */

/* "2026-11-26T14:32:05Z (6m before)": when, and when against the start. */
static char *
related_when(time_t at, time_t started_at)
{
	char	when[32], dur[16];

	time_format_iso(when, sizeof when, at);
	if (started_at == 0)
		return (xstrdup(when));
	duration_format(dur, sizeof dur, at <= started_at ? started_at - at :
	    at - started_at);
	return (xasprintf("%s (%s %s)", when, dur, at <= started_at ?
	    "before" : "after"));
}

/* "checkout v2.14.0 by maria: Deploy checkout v2.14.0" */
static char *
related_what(const struct deploy *d)
{
	struct sbuf	sb;
	const char	*version = d->version != NULL ? d->version : d->revision;

	sbuf_init(&sb);
	sbuf_adds(&sb, d->service);
	if (version != NULL)
		sbuf_addf(&sb, " %s", version);
	if (d->author != NULL)
		sbuf_addf(&sb, " by %s", d->author);
	if (d->summary != NULL)
		sbuf_addf(&sb, ": %s", d->summary);
	return (sbuf_steal(&sb));
}

static void
related_lines(struct kvlist *l, const json_t *e, const struct deploy *d,
    time_t started_at)
{
	const char	*reason = jsonu_nonempty(json_object_get(e,
			    "correlation_reason"), "reason");
	char		*key, *value, *p;

	key = related_when(d->at, started_at);
	value = related_what(d);
	kvlist_add(l, key, value);
	free(key);
	free(value);
	if (reason != NULL) {
		value = xstrdup(reason);
		for (p = value; *p != '\0'; p++) {
			if (*p == '_')
				*p = ' ';
		}
		kvlist_add(l, "  correlation", value);
		free(value);
	}
	if (d->url != NULL)
		kvlist_add(l, "  link", d->url);
}

bool
pd_parse_related_changes(const char *body, size_t len, time_t started_at,
    const struct pd_changes_scope *scope, struct detail_section **v,
    size_t *n, char **err)
{
	struct pd_changes_scope	 names;
	struct detail_section	*s;
	struct deploy		 d;
	json_t			*root, *list, *e;
	size_t			 i, shown = 0;

	if ((root = changes_load(body, len, &list, err)) == NULL)
		return (false);
	/* Related changes may be on other services: names only, no filter. */
	memset(&names, 0, sizeof names);
	names.names = scope != NULL ? scope->names : NULL;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	s = &(*v)[(*n)++];
	s->lines = xcalloc(1, sizeof *s->lines);
	json_array_foreach(list, i, e) {
		if (!json_is_object(e) || !change_to_deploy(e, "", &names, &d))
			continue;
		related_lines(s->lines, e, &d, started_at);
		deploy_free(&d);
		shown++;
	}
	s->heading = xasprintf("related changes (%zu)", shown);
	json_decref(root);
	return (true);
}

char *
pd_changes_list_path(long long since, long limit, char *const *teams,
    size_t nteams)
{
	struct sbuf	 sb;
	char		 when[32], *id;
	size_t		 i;

	time_format_iso(when, sizeof when, (time_t)since);
	sbuf_init(&sb);
	sbuf_addf(&sb, "/change_events?since=%s&limit=%ld", when, limit);
	for (i = 0; i < nteams; i++) {
		id = http_escape(teams[i]);
		sbuf_addf(&sb, "&team_ids%%5B%%5D=%s", id);
		free(id);
	}
	return (sbuf_steal(&sb));
}

char *
pd_changes_path(long long since, long limit)
{
	return (pd_changes_list_path(since, limit, NULL, 0));
}
