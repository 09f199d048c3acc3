/* tlrecord.c: the model's changes as timeline events (see tlrecord.h).
 * Keys name the happening, not the moment it was seen: "alert|SRC/ID|START"
 * and a suffix for firing, acknowledged, resolved; "deploy|SRC/ID"; SLO
 * conditions carry the moment sitrep saw them change. Every record is
 * looked at, those of the environments the panes do not show too, and
 * each event names its record's environment. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/timeline.h"
#include "core/timeutil.h"
#include "core/tlrecord.h"
#include "core/xalloc.h"

/* An alert the timeline holds as firing and not yet resolved. */
struct open_alert {
	char	*base;		/* "alert|SRC/ID|START" */
	char	*source;
	char	*incident;
	char	*service;
	char	*title;
	char	*env;
	bool	 seen;		/* in the model this round */
};

struct slo_state {
	char		*env;		/* with the name, which SLO */
	char		*name;
	enum slo_alert	 alert;
	char		*start;		/* the key of its condition's start */
};

struct tlrecord {
	struct timeline		*tl;
	struct open_alert	*open;
	size_t			 nopen;
	size_t			*idx;		/* see idx_slot */
	size_t			 idxcap;
	struct slo_state	*slos;
	size_t			 nslos;
	uint64_t		 gen[4];
	bool			 primed;
};

/* The open alerts by base: open addressing over indices + 1 (0: empty),
 * rebuilt whenever the list changes other than by appending. */
static size_t
idx_slot(const struct tlrecord *r, const char *base)
{
	uint64_t	h = 1469598103934665603ULL;
	const char	*p;
	size_t		 i;

	for (p = base; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	i = (size_t)h & (r->idxcap - 1);
	while (r->idx[i] != 0 && strcmp(r->open[r->idx[i] - 1].base,
	    base) != 0)
		i = (i + 1) & (r->idxcap - 1);
	return (i);
}

static void
idx_rebuild(struct tlrecord *r)
{
	size_t	i;

	r->idxcap = 64;
	while (r->idxcap < r->nopen * 2 + 2)
		r->idxcap *= 2;
	free(r->idx);
	r->idx = xcalloc(r->idxcap, sizeof *r->idx);
	for (i = 0; i < r->nopen; i++)
		r->idx[idx_slot(r, r->open[i].base)] = i + 1;
}

/* The open alert with this base, added if new; its index. */
static size_t
open_add(struct tlrecord *r, const char *base, const char *source,
    const char *incident, const char *service, const char *title,
    const char *env)
{
	struct open_alert	*o;
	size_t			 slot;

	if (r->idx == NULL || (r->nopen + 1) * 2 > r->idxcap)
		idx_rebuild(r);
	slot = idx_slot(r, base);
	if (r->idx[slot] != 0)
		return (r->idx[slot] - 1);
	r->open = xreallocarray(r->open, r->nopen + 1, sizeof *r->open);
	o = &r->open[r->nopen++];
	o->base = xstrdup(base);
	o->source = xstrdup(source != NULL ? source : "");
	o->incident = xstrdup(incident != NULL ? incident : "");
	o->service = service != NULL ? xstrdup(service) : NULL;
	o->title = title != NULL ? xstrdup(title) : NULL;
	o->env = env != NULL ? xstrdup(env) : NULL;
	o->seen = false;
	r->idx[slot] = r->nopen;
	return (r->nopen - 1);
}

static void
open_drop(struct tlrecord *r, size_t i)
{
	struct open_alert	*o = &r->open[i];

	free(o->base);
	free(o->source);
	free(o->incident);
	free(o->service);
	free(o->title);
	free(o->env);
	r->open[i] = r->open[--r->nopen];
	free(r->idx);		/* indices moved: rebuilt when next asked */
	r->idx = NULL;
}

static struct slo_state *
slo_state(struct tlrecord *r, const char *env, const char *name)
{
	size_t	i;

	if (env == NULL)
		env = "";
	for (i = 0; i < r->nslos; i++) {
		if (strcmp(r->slos[i].name, name) == 0 &&
		    strcmp(r->slos[i].env, env) == 0)
			return (&r->slos[i]);
	}
	r->slos = xreallocarray(r->slos, r->nslos + 1, sizeof *r->slos);
	r->slos[r->nslos].env = xstrdup(env);
	r->slos[r->nslos].name = xstrdup(name);
	r->slos[r->nslos].alert = SLO_ALERT_NONE;
	r->slos[r->nslos].start = NULL;
	return (&r->slos[r->nslos++]);
}

/* "a|b|c|firing" -> "a|b|c" (heap), or NULL if it does not end so. */
static char *
strip_suffix(const char *key, const char *suffix)
{
	size_t	kl = strlen(key), sl = strlen(suffix);

	if (kl <= sl || strcmp(key + kl - sl, suffix) != 0)
		return (NULL);
	return (xstrndup(key, kl - sl));
}

/* What the file says is open, and each SLO's last condition. */
static void
prime(struct tlrecord *r)
{
	const struct tl_event	*v;
	char			*base, *name;
	size_t			 n, i, j, slot;
	const char		*p;
	struct slo_state	*st;

	v = timeline_events(r->tl, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].kind, TL_ALERT_FIRING) == 0 &&
		    (base = strip_suffix(v[i].key, "|firing")) != NULL) {
			p = v[i].incident != NULL ? v[i].incident : "";
			name = xstrndup(p, strcspn(p, "/"));
			open_add(r, base, name, v[i].incident, v[i].service,
			    v[i].text, v[i].environment);
			free(name);
			free(base);
		} else if (strcmp(v[i].kind, TL_ALERT_RESOLVED) == 0 &&
		    (base = strip_suffix(v[i].key, "|resolved")) != NULL) {
			if (r->idx == NULL)
				idx_rebuild(r);
			slot = idx_slot(r, base);
			if (r->idx[slot] != 0)	/* dropped below, at once */
				r->open[r->idx[slot] - 1].seen = true;
			free(base);
		} else if (strncmp(v[i].kind, "slo.", 4) == 0 &&
		    v[i].incident != NULL) {
			/* incident holds the SLO's name, result its
			 * condition. */
			st = slo_state(r, v[i].environment, v[i].incident);
			st->alert = strcmp(v[i].kind, TL_SLO_END) == 0 ?
			    SLO_ALERT_NONE : v[i].result != NULL &&
			    strcmp(v[i].result, "page") == 0 ? SLO_ALERT_PAGE :
			    SLO_ALERT_TICKET;
			xstrset(&st->start, st->alert != SLO_ALERT_NONE ?
			    v[i].key : NULL);
		}
	}
	/* Those marked were resolved. */
	for (j = 0; j < r->nopen; ) {
		if (r->open[j].seen)
			open_drop(r, j);
		else
			j++;
	}
	r->primed = true;
}

struct tlrecord *
tlrecord_new(struct timeline *tl)
{
	struct tlrecord	*r = xcalloc(1, sizeof *r);

	r->tl = tl;
	return (r);
}

void
tlrecord_free(struct tlrecord *r)
{
	size_t	i;

	if (r == NULL)
		return;
	while (r->nopen > 0)
		open_drop(r, r->nopen - 1);
	free(r->open);
	free(r->idx);
	for (i = 0; i < r->nslos; i++) {
		free(r->slos[i].env);
		free(r->slos[i].name);
		free(r->slos[i].start);
	}
	free(r->slos);
	free(r);
}

/* Has this source answered well at least once, the last time too? */
static bool
source_fresh(const struct model *m, const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < m->nsources; i++) {
		if (strcmp(m->sources[i].name, name) == 0)
			return (m->sources[i].fetched && m->sources[i].ok);
	}
	return (false);
}

static void
add(struct tlrecord *r, struct tl_event *ev, char **warn)
{
	char	*w = NULL;

	timeline_add(r->tl, ev, &w);
	if (w != NULL && *warn == NULL)
		*warn = w;
	else
		free(w);
}

static void
record_alert(struct tlrecord *r, const struct alert *a, char **warn)
{
	struct tl_event	 ev;
	char		*base, *incident, *key;
	int64_t		 now = time_wall_ns() / 1000000;
	size_t		 i;

	incident = xasprintf("%s/%s", a->source, a->id);
	base = xasprintf("alert|%s|%lld", incident, (long long)a->started_at);
	memset(&ev, 0, sizeof ev);
	ev.service = a->service;
	ev.incident = incident;
	ev.text = a->title;
	ev.environment = a->environment;
	ev.result = (char *)severity_name(a->severity);
	key = xasprintf("%s|firing", base);
	if (!timeline_has(r->tl, key)) {
		ev.kind = (char *)TL_ALERT_FIRING;
		ev.key = key;
		ev.source_clock = a->started_at != 0;
		ev.t_ms = a->started_at != 0 ? (int64_t)a->started_at * 1000 :
		    now;
		add(r, &ev, warn);
	}
	free(key);
	i = open_add(r, base, a->source, incident, a->service, a->title,
	    a->environment);
	r->open[i].seen = true;	/* (open_add may move r->open) */
	key = xasprintf("%s|ack", base);
	if (a->status == ALERT_ACKNOWLEDGED && !timeline_has(r->tl, key)) {
		ev.kind = (char *)TL_ALERT_ACKED;
		ev.key = key;
		ev.source_clock = false;
		ev.t_ms = now;
		ev.who = a->assignees;
		ev.result = NULL;
		add(r, &ev, warn);
	}
	free(key);
	free(base);
	free(incident);
}

static void
record_alerts(struct tlrecord *r, const struct model *m, char **warn)
{
	struct tl_event	 ev;
	size_t		 i;
	char		*key;

	for (i = 0; i < r->nopen; i++)
		r->open[i].seen = false;
	for (i = 0; i < m->nalerts + m->nhidden_alerts; i++) {
		const struct alert *a = i < m->nalerts ? &m->alerts[i] :
		    &m->hidden_alerts[i - m->nalerts];

		if (a->status != ALERT_RESOLVED)
			record_alert(r, a, warn);
	}
	for (i = 0; i < r->nopen; ) {
		struct open_alert *o = &r->open[i];

		if (o->seen || !source_fresh(m, o->source)) {
			i++;
			continue;
		}
		memset(&ev, 0, sizeof ev);
		key = xasprintf("%s|resolved", o->base);
		ev.kind = (char *)TL_ALERT_RESOLVED;
		ev.key = key;
		ev.t_ms = time_wall_ns() / 1000000;
		ev.service = o->service;
		ev.incident = o->incident;
		ev.text = o->title;
		ev.environment = o->env;
		add(r, &ev, warn);
		free(key);
		open_drop(r, i);
	}
}

/* An SLO condition's key: its environment's too, since two environments
 * may have an SLO of the same name changing in the same millisecond. */
static char *
slo_key(const struct slo *s, const char *cond, const char *what,
    int64_t now)
{
	const char	*env = s->environment != NULL ? s->environment : "";

	return (xasprintf("slo|%s%s%s|%s|%s|%lld", env, *env != '\0' ? "/" :
	    "", s->name, cond, what, (long long)now));
}

static void
record_slos(struct tlrecord *r, const struct model *m, char **warn)
{
	struct tl_event		 ev;
	struct slo_state	*st;
	const struct slo	*s;
	char			*key, *text;
	const char		*cond;
	size_t			 i;
	int64_t			 now = time_wall_ns() / 1000000;

	for (i = 0; i < m->nslos + m->nhidden_slos; i++) {
		s = i < m->nslos ? &m->slos[i] : &m->hidden_slos[i - m->nslos];
		if (s->name == NULL || !source_fresh(m, s->source))
			continue;
		st = slo_state(r, s->environment, s->name);
		if (st->alert == s->alert)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.t_ms = now;
		ev.service = s->service;
		ev.incident = s->name;
		ev.environment = s->environment;
		if (st->alert != SLO_ALERT_NONE) {
			cond = slo_alert_name(st->alert);
			/* Named after its start, so that two seats that saw
			 * the same start record one end. */
			key = st->start != NULL ? xasprintf("%s|end",
			    st->start) : slo_key(s, cond, "end", now);
			text = xasprintf("%s: %s condition ended", s->name,
			    cond);
			ev.kind = (char *)TL_SLO_END;
			ev.key = key;
			ev.text = text;
			ev.result = (char *)cond;
			add(r, &ev, warn);
			free(key);
			free(text);
		}
		if (s->alert != SLO_ALERT_NONE) {
			cond = slo_alert_name(s->alert);
			key = slo_key(s, cond, "start", now);
			text = xasprintf("%s: %s condition%s%s, burn %.1fx "
			    "(1h)", s->name, cond, s->condition != NULL ?
			    " " : "", s->condition != NULL ? s->condition : "",
			    s->burn[W_1H] == s->burn[W_1H] ? s->burn[W_1H] :
			    0.0);
			ev.kind = (char *)TL_SLO_START;
			ev.key = key;
			ev.text = text;
			ev.result = (char *)cond;
			add(r, &ev, warn);
			xstrset(&st->start, key);
			free(key);
			free(text);
		} else
			xstrset(&st->start, NULL);
		st->alert = s->alert;
	}
}

static void
record_deploys(struct tlrecord *r, const struct model *m, char **warn)
{
	struct tl_event		 ev;
	const struct deploy	*d;
	char			*key, *text;
	size_t			 i;

	for (i = 0; i < m->ndeploys + m->nhidden_deploys; i++) {
		d = i < m->ndeploys ? &m->deploys[i] :
		    &m->hidden_deploys[i - m->ndeploys];
		if (d->service == NULL || d->at == 0)
			continue;
		if (d->id != NULL)
			key = xasprintf("deploy|%s/%s", d->source, d->id);
		else
			key = xasprintf("deploy|%s|%s|%s|%lld", d->source,
			    d->service, d->version != NULL ? d->version : "",
			    (long long)d->at);
		if (timeline_has(r->tl, key)) {
			free(key);
			continue;
		}
		text = xasprintf("%s %s%s%s", d->service, d->version != NULL ?
		    d->version : d->revision != NULL ? d->revision : "?",
		    d->summary != NULL ? ": " : "", d->summary != NULL ?
		    d->summary : "");
		memset(&ev, 0, sizeof ev);
		ev.kind = (char *)TL_DEPLOY;
		ev.key = key;
		ev.t_ms = (int64_t)d->at * 1000;
		ev.source_clock = true;
		ev.service = d->service;
		ev.environment = d->environment;
		ev.who = d->author;
		ev.text = text;
		add(r, &ev, warn);
		free(key);
		free(text);
	}
}

void
tlrecord_model(struct tlrecord *r, const struct model *m, char **warn)
{
	char	*w = NULL;

	*warn = NULL;
	if (!r->primed)
		prime(r);
	if (r->gen[0] == m->gen_alerts && r->gen[1] == m->gen_slos &&
	    r->gen[2] == m->gen_deploys && r->gen[3] == m->gen_sources)
		return;
	r->gen[0] = m->gen_alerts;
	r->gen[1] = m->gen_slos;
	r->gen[2] = m->gen_deploys;
	r->gen[3] = m->gen_sources;
	timeline_batch(r->tl, true, NULL);
	record_deploys(r, m, warn);
	record_alerts(r, m, warn);
	record_slos(r, m, warn);
	timeline_batch(r->tl, false, &w);
	if (w != NULL && *warn == NULL)
		*warn = w;
	else
		free(w);
}
