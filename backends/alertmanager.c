/* alertmanager.c: the Alertmanager source (API v2). A refresh lists the
 * alerts (active, and by default silenced and inhibited ones, shown as
 * such); act creates a silence from an alert's labels or expires one. The
 * base URL may carry a prefix (Mimir/Cortex: .../alertmanager); headers
 * (X-Scope-OrgID) and auth are read as for any HTTP source. */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/alertmanager_parse.h"
#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "core/loop.h"

#define AM_ACTIONS	(ACTION_BIT(ACTION_SILENCE) | \
	ACTION_BIT(ACTION_EXPIRE_SILENCE))
#define AM_SILENCE_MAX_S	(90LL * 86400)

struct am_call {
	struct source		*s;
	struct http_request	*req;
	action_done_cb		 done;
	void			*arg;
	char			*what;
	bool			 silence;	/* a new one: say its id */
	LIST_ENTRY(am_call)	 entry;
};

struct alertmanager {
	struct http_client	 http;
	struct am_options	 opt;
	char			**labels;	/* service_labels */
	size_t			 nlabels;
	bool			 silenced;
	bool			 inhibited;
	char			*user;		/* createdBy */
	struct http_request	*list;
	struct worker_job	*parse;		/* the listing being parsed */
	LIST_HEAD(, am_call)	 calls;
};

/* A listing parsed off the loop: the job owns its copy of the body and of
 * the options, so that the source may go while it runs. */
struct am_parse {
	struct source		*s;		/* the loop's side only */
	char			*name;		/* the source's */
	char			*body;
	size_t			 len;
	char			**labels;
	size_t			 nlabels;
	bool			 ok;
	struct alert		*v;
	size_t			 n;
	char			*err;
};

static bool
am_start(struct source *s, struct config *cfg)
{
	struct alertmanager	*d;
	struct config_section	*sec = s->section;
	const char		*user;
	bool			 ok;

	d = xcalloc(1, sizeof *d);
	LIST_INIT(&d->calls);
	s->data = d;
	ok = http_client_configure(&d->http, cfg, sec, NULL);
	d->labels = config_list(sec, "service_labels", &d->nlabels);
	d->opt.service_labels = d->labels;
	d->opt.nservice_labels = d->nlabels;
	d->silenced = config_bool(cfg, sec, "silenced", true);
	d->inhibited = config_bool(cfg, sec, "inhibited", true);
	if ((user = config_str(sec, "user", NULL)) == NULL &&
	    (user = getenv("USER")) == NULL)
		user = "sitrep";
	d->user = xstrdup(user);
	s->writer = xstrdup(user);
	return (ok);
}

/* --- listing -------------------------------------------------------------- */

/* Why a response failed: the transport, or the status and what the body
 * says (a bare JSON string for some 400s). */
static char *
am_failure(struct source *s, const struct http_response *resp)
{
	char	*why, *detail, *out;

	if (resp->status == 429 && resp->retry_after_s > 0)
		s->retry_after_ms = time_mul_sat(resp->retry_after_s, 1000);
	if (resp->error != NULL || resp->status == 429)
		return (http_describe_error(resp));
	if (resp->status == 401 || resp->status == 403)
		why = xasprintf("credentials rejected (HTTP %ld)",
		    resp->status);
	else
		why = http_describe_error(resp);
	if ((detail = am_error_message(resp->body, resp->len)) == NULL)
		return (why);
	out = xasprintf("%s: %s", why, detail);
	free(why);
	free(detail);
	return (out);
}

/* On a worker thread: the job's own bytes to records. */
static void
am_parse_run(void *ctx)
{
	struct am_parse		*p = ctx;
	struct am_options	 opt;

	opt.service_labels = p->labels;
	opt.nservice_labels = p->nlabels;
	p->ok = am_parse_alerts(p->body, p->len, &opt, &p->v, &p->n, &p->err);
	free(p->body);
	p->body = NULL;
	if (p->ok)
		model_prepare_alerts(p->v, p->n, p->name);
}

/* On the loop: the records into the model (which takes them). */
static void
am_parse_done(void *ctx)
{
	struct am_parse		*p = ctx;
	struct source		*s = p->s;
	struct alertmanager	*d = s->data;

	d->parse = NULL;
	if (!p->ok) {
		source_done(s, p->err);
		return;
	}
	model_set_alerts(s->model, s->name, p->v, p->n);
	p->v = NULL;
	p->n = 0;
	source_done(s, NULL);
}

static void
am_parse_release(void *ctx)
{
	struct am_parse	*p = ctx;
	size_t		 i;

	for (i = 0; i < p->n; i++)
		alert_free(&p->v[i]);
	free(p->v);
	free(p->body);
	free(p->err);
	config_list_free(p->labels, p->nlabels);
	free(p->name);
	free(p);
}

static void
am_list_done(struct http_response *resp, void *arg)
{
	struct source		*s = arg;
	struct alertmanager	*d = s->data;
	struct am_parse		*p;
	char			*err;
	size_t			 i;

	d->list = NULL;
	if (resp->error != NULL || resp->status != 200) {
		err = am_failure(s, resp);
		source_done(s, err);
		free(err);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->s = s;
	p->name = xstrdup(s->name);
	p->body = xmemdup(resp->body != NULL ? resp->body : "", resp->len);
	p->len = resp->len;
	if (d->nlabels > 0) {
		p->labels = xreallocarray(NULL, d->nlabels, sizeof *p->labels);
		for (i = 0; i < d->nlabels; i++)
			p->labels[i] = xstrdup(d->labels[i]);
		p->nlabels = d->nlabels;
	}
	d->parse = worker_submit(am_parse_run, am_parse_done,
	    am_parse_release, p);
}

static void
am_refresh(struct source *s)
{
	struct alertmanager	*d = s->data;
	char			*path;

	if (d == NULL || d->http.base_url == NULL) {
		source_done(s, "not configured");
		return;
	}
	path = xasprintf("/api/v2/alerts?active=true&silenced=%s&inhibited=%s",
	    d->silenced ? "true" : "false", d->inhibited ? "true" : "false");
	d->list = http_start(&d->http, "GET", path, NULL, NULL, am_list_done,
	    s);
	free(path);
}

/* --- writes --------------------------------------------------------------- */

static void
am_call_free(struct am_call *c)
{
	LIST_REMOVE(c, entry);
	free(c->what);
	free(c);
}

static void
am_write_done(struct http_response *resp, void *arg)
{
	struct am_call	*c = arg;
	char		*why, *msg, *id = NULL, *err = NULL;

	c->req = NULL;
	if (resp->error == NULL && resp->status >= 200 && resp->status < 300) {
		if (c->silence)
			id = am_parse_silence_id(resp->body, resp->len, &err);
		msg = xasprintf("%s%s%s%s (HTTP %ld)", c->what,
		    id != NULL ? ": silence " : "", id != NULL ? id : "",
		    err != NULL ? ", but the answer had no silence id" : "",
		    resp->status);
		c->done(true, resp->status, msg, c->arg);
	} else {
		/* Why only: the action road says what failed, as the user
		 * asked for it ("silence X for 1h failed: ..."). */
		why = am_failure(c->s, resp);
		c->done(false, resp->error == NULL ? resp->status : 0, why,
		    c->arg);
		free(why);
		msg = NULL;
	}
	free(id);
	free(err);
	free(msg);
	am_call_free(c);
}

static const char *
am_alertname(const struct kvlist *m)
{
	const char	*name = kvlist_get(m, "alertname");

	return (name != NULL ? name : "alert");
}

static bool
am_act(struct source *s, const struct action *a, action_done_cb done,
    void *arg)
{
	struct alertmanager	*d = s->data;
	static const char *const json[] = {
		"Content-Type: application/json", NULL
	};
	struct am_call		*c;
	char			*path, *body = NULL, *id, when[32];
	const char		*method;
	time_t			 now = time_wall();

	if ((AM_ACTIONS & ACTION_BIT(a->kind)) == 0)
		return (false);
	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->done = done;
	c->arg = arg;
	if (a->kind == ACTION_SILENCE) {
		if (a->matchers == NULL || a->matchers->n == 0 ||
		    a->duration_s < 1 || a->duration_s > AM_SILENCE_MAX_S ||
		    a->text == NULL || *a->text == '\0') {
			free(c);
			done(false, 0, "a silence needs matchers, a duration "
			    "(up to 90d) and a comment", arg);
			return (true);
		}
		duration_format(when, sizeof when, a->duration_s);
		c->silence = true;
		c->what = xasprintf("silenced %s for %s as %s",
		    am_alertname(a->matchers), when, d->user);
		body = am_silence_body(a->matchers, now, now + a->duration_s,
		    d->user, a->text);
		method = "POST";
		path = xstrdup("/api/v2/silences");
	} else {
		if (a->target == NULL || *a->target == '\0') {
			free(c);
			done(false, 0, "which silence?", arg);
			return (true);
		}
		c->what = xasprintf("expired silence %s", a->target);
		id = http_escape(a->target);
		path = xasprintf("/api/v2/silence/%s", id);
		free(id);
		method = "DELETE";
	}
	LIST_INSERT_HEAD(&d->calls, c, entry);
	c->req = http_start(&d->http, method, path, body != NULL ? json :
	    NULL, body, am_write_done, c);
	free(path);
	free(body);
	return (true);
}

static void
am_stop(struct source *s)
{
	struct alertmanager	*d = s->data;
	struct am_call		*c;

	if (d == NULL)
		return;
	http_cancel(d->list);
	worker_cancel(&d->parse);
	while ((c = LIST_FIRST(&d->calls)) != NULL) {
		http_cancel(c->req);
		am_call_free(c);
	}
	config_list_free(d->labels, d->nlabels);
	free(d->user);
	http_client_free(&d->http);
	free(d);
	s->data = NULL;
}

const struct backend_ops alertmanager_backend_ops = {
	.kind = "alertmanager",
	.feeds = FEED_BIT(FEED_ALERTS),
	.start = am_start,
	.refresh = am_refresh,
	.act = am_act,
	.stop = am_stop,
	.actions = AM_ACTIONS,
};
