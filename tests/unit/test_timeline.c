/* test_timeline.c: after the incident the commander reads the timeline to
 * write the postmortem. What she reads back is every event that was
 * recorded, in time order, once, saying whose clock it carries; a line torn
 * by a kill is never read as an event and the next event after it is
 * whole, even when the file was out of reach in between; a full disk
 * costs a message, not the events in memory; a file of
 * a gigabyte is cut back to its bound at open and still read; and the
 * alerts the console saw become fired, acknowledged and resolved events
 * exactly once however often it looks and however often it restarts.
 * Each event names its environment (a line written before they did
 * belongs to the file's), so that she can read one environment's story;
 * an environment the console does not show keeps its alerts open. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "core/model.h"
#include "core/timeline.h"
#include "core/tlrecord.h"
#include "core/xalloc.h"

static char	dir[] = "/tmp/sitrep-test-timeline.XXXXXX";
static char	path[256];

static int
setup(void **state)
{
	char	cmd[300];

	if (dir[sizeof dir - 2] == 'X' && mkdtemp(dir) == NULL)
		return (-1);
	snprintf(cmd, sizeof cmd, "rm -f %s/*", dir);
	if (system(cmd) != 0)
		return (-1);
	snprintf(path, sizeof path, "%s/timeline-test.jsonl", dir);
	return (0);
}

static struct tl_event
event(int64_t t, const char *kind, const char *key, const char *text)
{
	struct tl_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.t_ms = t;
	ev.kind = (char *)kind;
	ev.key = (char *)key;
	ev.text = (char *)text;
	return (ev);
}

static struct timeline *
open_tl(int64_t max)
{
	char		*warn = NULL;
	struct timeline	*tl = timeline_open(path, "test", max, &warn);

	assert_null(warn);
	return (tl);
}

static void
append_raw(const char *bytes)
{
	FILE	*f = fopen(path, "a");

	assert_non_null(f);
	fputs(bytes, f);
	fclose(f);
}

static void
test_order_and_once(void **state)
{
	struct timeline		*tl = open_tl(0);
	struct tl_event		 ev;
	const struct tl_event	*v;
	size_t			 n;

	ev = event(3000, TL_NOTE, "c", "third");
	assert_true(timeline_add(tl, &ev, NULL));
	ev = event(1000, TL_DEPLOY, "a", "first");
	ev.source_clock = true;
	assert_true(timeline_add(tl, &ev, NULL));
	ev = event(2000, TL_ALERT_FIRING, "b", "second");
	assert_true(timeline_add(tl, &ev, NULL));
	ev = event(9000, TL_ALERT_FIRING, "b", "again");
	assert_false(timeline_add(tl, &ev, NULL));	/* its key is known */
	timeline_close(tl);

	tl = open_tl(0);		/* read back from the file */
	v = timeline_events(tl, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].text, "first");
	assert_true(v[0].source_clock);
	assert_string_equal(v[1].text, "second");
	assert_false(v[1].source_clock);
	assert_string_equal(v[2].text, "third");
	ev = event(1000, TL_DEPLOY, "a", "first");
	assert_false(timeline_add(tl, &ev, NULL));	/* a restart */
	timeline_close(tl);
}

static void
test_torn_line(void **state)
{
	struct timeline		*tl = open_tl(0);
	struct tl_event		 ev;
	const struct tl_event	*v;
	size_t			 n;

	ev = event(1000, TL_NOTE, "whole", "whole");
	timeline_add(tl, &ev, NULL);
	timeline_close(tl);
	/* Killed mid-write: half a line, no newline. */
	append_raw("{\"t\":2000,\"clock\":\"sitrep\",\"kind\":\"note\",\"key\":"
	    "\"torn\",\"text\":\"half");
	tl = open_tl(0);
	v = timeline_events(tl, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].key, "whole");
	ev = event(3000, TL_NOTE, "after", "after the kill");
	timeline_add(tl, &ev, NULL);
	timeline_close(tl);
	tl = open_tl(0);
	v = timeline_events(tl, &n);
	assert_int_equal(n, 2);	/* the next event is whole, the torn not */
	assert_string_equal(v[1].text, "after the kill");
	timeline_close(tl);
}

static void
test_full_disk(void **state)
{
	char			*warn = NULL;
	struct timeline		*tl;
	struct tl_event		 ev;
	size_t			 n;

	if (access("/dev/full", W_OK) != 0)
		skip();
	tl = timeline_open("/dev/full", "test", 0, &warn);
	assert_null(warn);
	ev = event(1000, TL_NOTE, "k1", "one");
	assert_true(timeline_add(tl, &ev, &warn));
	assert_non_null(warn);
	assert_non_null(strstr(warn, "No space left on device"));
	free(warn);
	ev = event(2000, TL_NOTE, "k2", "two");
	assert_true(timeline_add(tl, &ev, &warn));
	assert_null(warn);		/* said once */
	timeline_events(tl, &n);
	assert_int_equal(n, 2);		/* kept in memory */
	timeline_close(tl);
}

/* The disk fills mid-line, then the file cannot even be opened for a
 * while (here: a link put in its place); once it can be written again the
 * next event starts a line of its own, so it is read back. */
static void
test_torn_then_unreachable(void **state)
{
	struct timeline		*tl = open_tl(0);
	struct tl_event		 ev;
	const struct tl_event	*v;
	struct rlimit		 was, cut;
	struct stat		 st;
	char			*warn = NULL, *aside = xasprintf("%s.aside", path);
	size_t			 n;

	ev = event(1000, TL_NOTE, "whole", "whole");
	assert_true(timeline_add(tl, &ev, NULL));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* Room for 10 more bytes only: the line tears. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	cut = was;
	cut.rlim_cur = (rlim_t)st.st_size + 10;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &cut), 0);
	ev = event(2000, TL_NOTE, "torn", "torn by a full disk");
	assert_true(timeline_add(tl, &ev, &warn));
	assert_non_null(warn);
	free(warn);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);

	/* The file out of reach. */
	assert_int_equal(rename(path, aside), 0);
	assert_int_equal(symlink("/nonexistent", path), 0);
	ev = event(3000, TL_NOTE, "lost", "not written");
	assert_true(timeline_add(tl, &ev, NULL));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(aside, path), 0);

	ev = event(4000, TL_NOTE, "after", "written again");
	assert_true(timeline_add(tl, &ev, NULL));
	timeline_close(tl);

	tl = open_tl(0);
	v = timeline_events(tl, &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].text, "whole");
	assert_string_equal(v[1].text, "written again");
	timeline_close(tl);
	free(aside);
}

static void
test_huge_file(void **state)
{
	struct timeline		*tl;
	struct tl_event		 ev;
	const struct tl_event	*v;
	struct stat		 st;
	char			*old = xasprintf("%s.1", path), *line;
	size_t			 n;
	FILE			*f;

	/* A gigabyte (sparse: NULs, never an event), then real lines. */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)1 << 30), 0);
	fseek(f, 0, SEEK_END);
	ev = event(5000, TL_NOTE, "tail", "the newest");
	line = timeline_line(&ev);
	fputs("\n", f);
	fputs(line, f);
	free(line);
	fclose(f);
	tl = open_tl((int64_t)1 << 20);
	v = timeline_events(tl, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].text, "the newest");
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size <= (1 << 20));
	assert_int_equal(stat(old, &st), 0);
	assert_true(st.st_blocks * 512 <= (1 << 20) + 8192);
	assert_true(st.st_size <= (1 << 20));
	timeline_close(tl);
	free(old);
}

static void
test_bounded_while_writing(void **state)
{
	struct timeline		*tl = open_tl(8192);
	struct tl_event		 ev;
	struct stat		 st;
	char			 key[32], *old = xasprintf("%s.1", path);
	int			 i;
	size_t			 n;
	const struct tl_event	*v;

	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "k%d", i);
		ev = event(1000 + i, TL_NOTE, key, "an event of some length "
		    "to fill the file");
		timeline_add(tl, &ev, NULL);
	}
	timeline_close(tl);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size <= 8192 + 512);
	assert_int_equal(stat(old, &st), 0);
	assert_true(st.st_size <= 8192 / 2);
	tl = open_tl(8192);
	v = timeline_events(tl, &n);
	assert_true(n > 10 && n < 500);	/* the older ones rotated away */
	assert_string_equal(v[n - 1].key, "k499");
	timeline_close(tl);
	free(old);
}

static void
test_parse(void **state)
{
	struct tl_event	ev;
	const char	*ok = "{\"t\":5,\"clock\":\"source\",\"kind\":\"deploy\","
	    "\"key\":\"k\",\"who\":\"maria\"}";

	assert_true(timeline_parse_line(ok, strlen(ok), &ev));
	assert_true(ev.source_clock);
	assert_string_equal(ev.who, "maria");
	tl_event_free(&ev);
	assert_false(timeline_parse_line(ok, strlen(ok) - 1, &ev));
	assert_false(timeline_parse_line("{\"t\":\"5\",\"clock\":\"sitrep\","
	    "\"kind\":\"a\",\"key\":\"b\"}", 47, &ev));
	assert_false(timeline_parse_line("[]", 2, &ev));
	assert_int_equal(timeline_parse_size("8M"), 8 << 20);
	assert_int_equal(timeline_parse_size("512K"), 512 << 10);
	assert_int_equal(timeline_parse_size("x"), -1);
}

/* A file written before events named their environment, then events of
 * two environments: each reads back with its own, the old ones with the
 * file's; a filter keeps one environment; the text and Markdown rows name
 * it when asked. */
static void
test_environments(void **state)
{
	struct timeline		*tl;
	struct tl_event		 ev;
	struct tl_filter	 f;
	const struct tl_event	*v;
	size_t			 n, i, shown;
	char			*s;

	append_raw("{\"t\":1000,\"clock\":\"sitrep\",\"kind\":\"note\","
	    "\"key\":\"old\",\"text\":\"before environments\"}\n");
	tl = open_tl(0);
	ev = event(2000, TL_ALERT_FIRING, "p", "prod fire");
	ev.environment = "prod";
	ev.service = "checkout";
	assert_true(timeline_add(tl, &ev, NULL));
	ev = event(3000, TL_ALERT_FIRING, "s", "staging fire");
	ev.environment = "staging";
	ev.service = "checkout";
	assert_true(timeline_add(tl, &ev, NULL));
	ev = event(4000, TL_NOTE, "n", "no environment given");
	assert_true(timeline_add(tl, &ev, NULL));
	timeline_close(tl);

	tl = open_tl(0);
	v = timeline_events(tl, &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].environment, "test");	/* the file's */
	assert_string_equal(v[1].environment, "prod");
	assert_string_equal(v[2].environment, "staging");
	assert_string_equal(v[3].environment, "test");
	memset(&f, 0, sizeof f);
	assert_true(timeline_several_envs(v, n, &f));
	f.environment = "staging";
	for (i = shown = 0; i < n; i++) {
		if (timeline_match(&v[i], &f)) {
			assert_string_equal(v[i].text, "staging fire");
			shown++;
		}
	}
	assert_int_equal(shown, 1);
	f.environment = NULL;
	f.service = "checkout";
	assert_true(timeline_several_envs(v, n, &f));
	f.incident = "nothing";
	assert_false(timeline_several_envs(v, n, &f));

	s = timeline_format_text(&v[1], false, true);
	assert_non_null(strstr(s, " fired               prod       checkout "
	    "      prod fire"));
	free(s);
	s = timeline_format_text(&v[1], false, false);
	assert_non_null(strstr(s, " fired               checkout       "
	    "prod fire"));
	free(s);
	s = timeline_format_markdown(&v[2], false, true);
	assert_non_null(strstr(s, " | sitrep | fired | staging | checkout | "
	    "staging fire |"));
	free(s);
	s = timeline_markdown_head(false, true);
	assert_string_equal(s, "| time (UTC) | clock | event | environment | "
	    "service | what |\n| --- | --- | --- | --- | --- | --- |\n");
	free(s);
	s = timeline_markdown_head(true, false);
	assert_string_equal(s, "| time (local) | clock | event | service | "
	    "what |\n| --- | --- | --- | --- | --- |\n");
	free(s);
	timeline_close(tl);
}

/* --- what the console saw ------------------------------------------------ */

static void
set_alert(struct model *m, const char *id, enum alert_status st)
{
	struct alert	*v = xcalloc(1, sizeof *v);
	size_t		 n = 0;

	if (id != NULL) {
		v[0].id = xstrdup(id);
		v[0].service = xstrdup("checkout");
		v[0].title = xstrdup("Checkout 5xx");
		v[0].status = st;
		v[0].started_at = 1795700000;
		n = 1;
	}
	model_set_alerts(m, "pd", v, n);
}

static size_t
count_kind(struct timeline *tl, const char *kind)
{
	const struct tl_event	*v;
	size_t			 n, i, c = 0;

	v = timeline_events(tl, &n);
	for (i = 0; i < n; i++)
		c += strcmp(v[i].kind, kind) == 0;
	return (c);
}

static void
test_record_alerts(void **state)
{
	struct model	 m;
	struct timeline	*tl = open_tl(0);
	struct tlrecord	*r = tlrecord_new(tl);
	char		*warn;
	size_t		 h;

	model_init(&m, "test");
	h = model_add_source(&m, "pd", "pagerduty", 1);
	model_source_ok(&m, h, 1795700100);
	set_alert(&m, "P1", ALERT_TRIGGERED);
	tlrecord_model(r, &m, &warn);
	set_alert(&m, "P1", ALERT_TRIGGERED);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_FIRING), 1);
	set_alert(&m, "P1", ALERT_ACKNOWLEDGED);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_ACKED), 1);
	tlrecord_free(r);
	timeline_close(tl);

	/* A restart sees the same alert: nothing new; then it is gone. */
	tl = open_tl(0);
	r = tlrecord_new(tl);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_FIRING), 1);
	set_alert(&m, NULL, 0);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_RESOLVED), 1);
	tlrecord_free(r);
	timeline_close(tl);
	model_free(&m);
}

/* Two environments, the console showing one: the other's alert is not
 * resolved for being out of sight, and each event names its environment. */
static void
test_record_environments(void **state)
{
	struct model		 m;
	struct timeline		*tl = open_tl(0);
	struct tlrecord		*r = tlrecord_new(tl);
	const struct tl_event	*v;
	struct alert		*a;
	char			*warn;
	size_t			 h, n, i;

	model_init(&m, "test");
	h = model_add_source(&m, "pd", "pagerduty", 1);
	model_source_environment(&m, h, "prod");
	model_source_ok(&m, h, 1795700100);
	h = model_add_source(&m, "am", "alertmanager", 1);
	model_source_environment(&m, h, "staging");
	model_source_ok(&m, h, 1795700100);
	set_alert(&m, "P1", ALERT_TRIGGERED);
	a = xcalloc(1, sizeof *a);
	a->id = xstrdup("A1");
	a->service = xstrdup("search");
	a->title = xstrdup("Search slow");
	a->status = ALERT_TRIGGERED;
	a->started_at = 1795700010;
	model_set_alerts(&m, "am", a, 1);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_FIRING), 2);
	model_show_environment(&m, "prod");
	assert_int_equal(m.nalerts, 1);
	tlrecord_model(r, &m, &warn);
	set_alert(&m, "P1", ALERT_TRIGGERED);	/* a refresh while hidden */
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_ALERT_RESOLVED), 0);
	v = timeline_events(tl, &n);
	for (i = 0; i < n; i++)
		assert_string_equal(v[i].environment,
		    strcmp(v[i].incident, "pd/P1") == 0 ? "prod" : "staging");
	tlrecord_free(r);
	timeline_close(tl);
	model_free(&m);
}

static void
set_slo_of(struct model *m, const char *source, enum slo_alert want)
{
	struct slo	*s = xcalloc(1, sizeof *s);
	size_t		 i;

	s->name = xstrdup("checkout-availability");
	s->service = xstrdup("checkout");
	s->source = xstrdup(source);
	for (i = 0; i < W__COUNT; i++)
		s->burn[i] = s->error_ratio[i] = NAN;
	s->alert = want;
	s->budget_remaining = NAN;
	model_set_slos(m, source, s, 1);
}

static void
set_slo(struct model *m, enum slo_alert want)
{
	set_slo_of(m, "prom", want);
}

/* prod and staging each have a checkout-availability, both paging from
 * the same refresh: two starts, one per environment, then two ends. */
static void
test_same_slo_two_environments(void **state)
{
	struct model	 m;
	struct timeline	*tl = open_tl(0);
	struct tlrecord	*r = tlrecord_new(tl);
	char		*warn;
	size_t		 h;

	model_init(&m, "test");
	h = model_add_source(&m, "prom-prod", "prometheus", 1);
	model_source_environment(&m, h, "prod");
	model_source_ok(&m, h, 1795700100);
	h = model_add_source(&m, "prom-staging", "prometheus", 1);
	model_source_environment(&m, h, "staging");
	model_source_ok(&m, h, 1795700100);
	set_slo_of(&m, "prom-prod", SLO_ALERT_PAGE);
	set_slo_of(&m, "prom-staging", SLO_ALERT_PAGE);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_SLO_START), 2);
	set_slo_of(&m, "prom-prod", SLO_ALERT_NONE);
	set_slo_of(&m, "prom-staging", SLO_ALERT_NONE);
	tlrecord_model(r, &m, &warn);
	assert_int_equal(count_kind(tl, TL_SLO_END), 2);
	tlrecord_free(r);
	timeline_close(tl);
	model_free(&m);
}

/* Two seats on one environment: the second starts while the page holds;
 * both see it end; the timeline has one start and one end. */
static void
two_seats_record_one_slo_story(void **state)
{
	struct model	 m;
	struct timeline	*a = open_tl(0), *b;
	struct tlrecord	*ra = tlrecord_new(a), *rb;
	char		*warn;
	size_t		 h;

	model_init(&m, "test");
	h = model_add_source(&m, "prom", "prometheus", 1);
	model_source_ok(&m, h, 1795700100);
	set_slo(&m, SLO_ALERT_PAGE);
	tlrecord_model(ra, &m, &warn);
	b = open_tl(0);
	rb = tlrecord_new(b);
	tlrecord_model(rb, &m, &warn);
	assert_int_equal(count_kind(b, TL_SLO_START), 1);
	set_slo(&m, SLO_ALERT_NONE);
	tlrecord_model(ra, &m, &warn);
	usleep(5000);		/* the second seat sees it a moment later */
	tlrecord_model(rb, &m, &warn);
	tlrecord_free(ra);
	tlrecord_free(rb);
	timeline_close(a);
	timeline_close(b);
	a = open_tl(0);
	assert_int_equal(count_kind(a, TL_SLO_START), 1);
	assert_int_equal(count_kind(a, TL_SLO_END), 1);
	timeline_close(a);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_and_once, setup),
		cmocka_unit_test_setup(test_torn_line, setup),
		cmocka_unit_test_setup(test_full_disk, setup),
		cmocka_unit_test_setup(test_torn_then_unreachable, setup),
		cmocka_unit_test_setup(test_huge_file, setup),
		cmocka_unit_test_setup(test_bounded_while_writing, setup),
		cmocka_unit_test_setup(test_parse, setup),
		cmocka_unit_test_setup(test_environments, setup),
		cmocka_unit_test_setup(test_record_alerts, setup),
		cmocka_unit_test_setup(test_record_environments, setup),
		cmocka_unit_test_setup(two_seats_record_one_slo_story, setup),
		cmocka_unit_test_setup(test_same_slo_two_environments, setup),
	};
	int	rc = cmocka_run_group_tests(tests, NULL, NULL);
	char	cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return (rc);
}
