/* alertmanager_parse.c: Alertmanager API v2 bodies to records and back,
 * without I/O. Unknown fields (mutedBy, routeLabels in newer versions) are
 * ignored; a missing field leaves the record less complete. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "backends/alertmanager_parse.h"
#include "backends/jsonutil.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define AM_MESSAGE_MAX	300

static const char *const default_service_labels[] = { "service", "job" };

/* Annotations that hold a dashboard link, in order of preference. */
static const char *const dashboard_keys[] = {
	"dashboard_url", "dashboard", "grafana_url", "grafana_dashboard"
};
static const char *const runbook_keys[] = { "runbook_url", "runbook" };

static void
kv_from_object(struct kvlist *l, const json_t *o)
{
	const char	*k;
	json_t		*v;

	if (!json_is_object(o))
		return;
	json_object_foreach((json_t *)o, k, v) {
		if (json_is_string(v))
			kvlist_add(l, k, json_string_value(v));
	}
	kvlist_sort(l);
}

static const char *
first_of(const struct kvlist *l, const char *const *keys, size_t n)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((v = kvlist_get(l, keys[i])) != NULL && *v != '\0')
			return (v);
	}
	return (NULL);
}

/* "a, b" from a list of strings; NULL if empty. */
static char *
join_strings(const json_t *arr)
{
	struct sbuf	 sb;
	json_t		*v;
	size_t		 i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return (NULL);
	sbuf_init(&sb);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			continue;
		if (sb.len > 0)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, json_string_value(v));
	}
	if (sb.len == 0) {
		sbuf_free(&sb);
		return (NULL);
	}
	return (sbuf_steal(&sb));
}

static char *
receivers(const json_t *arr)
{
	struct sbuf	 sb;
	json_t		*v;
	size_t		 i;

	if (!json_is_array(arr))
		return (NULL);
	sbuf_init(&sb);
	json_array_foreach(arr, i, v) {
		if (jsonu_str(v, "name") == NULL)
			continue;
		sbuf_adds(&sb, sb.len > 0 ? ", " : "");
		sbuf_adds(&sb, jsonu_str(v, "name"));
	}
	if (sb.len == 0) {
		sbuf_free(&sb);
		return (NULL);
	}
	return (sbuf_steal(&sb));
}

static void
am_status(struct alert *a, const json_t *o)
{
	const json_t	*st = json_object_get(o, "status");
	const char	*state = jsonu_str(st, "state");
	char		*silenced, *inhibited;

	silenced = join_strings(json_object_get(st, "silencedBy"));
	inhibited = join_strings(json_object_get(st, "inhibitedBy"));
	a->status = ALERT_TRIGGERED;
	if ((state != NULL && strcmp(state, "suppressed") == 0) ||
	    silenced != NULL || inhibited != NULL)
		a->status = ALERT_SILENCED;
	kvlist_add_if(&a->details, "state", state);
	kvlist_add_owned(&a->details, "silenced_by", silenced);
	kvlist_add_owned(&a->details, "inhibited_by", inhibited);
}

static bool
am_alert(struct alert *a, const json_t *o, const struct am_options *opt)
{
	const char	*fp = jsonu_str(o, "fingerprint"), *name, *summary, *v;

	if (fp == NULL || *fp == '\0')
		return (false);
	memset(a, 0, sizeof *a);
	a->id = xstrdup(fp);
	kv_from_object(&a->labels, json_object_get(o, "labels"));
	kv_from_object(&a->annotations, json_object_get(o, "annotations"));
	name = kvlist_get(&a->labels, "alertname");
	summary = kvlist_get(&a->annotations, "summary");
	if (name != NULL && summary != NULL)
		a->title = xasprintf("%s: %s", name, summary);
	else
		a->title = xstrdup(name != NULL ? name : summary != NULL ?
		    summary : fp);
	if ((v = first_of(&a->labels, (const char *const *)
	    opt->service_labels, opt->nservice_labels)) != NULL)
		a->service = xstrdup(v);
	a->severity = severity_parse(kvlist_get(&a->labels, "severity"));
	a->started_at = jsonu_time(o, "startsAt");
	if ((v = jsonu_str(o, "generatorURL")) != NULL && *v != '\0')
		a->url = xstrdup(v);
	if ((v = first_of(&a->annotations, runbook_keys, 2)) != NULL)
		a->runbook_url = xstrdup(v);
	if ((v = first_of(&a->annotations, dashboard_keys,
	    sizeof dashboard_keys / sizeof dashboard_keys[0])) != NULL)
		a->dashboard_url = xstrdup(v);
	if ((v = kvlist_get(&a->annotations, "description")) != NULL)
		a->description = xstrdup(v);
	am_status(a, o);
	kvlist_add(&a->details, "fingerprint", fp);
	kvlist_add_if(&a->details, "ends_at", jsonu_str(o, "endsAt"));
	kvlist_add_if(&a->details, "updated_at", jsonu_str(o, "updatedAt"));
	kvlist_add_owned(&a->details, "receivers", receivers(json_object_get(o,
	    "receivers")));
	return (true);
}

bool
am_parse_alerts(const char *body, size_t len, const struct am_options *opt,
    struct alert **v, size_t *n, char **err)
{
	struct am_options	 def;
	json_error_t		 je;
	json_t			*root, *item;
	size_t			 i;

	*v = NULL;
	*n = 0;
	*err = NULL;
	if (opt == NULL || opt->nservice_labels == 0) {
		def.service_labels = (char *const *)default_service_labels;
		def.nservice_labels = 2;
		opt = &def;
	}
	if ((root = jsonu_load(body, len, 0, &je)) == NULL) {
		*err = xasprintf("bad JSON: %s", je.text);
		return (false);
	}
	if (!json_is_array(root)) {
		*err = xstrdup("unexpected response: not a list of alerts");
		json_decref(root);
		return (false);
	}
	*v = xcalloc(json_array_size(root) + 1, sizeof **v);
	json_array_foreach(root, i, item) {
		if (json_is_object(item) && am_alert(&(*v)[*n], item, opt))
			(*n)++;
	}
	json_decref(root);
	return (true);
}

/* --- replicas ------------------------------------------------------------- */

struct am_ranked {
	struct alert	*a;
	size_t		 order;		/* as given: the last tie-break */
};

static int
am_ranked_cmp(const void *pa, const void *pb)
{
	const struct am_ranked	*x = pa, *y = pb;
	int			 c;

	if ((c = strcmp(x->a->id, y->a->id)) != 0)
		return (c);
	if (x->a->status != y->a->status)
		return (x->a->status > y->a->status ? -1 : 1);
	if (x->a->started_at != y->a->started_at) {
		if (x->a->started_at == 0 || y->a->started_at == 0)
			return (x->a->started_at == 0 ? 1 : -1);
		return (x->a->started_at < y->a->started_at ? -1 : 1);
	}
	return (x->order < y->order ? -1 : x->order > y->order);
}

size_t
am_merge_alerts(struct alert *v, size_t n)
{
	struct am_ranked	*r;
	struct alert		*out;
	size_t			 i, k = 0;

	if (n < 2)
		return (n);
	r = xreallocarray(NULL, n, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].a = &v[i];
		r[i].order = i;
	}
	qsort(r, n, sizeof *r, am_ranked_cmp);
	out = xreallocarray(NULL, n, sizeof *out);
	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(out[k - 1].id, r[i].a->id) == 0)
			alert_free(r[i].a);
		else
			out[k++] = *r[i].a;
	}
	memcpy(v, out, k * sizeof *v);
	free(out);
	free(r);
	return (k);
}

/* --- silences ------------------------------------------------------------- */

char *
am_silence_body(const struct kvlist *m, time_t starts, time_t ends,
    const char *created_by, const char *comment)
{
	json_t	*root, *list;
	char	 from[32], to[32];
	size_t	 i;

	list = json_array();
	for (i = 0; i < m->n; i++)
		json_array_append_new(list, json_pack("{s:o s:o s:b s:b}",
		    "name", jsonu_text(m->v[i].key),
		    "value", jsonu_text(m->v[i].value),
		    "isRegex", 0, "isEqual", 1));
	time_format_iso(from, sizeof from, starts);
	time_format_iso(to, sizeof to, ends);
	root = json_pack("{s:o s:s s:s s:o s:o}", "matchers", list,
	    "startsAt", from, "endsAt", to, "createdBy", jsonu_text(created_by),
	    "comment", jsonu_text(comment));
	return (jsonu_dump(root));
}

char *
am_parse_silence_id(const char *body, size_t len, char **err)
{
	json_t		*root;
	const char	*id;
	char		*out = NULL;

	*err = NULL;
	if ((root = jsonu_load(body, len, 0, NULL)) == NULL) {
		*err = xstrdup("bad JSON in the answer");
		return (NULL);
	}
	if ((id = jsonu_str(root, "silenceID")) != NULL && *id != '\0')
		out = xstrdup(id);
	else
		*err = xstrdup("no silenceID in the answer");
	json_decref(root);
	return (out);
}

char *
am_error_message(const char *body, size_t len)
{
	json_t		*root;
	const char	*m = NULL;
	char		*out = NULL;

	if (body == NULL || len == 0 ||
	    (root = jsonu_load(body, len, JSON_DECODE_ANY, NULL)) == NULL)
		return (NULL);
	if (json_is_string(root))
		m = json_string_value(root);
	else if (json_is_object(root))
		m = jsonu_str(root, "message");
	/* The first line, at most AM_MESSAGE_MAX bytes. */
	if (m != NULL && *m != '\0')
		out = xstrndup(m, utf8_cut(m, strcspn(m, "\r\n"),
		    AM_MESSAGE_MAX));
	json_decref(root);
	return (out);
}

char *
am_matchers_text(const struct kvlist *m)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb);
	for (i = 0; i < m->n; i++)
		sbuf_addf(&sb, "%s%s=\"%s\"", i > 0 ? ", " : "", m->v[i].key,
		    m->v[i].value);
	return (sbuf_steal(&sb));
}
