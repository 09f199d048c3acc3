/* alertmanager.c: the Alertmanager source (API v2). A refresh lists the
 * alerts (active, and by default silenced and inhibited ones, shown as
 * such); act creates a silence from an alert's labels or expires one. The
 * base URL may carry a prefix (Mimir/Cortex: .../alertmanager); headers
 * (X-Scope-OrgID) and auth are read as for any HTTP source. With `url`
 * repeated, the URLs are replicas of one cluster: every refresh asks all of
 * them and merges their answers by fingerprint; the source is healthy while
 * one answers (the others are named in its warning); a write goes to one
 * replica that answered (the cluster gossips it to the rest). */
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
#include "core/sbuf.h"
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
	const char		*replica;	/* its name, if several */
	bool			 silence;	/* a new one: say its id */
	LIST_ENTRY(am_call)	 entry;
};

/* One replica's part of a round. */
struct am_replica {
	struct source		*s;
	size_t			 i;
	struct http_request	*list;
	char			*body;		/* its answer this round */
	size_t			 len;
	char			*error;		/* or why it gave none */
	bool			 ok;		/* answered the last round */
};

struct alertmanager {
	struct http_client	 http;
	struct am_replica	*rep;		/* one per url */
	size_t			 nrep;
	size_t			 waiting;	/* listings still in flight */
	struct am_options	 opt;
	char			**labels;	/* service_labels */
	size_t			 nlabels;
	bool			 silenced;
	bool			 inhibited;
	char			*user;		/* createdBy */
	struct worker_job	*parse;		/* the listing being parsed */
	LIST_HEAD(, am_call)	 calls;
};

/* A listing parsed off the loop: the job owns its copy of the body and of
 * the options, so that the source may go while it runs. */
struct am_parse {
	struct source		*s;		/* the loop's side only */
	char			*name;		/* the source's */
	char			**body;		/* each that answered */
	size_t			*len;
	char			**rname;	/* those replicas' names */
	size_t			 nbody;
	bool			 several;	/* the source has replicas */
	char			**labels;
	size_t			 nlabels;
	bool			 ok;
	struct alert		*v;
	size_t			 n;
	char			*err;
	struct sbuf		 warn;		/* replicas failing */
};

static bool
am_start(struct source *s, struct config *cfg)
{
	struct alertmanager	*d;
	struct config_section	*sec = s->section;
	const char		*user;
	bool			 ok;
	size_t			 i;

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
	d->nrep = d->http.nreplicas;
	d->rep = xcalloc(d->nrep + 1, sizeof *d->rep);
	for (i = 0; i < d->nrep; i++) {
		d->rep[i].s = s;
		d->rep[i].i = i;
		d->rep[i].ok = true;
	}
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

/* On a worker thread: the job's own bytes to records, every replica's
 * answer merged into one list. */
static void
am_parse_run(void *ctx)
{
	struct am_parse		*p = ctx;
	struct am_options	 opt;
	struct alert		*v;
	size_t			 i, n, good = 0;
	char			*err;

	opt.service_labels = p->labels;
	opt.nservice_labels = p->nlabels;
	for (i = 0; i < p->nbody; i++) {
		if (!am_parse_alerts(p->body[i], p->len[i], &opt, &v, &n,
		    &err)) {
			if (p->several)
				sbuf_addf(&p->warn, "%sreplica %s failing: %s",
				    p->warn.len > 0 ? "; " : "", p->rname[i],
				    err);
			if (p->err == NULL)
				p->err = err;
			else
				free(err);
			continue;
		}
		p->v = xreallocarray(p->v, p->n + n + 1, sizeof *p->v);
		memcpy(p->v + p->n, v, n * sizeof *v);
		p->n += n;
		free(v);
		good++;
	}
	for (i = 0; i < p->nbody; i++) {
		free(p->body[i]);
		p->body[i] = NULL;
	}
	if ((p->ok = good > 0)) {
		if (p->several)
			p->n = am_merge_alerts(p->v, p->n);
		model_prepare_alerts(p->v, p->n, p->name);
	}
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
	if (p->several) {
		char *down = http_replicas_down(&d->http);

		model_source_warn(s->model, s->health, p->warn.len > 0 ?
		    p->warn.s : NULL);
		model_source_replicas_down(s->model, s->health, down);
		free(down);
	}
	model_set_alerts(s->model, s->name, p->v != NULL ? p->v :
	    xcalloc(1, sizeof *p->v), p->n);
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
	for (i = 0; i < p->nbody; i++) {
		free(p->body[i]);
		free(p->rname[i]);
	}
	free(p->body);
	free(p->len);
	free(p->rname);
	free(p->err);
	sbuf_free(&p->warn);
	config_list_free(p->labels, p->nlabels);
	free(p->name);
	free(p);
}

/* Every replica has answered or failed: parse what came, or say why
 * nothing did. */
static void
am_round_end(struct source *s)
{
	struct alertmanager	*d = s->data;
	struct am_replica	*r;
	struct am_parse		*p;
	struct sbuf		 why;
	size_t			 i;

	p = xcalloc(1, sizeof *p);
	sbuf_init(&p->warn);
	sbuf_init(&why);
	p->s = s;
	p->name = xstrdup(s->name);
	p->several = d->nrep > 1;
	p->body = xcalloc(d->nrep, sizeof *p->body);
	p->len = xcalloc(d->nrep, sizeof *p->len);
	p->rname = xcalloc(d->nrep, sizeof *p->rname);
	for (i = 0; i < d->nrep; i++) {
		r = &d->rep[i];
		if (r->body == NULL) {
			if (d->nrep == 1)
				sbuf_addf(&why, "%s", r->error);
			else
				sbuf_addf(&why, "%sreplica %s failing: %s",
				    why.len > 0 ? "; " : "",
				    d->http.replicas[i].name, r->error);
			continue;
		}
		p->body[p->nbody] = r->body;
		p->len[p->nbody] = r->len;
		p->rname[p->nbody++] = xstrdup(d->http.replicas[i].name);
		r->body = NULL;
	}
	if (p->nbody == 0) {
		source_done(s, why.s != NULL ? why.s : "no answer");
		sbuf_free(&why);
		am_parse_release(p);
		return;
	}
	if (why.len > 0)
		sbuf_addf(&p->warn, "%s", why.s);
	sbuf_free(&why);
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
am_list_done(struct http_response *resp, void *arg)
{
	struct am_replica	*r = arg;
	struct source		*s = r->s;
	struct alertmanager	*d = s->data;

	r->list = NULL;
	free(r->error);
	r->error = NULL;
	if (resp->error != NULL || resp->status != 200) {
		r->error = am_failure(s, resp);
		r->ok = false;
	} else {
		r->body = xmemdup(resp->body != NULL ? resp->body : "",
		    resp->len);
		r->len = resp->len;
		r->ok = true;
	}
	if (--d->waiting == 0)
		am_round_end(s);
}

static void
am_refresh(struct source *s)
{
	struct alertmanager	*d = s->data;
	char			*path;
	size_t			 i;

	if (d == NULL || d->http.base_url == NULL || d->nrep == 0) {
		source_done(s, "not configured");
		return;
	}
	path = xasprintf("/api/v2/alerts?active=true&silenced=%s&inhibited=%s",
	    d->silenced ? "true" : "false", d->inhibited ? "true" : "false");
	/* Counted before any starts: none answers from inside http_start. */
	d->waiting = d->nrep;
	for (i = 0; i < d->nrep; i++)
		d->rep[i].list = http_start_replica(&d->http, i, "GET", path,
		    NULL, NULL, am_list_done, &d->rep[i]);
	free(path);
}

/* The replica a write goes to: the first that answered the last round. */
static size_t
am_write_replica(const struct alertmanager *d)
{
	size_t	i;

	for (i = 0; i < d->nrep; i++) {
		if (d->rep[i].ok)
			return (i);
	}
	return (0);
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
		/* The replica written to comes before the long silence id,
		 * so that a narrow status line keeps it. */
		msg = xasprintf("%s%s%s%s%s%s (HTTP %ld)", c->what,
		    c->replica != NULL ? " via " : "",
		    c->replica != NULL ? c->replica : "",
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
	size_t			 target;

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
	target = am_write_replica(d);
	if (d->nrep > 1)
		c->replica = d->http.replicas[target].name;
	c->req = http_start_replica(&d->http, target, method, path,
	    body != NULL ? json : NULL, body, am_write_done, c);
	free(path);
	free(body);
	return (true);
}

static void
am_stop(struct source *s)
{
	struct alertmanager	*d = s->data;
	struct am_call		*c;
	size_t			 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nrep; i++) {
		http_cancel(d->rep[i].list);
		free(d->rep[i].body);
		free(d->rep[i].error);
	}
	free(d->rep);
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
	.replicas = true,
};
