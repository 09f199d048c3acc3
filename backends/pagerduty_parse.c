/* pagerduty_parse.c: PagerDuty REST API v2 bodies to records and back,
 * without I/O. Every field is optional on the way in: a missing or
 * mistyped one leaves a record less complete, never a crash; only a body
 * that is not the documented shape is an error. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/http.h"
#include "backends/jsonutil.h"
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define PD_MESSAGE_MAX	300

/* The "summary" of a reference object such as "service": {...}. */
static const char *
jref(const json_t *o, const char *key)
{
	json_t		*r = json_object_get(o, key);
	const char	*s;

	if (!json_is_object(r))
		return (NULL);
	if ((s = jsonu_str(r, "summary")) == NULL)
		s = jsonu_str(r, "name");
	return (s);
}

static json_t *
pd_load(const char *body, size_t len, const char *want, char **err)
{
	json_t		*root;
	json_error_t	 je;

	if ((root = jsonu_load(body, len, 0, &je)) == NULL) {
		*err = xasprintf("bad JSON: %s", je.text);
		return (NULL);
	}
	if (!json_is_object(root) || !json_is_array(json_object_get(root,
	    want))) {
		*err = xasprintf("unexpected response: no \"%s\" list", want);
		json_decref(root);
		return (NULL);
	}
	return (root);
}

/* "a, b, c" from the summaries of a list of references, each under key
 * (NULL: the items themselves). */
static char *
join_refs(const json_t *arr, const char *key)
{
	struct sbuf	 sb;
	const char	*s;
	json_t		*item;
	size_t		 i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return (NULL);
	sbuf_init(&sb);
	json_array_foreach(arr, i, item) {
		s = key != NULL ? jref(item, key) : jsonu_str(item, "summary");
		if (s == NULL)
			continue;
		if (sb.len > 0)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, s);
	}
	if (sb.len == 0) {
		sbuf_free(&sb);
		return (NULL);
	}
	return (sbuf_steal(&sb));
}

static void
detail_add_int(struct kvlist *l, const char *key, const json_t *v)
{
	char	buf[32];

	if (!json_is_integer(v))
		return;
	snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
	    json_integer_value(v));
	kvlist_add(l, key, buf);
}

static enum severity
pd_severity(const char *urgency, const char *priority)
{
	enum severity	sev = severity_parse(priority);

	if (sev != SEV_UNKNOWN)
		return (sev);
	if (urgency != NULL && strcmp(urgency, "high") == 0)
		return (SEV_CRITICAL);
	if (urgency != NULL && strcmp(urgency, "low") == 0)
		return (SEV_WARNING);
	return (SEV_UNKNOWN);
}

static enum alert_status
pd_status(const char *s)
{
	if (s != NULL && strcmp(s, "acknowledged") == 0)
		return (ALERT_ACKNOWLEDGED);
	if (s != NULL && strcmp(s, "resolved") == 0)
		return (ALERT_RESOLVED);
	return (ALERT_TRIGGERED);
}

static void
pd_incident_details(struct alert *a, const json_t *o)
{
	struct kvlist	*d = &a->details;
	const json_t	*counts = json_object_get(o, "alert_counts");
	const json_t	*bridge = json_object_get(o, "conference_bridge");
	const json_t	*svc = json_object_get(o, "service");

	detail_add_int(d, "incident_number", json_object_get(o,
	    "incident_number"));
	kvlist_add_if(d, "status", jsonu_str(o, "status"));
	kvlist_add_if(d, "urgency", jsonu_str(o, "urgency"));
	kvlist_add_if(d, "priority", jref(o, "priority"));
	kvlist_add_if(d, "service_id", jsonu_str(svc, "id"));
	kvlist_add_if(d, "escalation_policy", jref(o, "escalation_policy"));
	kvlist_add_owned(d, "teams", join_refs(json_object_get(o, "teams"),
	    NULL));
	kvlist_add_owned(d, "acknowledged_by", join_refs(json_object_get(o,
	    "acknowledgements"), "acknowledger"));
	kvlist_add_if(d, "incident_key", jsonu_str(o, "incident_key"));
	if (json_is_object(counts))
		kvlist_add_owned(d, "alerts", xasprintf("%" JSON_INTEGER_FORMAT
		    " (%" JSON_INTEGER_FORMAT " triggered)",
		    json_integer_value(json_object_get(counts, "all")),
		    json_integer_value(json_object_get(counts, "triggered"))));
	kvlist_add_if(d, "last_status_change_at", jsonu_str(o,
	    "last_status_change_at"));
	kvlist_add_if(d, "last_status_change_by", jref(o,
	    "last_status_change_by"));
	kvlist_add_if(d, "conference_url", jsonu_str(bridge,
	    "conference_url"));
	kvlist_add_if(d, "conference_number", jsonu_str(bridge,
	    "conference_number"));
}

static bool
pd_incident(struct alert *a, const json_t *o)
{
	const char	*id = jsonu_str(o, "id"), *title, *svc;
	const json_t	*body = json_object_get(o, "body");

	if (id == NULL || *id == '\0')
		return (false);
	memset(a, 0, sizeof *a);
	a->id = xstrdup(id);
	if ((title = jsonu_str(o, "title")) == NULL &&
	    (title = jsonu_str(o, "summary")) == NULL)
		title = id;
	a->title = xstrdup(title);
	if ((svc = jref(o, "service")) != NULL)
		a->service = xstrdup(svc);
	a->status = pd_status(jsonu_str(o, "status"));
	a->severity = pd_severity(jsonu_str(o, "urgency"), jref(o, "priority"));
	a->started_at = jsonu_time(o, "created_at");
	if (jsonu_str(o, "html_url") != NULL)
		a->url = xstrdup(jsonu_str(o, "html_url"));
	a->assignees = join_refs(json_object_get(o, "assignments"),
	    "assignee");
	if (json_is_object(body) && jsonu_str(body, "details") != NULL)
		a->description = xstrdup(jsonu_str(body, "details"));
	else if (jsonu_str(o, "description") != NULL &&
	    strcmp(jsonu_str(o, "description"), title) != 0)
		a->description = xstrdup(jsonu_str(o, "description"));
	pd_incident_details(a, o);
	return (true);
}

bool
pd_parse_incidents(const char *body, size_t len, struct pd_page *page,
    char **err)
{
	json_t	*root, *list, *item;
	size_t	 i;

	memset(page, 0, sizeof *page);
	*err = NULL;
	if ((root = pd_load(body, len, "incidents", err)) == NULL)
		return (false);
	list = json_object_get(root, "incidents");
	page->v = xcalloc(json_array_size(list) + 1, sizeof *page->v);
	json_array_foreach(list, i, item) {
		if (json_is_object(item) && pd_incident(&page->v[page->n],
		    item))
			page->n++;
	}
	page->more = json_is_true(json_object_get(root, "more"));
	json_decref(root);
	return (true);
}

void
pd_page_free(struct pd_page *page)
{
	size_t	i;

	for (i = 0; i < page->n; i++)
		alert_free(&page->v[i]);
	free(page->v);
	memset(page, 0, sizeof *page);
}

/* --- detail sections ------------------------------------------------------ */

static struct detail_section *
section_add(struct detail_section **v, size_t *n, char *heading)
{
	struct detail_section	*s;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	s = &(*v)[(*n)++];
	s->heading = heading;
	s->lines = xcalloc(1, sizeof *s->lines);
	return (s);
}

/* A JSON value as one line of text: strings as they are, the rest as
 * compact JSON. */
static char *
pd_value_text(const json_t *v)
{
	char	*s, *copy;

	if (json_is_string(v))
		return (xstrdup(json_string_value(v)));
	if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_SORT_KEYS)) == NULL)
		return (xstrdup("?"));
	copy = xstrdup(s);
	free(s);
	return (copy);
}

/* A string member, or def. */
static const char *
str_or(const json_t *o, const char *key, const char *def)
{
	const char	*s = jsonu_str(o, key);

	return (s != NULL ? s : def);
}

static void
pd_alert_lines(struct kvlist *l, const json_t *o)
{
	const json_t	*body = json_object_get(o, "body");
	const json_t	*details, *contexts, *v, *c;
	const char	*key;
	size_t		 i;

	kvlist_add_owned(l, str_or(o, "id", "alert"),
	    xasprintf("%s %s %s: %s", str_or(o, "severity", "-"),
	    str_or(o, "status", "-"), str_or(o, "created_at", "-"),
	    str_or(o, "summary", "")));
	kvlist_add_if(l, "  page", jsonu_str(o, "html_url"));
	if (!json_is_object(body))
		return;
	details = json_object_get(body, "details");
	if (json_is_object(details)) {
		json_object_foreach((json_t *)details, key, v) {
			char *k = xasprintf("  %s", key);

			kvlist_add_owned(l, k, pd_value_text(v));
			free(k);
		}
	} else if (details != NULL && !json_is_null(details))
		kvlist_add_owned(l, "  details", pd_value_text(details));
	contexts = json_object_get(body, "contexts");
	json_array_foreach(contexts, i, c) {
		const char *href = jsonu_str(c, "href");
		const char *text = jsonu_str(c, "text");

		if (href != NULL)
			kvlist_add_owned(l, "  link", xasprintf("%s%s%s",
			    text != NULL ? text : "", text != NULL ? " " : "",
			    href));
	}
}

bool
pd_parse_alerts(const char *body, size_t len, struct detail_section **v,
    size_t *n, char **err)
{
	struct detail_section	*s;
	json_t			*root, *list, *item;
	size_t			 i;

	*err = NULL;
	if ((root = pd_load(body, len, "alerts", err)) == NULL)
		return (false);
	list = json_object_get(root, "alerts");
	s = section_add(v, n, xasprintf("alerts (%zu%s)",
	    json_array_size(list), json_is_true(json_object_get(root, "more")) ?
	    ", more in PagerDuty" : ""));
	json_array_foreach(list, i, item) {
		if (json_is_object(item))
			pd_alert_lines(s->lines, item);
	}
	json_decref(root);
	return (true);
}

bool
pd_parse_notes(const char *body, size_t len, struct detail_section **v,
    size_t *n, char **err)
{
	struct detail_section	*s;
	json_t			*root, *list, *item;
	const char		*who, *when;
	size_t			 i;
	char			*key;

	*err = NULL;
	if ((root = pd_load(body, len, "notes", err)) == NULL)
		return (false);
	list = json_object_get(root, "notes");
	s = section_add(v, n, xasprintf("notes (%zu)", json_array_size(list)));
	json_array_foreach(list, i, item) {
		if (!json_is_object(item) || jsonu_str(item, "content") == NULL)
			continue;
		who = jref(item, "user");
		when = jsonu_str(item, "created_at");
		key = xasprintf("%s %s", when != NULL ? when : "-",
		    who != NULL ? who : "-");
		kvlist_add(s->lines, key, jsonu_str(item, "content"));
		free(key);
	}
	json_decref(root);
	return (true);
}

/* --- an incident's log ------------------------------------------------------ */

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

bool
pd_parse_log_entries(const char *body, size_t len, struct pd_log_entry **v,
    size_t *n, bool *more, char **err)
{
	struct pd_log_entry	*e;
	json_t			*root, *list, *item;
	size_t			 i;

	*err = NULL;
	*more = false;
	if ((root = pd_load(body, len, "log_entries", err)) == NULL)
		return (false);
	list = json_object_get(root, "log_entries");
	json_array_foreach(list, i, item) {
		if (!json_is_object(item) || jsonu_nonempty(item, "id") == NULL)
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		e = &(*v)[(*n)++];
		e->id = xstrdup(jsonu_str(item, "id"));
		e->type = dup_or_null(jsonu_str(item, "type"));
		e->summary = dup_or_null(jsonu_str(item, "summary"));
		e->agent = dup_or_null(jref(item, "agent"));
		e->at = jsonu_time(item, "created_at");
	}
	*more = json_is_true(json_object_get(root, "more"));
	json_decref(root);
	return (true);
}

void
pd_log_entries_free(struct pd_log_entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].type);
		free(v[i].summary);
		free(v[i].agent);
	}
	free(v);
}

/* --- errors --------------------------------------------------------------- */

static void
add_messages(struct sbuf *sb, const json_t *list, const char *key)
{
	const json_t	*item;
	const char	*m;
	size_t		 i;

	json_array_foreach(list, i, item) {
		m = key != NULL ? jsonu_str(item, key) :
		    json_string_value(item);
		if (m == NULL)
			continue;
		sbuf_adds(sb, sb->len > 0 ? "; " : "");
		sbuf_adds(sb, m);
	}
}

char *
pd_error_message(const char *body, size_t len)
{
	json_t		*root, *e;
	struct sbuf	 sb;
	const char	*m;
	char		*out = NULL;

	if (body == NULL || len == 0 ||
	    (root = jsonu_load(body, len, 0, NULL)) == NULL)
		return (NULL);
	sbuf_init(&sb);
	e = json_object_get(root, "error");
	if (json_is_object(e)) {
		if ((m = jsonu_str(e, "message")) != NULL)
			sbuf_adds(&sb, m);
		add_messages(&sb, json_object_get(e, "errors"), NULL);
	} else if (json_is_object(root)) {
		/* Prism: problem+json with a validation list. */
		if ((m = jsonu_str(root, "title")) != NULL)
			sbuf_adds(&sb, m);
		add_messages(&sb, json_object_get(root, "validation"),
		    "message");
	}
	/* The first line, at most PD_MESSAGE_MAX bytes. */
	if (sb.len > 0)
		out = utf8_shorten(sb.s, strcspn(sb.s, "\r\n"), PD_MESSAGE_MAX);
	sbuf_free(&sb);
	json_decref(root);
	return (out);
}

/* --- requests ------------------------------------------------------------- */

static void
add_param(struct sbuf *sb, const char *name, const char *value)
{
	char	*v = http_escape(value);

	sbuf_addf(sb, "%s%s=%s", sb->len > 0 ? "&" : "", name, v);
	free(v);
}

char *
pd_list_path(char *const *services, size_t nservices, char *const *teams,
    size_t nteams, int limit, long offset)
{
	struct sbuf	 sb;
	char		*path;
	size_t		 i;

	sbuf_init(&sb);
	add_param(&sb, "statuses%5B%5D", "triggered");
	add_param(&sb, "statuses%5B%5D", "acknowledged");
	for (i = 0; i < nservices; i++)
		add_param(&sb, "service_ids%5B%5D", services[i]);
	for (i = 0; i < nteams; i++)
		add_param(&sb, "team_ids%5B%5D", teams[i]);
	sbuf_addf(&sb, "&limit=%d&offset=%ld", limit, offset);
	path = xasprintf("/incidents?%s", sb.s);
	sbuf_free(&sb);
	return (path);
}

char *
pd_incident_path(const char *id, const char *suffix)
{
	char	*e = http_escape(id), *path;

	path = xasprintf("/incidents/%s%s", e, suffix != NULL ? suffix : "");
	free(e);
	return (path);
}

char *
pd_body_status(const char *status)
{
	return (jsonu_dump(json_pack("{s:{s:s, s:s}}", "incident", "type",
	    "incident_reference", "status", status)));
}

char *
pd_body_note(const char *text)
{
	/* Typed text that is not UTF-8 keeps its ASCII, '?' for the rest. */
	return (jsonu_dump(json_pack("{s:{s:o}}", "note", "content",
	    jsonu_text(text))));
}

char *
pd_body_status_update(const char *text)
{
	return (jsonu_dump(json_pack("{s:o}", "message", jsonu_text(text))));
}

char *
pd_body_snooze(int64_t seconds)
{
	return (jsonu_dump(json_pack("{s:I}", "duration",
	    (json_int_t)seconds)));
}

bool
pd_valid_id(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++) {
		if (!isalnum((unsigned char)*s))
			return (false);
	}
	return (n > 0 && n <= 64);
}

char *
pd_body_reassign(const char *arg, const char **err)
{
	const char	*p;
	long		 level;

	*err = NULL;
	for (p = arg; isdigit((unsigned char)*p); p++)
		;
	if (p != arg && *p == '\0') {
		level = strtol(arg, NULL, 10);
		if (level < 1 || level > 20) {
			*err = "escalation level must be 1 to 20";
			return (NULL);
		}
		return (jsonu_dump(json_pack("{s:{s:s, s:i}}", "incident",
		    "type", "incident_reference", "escalation_level",
		    (int)level)));
	}
	if (!pd_valid_id(arg)) {
		*err = "give a PagerDuty user id (e.g. PXPGF42) or an "
		    "escalation level (e.g. 2)";
		return (NULL);
	}
	return (jsonu_dump(json_pack("{s:{s:s, s:[{s:{s:s, s:s}}]}}",
	    "incident", "type", "incident_reference", "assignments", "assignee",
	    "id", arg, "type", "user_reference")));
}
