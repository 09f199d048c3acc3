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
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#define PD_MESSAGE_MAX	300

static const char *
jstr(const json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* The "summary" of a reference object such as "service": {...}. */
static const char *
jref(const json_t *o, const char *key)
{
	json_t		*r = json_object_get(o, key);
	const char	*s;

	if (!json_is_object(r))
		return (NULL);
	if ((s = jstr(r, "summary")) == NULL)
		s = jstr(r, "name");
	return (s);
}

static time_t
jtime(const json_t *o, const char *key)
{
	const char	*s = jstr(o, key);
	int64_t		 ns;

	if (s == NULL || !time_parse_iso(s, &ns))
		return (0);
	return ((time_t)(ns / 1000000000));
}

static json_t *
pd_load(const char *body, size_t len, const char *want, char **err)
{
	json_t		*root;
	json_error_t	 je;

	if ((root = json_loadb(body, len, 0, &je)) == NULL) {
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
		s = key != NULL ? jref(item, key) : jstr(item, "summary");
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
detail_add_owned(struct kvlist *l, const char *key, char *value)
{
	if (value != NULL)
		kvlist_add(l, key, value);
	free(value);
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
	if (jstr(o, "status") != NULL)
		kvlist_add(d, "status", jstr(o, "status"));
	if (jstr(o, "urgency") != NULL)
		kvlist_add(d, "urgency", jstr(o, "urgency"));
	if (jref(o, "priority") != NULL)
		kvlist_add(d, "priority", jref(o, "priority"));
	if (json_is_object(svc) && jstr(svc, "id") != NULL)
		kvlist_add(d, "service_id", jstr(svc, "id"));
	if (jref(o, "escalation_policy") != NULL)
		kvlist_add(d, "escalation_policy", jref(o,
		    "escalation_policy"));
	detail_add_owned(d, "teams", join_refs(json_object_get(o, "teams"),
	    NULL));
	detail_add_owned(d, "acknowledged_by", join_refs(json_object_get(o,
	    "acknowledgements"), "acknowledger"));
	if (jstr(o, "incident_key") != NULL)
		kvlist_add(d, "incident_key", jstr(o, "incident_key"));
	if (json_is_object(counts))
		detail_add_owned(d, "alerts", xasprintf("%" JSON_INTEGER_FORMAT
		    " (%" JSON_INTEGER_FORMAT " triggered)",
		    json_integer_value(json_object_get(counts, "all")),
		    json_integer_value(json_object_get(counts, "triggered"))));
	if (jstr(o, "last_status_change_at") != NULL)
		kvlist_add(d, "last_status_change_at", jstr(o,
		    "last_status_change_at"));
	if (jref(o, "last_status_change_by") != NULL)
		kvlist_add(d, "last_status_change_by", jref(o,
		    "last_status_change_by"));
	if (json_is_object(bridge) && jstr(bridge, "conference_url") != NULL)
		kvlist_add(d, "conference_url", jstr(bridge,
		    "conference_url"));
	if (json_is_object(bridge) && jstr(bridge, "conference_number") !=
	    NULL)
		kvlist_add(d, "conference_number", jstr(bridge,
		    "conference_number"));
}

static bool
pd_incident(struct alert *a, const json_t *o)
{
	const char	*id = jstr(o, "id"), *title, *svc;
	const json_t	*body = json_object_get(o, "body");

	if (id == NULL || *id == '\0')
		return (false);
	memset(a, 0, sizeof *a);
	a->id = xstrdup(id);
	if ((title = jstr(o, "title")) == NULL &&
	    (title = jstr(o, "summary")) == NULL)
		title = id;
	a->title = xstrdup(title);
	if ((svc = jref(o, "service")) != NULL)
		a->service = xstrdup(svc);
	a->status = pd_status(jstr(o, "status"));
	a->severity = pd_severity(jstr(o, "urgency"), jref(o, "priority"));
	a->started_at = jtime(o, "created_at");
	if (jstr(o, "html_url") != NULL)
		a->url = xstrdup(jstr(o, "html_url"));
	a->assignees = join_refs(json_object_get(o, "assignments"),
	    "assignee");
	if (json_is_object(body) && jstr(body, "details") != NULL)
		a->description = xstrdup(jstr(body, "details"));
	else if (jstr(o, "description") != NULL &&
	    strcmp(jstr(o, "description"), title) != 0)
		a->description = xstrdup(jstr(o, "description"));
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
json_text(const json_t *v)
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

static void
pd_alert_lines(struct kvlist *l, const json_t *o)
{
	const json_t	*body = json_object_get(o, "body");
	const json_t	*details, *contexts, *v, *c;
	const char	*key, *sev = jstr(o, "severity");
	size_t		 i;

	detail_add_owned(l, jstr(o, "id") != NULL ? jstr(o, "id") : "alert",
	    xasprintf("%s %s %s: %s", sev != NULL ? sev : "-",
	    jstr(o, "status") != NULL ? jstr(o, "status") : "-",
	    jstr(o, "created_at") != NULL ? jstr(o, "created_at") : "-",
	    jstr(o, "summary") != NULL ? jstr(o, "summary") : ""));
	if (jstr(o, "html_url") != NULL)
		kvlist_add(l, "  page", jstr(o, "html_url"));
	if (!json_is_object(body))
		return;
	details = json_object_get(body, "details");
	if (json_is_object(details)) {
		json_object_foreach((json_t *)details, key, v) {
			char *k = xasprintf("  %s", key);

			detail_add_owned(l, k, json_text(v));
			free(k);
		}
	} else if (details != NULL && !json_is_null(details))
		detail_add_owned(l, "  details", json_text(details));
	contexts = json_object_get(body, "contexts");
	json_array_foreach(contexts, i, c) {
		const char *href = jstr(c, "href"), *text = jstr(c, "text");

		if (href != NULL)
			detail_add_owned(l, "  link", xasprintf("%s%s%s",
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
		if (!json_is_object(item) || jstr(item, "content") == NULL)
			continue;
		who = jref(item, "user");
		when = jstr(item, "created_at");
		key = xasprintf("%s %s", when != NULL ? when : "-",
		    who != NULL ? who : "-");
		kvlist_add(s->lines, key, jstr(item, "content"));
		free(key);
	}
	json_decref(root);
	return (true);
}

/* --- errors --------------------------------------------------------------- */

/* First line only, at most PD_MESSAGE_MAX bytes on a character boundary. */
static char *
one_line(const char *s)
{
	size_t	len = strcspn(s, "\r\n");

	if (len > PD_MESSAGE_MAX) {
		len = PD_MESSAGE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		return (xasprintf("%.*s...", (int)len, s));
	}
	return (xstrndup(s, len));
}

static void
add_messages(struct sbuf *sb, const json_t *list, const char *key)
{
	const json_t	*item;
	const char	*m;
	size_t		 i;

	json_array_foreach(list, i, item) {
		m = key != NULL ? jstr(item, key) : json_string_value(item);
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
	    (root = json_loadb(body, len, 0, NULL)) == NULL)
		return (NULL);
	sbuf_init(&sb);
	e = json_object_get(root, "error");
	if (json_is_object(e)) {
		if ((m = jstr(e, "message")) != NULL)
			sbuf_adds(&sb, m);
		add_messages(&sb, json_object_get(e, "errors"), NULL);
	} else if (json_is_object(root)) {
		/* Prism: problem+json with a validation list. */
		if ((m = jstr(root, "title")) != NULL)
			sbuf_adds(&sb, m);
		add_messages(&sb, json_object_get(root, "validation"),
		    "message");
	}
	if (sb.len > 0)
		out = one_line(sb.s);
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

static char *
dump(json_t *j)
{
	char	*s, *copy;

	if (j == NULL)
		fatal("cannot build a request body");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		fatal("cannot build a request body");
	copy = xstrdup(s);
	free(s);
	return (copy);
}

char *
pd_body_status(const char *status)
{
	return (dump(json_pack("{s:{s:s, s:s}}", "incident", "type",
	    "incident_reference", "status", status)));
}

char *
pd_body_note(const char *text)
{
	json_t	*content;
	char	*ascii, *p;

	/* Typed text that is not UTF-8 keeps its ASCII, '?' for the rest. */
	if ((content = json_string(text)) == NULL) {
		ascii = xstrdup(text);
		for (p = ascii; *p != '\0'; p++) {
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		}
		content = json_string(ascii);
		free(ascii);
	}
	return (dump(json_pack("{s:{s:o}}", "note", "content", content)));
}

char *
pd_body_snooze(int64_t seconds)
{
	return (dump(json_pack("{s:I}", "duration", (json_int_t)seconds)));
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
		return (dump(json_pack("{s:{s:s, s:i}}", "incident", "type",
		    "incident_reference", "escalation_level", (int)level)));
	}
	if (!pd_valid_id(arg)) {
		*err = "give a PagerDuty user id (e.g. PXPGF42) or an "
		    "escalation level (e.g. 2)";
		return (NULL);
	}
	return (dump(json_pack("{s:{s:s, s:[{s:{s:s, s:s}}]}}", "incident",
	    "type", "incident_reference", "assignments", "assignee", "id", arg,
	    "type", "user_reference")));
}
