/* test_snapshot.c: `sitrep snapshot` output. Programs read the JSON: it must
 * parse, stay ASCII, say "unknown" as null (a burn of 0 would be a lie), and
 * carry outside strings unchanged, hostile or broken ones included. People
 * read the text on a terminal: a hostile alert title must not clear it. */
#include "config.h"

#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"
#include "core/timeutil.h"
#include "core/slomath.h"
#include "core/xalloc.h"
#include "tui/snapshot.h"

#define T0		1700000000
#define HOSTILE		"Disk full \x1b[2J\x1b]0;pwned\x07 on db-1"
#define BAD_UTF8	"payment \xff\xfe failed \xc3\x28 caf\xc3\xa9"

/* The model an incident commander might snapshot: one alert with a title
 * that tries to clear the screen, an SLO with data and one without, one
 * deploy, a log line with broken UTF-8, one failing source. */
static void
model_build(struct model *m)
{
	struct alert	*a;
	struct slo	*s;
	struct deploy	*d;
	size_t		 i, src;

	model_init(m, "prod");
	xstrset(&m->log_query, "{service=\"checkout\"}");
	src = model_add_source(m, "am", "alertmanager", FEED_BIT(FEED_ALERTS));
	model_source_ok(m, src, T0);
	src = model_add_source(m, "prom", "prometheus", FEED_BIT(FEED_SLOS));
	model_source_fail(m, src, T0, "HTTP 503 \x1b[31mred\x1b[0m");

	a = xcalloc(1, sizeof *a);
	a->id = xstrdup("fp-1");
	a->service = xstrdup("checkout");
	a->severity = SEV_CRITICAL;
	a->status = ALERT_TRIGGERED;
	a->title = xstrdup(HOSTILE);
	a->started_at = T0;
	kvlist_add(&a->labels, "alertname", "DiskFull");
	model_set_alerts(m, "am", a, 1);

	s = xcalloc(2, sizeof *s);
	s[0].name = xstrdup("checkout-availability");
	s[0].service = xstrdup("checkout");
	s[0].objective = 99.9;
	s[0].window_seconds = 30L * 86400;
	for (i = 0; i < W__COUNT; i++) {
		s[0].error_ratio[i] = 0.0155;
		s[0].burn[i] = slo_burn(0.0155, 99.9);
	}
	s[0].budget_remaining = 0.5;
	slo_evaluate(&s[0]);
	s[1].name = xstrdup("inventory-availability");
	s[1].service = xstrdup("inventory");
	s[1].objective = 99.5;
	s[1].window_seconds = 30L * 86400;
	for (i = 0; i < W__COUNT; i++)
		s[1].error_ratio[i] = s[1].burn[i] = NAN;
	s[1].budget_remaining = NAN;
	slo_evaluate(&s[1]);
	model_set_slos(m, "prom", s, 2);

	d = xcalloc(1, sizeof *d);
	d->id = xstrdup("dep-1");
	d->service = xstrdup("checkout");
	d->version = xstrdup("v2.14.0");
	d->author = xstrdup("maria\x1b[2J");
	d->at = T0 - 360;
	model_set_deploys(m, "ci", d, 1);
	model_mark_suspects(m, 5400);

	model_log_append(m, 0, 1700000000123456789LL, "checkout",
	    BAD_UTF8, strlen(BAD_UTF8));
	model_log_append(m, 0, 1700000000223456789LL, "checkout",
	    "plain line", 10);
}

static json_t *
snapshot_parse(const struct model *m, char **textp)
{
	json_error_t	 err;
	json_t		*root;
	char		*text;

	text = snapshot_json(m);
	assert_non_null(text);
	root = json_loads(text, 0, &err);
	if (root == NULL)
		fail_msg("snapshot is not JSON: %s at line %d", err.text,
		    err.line);
	if (textp != NULL)
		*textp = text;
	else
		free(text);
	return (root);
}

static json_t *
slo_named(json_t *root, const char *name)
{
	json_t	*slos, *s;
	size_t	 i;

	slos = json_object_get(root, "slos");
	json_array_foreach(slos, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "name")),
		    name) == 0)
			return (s);
	}
	fail_msg("no SLO %s", name);
	return (NULL);
}

static void
test_json_parses_and_is_ascii(void **state)
{
	struct model	 m;
	json_t		*root;
	char		*text;
	size_t		 i;

	model_build(&m);
	root = snapshot_parse(&m, &text);
	for (i = 0; text[i] != '\0'; i++) {
		if ((unsigned char)text[i] >= 0x80)
			fail_msg("byte 0x%02x at %zu", (unsigned char)text[i],
			    i);
		/* No raw control bytes either (JSON forbids them). */
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			fail_msg("control byte 0x%02x at %zu",
			    (unsigned char)text[i], i);
	}
	/* The ESC of the hostile title is written as an escape (JSON hex
	 * digits may be either case). */
	assert_non_null(strcasestr(text, "\\u001b[2J"));
	assert_true(json_is_object(root));
	assert_int_equal(json_integer_value(json_object_get(root, "sitrep")),
	    1);
	assert_true(json_is_integer(json_object_get(root, "sitrep")));
	assert_string_equal(json_string_value(json_object_get(root,
	    "environment")), "prod");
	assert_int_equal(json_array_size(json_object_get(root, "alerts")), 1);
	assert_int_equal(json_array_size(json_object_get(root, "slos")), 2);
	assert_int_equal(json_array_size(json_object_get(root, "deploys")), 1);
	assert_int_equal(json_array_size(json_object_get(root, "logs")), 2);
	assert_int_equal(json_array_size(json_object_get(root, "sources")), 2);
	json_decref(root);
	free(text);
	model_free(&m);
}

static void
test_hostile_title_round_trips(void **state)
{
	struct model	 m;
	json_t		*root, *a;

	model_build(&m);
	root = snapshot_parse(&m, NULL);
	a = json_array_get(json_object_get(root, "alerts"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "title")),
	    HOSTILE);
	assert_string_equal(json_string_value(json_object_get(a, "severity")),
	    "critical");
	assert_string_equal(json_string_value(json_object_get(a, "status")),
	    "triggered");
	assert_string_equal(json_string_value(json_object_get(a,
	    "suspect_deploy")), "checkout v2.14.0");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    a, "labels"), "alertname")), "DiskFull");
	assert_string_equal(json_string_value(json_object_get(a,
	    "started_at")), "2023-11-14T22:13:20Z");
	/* Unset strings are null, not "". */
	assert_true(json_is_null(json_object_get(a, "runbook_url")));
	json_decref(root);
	model_free(&m);
}

static void
test_unknown_numbers_are_null(void **state)
{
	struct model	 m;
	json_t		*root, *s, *burn, *ratio, *v;
	const char	*k;
	size_t		 i;

	model_build(&m);
	root = snapshot_parse(&m, NULL);
	s = slo_named(root, "inventory-availability");
	burn = json_object_get(s, "burn_rates");
	ratio = json_object_get(s, "error_ratios");
	assert_true(json_is_object(burn));
	assert_int_equal(json_object_size(burn), 7);
	assert_int_equal(json_object_size(ratio), 7);
	for (i = 0; i < W__COUNT; i++) {
		k = slo_window_names[i];
		if (!json_is_null(json_object_get(burn, k)))
			fail_msg("burn_rates.%s is not null", k);
		if (!json_is_null(json_object_get(ratio, k)))
			fail_msg("error_ratios.%s is not null", k);
	}
	assert_true(json_is_null(json_object_get(s, "error_budget_remaining")));
	assert_true(json_is_null(json_object_get(s, "time_to_exhaustion_s")));
	assert_true(json_is_null(json_object_get(s, "alert")));
	assert_true(json_is_null(json_object_get(s, "condition")));
	/* The objective is known. */
	v = json_object_get(s, "objective");
	assert_true(json_is_number(v));
	assert_true(fabs(json_number_value(v) - 99.5) < 1e-9);
	json_decref(root);
	model_free(&m);
}

static void
test_known_slo_values(void **state)
{
	struct model	 m;
	json_t		*root, *s, *burn, *v;
	size_t		 i;

	model_build(&m);
	root = snapshot_parse(&m, NULL);
	s = slo_named(root, "checkout-availability");
	burn = json_object_get(s, "burn_rates");
	assert_int_equal(json_object_size(burn), 7);
	for (i = 0; i < W__COUNT; i++) {
		v = json_object_get(burn, slo_window_names[i]);
		assert_true(json_is_number(v));
		assert_true(fabs(json_number_value(v) - 15.5) < 1e-6);
	}
	assert_string_equal(json_string_value(json_object_get(s, "alert")),
	    "page");
	assert_non_null(strstr(json_string_value(json_object_get(s,
	    "condition")), "14.4"));
	assert_string_equal(json_string_value(json_object_get(s, "window")),
	    "30d");
	v = json_object_get(s, "error_budget_remaining");
	assert_true(fabs(json_number_value(v) - 0.5) < 1e-9);
	/* 0.5 of 30 days at 15.5x. */
	v = json_object_get(s, "time_to_exhaustion_s");
	assert_true(json_is_number(v));
	assert_true(fabs(json_number_value(v) - 0.5 * 30 * 86400 / 15.5) <
	    1e-3);
	json_decref(root);
	model_free(&m);
}

static void
test_invalid_utf8_is_replaced_not_dropped(void **state)
{
	struct model	 m;
	json_t		*root, *logs, *l;
	const char	*line;

	model_build(&m);
	root = snapshot_parse(&m, NULL);
	logs = json_object_get(root, "logs");
	assert_int_equal(json_array_size(logs), 2);
	l = json_array_get(logs, 0);
	line = json_string_value(json_object_get(l, "line"));
	assert_non_null(line);
	/* Each broken sequence is one U+FFFD; the valid text stays, the
	 * valid "é" included. */
	assert_string_equal(line, "payment \xef\xbf\xbd\xef\xbf\xbd failed "
	    "\xef\xbf\xbd( caf\xc3\xa9");
	assert_string_equal(json_string_value(json_object_get(l, "labels")),
	    "checkout");
	assert_string_equal(json_string_value(json_object_get(l, "ts")),
	    "1700000000123456789");
	l = json_array_get(logs, 1);
	assert_string_equal(json_string_value(json_object_get(l, "line")),
	    "plain line");
	json_decref(root);
	model_free(&m);
}

static void
test_sources_and_deploys(void **state)
{
	struct model	 m;
	json_t		*root, *src, *d;

	model_build(&m);
	root = snapshot_parse(&m, NULL);
	src = json_array_get(json_object_get(root, "sources"), 0);
	assert_string_equal(json_string_value(json_object_get(src, "name")),
	    "am");
	assert_true(json_is_true(json_object_get(src, "ok")));
	assert_true(json_is_null(json_object_get(src, "error")));
	src = json_array_get(json_object_get(root, "sources"), 1);
	assert_true(json_is_false(json_object_get(src, "ok")));
	assert_string_equal(json_string_value(json_object_get(src, "error")),
	    "HTTP 503 \x1b[31mred\x1b[0m");
	d = json_array_get(json_object_get(root, "deploys"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "version")),
	    "v2.14.0");
	assert_true(json_is_true(json_object_get(d, "suspect")));
	assert_string_equal(json_string_value(json_object_get(d, "at")),
	    "2023-11-14T22:07:20Z");
	json_decref(root);
	model_free(&m);
}

/* Nothing configured yet: still a document, with empty lists. */
static void
test_empty_model(void **state)
{
	struct model	 m;
	json_t		*root;

	model_init(&m, NULL);
	root = snapshot_parse(&m, NULL);
	assert_int_equal(json_array_size(json_object_get(root, "alerts")), 0);
	assert_true(json_is_array(json_object_get(root, "logs")));
	assert_true(json_is_null(json_object_get(root, "log_query")));
	json_decref(root);
	model_free(&m);
}

/* --- text ------------------------------------------------------------- */

static char *
text_of(const struct model *m, size_t *lenp)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	snapshot_text(m, f);
	assert_int_equal(fclose(f), 0);
	*lenp = len;
	return (buf);
}

static char *
text_of_at(const struct model *m, time_t now, size_t *lenp)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	snapshot_text_at(m, now, f);
	assert_int_equal(fclose(f), 0);
	*lenp = len;
	return (buf);
}

/* The text a person pastes: when it was taken, every alert's age, every
 * SLO's EMPTY IN, every log line's time, and as many log lines as the
 * heading says it prints. */
static void
test_text_is_pasteable(void **state)
{
	struct model	 m;
	char		*out, want[64], age[16], *logs, *p, *line;
	size_t		 len, n;
	int		 i;

	model_build(&m);
	out = text_of_at(&m, T0 + 3600, &len);
	assert_non_null(strstr(out, "taken: 2023-11-14T23:13:20Z\n"));
	duration_format_short(age, sizeof age, 3600);
	snprintf(want, sizeof want, "triggered    %-6s ", age);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "checkout-availability"));
	assert_non_null(strstr(out, " empty_in="));
	/* 50% left of a 30-day budget at 15.5x: gone in 23h13m. */
	line = strstr(out, "checkout-availability");
	*strchr(line, '\n') = '\0';
	assert_non_null(strstr(line, " empty_in=23h13m"));
	line[strlen(line)] = '\n';
	assert_non_null(strstr(out, "2023-11-14T22:13:20.123Z checkout: "));
	assert_non_null(strstr(out, "LOGS (2 lines)\n"));
	free(out);

	/* More lines than it prints: it says how many it prints. */
	for (i = 0; i < 30; i++)
		model_log_append(&m, 0, 1700000001000000000LL + i, "x", "more", 4);
	out = text_of_at(&m, T0 + 3600, &len);
	logs = strstr(out, "\nLOGS (");
	assert_non_null(logs);
	snprintf(want, sizeof want, "\nLOGS (the last %d of 32 lines)\n",
	    SNAPSHOT_LOG_LINES);
	assert_non_null(strstr(out, want));
	for (n = 0, p = strchr(logs + 1, '\n') + 1; *p != '\0';
	    p = strchr(p, '\n') + 1)
		n++;
	assert_int_equal(n, SNAPSHOT_LOG_LINES);
	free(out);
	model_free(&m);
}

static void
test_text_never_writes_escape(void **state)
{
	struct model	 m;
	char		*out;
	size_t		 len, i;

	model_build(&m);
	out = text_of(&m, &len);
	assert_true(len > 0);
	for (i = 0; i < len; i++) {
		if (out[i] == '\x1b')
			fail_msg("ESC at byte %zu", i);
		if (out[i] == '\x07')
			fail_msg("BEL at byte %zu", i);
	}
	/* The title is still there, shown visibly. */
	assert_non_null(strstr(out, "Disk full"));
	assert_non_null(strstr(out, "on db-1"));
	assert_non_null(strstr(out, "checkout-availability"));
	assert_non_null(strstr(out, "v2.14.0"));
	assert_non_null(strstr(out, "SUSPECT"));
	assert_non_null(strstr(out, "plain line"));
	/* The failing source says why. */
	assert_non_null(strstr(out, "HTTP 503"));
	free(out);
	model_free(&m);
}

/* A hostile environment name and source name are outside text too. */
static void
test_text_sanitizes_every_field(void **state)
{
	struct model	 m;
	char		*out;
	size_t		 len, src;

	model_init(&m, "prod\x1b[2J");
	src = model_add_source(&m, "am\x1b[H", "alertmanager",
	    FEED_BIT(FEED_ALERTS));
	model_source_fail(&m, src, T0, "\x1b]52;c;Zm9v\x07");
	model_log_append(&m, 0, 0, "lab\x1b[1m", "text\x1b[5m", 9);
	out = text_of(&m, &len);
	assert_null(memchr(out, '\x1b', len));
	assert_null(memchr(out, '\x07', len));
	free(out);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_json_parses_and_is_ascii),
		cmocka_unit_test(test_hostile_title_round_trips),
		cmocka_unit_test(test_unknown_numbers_are_null),
		cmocka_unit_test(test_known_slo_values),
		cmocka_unit_test(test_invalid_utf8_is_replaced_not_dropped),
		cmocka_unit_test(test_sources_and_deploys),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_text_never_writes_escape),
		cmocka_unit_test(test_text_is_pasteable),
		cmocka_unit_test(test_text_sanitizes_every_field),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
