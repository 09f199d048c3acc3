/* status.c: a status update composed from the model and the timeline (see
 * status.h). Every fact says plainly when it is not known. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/status.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/slomath.h"
#include "core/timeline.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#define AFFECTED_MAX	5	/* services named, then "and N more" */
#define ACTIONS_MAX	6	/* the latest actions named */
#define ACTIONS_HOURS	6	/* at least this far back */

/* "14:32 UTC" */
static char *
clock_of(time_t t, int local)
{
	char	buf[16];

	time_format_clock(buf, sizeof buf, t, local != 0);
	buf[5] = '\0';		/* minutes are enough on a bridge */
	return (xasprintf("%s %s", buf, local ? "local" : "UTC"));
}

static bool
listed(const char *list, const char *item)
{
	const char	*p = list;
	size_t		 len = strlen(item);

	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || (p - list >= 2 && p[-2] == ',')) &&
		    (p[len] == '\0' || p[len] == ','))
			return (true);
		p += len;
	}
	return (false);
}

/* The alerts that make the incident: critical and error ones when there
 * are any (a warning or an old info alert is not what the bridge is
 * about), else all that are open. */
static enum severity
incident_severity(const struct model *m)
{
	size_t	i;

	for (i = 0; i < m->nalerts; i++) {
		if (m->alerts[i].status != ALERT_RESOLVED &&
		    m->alerts[i].severity <= SEV_ERROR)
			return (SEV_ERROR);
	}
	return (SEV_INFO);
}

static char *
affected(const struct model *m, time_t *first)
{
	struct sbuf	 sb;
	size_t		 i, named = 0, more = 0;
	const char	*svc;
	enum severity	 worst = incident_severity(m);

	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	*first = 0;
	for (i = 0; i < m->nalerts + m->nslos; i++) {
		if (i < m->nalerts) {
			const struct alert *a = &m->alerts[i];

			if (a->status == ALERT_RESOLVED ||
			    a->severity > worst)
				continue;
			if (a->started_at != 0 &&
			    (*first == 0 || a->started_at < *first))
				*first = a->started_at;
			svc = a->service != NULL ? a->service : a->title;
		} else {
			const struct slo *s = &m->slos[i - m->nalerts];

			if (s->alert == SLO_ALERT_NONE)
				continue;
			svc = s->service != NULL ? s->service : s->name;
		}
		if (svc == NULL || listed(sb.s, svc))
			continue;
		if (named == AFFECTED_MAX) {
			more++;
			continue;
		}
		sbuf_addf(&sb, "%s%s", named > 0 ? ", " : "", svc);
		named++;
	}
	if (more > 0)
		sbuf_addf(&sb, " and %zu more", more);
	if (named == 0)
		sbuf_adds(&sb, "nothing is firing");
	return (sbuf_steal(&sb));
}

static void
burn_budget(struct status_facts *f, const struct model *m)
{
	const struct slo	*s = model_worst_slo(m);
	double			 b, left;
	char			 win[16], empty[16];

	if (s == NULL) {
		f->burn = xstrdup("no SLO data");
		f->budget = xstrdup("budget unknown");
		return;
	}
	b = !isnan(s->burn[W_1H]) ? s->burn[W_1H] : s->burn[W_5M];
	f->burn = xasprintf("%s burns %.1fx its error budget (1h)%s%s%s",
	    s->name, isnan(b) ? 0.0 : b, s->alert != SLO_ALERT_NONE ?
	    ", " : "", s->alert != SLO_ALERT_NONE ? slo_alert_name(s->alert) :
	    "", s->alert != SLO_ALERT_NONE ? " condition" : "");
	duration_format_short(win, sizeof win, s->window_seconds);
	if (isnan(s->budget_remaining)) {
		f->budget = xstrdup("budget left unknown");
		return;
	}
	left = slo_time_to_exhaustion(s->budget_remaining, b,
	    s->window_seconds);
	if (isnan(left) || isinf(left) || left > 1e9)
		snprintf(empty, sizeof empty, "%s", "");
	else
		duration_format_short(empty, sizeof empty, (int64_t)left);
	f->budget = xasprintf("%.1f%% of its %s budget left%s%s",
	    s->budget_remaining * 100, win, *empty != '\0' ?
	    ", empty in " : "", empty);
}

static char *
suspect(const struct model *m, time_t first, int local)
{
	const struct slo	*s;
	char			*when, *out, gap[16];
	size_t			 i;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->status == ALERT_RESOLVED || a->suspect == NULL)
			continue;
		when = clock_of(a->suspect_at, local);
		if (first != 0 && a->suspect_at != 0 && first >= a->suspect_at)
			duration_format_short(gap, sizeof gap,
			    first - a->suspect_at);
		else
			gap[0] = '\0';
		out = xasprintf("%s, deployed %s%s%s", a->suspect, when,
		    *gap != '\0' ? ", " : "", *gap != '\0' ? gap : "");
		if (*gap != '\0') {
			free(when);
			when = out;
			out = xasprintf("%s before the first alert", when);
		}
		free(when);
		return (out);
	}
	if ((s = model_worst_slo(m)) != NULL && s->suspect != NULL)
		return (xstrdup(s->suspect));
	return (xstrdup("none found"));
}

/* The actions since the trouble began or in the last ACTIONS_HOURS, the
 * latest ACTIONS_MAX, with how each ended; *rolled_back if a rollback
 * ended well. */
/* Is an event of the environment shown (all shown: every one)? */
static bool
status_env_shown(const struct model *m, const struct tl_event *e)
{
	return (m->shown_env == NULL || e->environment == NULL ||
	    strcmp(e->environment, m->shown_env) == 0);
}

static char *
actions(const struct model *m, const struct timeline *tl, time_t first,
    int64_t now, bool *rolled_back)
{
	const struct tl_event	*v = NULL;
	struct sbuf		 sb;
	size_t			 n = 0, i, from, count = 0;
	int64_t			 since_ms;

	*rolled_back = false;
	/* What was done for this incident, and in the hours before it (a
	 * rollback that ended the last one is news too). */
	since_ms = (first != 0 && first < now - ACTIONS_HOURS * 3600 ?
	    (int64_t)first : now - ACTIONS_HOURS * 3600) * 1000;
	if (tl != NULL)
		v = timeline_events(tl, &n);
	for (i = 0; i < n; i++) {
		if (v[i].t_ms >= since_ms &&
		    strcmp(v[i].kind, TL_ACTION_END) == 0 &&
		    status_env_shown(m, &v[i]))
			count++;
	}
	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	for (i = 0, from = count > ACTIONS_MAX ? count - ACTIONS_MAX : 0;
	    i < n; i++) {
		if (v[i].t_ms < since_ms ||
		    strcmp(v[i].kind, TL_ACTION_END) != 0 ||
		    !status_env_shown(m, &v[i]))
			continue;
		if (from > 0) {
			from--;
			continue;
		}
		sbuf_addf(&sb, "%s%s%s%s%s", sb.len > 0 ? "; " : "",
		    v[i].text != NULL ? v[i].text : "?",
		    v[i].result != NULL ? " (" : "",
		    v[i].result != NULL ? v[i].result : "",
		    v[i].result != NULL ? ")" : "");
		if (v[i].text != NULL && strncmp(v[i].text, "rollback ", 9) ==
		    0 && v[i].result != NULL &&
		    strcmp(v[i].result, "exit 0") == 0)
			*rolled_back = true;
	}
	if (sb.len == 0)
		sbuf_adds(&sb, "none yet");
	else if (count > ACTIONS_MAX)
		sbuf_addf(&sb, " (and %zu before)", count - ACTIONS_MAX);
	return (sbuf_steal(&sb));
}

/* The environment the update speaks for: the one shown, else every one
 * the sources are in ("prod, staging"), else [sitrep]'s. */
static char *
status_environment(const struct model *m)
{
	const char	**v;
	struct sbuf	  sb;
	size_t		  n, i;

	if (m->shown_env != NULL)
		return (xstrdup(m->shown_env));
	v = model_environments(m, &n);
	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	for (i = 0; n > 1 && i < n; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
		    *v[i] != '\0' ? v[i] : "-");
	free(v);
	if (sb.len == 0)
		sbuf_adds(&sb, *m->environment != '\0' ? m->environment :
		    "sitrep");
	return (sbuf_steal(&sb));
}

void
status_facts(struct status_facts *f, const struct model *m,
    const struct timeline *tl, int64_t now, int local)
{
	time_t	first;
	char	ago[16], *at;
	bool	rolled_back;

	memset(f, 0, sizeof *f);
	f->environment = status_environment(m);
	f->time = clock_of((time_t)now, local);
	f->affected = affected(m, &first);
	if (first != 0) {
		at = clock_of(first, local);
		duration_format_short(ago, sizeof ago, now - first);
		f->since = xasprintf("%s (%s ago)", at, ago);
		free(at);
	} else
		f->since = xstrdup("unknown");
	burn_budget(f, m);
	f->suspect = suspect(m, first, local);
	f->actions = actions(m, tl, first, now, &rolled_back);
	if (rolled_back)
		f->next = xstrdup("watching the burn fall after the rollback; "
		    "next update in 30 minutes");
	else if (strcmp(f->suspect, "none found") != 0)
		f->next = xasprintf("deciding whether to roll back %.*s; next "
		    "update in 30 minutes", (int)strcspn(f->suspect, ","),
		    f->suspect);
	else
		f->next = xstrdup("investigating; next update in 30 minutes");
}

void
status_facts_free(struct status_facts *f)
{
	free(f->environment);
	free(f->time);
	free(f->affected);
	free(f->since);
	free(f->burn);
	free(f->budget);
	free(f->suspect);
	free(f->actions);
	free(f->next);
	memset(f, 0, sizeof *f);
}

char *
status_fill(const char *tmpl, const struct status_facts *f)
{
	const struct { const char *name; const char *value; } vars[] = {
		{ "environment", f->environment }, { "time", f->time },
		{ "affected", f->affected }, { "since", f->since },
		{ "burn", f->burn }, { "budget", f->budget },
		{ "suspect", f->suspect }, { "actions", f->actions },
		{ "next", f->next },
	};
	struct sbuf	 sb;
	const char	*p;
	size_t		 i, len;

	if (tmpl == NULL)
		tmpl = STATUS_TEMPLATE_DEFAULT;
	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	for (p = tmpl; *p != '\0'; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			sbuf_addc(&sb, '\n');
			p++;
			continue;
		}
		if (*p != '$') {
			sbuf_addc(&sb, *p);
			continue;
		}
		for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
			len = strlen(vars[i].name);
			if (strncmp(p + 1, vars[i].name, len) == 0)
				break;
		}
		if (i == sizeof vars / sizeof vars[0]) {
			sbuf_addc(&sb, *p);
			continue;
		}
		sbuf_adds(&sb, vars[i].value != NULL ? vars[i].value : "");
		p += len;
	}
	return (sbuf_steal(&sb));
}

char *
status_one_line(const char *text)
{
	struct sbuf	 sb;
	const char	*p;

	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			sbuf_adds(&sb, " | ");
		else
			sbuf_addc(&sb, *p);
	}
	return (sbuf_steal(&sb));
}

char *
status_lines(const char *line)
{
	struct sbuf	 sb;
	const char	*p;

	sbuf_init(&sb);
	sbuf_adds(&sb, "");
	for (p = line; *p != '\0'; p++) {
		if (strncmp(p, " | ", 3) == 0) {
			sbuf_addc(&sb, '\n');
			p += 2;
		} else
			sbuf_addc(&sb, *p);
	}
	return (sbuf_steal(&sb));
}
