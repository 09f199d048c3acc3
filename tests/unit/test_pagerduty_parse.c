/* test_pagerduty_parse.c: what sitrep reads from PagerDuty and what it
 * sends. First the documented shapes, on the tree's own fixtures
 * (tests/fixtures/pagerduty: a list of incidents, an incident's alerts
 * and notes; test_pagerduty_docs compares with PagerDuty's own OpenAPI
 * document where it is found). Then hostile bodies: not JSON, the wrong
 * shape, wrong types, a 100 KB
 * title, NUL bytes, deep nesting; none may crash or lose the good records.
 * Last, the request paths and bodies, byte for byte. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "core/xalloc.h"
#include "tests/unit/testfile.h"

/* A fixture's bytes (heap), from tests/fixtures/pagerduty, or a failed
 * test. */
static char *
fixture(const char *name)
{
	const char	*srcdir = getenv("SRCDIR");

	return (test_read_file(xasprintf("%s/tests/fixtures/pagerduty/%s",
	    srcdir != NULL ? srcdir : ".", name), NULL));
}

static void
parse_page(const char *body, struct pd_page *page)
{
	char	*err = NULL;

	assert_true(pd_parse_incidents(body, strlen(body), page, &err));
	assert_null(err);
}

static void
a_listed_incident_is_read_in_full(void **state)
{
	char		*body = fixture("incidents.json");
	struct pd_page	 page;
	struct alert	*a;

	parse_page(body, &page);
	assert_int_equal(page.n, 1);
	assert_false(page.more);
	a = &page.v[0];
	assert_string_equal(a->id, "Q1CHK7X");
	assert_string_equal(a->title, "Checkout latency above 2s");
	assert_string_equal(a->service, "Checkout API");
	assert_int_equal(a->status, ALERT_ACKNOWLEDGED);
	/* Priority P3 decides over urgency high. */
	assert_int_equal(a->severity, SEV_WARNING);
	assert_int_equal(a->started_at, 1796026500);
	assert_string_equal(a->url,
	    "https://example.pagerduty.com/incidents/Q1CHK7X");
	assert_string_equal(a->assignees, "Ada Lovelace");
	assert_string_equal(kvlist_get(&a->details, "urgency"), "high");
	assert_string_equal(kvlist_get(&a->details, "priority"), "P3");
	assert_string_equal(kvlist_get(&a->details, "incident_number"), "88");
	assert_string_equal(kvlist_get(&a->details, "teams"),
	    "Payments, SRE");
	assert_string_equal(kvlist_get(&a->details, "escalation_policy"),
	    "Shop On-call");
	assert_string_equal(kvlist_get(&a->details, "alerts"),
	    "3 (1 triggered)");
	pd_page_free(&page);
	free(body);
}

static void
alerts_and_notes_become_detail_lines(void **state)
{
	char			*alerts, *notes;
	struct detail_section	*v = NULL;
	size_t			 n = 0;
	char			*err;

	alerts = fixture("alerts.json");
	notes = fixture("notes.json");
	assert_true(pd_parse_alerts(alerts, strlen(alerts), &v, &n, &err));
	assert_true(pd_parse_notes(notes, strlen(notes), &v, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].heading, "alerts (1)");
	assert_string_equal(kvlist_get(v[0].lines, "QALRT01"),
	    "warning triggered 2026-11-30T08:15:00Z: "
	    "p99 latency 2.4s on checkout");
	assert_string_equal(kvlist_get(v[0].lines, "  region"), "eu-west-1");
	assert_string_equal(v[1].heading, "notes (1)");
	assert_string_equal(kvlist_get(v[1].lines,
	    "2026-11-30T08:30:00Z Ada Lovelace"),
	    "Rolled back checkout to v41.");
	source_details_free(v, n);
	free(alerts);
	free(notes);
}

static void
urgency_and_priority_give_the_severity(void **state)
{
	static const char body[] = "{\"incidents\":["
	    "{\"id\":\"PA\",\"urgency\":\"high\",\"status\":\"triggered\"},"
	    "{\"id\":\"PB\",\"urgency\":\"low\",\"status\":\"acknowledged\","
	    " \"assignments\":[{\"assignee\":{\"summary\":\"Maria\"}},"
	    "  {\"assignee\":{\"summary\":\"Li\"}}]},"
	    "{\"id\":\"PC\",\"urgency\":\"low\","
	    " \"priority\":{\"summary\":\"P1\"}},"
	    "{\"id\":\"PD\",\"priority\":{\"summary\":\"Sev-custom\"}}"
	    "],\"more\":false}";
	struct pd_page	page;

	parse_page(body, &page);
	assert_int_equal(page.n, 4);
	assert_false(page.more);
	assert_int_equal(page.v[0].severity, SEV_CRITICAL);
	assert_int_equal(page.v[0].status, ALERT_TRIGGERED);
	assert_int_equal(page.v[1].severity, SEV_WARNING);
	assert_int_equal(page.v[1].status, ALERT_ACKNOWLEDGED);
	assert_string_equal(page.v[1].assignees, "Maria, Li");
	assert_int_equal(page.v[2].severity, SEV_CRITICAL);
	assert_int_equal(page.v[3].severity, SEV_UNKNOWN);
	/* No title: the id stands in. */
	assert_string_equal(page.v[3].title, "PD");
	pd_page_free(&page);
}

static void
wrong_shapes_are_errors_not_crashes(void **state)
{
	static const char *const bad[] = {
		"", "<html>502 Bad Gateway</html>", "[]", "{}", "null",
		"{\"incidents\":{}}", "{\"incidents\":\"x\"}", "\"incidents\"",
		"{\"incidents\":[1,2,3", "{\"incidents\":[\"a\\u0000b\"]}",
	};
	struct pd_page	 page;
	size_t		 i;
	char		*err;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		if (pd_parse_incidents(bad[i], strlen(bad[i]), &page, &err)) {
			/* Only the NUL case parses; its item is skipped. */
			assert_int_equal(page.n, 0);
			pd_page_free(&page);
			continue;
		}
		assert_non_null(err);
		free(err);
	}
	err = NULL;
	assert_false(pd_parse_notes("{\"notes\":7}", 11, NULL, NULL, &err));
	assert_non_null(err);
	free(err);
}

static void
wrong_types_lose_a_field_not_the_record(void **state)
{
	static const char body[] = "{\"incidents\":["
	    "{\"id\":7,\"title\":\"no string id: skipped\"},"
	    "{\"title\":\"no id: skipped\"},"
	    "{\"id\":\"PGOOD\",\"title\":{\"x\":1},\"service\":\"svc\","
	    " \"created_at\":\"yesterday\",\"assignments\":\"me\","
	    " \"teams\":[1,null,{}],\"alert_counts\":[],\"urgency\":5,"
	    " \"priority\":\"P1\",\"summary\":\"the summary\"},"
	    "[\"not an object\"],null],\"more\":\"yes\"}";
	struct pd_page	page;

	parse_page(body, &page);
	assert_int_equal(page.n, 1);
	assert_string_equal(page.v[0].id, "PGOOD");
	assert_string_equal(page.v[0].title, "the summary");
	assert_null(page.v[0].service);
	assert_int_equal(page.v[0].started_at, 0);
	assert_null(page.v[0].assignees);
	assert_false(page.more);
	pd_page_free(&page);
}

static void
a_100k_title_and_escapes_arrive_intact(void **state)
{
	char		*title, *body;
	struct pd_page	 page;
	size_t		 len = 100 * 1024;

	title = xmalloc(len + 1);
	memset(title, 'x', len);
	title[len] = '\0';
	body = xasprintf("{\"incidents\":[{\"id\":\"PBIG\",\"title\":\"%s\"},"
	    "{\"id\":\"PESC\",\"title\":\"\\u001b]0;pwned\\u0007\\u009b\"}],"
	    "\"more\":false}", title);
	parse_page(body, &page);
	assert_int_equal(page.n, 2);
	assert_int_equal(strlen(page.v[0].title), len);
	/* Raw in the model; the sanitizer runs when it is drawn. */
	assert_string_equal(page.v[1].title, "\x1b]0;pwned\x07\xc2\x9b");
	pd_page_free(&page);
	free(body);
	free(title);
}

/* Bytes that are not UTF-8 (a proxy, an integration that sent Latin-1) lose
 * themselves, not the whole refresh: U+FFFD takes their place, as for Loki
 * and Prometheus. */
static void
invalid_utf8_becomes_a_replacement_character(void **state)
{
	static const char body[] = "{\"incidents\":[{\"id\":\"PUTF\","
	    "\"title\":\"disk \xe2\x80 full \xff now\"}],\"more\":false}";
	static const char error[] = "{\"error\":{\"message\":\"bad \xe2\"}}";
	struct pd_page	 page;
	char		*m;

	parse_page(body, &page);
	assert_int_equal(page.n, 1);
	assert_string_equal(page.v[0].title,
	    "disk \xef\xbf\xbd full \xef\xbf\xbd now");
	pd_page_free(&page);

	m = pd_error_message(error, strlen(error));
	assert_non_null(m);
	assert_string_equal(m, "bad \xef\xbf\xbd");
	free(m);
}

static void
deep_nesting_is_refused(void **state)
{
	size_t		 depth = 100000, i;
	char		*body, *err = NULL;
	struct pd_page	 page;

	body = xmalloc(2 * depth + 64);
	strcpy(body, "{\"incidents\":");
	for (i = 0; i < depth; i++)
		strcat(body + 13 + i, "[");
	assert_false(pd_parse_incidents(body, strlen(body), &page, &err));
	assert_non_null(err);
	free(err);
	free(body);
}

static void
error_bodies_become_one_line(void **state)
{
	static const char pd[] = "{\"error\":{\"message\":\"Invalid Input "
	    "Provided\",\"code\":2001,\"errors\":[\"Duration must be "
	    "positive.\"]}}";
	static const char prism[] = "{\"type\":\"x\",\"title\":\"Invalid "
	    "request\",\"status\":422,\"validation\":[{\"message\":\"Request "
	    "header must have required property 'from'\"}]}";
	char	*m, *big;

	m = pd_error_message(pd, strlen(pd));
	assert_string_equal(m, "Invalid Input Provided; Duration must be "
	    "positive.");
	free(m);
	m = pd_error_message(prism, strlen(prism));
	assert_string_equal(m, "Invalid request; Request header must have "
	    "required property 'from'");
	free(m);
	assert_null(pd_error_message("<html>", 6));
	assert_null(pd_error_message("{}", 2));
	assert_null(pd_error_message(NULL, 0));
	m = pd_error_message("{\"error\":{\"message\":\"two\\nlines\"}}",
	    34);
	assert_string_equal(m, "two");
	free(m);
	big = xmalloc(5000);
	memset(big, 'y', 4000);
	sprintf(big + 4000, "\"}}");
	memcpy(big, "{\"error\":{\"message\":\"", 21);
	m = pd_error_message(big, strlen(big));
	assert_true(strlen(m) <= 303);
	free(m);
	free(big);
}

static void
the_list_asks_for_open_incidents_of_the_services_and_teams(void **state)
{
	char	*services[] = { "PABC123", "PDEF456" };
	char	*teams[] = { "PTEAM1" };
	char	*p;

	p = pd_list_path(services, 2, teams, 1, 100, 200);
	assert_string_equal(p, "/incidents?statuses%5B%5D=triggered&"
	    "statuses%5B%5D=acknowledged&service_ids%5B%5D=PABC123&"
	    "service_ids%5B%5D=PDEF456&team_ids%5B%5D=PTEAM1&limit=100&"
	    "offset=200");
	free(p);
	p = pd_list_path(NULL, 0, NULL, 0, 100, 0);
	assert_string_equal(p, "/incidents?statuses%5B%5D=triggered&"
	    "statuses%5B%5D=acknowledged&limit=100&offset=0");
	free(p);
	p = pd_incident_path("../admin?x", "/notes");
	assert_string_equal(p, "/incidents/..%2Fadmin%3Fx/notes");
	free(p);
}

static void
write_bodies_are_exact(void **state)
{
	const char	*err;
	char		*b;

	b = pd_body_status("acknowledged");
	assert_string_equal(b, "{\"incident\":{\"type\":\"incident_reference\","
	    "\"status\":\"acknowledged\"}}");
	free(b);
	b = pd_body_note("said \"hi\"\n\x1b");
	assert_string_equal(b, "{\"note\":{\"content\":\"said \\\"hi\\\"\\n"
	    "\\u001B\"}}");
	free(b);
	b = pd_body_note("caf\xe9 \xff");
	assert_string_equal(b, "{\"note\":{\"content\":\"caf? ?\"}}");
	free(b);
	b = pd_body_snooze(3600);
	assert_string_equal(b, "{\"duration\":3600}");
	free(b);
	b = pd_body_status_update("[prod] rolled back\nNext in 30m");
	assert_string_equal(b, "{\"message\":\"[prod] rolled back\\nNext in "
	    "30m\"}");
	free(b);
	b = pd_body_reassign("2", &err);
	assert_string_equal(b, "{\"incident\":{\"type\":\"incident_reference\","
	    "\"escalation_level\":2}}");
	free(b);
	b = pd_body_reassign("PXPGF42", &err);
	assert_string_equal(b, "{\"incident\":{\"type\":\"incident_reference\","
	    "\"assignments\":[{\"assignee\":{\"id\":\"PXPGF42\",\"type\":"
	    "\"user_reference\"}}]}}");
	free(b);
	assert_null(pd_body_reassign("maria@example.com", &err));
	assert_non_null(err);
	assert_null(pd_body_reassign("0", &err));
	assert_null(pd_body_reassign("", &err));
	assert_true(pd_valid_id("PT4KHLK"));
	assert_false(pd_valid_id(""));
	assert_false(pd_valid_id("P T"));
	assert_false(pd_valid_id("P/../x"));
}

/* An incident's log: entries with an id, who and when; "more" pages on;
 * entries without an id are skipped; garbage is an error, no entries. */
static void
log_entries_page(void **state)
{
	const char		*body = "{\"log_entries\":[{\"id\":\"L1\","
	    "\"type\":\"acknowledge_log_entry\",\"summary\":\"Acknowledged "
	    "by Maria\",\"created_at\":\"2026-11-26T14:32:05Z\",\"agent\":"
	    "{\"id\":\"PU\",\"type\":\"user_reference\",\"summary\":"
	    "\"Maria\"}},{\"type\":\"x\"}],\"limit\":2,\"offset\":0,"
	    "\"more\":true}";
	struct pd_log_entry	*v = NULL;
	size_t			 n = 0;
	bool			 more;
	char			*err = NULL;

	assert_true(pd_parse_log_entries(body, strlen(body), &v, &n, &more,
	    &err));
	assert_int_equal(n, 1);
	assert_true(more);
	assert_string_equal(v[0].id, "L1");
	assert_string_equal(v[0].agent, "Maria");
	assert_int_equal(v[0].at, 1795703525);
	assert_false(pd_parse_log_entries("{}", 2, &v, &n, &more, &err));
	assert_non_null(err);
	assert_int_equal(n, 1);
	free(err);
	pd_log_entries_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_listed_incident_is_read_in_full),
		cmocka_unit_test(alerts_and_notes_become_detail_lines),
		cmocka_unit_test(urgency_and_priority_give_the_severity),
		cmocka_unit_test(wrong_shapes_are_errors_not_crashes),
		cmocka_unit_test(wrong_types_lose_a_field_not_the_record),
		cmocka_unit_test(a_100k_title_and_escapes_arrive_intact),
		cmocka_unit_test(invalid_utf8_becomes_a_replacement_character),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(error_bodies_become_one_line),
		cmocka_unit_test(
		    the_list_asks_for_open_incidents_of_the_services_and_teams),
		cmocka_unit_test(write_bodies_are_exact),
		cmocka_unit_test(log_entries_page),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
