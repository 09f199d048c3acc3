/* pd_drive.c: sends every request sitrep's PagerDuty client makes, through
 * the real backend and the real event loop, to the server at URL (Prism in
 * tests/integration/pagerduty_contract.sh): the incident list (all pages)
 * and the change events of the last day, an incident's alerts, notes and
 * related change events, its log entries (every page), then acknowledge,
 * resolve, note, snooze, reassign to a user, escalate to a level and post
 * a status update. It prints one line per step,
 * "ok STEP: ..." or "FAIL STEP: ...", then the incidents and deploys it
 * parsed, and exits 0 only if every step succeeded. The token comes from
 * $PD_TOKEN. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "core/loop.h"

struct drive {
	struct source	*s;
	struct model	*m;
	const char	*id;		/* the incident acted on */
	int		 step;
	int		 failures;
};

static void	next_step(struct drive *);

static void
report(struct drive *dr, const char *step, bool ok, const char *msg)
{
	printf("%s %s: %s\n", ok ? "ok" : "FAIL", step, msg != NULL ? msg :
	    "");
	fflush(stdout);
	if (!ok)
		dr->failures++;
}

static void
act_done(bool ok, long status, const char *message, void *arg)
{
	struct drive	*dr = arg;

	report(dr, "act", ok, message);
	next_step(dr);
}

static void
details_done(const struct detail_section *v, size_t n, const char *error,
    void *arg)
{
	struct drive	*dr = arg;
	size_t		 i, j;

	report(dr, "details", error == NULL && n == 3, error);
	for (i = 0; i < n; i++) {
		printf("  section %s\n", v[i].heading);
		for (j = 0; j < v[i].lines->n; j++)
			printf("    %s: %s\n", v[i].lines->v[j].key,
			    v[i].lines->v[j].value);
	}
	next_step(dr);
}

static void
log_done(const struct incident_entry *v, size_t n, const char *error,
    void *arg)
{
	struct drive	*dr = arg;
	size_t		 i;

	report(dr, "log entries", error == NULL && n > 0, error);
	for (i = 0; i < n; i++)
		printf("  log %s|%s|%s|%s|%ld\n", v[i].id, v[i].kind,
		    v[i].summary != NULL ? v[i].summary : "-",
		    v[i].who != NULL ? v[i].who : "-", (long)v[i].at);
	next_step(dr);
}

static void
act(struct drive *dr, enum action_kind kind, const char *text,
    int64_t seconds)
{
	struct action	a;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	a.target = dr->id;
	a.text = text;
	a.duration_s = seconds;
	if (!dr->s->ops->act(dr->s, &a, act_done, dr)) {
		report(dr, "act", false, "not started");
		next_step(dr);
	}
}

static void
next_step(struct drive *dr)
{
	switch (dr->step++) {
	case 0:
		dr->s->ops->details(dr->s, dr->id, details_done, dr);
		break;
	case 1:
		act(dr, ACTION_ACK, NULL, 0);
		break;
	case 2:
		act(dr, ACTION_RESOLVE, NULL, 0);
		break;
	case 3:
		act(dr, ACTION_NOTE, "Rolled back checkout; watching.", 0);
		break;
	case 4:
		act(dr, ACTION_SNOOZE, NULL, 3600);
		break;
	case 5:
		act(dr, ACTION_REASSIGN, "PXPGF42", 0);
		break;
	case 6:
		act(dr, ACTION_REASSIGN, "2", 0);
		break;
	case 7:
		dr->s->ops->incident_log(dr->s, dr->id, log_done, dr);
		break;
	case 8:
		act(dr, ACTION_STATUS_UPDATE, "[prod] checkout rolled back; "
		    "burn falling.\nNext update in 30 minutes.", 0);
		break;
	default:
		loop_quit(0);
		break;
	}
}

static void
listed(struct source *s, void *arg)
{
	struct drive		*dr = arg;
	const struct source_health *h = &dr->m->sources[s->health];

	sources_set_observer(NULL, NULL);
	report(dr, "list", h->ok && dr->m->nalerts > 0, h->error);
	/* The document's two change events, on a watched service. */
	report(dr, "changes", h->warning == NULL && dr->m->ndeploys == 2,
	    h->warning);
	if (dr->m->nalerts == 0) {
		loop_quit(0);
		return;
	}
	dr->id = dr->m->alerts[0].id;
	next_step(dr);
}

static void
print_deploys(const struct model *m)
{
	size_t	i;

	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *d = &m->deploys[i];

		printf("deploy %s|%s|%s|%s|%ld|%s\n", d->id, d->service,
		    d->version != NULL ? d->version : "-",
		    d->author != NULL ? d->author : "-", (long)d->at,
		    d->url != NULL ? d->url : "-");
	}
}

static void
print_alerts(const struct model *m)
{
	size_t	i, j;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		printf("incident %s|%s|%s|%s|%s|%s|%ld|%s\n", a->id,
		    severity_name(a->severity), alert_status_name(a->status),
		    a->service != NULL ? a->service : "-", a->title,
		    a->url != NULL ? a->url : "-", (long)a->started_at,
		    a->assignees != NULL ? a->assignees : "-");
		for (j = 0; j < a->details.n; j++)
			printf("  detail %s: %s\n", a->details.v[j].key,
			    a->details.v[j].value);
	}
}

int
main(int argc, char **argv)
{
	struct config	  cfg;
	struct model	  m;
	struct source	**v;
	struct drive	  dr;
	size_t		  n, i;
	char		 *text;

	if (argc != 2) {
		fprintf(stderr, "usage: pd_drive URL (token in $PD_TOKEN)\n");
		return (2);
	}
	memset(&cfg, 0, sizeof cfg);
	text = xasprintf("[pagerduty]\nurl = %s\ntoken_env = PD_TOKEN\n"
	    "from = ic@example.com\nservices = PIJ90N7, PWIXJZS, PEYSGRV\n"
	    "teams = PQ9K7I8\ntimeout = 20s\n", argv[1]);
	config_parse_string(&cfg, "pd_drive", text);
	free(text);
	loop_init();
	http_global_init();
	model_init(&m, "test");
	v = sources_create(&cfg, &m, &n);
	for (i = 0; i < cfg.nerrors; i++)
		fprintf(stderr, "pd_drive: %s\n", cfg.errors[i]);
	if (cfg.nerrors > 0 || n != 1)
		return (2);
	memset(&dr, 0, sizeof dr);
	dr.s = v[0];
	dr.m = &m;
	sources_set_observer(listed, &dr);
	v[0]->busy = true;
	v[0]->ops->refresh(v[0]);
	loop_run();
	print_alerts(&m);
	print_deploys(&m);
	sources_free(v, n);
	worker_free();
	http_global_free();
	loop_free();
	model_free(&m);
	config_free(&cfg);
	printf("%d failure%s\n", dr.failures, dr.failures == 1 ? "" : "s");
	return (dr.failures == 0 && dr.step > 8 ? 0 : 1);
}
