/* test_alertmanager_parse.c: what sitrep reads from Alertmanager's API v2
 * and what it sends to it. An answer shaped like Alertmanager 0.25's (plus
 * the fields newer versions add) becomes alerts with the right id,
 * service, severity, status and links; silenced and inhibited alerts say
 * by what; hostile answers fail or lose fields, never crash. A silence is
 * built as the API wants it, and its answer and the error shapes (a bare
 * JSON string for some 400s) are read. The answers of two replicas of one
 * cluster merge into one row per alert, in its most advanced state. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/alertmanager_parse.h"
#include "core/model.h"
#include "core/xalloc.h"

static const char answer[] =
    "[{\"annotations\":{\"summary\":\"5xx ratio 1.6%\","
    "  \"description\":\"checkout returns errors\","
    "  \"runbook_url\":\"https://runbooks/x\",\"dashboard\":\"https://g/d\"},"
    " \"endsAt\":\"2026-11-26T15:00:00.000Z\","
    " \"fingerprint\":\"1b2c3d4e5f607182\","
    " \"receivers\":[{\"name\":\"team-a\"},{\"name\":\"pager\"}],"
    " \"startsAt\":\"2026-11-26T14:00:00.123Z\","
    " \"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},"
    " \"updatedAt\":\"2026-11-26T14:55:00Z\","
    " \"generatorURL\":\"http://prometheus/graph?g0.expr=x\","
    " \"labels\":{\"alertname\":\"CheckoutHighErrorRate\","
    "  \"service\":\"checkout\",\"job\":\"api\",\"severity\":\"critical\"}},"
    "{\"annotations\":{},\"fingerprint\":\"aa\",\"labels\":{\"alertname\":"
    "  \"NodeDown\",\"job\":\"node\",\"severity\":\"warning\"},"
    " \"status\":{\"inhibitedBy\":[],\"silencedBy\":[\"s-1\",\"s-2\"],"
    "  \"mutedBy\":[],\"state\":\"suppressed\"},\"routeLabels\":{}},"
    "{\"fingerprint\":\"bb\",\"labels\":{\"alertname\":\"Downstream\"},"
    " \"status\":{\"inhibitedBy\":[\"cc\"],\"silencedBy\":[],"
    "  \"state\":\"suppressed\"}}]";

static void
parse(const char *body, const struct am_options *opt, struct alert **v,
    size_t *n)
{
	char	*err = NULL;

	assert_true(am_parse_alerts(body, strlen(body), opt, v, n, &err));
	assert_null(err);
}

static void
free_alerts(struct alert *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		alert_free(&v[i]);
	free(v);
}

static void
an_active_alert_is_read_in_full(void **state)
{
	struct alert	*v, *a;
	size_t		 n;

	parse(answer, NULL, &v, &n);
	assert_int_equal(n, 3);
	a = &v[0];
	assert_string_equal(a->id, "1b2c3d4e5f607182");
	assert_string_equal(a->title, "CheckoutHighErrorRate: 5xx ratio 1.6%");
	assert_string_equal(a->service, "checkout");
	assert_int_equal(a->severity, SEV_CRITICAL);
	assert_int_equal(a->status, ALERT_TRIGGERED);
	assert_int_equal(a->started_at, 1795701600);
	assert_string_equal(a->url, "http://prometheus/graph?g0.expr=x");
	assert_string_equal(a->runbook_url, "https://runbooks/x");
	assert_string_equal(a->dashboard_url, "https://g/d");
	assert_string_equal(a->description, "checkout returns errors");
	assert_int_equal(a->labels.n, 4);
	assert_string_equal(a->labels.v[0].key, "alertname");	/* sorted */
	assert_string_equal(kvlist_get(&a->details, "receivers"),
	    "team-a, pager");
	assert_string_equal(kvlist_get(&a->details, "ends_at"),
	    "2026-11-26T15:00:00.000Z");
	assert_null(kvlist_get(&a->details, "silenced_by"));
	free_alerts(v, n);
}

static void
silenced_and_inhibited_say_by_what(void **state)
{
	struct alert	*v;
	size_t		 n;

	parse(answer, NULL, &v, &n);
	assert_int_equal(v[1].status, ALERT_SILENCED);
	assert_string_equal(kvlist_get(&v[1].details, "silenced_by"),
	    "s-1, s-2");
	/* No service label: job is next. */
	assert_string_equal(v[1].service, "node");
	assert_int_equal(v[1].severity, SEV_WARNING);
	assert_string_equal(v[1].title, "NodeDown");
	assert_int_equal(v[2].status, ALERT_SILENCED);
	assert_string_equal(kvlist_get(&v[2].details, "inhibited_by"), "cc");
	assert_null(kvlist_get(&v[2].details, "silenced_by"));
	assert_null(v[2].service);
	assert_int_equal(v[2].severity, SEV_UNKNOWN);
	assert_int_equal(v[2].started_at, 0);
	free_alerts(v, n);
}

static void
the_service_labels_are_configurable(void **state)
{
	char			*labels[] = { "team", "job" };
	struct am_options	 opt = { labels, 2 };
	struct alert		*v;
	size_t			 n;

	parse("[{\"fingerprint\":\"f\",\"labels\":{\"service\":\"s\","
	    "\"job\":\"j\",\"team\":\"\"}}]", &opt, &v, &n);
	/* An empty label is as good as none. */
	assert_string_equal(v[0].service, "j");
	free_alerts(v, n);
}

/* Bytes that are not UTF-8 in a label or an annotation: the alert is
 * listed with U+FFFD in their place, not the refresh failed. */
static void
invalid_utf8_becomes_a_replacement_character(void **state)
{
	static const char body[] = "[{\"fingerprint\":\"f1\",\"labels\":"
	    "{\"alertname\":\"DiskFull\",\"service\":\"db\xff\"},"
	    "\"annotations\":{\"summary\":\"disk \xe2\x80 full\"}}]";
	struct alert	*v;
	size_t		 n;
	char		*m;

	parse(body, NULL, &v, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].title, "DiskFull: disk \xef\xbf\xbd full");
	assert_string_equal(v[0].service, "db\xef\xbf\xbd");
	free_alerts(v, n);

	m = am_error_message("\"bad \xe2\"", strlen("\"bad \xe2\""));
	assert_non_null(m);
	assert_string_equal(m, "bad \xef\xbf\xbd");
	free(m);
}

static void
hostile_answers_fail_or_lose_fields(void **state)
{
	static const char *const bad[] = {
		"", "{}", "null", "\"x\"", "<html>", "[{]", "[\"\\u0000\"]",
	};
	struct alert	*v;
	size_t		 n, i;
	char		*err;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		assert_false(am_parse_alerts(bad[i], strlen(bad[i]), NULL, &v,
		    &n, &err));
		assert_non_null(err);
		free(err);
	}
	parse("[1,null,[],{\"labels\":{}},{\"fingerprint\":5},"
	    "{\"fingerprint\":\"ok\",\"labels\":{\"alertname\":{\"x\":1},"
	    "\"severity\":7,\"env\":\"\\u001b[2J\"},\"annotations\":[],"
	    "\"status\":\"weird\",\"startsAt\":12}]", NULL, &v, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "ok");
	assert_string_equal(v[0].title, "ok");
	assert_int_equal(v[0].labels.n, 1);
	assert_string_equal(kvlist_get(&v[0].labels, "env"), "\x1b[2J");
	assert_int_equal(v[0].status, ALERT_TRIGGERED);
	free_alerts(v, n);
}

static void
a_silence_is_built_as_the_api_wants(void **state)
{
	struct kvlist	 m = { NULL, 0 };
	char		*b, *t;

	kvlist_add(&m, "alertname", "CheckoutHighErrorRate");
	kvlist_add(&m, "path", "/a\"b");
	b = am_silence_body(&m, 1795701600, 1795705200, "maria@example.com",
	    "rolling back\n\xff");
	assert_string_equal(b, "{\"matchers\":[{\"name\":\"alertname\","
	    "\"value\":\"CheckoutHighErrorRate\",\"isRegex\":false,"
	    "\"isEqual\":true},{\"name\":\"path\",\"value\":\"/a\\\"b\","
	    "\"isRegex\":false,\"isEqual\":true}],"
	    "\"startsAt\":\"2026-11-26T14:00:00Z\","
	    "\"endsAt\":\"2026-11-26T15:00:00Z\","
	    "\"createdBy\":\"maria@example.com\","
	    "\"comment\":\"rolling back\\n?\"}");
	free(b);
	t = am_matchers_text(&m);
	assert_string_equal(t, "alertname=\"CheckoutHighErrorRate\", "
	    "path=\"/a\"b\"");
	free(t);
	kvlist_free(&m);
}

#define S(lit)	lit, sizeof lit - 1

static void
answers_and_errors_are_read(void **state)
{
	char	*err = NULL, *id, *m;

	id = am_parse_silence_id(S("{\"silenceID\":\"7a1f\"}"), &err);
	assert_string_equal(id, "7a1f");
	assert_null(err);
	free(id);
	assert_null(am_parse_silence_id("{}", 2, &err));
	assert_non_null(err);
	free(err);
	assert_null(am_parse_silence_id("<", 1, &err));
	free(err);
	m = am_error_message(S("\"silence invalid: start time must be before "
	    "end time\""));
	assert_string_equal(m, "silence invalid: start time must be before "
	    "end time");
	free(m);
	m = am_error_message(S("{\"code\":422,\"message\":"
	    "\"matchers: empty\"}"));
	assert_string_equal(m, "matchers: empty");
	free(m);
	assert_null(am_error_message("[1]", 3));
	assert_null(am_error_message("", 0));
}

/* Replica a has NodeDown firing and not yet Downstream; replica b has the
 * silence on NodeDown already and both others. One row each, NodeDown
 * silenced (with b's silencedBy), and nothing freed twice. */
static void
two_replicas_merge_into_one_row_per_alert(void **state)
{
	static const char a[] =
	    "[{\"fingerprint\":\"aa\",\"labels\":{\"alertname\":\"NodeDown\"},"
	    "  \"startsAt\":\"2026-11-26T14:00:00Z\","
	    "  \"status\":{\"state\":\"active\",\"silencedBy\":[]}},"
	    " {\"fingerprint\":\"1b\",\"labels\":{\"alertname\":\"Checkout\"},"
	    "  \"status\":{\"state\":\"active\"}}]";
	static const char b[] =
	    "[{\"fingerprint\":\"1b\",\"labels\":{\"alertname\":\"Checkout\"},"
	    "  \"status\":{\"state\":\"active\"}},"
	    " {\"fingerprint\":\"bb\",\"labels\":{\"alertname\":\"Downstream\"},"
	    "  \"status\":{\"state\":\"active\"}},"
	    " {\"fingerprint\":\"aa\",\"labels\":{\"alertname\":\"NodeDown\"},"
	    "  \"startsAt\":\"2026-11-26T14:00:00Z\","
	    "  \"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s-9\"]}}]";
	struct alert	*va, *vb, *v;
	size_t		 na, nb, n;

	parse(a, NULL, &va, &na);
	parse(b, NULL, &vb, &nb);
	assert_int_equal(na + nb, 5);
	v = xreallocarray(NULL, na + nb, sizeof *v);
	memcpy(v, va, na * sizeof *v);
	memcpy(v + na, vb, nb * sizeof *v);
	free(va);
	free(vb);
	n = am_merge_alerts(v, na + nb);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].id, "1b");
	assert_string_equal(v[1].id, "aa");
	assert_string_equal(v[2].id, "bb");
	assert_int_equal(v[1].status, ALERT_SILENCED);
	assert_string_equal(kvlist_get(&v[1].details, "silenced_by"), "s-9");
	assert_int_equal(v[0].status, ALERT_TRIGGERED);
	free_alerts(v, n);

	/* One answer alone, or none, is left as it is. */
	assert_int_equal(am_merge_alerts(NULL, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_replicas_merge_into_one_row_per_alert),
		cmocka_unit_test(an_active_alert_is_read_in_full),
		cmocka_unit_test(silenced_and_inhibited_say_by_what),
		cmocka_unit_test(the_service_labels_are_configurable),
		cmocka_unit_test(invalid_utf8_becomes_a_replacement_character),
		cmocka_unit_test(hostile_answers_fail_or_lose_fields),
		cmocka_unit_test(a_silence_is_built_as_the_api_wants),
		cmocka_unit_test(answers_and_errors_are_read),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
