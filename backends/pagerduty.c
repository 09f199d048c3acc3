/* pagerduty.c: the PagerDuty source (REST API v2). A refresh lists the open
 * incidents (triggered and acknowledged) of the configured services and
 * teams, page after page, then the change events of the last day as
 * deploys (a failure there is a warning, not a failed refresh); act
 * acknowledges, resolves, notes, snoozes and reassigns, each write carrying
 * From; details fetches an incident's alerts, notes and related change
 * events for its detail view. A 429 quiets the whole source until
 * the reset PagerDuty names; a rejected token is said once, then the
 * scheduler's backoff keeps retries rare. The token lives only in the
 * client's Authorization header and is cut out of any text shown. */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "backends/pagerduty_parse.h"
#include "backends/pd_changes_parse.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "core/loop.h"

#define PD_DEFAULT_URL		"https://api.pagerduty.com"
#define PD_ACCEPT		"Accept: application/vnd.pagerduty+json;" \
				"version=2, application/json"
#define PD_DEFAULT_MAX		1000
#define PD_OFFSET_MAX		10000	/* classic pagination's end */
#define PD_REJECTED_BACKOFF_MS	(5 * 60 * 1000)
#define PD_429_DEFAULT_S	60
#define PD_CHANGES_SINCE_S	86400	/* change events: the last day */
#define PD_NAMES_MAX		1000	/* service ids remembered by name */
#define PD_ACTIONS	(ACTION_BIT(ACTION_ACK) | ACTION_BIT(ACTION_RESOLVE) | \
	ACTION_BIT(ACTION_NOTE) | ACTION_BIT(ACTION_SNOOZE) | \
	ACTION_BIT(ACTION_REASSIGN) | ACTION_BIT(ACTION_STATUS_UPDATE))

/* The requests of a detail fetch, in the order their sections show. */
enum pd_part {
	PD_PART_ALERTS,
	PD_PART_NOTES,
	PD_PART_CHANGES,
	PD_PART__COUNT
};
static const char *const pd_part_names[PD_PART__COUNT] = {
	"alerts", "notes", "related changes"
};

/* A request other than the listing: a write or a detail fetch. */
struct pd_call {
	struct source		*s;
	struct http_request	*req;
	struct pd_fetch		*fetch;		/* detail fetch it belongs to */
	action_done_cb		 done;
	void			*arg;
	char			*what;		/* "acknowledged PT4KHLK" */
	enum pd_part		 part;		/* fetch: which request */
	struct pd_logfetch	*log;		/* log entries it pages */
	LIST_ENTRY(pd_call)	 entry;
};

/* An incident's log entries, page after page (limit and offset, while the
 * answer says more), at most PD_LOG_PAGES. */
struct pd_logfetch {
	incident_log_cb		 done;
	void			*arg;
	char			*id;
	long			 offset;
	int			 pages;
	struct pd_log_entry	*v;
	size_t			 n;
};

/* An incident's alerts, notes and related changes, fetched in parallel;
 * each part's sections wait in their slot so the order is fixed. */
struct pd_fetch {
	detail_done_cb		 done;
	void			*arg;
	int			 pending;
	time_t			 started_at;	/* the incident's, 0 unknown */
	struct detail_section	*v[PD_PART__COUNT];
	size_t			 n[PD_PART__COUNT];
	char			*error;
};

struct pagerduty {
	struct http_client	 http;
	char			**services;
	size_t			 nservices;
	char			**teams;
	size_t			 nteams;
	char			*from;		/* "From: ..." or NULL */
	long			 max_incidents;
	bool			 changes;	/* change_events = yes */
	struct kvlist		 names;		/* service id = its name */

	struct http_request	*list;		/* the listing in flight */
	struct worker_job	*parse;		/* a page being parsed */
	struct http_request	*changes_req;	/* its change events */
	struct alert		*acc;		/* pages so far */
	size_t			 nacc;
	bool			 capped;	/* max_incidents cut the list */
	char			*list_warning;	/* held for the round's end */
	long			 offset;
	int64_t			 quiet_until;	/* loop ms; rate limited */
	LIST_HEAD(, pd_call)	 calls;
};

/* --- words for people ----------------------------------------------------- */

static int64_t
pd_quiet_left_s(const struct pagerduty *d)
{
	int64_t	left = d->quiet_until - loop_now_ms();

	return (left > 0 ? (left + 999) / 1000 : 0);
}

static char *
pd_rate_limited(const struct pagerduty *d)
{
	char	when[32];

	duration_format(when, sizeof when, pd_quiet_left_s(d));
	return (xasprintf("rate limited, retry in %s", when));
}

/* Why a response failed, for the header or the status line; also notes a
 * rate limit so that nothing more is sent until it resets. */
static char *
pd_failure(struct source *s, const struct http_response *resp)
{
	struct pagerduty	*d = s->data;
	char			*why, *detail, *out;
	int64_t			 secs;

	if (resp->error != NULL)
		return (http_describe_error(resp));
	if (resp->status == 429) {
		secs = resp->retry_after_s >= 0 ? resp->retry_after_s :
		    PD_429_DEFAULT_S;
		if (secs < 1)
			secs = 1;
		d->quiet_until = time_add_sat(loop_now_ms(),
		    time_mul_sat(secs, 1000));
		return (pd_rate_limited(d));
	}
	/* http.c took the token out of the body of any failure. */
	detail = pd_error_message(resp->body, resp->len);
	if (resp->status == 401 || resp->status == 403)
		why = xasprintf("token rejected (HTTP %ld)", resp->status);
	else
		why = http_describe_error(resp);
	if (detail == NULL)
		return (why);
	out = xasprintf("%s: %s", why, detail);
	free(why);
	free(detail);
	return (out);
}

/* --- configuration -------------------------------------------------------- */

static bool
pd_valid_from(const char *s)
{
	const char	*at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0')
		return (false);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return (false);
	}
	return (true);
}

static bool
pd_check_ids(struct config *cfg, struct config_section *sec, const char *key,
    char **v, size_t n)
{
	const struct config_entry	*e = config_get(sec, key);
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (!pd_valid_id(v[i])) {
			config_error(cfg, e != NULL ? e->line : sec->line,
			    "[pagerduty] %s: \"%s\" is not a PagerDuty id",
			    key, v[i]);
			return (false);
		}
	}
	return (true);
}

/* The token becomes PagerDuty's "Token token=" scheme. */
static bool
pd_configure_auth(struct pagerduty *d, struct config *cfg,
    struct config_section *sec)
{
	char	*bearer = d->http.auth_header;

	if (bearer == NULL || strncmp(bearer, "Authorization: Bearer ", 22) !=
	    0) {
		config_error(cfg, sec->line, "[pagerduty] needs an API token: "
		    "token_env, token_command or token_file");
		return (false);
	}
	d->http.auth_header = xasprintf("Authorization: Token token=%s",
	    bearer + 22);
	secret_free(bearer);
	return (true);
}

static bool
pd_start(struct source *s, struct config *cfg)
{
	struct pagerduty		*d;
	struct config_section		*sec = s->section;
	const struct config_entry	*e;
	bool				 ok;

	d = xcalloc(1, sizeof *d);
	LIST_INIT(&d->calls);
	s->data = d;
	ok = http_client_configure(&d->http, cfg, sec, PD_DEFAULT_URL);
	if (ok)
		ok = pd_configure_auth(d, cfg, sec);
	http_client_add_header(&d->http, "%s", PD_ACCEPT);
	/* The API document wants it on every request, GETs too. */
	http_client_add_header(&d->http, "Content-Type: application/json");
	if ((e = config_get(sec, "from")) != NULL) {
		if (pd_valid_from(e->value))
			d->from = xasprintf("From: %s", e->value);
		else {
			config_error(cfg, e->line, "[pagerduty] from must be "
			    "the email of a PagerDuty user");
			ok = false;
		}
	}
	d->services = config_list(sec, "services", &d->nservices);
	d->teams = config_list(sec, "teams", &d->nteams);
	if (!pd_check_ids(cfg, sec, "services", d->services, d->nservices) ||
	    !pd_check_ids(cfg, sec, "teams", d->teams, d->nteams))
		ok = false;
	d->max_incidents = (long)config_number(cfg, sec, "max_incidents",
	    PD_DEFAULT_MAX, 1, PD_OFFSET_MAX);
	d->changes = config_bool(cfg, sec, "change_events", true);
	return (ok);
}

/* --- listing -------------------------------------------------------------- */

static void	pd_list_page(struct source *);

static void
pd_acc_free(struct pagerduty *d)
{
	size_t	i;

	for (i = 0; i < d->nacc; i++)
		alert_free(&d->acc[i]);
	free(d->acc);
	d->acc = NULL;
	d->nacc = 0;
}

static bool
pd_acc_has(const struct pagerduty *d, const char *id)
{
	size_t	i;

	for (i = 0; i < d->nacc; i++) {
		if (strcmp(d->acc[i].id, id) == 0)
			return (true);
	}
	return (false);
}

/* Keep the page's incidents not seen yet; returns how many were new. */
static size_t
pd_acc_add(struct pagerduty *d, struct pd_page *page)
{
	size_t	i, added = 0;

	d->acc = xreallocarray(d->acc, d->nacc + page->n + 1, sizeof *d->acc);
	for (i = 0; i < page->n; i++) {
		if ((long)d->nacc >= d->max_incidents)
			d->capped = true;
		if (d->capped || pd_acc_has(d, page->v[i].id)) {
			alert_free(&page->v[i]);
			continue;
		}
		d->acc[d->nacc++] = page->v[i];
		added++;
	}
	free(page->v);
	page->v = NULL;
	page->n = 0;
	return (added);
}

/* The round succeeded: say what it could not show (the list's cut, the
 * change events' failure), or clear what an earlier round said. */
static void
pd_round_end(struct source *s, const char *changes_warning)
{
	struct pagerduty	*d = s->data;
	const char		*old = s->model->sources[s->health].warning;
	char			*warn = NULL;

	if (d->list_warning != NULL && changes_warning != NULL)
		warn = xasprintf("%s; %s", d->list_warning, changes_warning);
	else if (d->list_warning != NULL || changes_warning != NULL)
		warn = xstrdup(d->list_warning != NULL ? d->list_warning :
		    changes_warning);
	if (warn != NULL || old != NULL)
		model_source_warn(s->model, s->health, warn);
	model_source_note(s->model, s->health, FEED_DEPLOYS, 0,
	    changes_warning);
	free(warn);
	free(d->list_warning);
	d->list_warning = NULL;
	source_done(s, NULL);
}

/* Remember each incident's service name by id: change events name their
 * services by reference, and a suspect is found by equal names. */
static void
pd_learn_names(struct pagerduty *d)
{
	const char	*id;
	size_t		 i, j;

	if (d->names.n > PD_NAMES_MAX)
		kvlist_free(&d->names);
	for (i = 0; i < d->nacc; i++) {
		id = kvlist_get(&d->acc[i].details, "service_id");
		if (id == NULL || d->acc[i].service == NULL)
			continue;
		for (j = 0; j < d->names.n; j++) {
			if (strcmp(d->names.v[j].key, id) == 0)
				break;
		}
		if (j == d->names.n)
			kvlist_add(&d->names, id, d->acc[i].service);
		else
			xstrset(&d->names.v[j].value, d->acc[i].service);
	}
}

static void	pd_changes_start(struct source *);

static void
pd_list_finish(struct source *s, bool truncated)
{
	struct pagerduty	*d = s->data;

	free(d->list_warning);
	d->list_warning = NULL;
	if (truncated)
		d->list_warning = xasprintf("showing the first %zu incidents",
		    d->nacc);
	pd_learn_names(d);
	model_set_alerts(s->model, s->name, d->acc, d->nacc);
	d->acc = NULL;
	d->nacc = 0;
	if (d->changes)
		pd_changes_start(s);
	else
		pd_round_end(s, NULL);
}

static void
pd_list_fail(struct source *s, char *why, const struct http_response *resp)
{
	struct pagerduty	*d = s->data;

	pd_acc_free(d);
	if (d->quiet_until > loop_now_ms())
		s->retry_after_ms = d->quiet_until - loop_now_ms();
	else if (resp != NULL && (resp->status == 401 || resp->status == 403))
		s->retry_after_ms = PD_REJECTED_BACKOFF_MS;
	source_done(s, why);
	free(why);
}

/* A page parsed off the loop; the job owns the bytes and the records. */
struct pd_parse {
	struct source		*s;		/* the loop's side only */
	char			*body;
	size_t			 len;
	bool			 ok;
	struct pd_page		 page;
	char			*err;
};

static void
pd_parse_run(void *ctx)
{
	struct pd_parse	*p = ctx;

	p->ok = pd_parse_incidents(p->body, p->len, &p->page, &p->err);
	free(p->body);
	p->body = NULL;
}

static void
pd_parse_release(void *ctx)
{
	struct pd_parse	*p = ctx;

	pd_page_free(&p->page);
	free(p->body);
	free(p->err);
	free(p);
}

static void	pd_page_done(void *);

static void
pd_list_done(struct http_response *resp, void *arg)
{
	struct source		*s = arg;
	struct pagerduty	*d = s->data;
	struct pd_parse		*p;

	d->list = NULL;
	if (resp->error != NULL || resp->status != 200) {
		pd_list_fail(s, pd_failure(s, resp), resp);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->s = s;
	p->body = xmemdup(resp->body != NULL ? resp->body : "", resp->len);
	p->len = resp->len;
	d->parse = worker_submit(pd_parse_run, pd_page_done,
	    pd_parse_release, p);
}

/* On the loop: the page's incidents added, then the next page or the
 * listing's end. */
static void
pd_page_done(void *ctx)
{
	struct pd_parse		*p = ctx;
	struct source		*s = p->s;
	struct pagerduty	*d = s->data;
	struct pd_page		*page = &p->page;
	size_t			 got, added;

	d->parse = NULL;
	if (!p->ok) {
		pd_list_fail(s, p->err, NULL);
		p->err = NULL;
		return;
	}
	got = page->n;
	added = pd_acc_add(d, page);
	d->offset += (long)got;
	/* A server that repeats a page (or Prism, which always answers the
	 * same example) ends the listing rather than looping. */
	if (!page->more || got == 0 || added == 0 || d->capped) {
		pd_list_finish(s, d->capped);
		return;
	}
	if ((long)d->nacc >= d->max_incidents ||
	    d->offset + PD_PAGE_LIMIT > PD_OFFSET_MAX) {
		pd_list_finish(s, true);
		return;
	}
	pd_list_page(s);
}

static void
pd_list_page(struct source *s)
{
	struct pagerduty	*d = s->data;
	char			*path;

	path = pd_list_path(d->services, d->nservices, d->teams, d->nteams,
	    PD_PAGE_LIMIT, d->offset);
	d->list = http_start(&d->http, "GET", path, NULL, NULL, pd_list_done,
	    s);
	free(path);
}

static void
pd_refresh(struct source *s)
{
	struct pagerduty	*d = s->data;
	char			*why;

	if (d == NULL || d->http.base_url == NULL) {
		source_done(s, "not configured");
		return;
	}
	if (pd_quiet_left_s(d) > 0) {
		/* Said once, not sent: the limit holds until it resets. */
		s->retry_after_ms = d->quiet_until - loop_now_ms();
		why = pd_rate_limited(d);
		source_done(s, why);
		free(why);
		return;
	}
	pd_acc_free(d);
	d->offset = 0;
	d->capped = false;
	pd_list_page(s);
}

/* --- change events -------------------------------------------------------- */

static void
pd_changes_done(struct http_response *resp, void *arg)
{
	struct source		*s = arg;
	struct pagerduty	*d = s->data;
	struct pd_changes_scope	 scope;
	struct deploy		*v;
	size_t			 n;
	char			*why = NULL, *warn = NULL, *err = NULL;

	d->changes_req = NULL;
	memset(&scope, 0, sizeof scope);
	scope.service_ids = d->services;
	scope.nservice_ids = d->nservices;
	scope.names = &d->names;
	if (resp->error != NULL || resp->status != 200)
		why = pd_failure(s, resp);
	else if (!pd_changes_parse_scoped(resp->body, resp->len, s->name,
	    &scope, &v, &n, &err))
		why = err;
	else {
		model_set_deploys(s->model, s->name, v, n);
		/* Worded "change events: ..." for the Deploys pane. */
		if (scope.more)
			warn = xasprintf("change events: %d shown, more in "
			    "PagerDuty", PD_PAGE_LIMIT);
	}
	/* The deploys of the last good round stay, with the reason. */
	if (why != NULL) {
		warn = xasprintf("change events: %s", why);
		free(why);
	}
	if (d->quiet_until > loop_now_ms())
		s->retry_after_ms = d->quiet_until - loop_now_ms();
	pd_round_end(s, warn);
	free(warn);
}

static void
pd_changes_start(struct source *s)
{
	struct pagerduty	*d = s->data;
	char			*path;

	path = pd_changes_list_path((long long)time_wall() -
	    PD_CHANGES_SINCE_S, PD_PAGE_LIMIT, d->teams, d->nteams);
	d->changes_req = http_start(&d->http, "GET", path, NULL, NULL,
	    pd_changes_done, s);
	free(path);
}

/* --- writes --------------------------------------------------------------- */

static struct pd_call *
pd_call_new(struct source *s)
{
	struct pagerduty	*d = s->data;
	struct pd_call		*c;

	c = xcalloc(1, sizeof *c);
	c->s = s;
	LIST_INSERT_HEAD(&d->calls, c, entry);
	return (c);
}

static void
pd_call_free(struct pd_call *c)
{
	LIST_REMOVE(c, entry);
	free(c->what);
	free(c);
}

static void
pd_write_done(struct http_response *resp, void *arg)
{
	struct pd_call	*c = arg;
	char		*why, *msg;

	c->req = NULL;
	if (resp->error == NULL && resp->status >= 200 && resp->status < 300) {
		msg = xasprintf("%s (HTTP %ld)", c->what, resp->status);
		c->done(true, resp->status, msg, c->arg);
	} else {
		/* Why only: the action road says what failed, as the user
		 * asked for it ("acknowledge PT4KHLK failed: ..."). */
		why = pd_failure(c->s, resp);
		c->done(false, resp->error == NULL ? resp->status : 0, why,
		    c->arg);
		free(why);
		msg = NULL;
	}
	free(msg);
	pd_call_free(c);
}

/* Method, path suffix, body and words for one action; false with *why. */
static bool
pd_plan(const struct action *a, const char **method, const char **suffix,
    char **body, char **what, const char **why)
{
	*method = "PUT";
	*suffix = NULL;
	*body = NULL;
	*why = NULL;
	switch (a->kind) {
	case ACTION_ACK:
		*body = pd_body_status("acknowledged");
		*what = xasprintf("acknowledged %s", a->target);
		break;
	case ACTION_RESOLVE:
		*body = pd_body_status("resolved");
		*what = xasprintf("resolved %s", a->target);
		break;
	case ACTION_NOTE:
		if (a->text == NULL || *a->text == '\0') {
			*why = "a note needs some text";
			return (false);
		}
		*method = "POST";
		*suffix = "/notes";
		*body = pd_body_note(a->text);
		*what = xasprintf("note added to %s", a->target);
		break;
	case ACTION_SNOOZE:
		if (a->duration_s < 1 || a->duration_s > PD_SNOOZE_MAX) {
			*why = "snooze for 1s to 7d";
			return (false);
		}
		*method = "POST";
		*suffix = "/snooze";
		*body = pd_body_snooze(a->duration_s);
		*what = xasprintf("snoozed %s", a->target);
		break;
	case ACTION_STATUS_UPDATE:
		if (a->text == NULL || *a->text == '\0') {
			*why = "a status update needs some text";
			return (false);
		}
		*method = "POST";
		*suffix = "/status_updates";
		*body = pd_body_status_update(a->text);
		*what = xasprintf("status update posted on %s", a->target);
		break;
	case ACTION_REASSIGN:
		if ((*body = pd_body_reassign(a->text != NULL ? a->text : "",
		    why)) == NULL)
			return (false);
		*what = xasprintf("reassigned %s to %s", a->target, a->text);
		break;
	default:
		*why = "PagerDuty cannot do that";
		return (false);
	}
	return (true);
}

static bool
pd_act(struct source *s, const struct action *a, action_done_cb done,
    void *arg)
{
	struct pagerduty	*d = s->data;
	struct pd_call		*c;
	const char		*method, *suffix, *why;
	const char		*extra[2] = { NULL, NULL };
	char			*body, *what, *path, *msg;

	if ((PD_ACTIONS & ACTION_BIT(a->kind)) == 0)
		return (false);
	if (d->from == NULL) {
		done(false, 0, "PagerDuty writes need `from = EMAIL` in "
		    "[pagerduty]", arg);
		return (true);
	}
	if (a->target == NULL || !pd_valid_id(a->target)) {
		done(false, 0, "not a PagerDuty incident id", arg);
		return (true);
	}
	if (pd_quiet_left_s(d) > 0) {
		msg = pd_rate_limited(d);
		done(false, 0, msg, arg);
		free(msg);
		return (true);
	}
	if (!pd_plan(a, &method, &suffix, &body, &what, &why)) {
		done(false, 0, why, arg);
		return (true);
	}
	c = pd_call_new(s);
	c->done = done;
	c->arg = arg;
	c->what = what;
	extra[0] = d->from;
	path = pd_incident_path(a->target, suffix);
	c->req = http_start(&d->http, method, path, extra, body,
	    pd_write_done, c);
	free(path);
	free(body);
	return (true);
}

/* --- details -------------------------------------------------------------- */

static void
pd_fetch_free(struct pd_fetch *f)
{
	int	i;

	for (i = 0; i < PD_PART__COUNT; i++)
		source_details_free(f->v[i], f->n[i]);
	free(f->error);
	free(f);
}

/* Every part is in: hand over their sections in part order. */
static void
pd_fetch_finish(struct pd_fetch *f)
{
	struct detail_section	*all;
	size_t			 n = 0;
	int			 i;

	for (i = 0; i < PD_PART__COUNT; i++)
		n += f->n[i];
	all = xcalloc(n + 1, sizeof *all);
	n = 0;
	for (i = 0; i < PD_PART__COUNT; i++) {
		if (f->n[i] > 0)
			memcpy(all + n, f->v[i], f->n[i] * sizeof *all);
		n += f->n[i];
		free(f->v[i]);
		f->v[i] = NULL;
		f->n[i] = 0;
	}
	f->done(all, n, f->error, f->arg);
	source_details_free(all, n);
	pd_fetch_free(f);
}

static void
pd_fetch_parse(struct pagerduty *d, struct pd_fetch *f, enum pd_part part,
    const struct http_response *resp, char **err)
{
	struct pd_changes_scope	 scope;
	struct detail_section	**v = &f->v[part];
	size_t			*n = &f->n[part];

	switch (part) {
	case PD_PART_ALERTS:
		(void)pd_parse_alerts(resp->body, resp->len, v, n, err);
		break;
	case PD_PART_NOTES:
		(void)pd_parse_notes(resp->body, resp->len, v, n, err);
		break;
	default:
		memset(&scope, 0, sizeof scope);
		scope.names = &d->names;
		(void)pd_parse_related_changes(resp->body, resp->len,
		    f->started_at, &scope, v, n, err);
		break;
	}
}

static void
pd_fetch_part_done(struct http_response *resp, void *arg)
{
	struct pd_call	*c = arg;
	struct pd_fetch	*f = c->fetch;
	char		*err = NULL, *why;

	c->req = NULL;
	if (resp->error != NULL || resp->status != 200) {
		why = pd_failure(c->s, resp);
		err = xasprintf("%s: %s", pd_part_names[c->part], why);
		free(why);
	} else
		pd_fetch_parse(c->s->data, f, c->part, resp, &err);
	if (err != NULL) {
		if (f->error == NULL)
			f->error = err;
		else
			free(err);
	}
	pd_call_free(c);
	if (--f->pending == 0)
		pd_fetch_finish(f);
}

static void
pd_fetch_part(struct source *s, struct pd_fetch *f, const char *id,
    enum pd_part part)
{
	struct pagerduty	*d = s->data;
	struct pd_call		*c;
	char			*path, *q;

	c = pd_call_new(s);
	c->fetch = f;
	c->part = part;
	f->pending++;
	switch (part) {
	case PD_PART_ALERTS:
		q = pd_incident_path(id, "/alerts");
		path = xasprintf("%s?limit=%d&offset=0", q, PD_PAGE_LIMIT);
		free(q);
		break;
	case PD_PART_NOTES:
		path = pd_incident_path(id, "/notes");
		break;
	default:
		path = pd_incident_path(id, "/related_change_events");
		break;
	}
	c->req = http_start(&d->http, "GET", path, NULL, NULL,
	    pd_fetch_part_done, c);
	free(path);
}

/* When the incident began, from the listing; 0 if it is not listed. */
static time_t
pd_incident_start(const struct source *s, const char *id)
{
	const struct model	*m = s->model;
	size_t			 i;

	for (i = 0; i < m->nalerts; i++) {
		if (strcmp(m->alerts[i].source, s->name) == 0 &&
		    strcmp(m->alerts[i].id, id) == 0)
			return (m->alerts[i].started_at);
	}
	return (0);
}

/* Why an incident's parts cannot be fetched now (heap), or NULL: an id
 * that is not one, or PagerDuty's rate limit still in force. */
static char *
pd_refuse_fetch(struct pagerduty *d, const char *id)
{
	if (!pd_valid_id(id))
		return (xstrdup("not a PagerDuty incident id"));
	if (pd_quiet_left_s(d) > 0)
		return (pd_rate_limited(d));
	return (NULL);
}

static void
pd_details(struct source *s, const char *id, detail_done_cb done, void *arg)
{
	struct pagerduty	*d = s->data;
	struct pd_fetch		*f;
	char			*msg;

	if ((msg = pd_refuse_fetch(d, id)) != NULL) {
		done(NULL, 0, msg, arg);
		free(msg);
		return;
	}
	f = xcalloc(1, sizeof *f);
	f->done = done;
	f->arg = arg;
	f->started_at = pd_incident_start(s, id);
	pd_fetch_part(s, f, id, PD_PART_ALERTS);
	pd_fetch_part(s, f, id, PD_PART_NOTES);
	if (d->changes)
		pd_fetch_part(s, f, id, PD_PART_CHANGES);
}

/* --- an incident's log ------------------------------------------------------ */

static void
pd_logfetch_free(struct pd_logfetch *f)
{
	pd_log_entries_free(f->v, f->n);
	free(f->id);
	free(f);
}

/* Hand the entries over, oldest first (PagerDuty lists newest first). */
static void
pd_logfetch_finish(struct pd_logfetch *f, const char *error)
{
	struct incident_entry	*v;
	size_t			 i;

	v = xcalloc(f->n + 1, sizeof *v);
	for (i = 0; i < f->n; i++) {
		const struct pd_log_entry *e = &f->v[f->n - 1 - i];

		v[i].id = e->id;
		v[i].kind = e->type;
		v[i].summary = e->summary;
		v[i].who = e->agent;
		v[i].at = e->at;
	}
	f->done(v, f->n, error, f->arg);
	free(v);
	pd_logfetch_free(f);
}

static void	pd_log_page(struct source *, struct pd_logfetch *);

static void
pd_log_page_done(struct http_response *resp, void *arg)
{
	struct pd_call		*c = arg;
	struct pd_logfetch	*f = c->log;
	struct source		*s = c->s;
	char			*err = NULL, *why;
	bool			 more = false;
	size_t			 before = f->n;

	c->req = NULL;
	pd_call_free(c);
	if (resp->error != NULL || resp->status != 200) {
		why = pd_failure(s, resp);
		err = xasprintf("log entries: %s", why);
		free(why);
	} else
		(void)pd_parse_log_entries(resp->body, resp->len, &f->v, &f->n,
		    &more, &err);
	/* The next page starts after what this one held (a server may
	 * give fewer than the limit asked for); an empty page ends it. */
	if (err == NULL && more && f->n > before &&
	    ++f->pages < PD_LOG_PAGES) {
		f->offset += (long)(f->n - before);
		pd_log_page(s, f);
		return;
	}
	pd_logfetch_finish(f, err);
	free(err);
}

static void
pd_log_page(struct source *s, struct pd_logfetch *f)
{
	struct pagerduty	*d = s->data;
	struct pd_call		*c;
	char			*path, *q;

	c = pd_call_new(s);
	c->log = f;
	q = pd_incident_path(f->id, "/log_entries");
	path = xasprintf("%s?limit=%d&offset=%ld&is_overview=false", q,
	    PD_LOG_PAGE, f->offset);
	free(q);
	c->req = http_start(&d->http, "GET", path, NULL, NULL,
	    pd_log_page_done, c);
	free(path);
}

static void
pd_incident_log(struct source *s, const char *id, incident_log_cb done,
    void *arg)
{
	struct pagerduty	*d = s->data;
	struct pd_logfetch	*f;
	char			*msg;

	if ((msg = pd_refuse_fetch(d, id)) != NULL) {
		done(NULL, 0, msg, arg);
		free(msg);
		return;
	}
	f = xcalloc(1, sizeof *f);
	f->done = done;
	f->arg = arg;
	f->id = xstrdup(id);
	pd_log_page(s, f);
}

/* --- the end -------------------------------------------------------------- */

static void
pd_stop(struct source *s)
{
	struct pagerduty	*d = s->data;
	struct pd_call		*c;
	struct pd_fetch		*f;

	if (d == NULL)
		return;
	http_cancel(d->list);
	worker_cancel(&d->parse);
	http_cancel(d->changes_req);
	while ((c = LIST_FIRST(&d->calls)) != NULL) {
		http_cancel(c->req);
		if ((f = c->fetch) != NULL && --f->pending == 0)
			pd_fetch_free(f);
		if (c->log != NULL)
			pd_logfetch_free(c->log);
		pd_call_free(c);
	}
	pd_acc_free(d);
	kvlist_free(&d->names);
	free(d->list_warning);
	config_list_free(d->services, d->nservices);
	config_list_free(d->teams, d->nteams);
	free(d->from);
	http_client_free(&d->http);
	free(d);
	s->data = NULL;
}

const struct backend_ops pagerduty_backend_ops = {
	.kind = "pagerduty",
	.feeds = FEED_BIT(FEED_ALERTS) | FEED_BIT(FEED_DEPLOYS),
	.start = pd_start,
	.refresh = pd_refresh,
	.act = pd_act,
	.stop = pd_stop,
	.actions = PD_ACTIONS,
	.details = pd_details,
	.incident_log = pd_incident_log,
};
