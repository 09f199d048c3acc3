/* test_status.c: the commander presses u and reads a status update she
 * could paste as it is: what is affected (the critical and error alerts'
 * services, not an old info alert's) and since when, the worst burn and
 * the budget left, the suspect deploy and how long before the first alert
 * it went out, the actions taken with how they ended, and what happens
 * next (watching, after a rollback that worked). The template is hers;
 * lines survive the round trip through the one-line editor. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "actions/status.h"
#include "core/model.h"
#include "core/slomath.h"
#include "core/timeline.h"
#include "core/xalloc.h"

#define NOW	((int64_t)1796220000)	/* 2026-12-02T14:00:00Z */

static void
alert(struct alert *a, const char *id, const char *svc, enum severity sev,
    int64_t ago)
{
	memset(a, 0, sizeof *a);
	a->id = xstrdup(id);
	a->service = xstrdup(svc);
	a->title = xasprintf("%s is failing", svc);
	a->severity = sev;
	a->status = ALERT_TRIGGERED;
	a->started_at = (time_t)(NOW - ago);
}

static void
world(struct model *m)
{
	struct alert	*v = xcalloc(3, sizeof *v);
	struct deploy	*d = xcalloc(1, sizeof *d);
	struct slo	*s = xcalloc(1, sizeof *s);
	size_t		 i;

	model_init(m, "prod");
	alert(&v[0], "P1", "checkout", SEV_CRITICAL, 3600);
	alert(&v[1], "P2", "payments", SEV_ERROR, 600);
	alert(&v[2], "P3", "inventory", SEV_INFO, 5 * 3600);
	model_set_alerts(m, "pd", v, 3);
	d->source = xstrdup("ci");
	d->id = xstrdup("D1");
	d->service = xstrdup("checkout");
	d->version = xstrdup("v2.14.0");
	d->at = (time_t)(NOW - 3600 - 360);
	model_set_deploys(m, "ci", d, 1);
	s->name = xstrdup("checkout-availability");
	s->service = xstrdup("checkout");
	s->objective = 99.9;
	s->window_seconds = 30 * 86400;
	for (i = 0; i < W__COUNT; i++)
		s->burn[i] = s->error_ratio[i] = NAN;
	s->burn[W_5M] = 16.0;
	s->burn[W_1H] = 15.5;
	s->burn[W_30M] = 15.0;
	s->budget_remaining = 0.627;
	slo_evaluate(s);
	model_set_slos(m, "prom", s, 1);
}

static struct timeline *
actions_done(const char *path)
{
	struct timeline	*tl;
	struct tl_event	 ev;
	char		*warn = NULL;

	unlink(path);
	tl = timeline_open(path, "prod", 0, &warn);
	assert_null(warn);
	memset(&ev, 0, sizeof ev);
	ev.kind = (char *)TL_ACTION_END;
	ev.key = (char *)"a1";
	ev.t_ms = (NOW - 1800) * 1000;
	ev.text = (char *)"ack pd/P1";
	ev.result = (char *)"HTTP 200";
	timeline_add(tl, &ev, NULL);
	ev.key = (char *)"a2";
	ev.t_ms = (NOW - 60) * 1000;
	ev.text = (char *)"rollback checkout v2.14.0";
	ev.result = (char *)"exit 0";
	timeline_add(tl, &ev, NULL);
	return (tl);
}

static void
the_update_tells_the_story(void **state)
{
	struct model		 m;
	struct status_facts	 f;
	struct timeline		*tl;
	char			 path[] = "/tmp/sitrep-test-status.jsonl";
	char			*text;

	world(&m);
	tl = actions_done(path);
	status_facts(&f, &m, tl, NOW, 0);
	text = status_fill(NULL, &f);
	printf("%s\n", text);
	assert_non_null(strstr(text, "[prod] status update, 14:00 UTC\n"));
	assert_non_null(strstr(text,
	    "Affected: checkout, payments, since 13:00 UTC (60m ago).\n"));
	assert_null(strstr(text, "inventory"));
	assert_non_null(strstr(text, "checkout-availability burns 15.5x its "
	    "error budget (1h), page condition; 62.7% of its 30d budget "
	    "left, empty in"));
	assert_non_null(strstr(text, "Suspect: checkout v2.14.0, deployed "
	    "12:54 UTC, 6m before the first alert.\n"));
	assert_non_null(strstr(text, "Done: ack pd/P1 (HTTP 200); rollback "
	    "checkout v2.14.0 (exit 0).\n"));
	assert_non_null(strstr(text, "Next: watching the burn fall after the "
	    "rollback"));
	free(text);
	status_facts_free(&f);
	timeline_close(tl);
	unlink(path);
	model_free(&m);
}

static void
her_template_and_the_one_line_editor(void **state)
{
	struct model		 m;
	struct status_facts	 f;
	char			*text, *line, *back;

	world(&m);
	status_facts(&f, &m, NULL, NOW, 0);
	text = status_fill("$affected is down ($burn)\\nnext: $next $nope $", &f);
	assert_string_equal(text, "checkout, payments is down "
	    "(checkout-availability burns 15.5x its error budget (1h), page "
	    "condition)\nnext: deciding whether to roll back checkout v2.14.0; next "
	    "update in 30 minutes $nope $");
	line = status_one_line(text);
	assert_null(strchr(line, '\n'));
	back = status_lines(line);
	assert_string_equal(back, text);
	free(back);
	free(line);
	free(text);
	status_facts_free(&f);
	model_free(&m);
}

/* prod and staging in one console: shown alone, prod's update speaks for
 * prod (not staging's alert, not staging's rollback); with both shown it
 * says it speaks for both. */
static void
one_environment_or_all(void **state)
{
	struct model		 m;
	struct status_facts	 f;
	struct timeline		*tl;
	struct tl_event		 ev;
	struct alert		*a = xcalloc(1, sizeof *a);
	char			 path[] = "/tmp/sitrep-test-status-env.jsonl";
	char			*text;
	size_t			 h;

	(void)state;
	world(&m);
	h = model_add_source(&m, "pd", "pagerduty", 1);
	model_source_environment(&m, h, "prod");
	h = model_add_source(&m, "am", "alertmanager", 1);
	model_source_environment(&m, h, "staging");
	alert(a, "S1", "search", SEV_CRITICAL, 1200);
	model_set_alerts(&m, "am", a, 1);
	tl = actions_done(path);
	memset(&ev, 0, sizeof ev);
	ev.kind = (char *)TL_ACTION_END;
	ev.key = (char *)"s1";
	ev.t_ms = (NOW - 120) * 1000;
	ev.text = (char *)"rollback search v1.0";
	ev.result = (char *)"exit 0";
	ev.environment = (char *)"staging";
	timeline_add(tl, &ev, NULL);

	model_show_environment(&m, "prod");
	status_facts(&f, &m, tl, NOW, 0);
	text = status_fill(NULL, &f);
	assert_non_null(strstr(text, "[prod] status update"));
	assert_null(strstr(text, "search"));
	free(text);
	status_facts_free(&f);

	model_show_environment(&m, NULL);
	status_facts(&f, &m, tl, NOW, 0);
	text = status_fill(NULL, &f);
	assert_non_null(strstr(text, "[prod, staging] status update"));
	assert_non_null(strstr(text, "rollback search v1.0 (exit 0)"));
	free(text);
	status_facts_free(&f);
	timeline_close(tl);
	unlink(path);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_update_tells_the_story),
		cmocka_unit_test(her_template_and_the_one_line_editor),
		cmocka_unit_test(one_environment_or_all),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
