/* test_pagerduty_docs.c: sitrep against PagerDuty's own OpenAPI document
 * (pagerduty-openapiv3.json in $CONTRACTS, configure's --with-contracts;
 * by default the contracts beside the source tree where it is developed):
 * the document's example answers must parse into the incident, alerts and
 * notes it describes. Read at run time, so that a new version of the
 * document is tested as it is. Without it this program reports itself
 * skipped (77), saying how to point at it; test_pagerduty_parse checks the
 * same shapes on the tree's own fixtures (tests/fixtures/pagerduty). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "core/xalloc.h"

static json_t	*spec;

static int
load_spec(void **state)
{
	char		*path;
	json_error_t	 je;

	path = xasprintf("%s/pagerduty-openapiv3.json", getenv("CONTRACTS"));
	spec = json_load_file(path, 0, &je);
	if (spec == NULL)
		fprintf(stderr, "cannot read %s: %s\n", path, je.text);
	free(path);
	return (spec == NULL ? -1 : 0);
}

static int
free_spec(void **state)
{
	json_decref(spec);
	return (0);
}

/* The documented example response of an operation, as text (heap). */
static char *
example(const char *path, const char *method, const char *status)
{
	json_t	*v;
	char	*s;

	v = json_object_get(json_object_get(spec, "paths"), path);
	v = json_object_get(json_object_get(v, method), "responses");
	v = json_object_get(json_object_get(v, status), "content");
	v = json_object_get(json_object_get(v, "application/json"),
	    "examples");
	v = json_object_get(json_object_get(v, "response"), "value");
	assert_non_null(v);
	s = json_dumps(v, JSON_COMPACT);
	assert_non_null(s);
	return (s);
}

static void
parse_page(const char *body, struct pd_page *page)
{
	char	*err = NULL;

	assert_true(pd_parse_incidents(body, strlen(body), page, &err));
	assert_null(err);
}

static void
the_documented_incident_is_read_in_full(void **state)
{
	char		*body = example("/incidents", "get", "200");
	struct pd_page	 page;
	struct alert	*a;

	parse_page(body, &page);
	assert_int_equal(page.n, 1);
	assert_true(page.more);
	a = &page.v[0];
	assert_string_equal(a->id, "PT4KHLK");
	assert_string_equal(a->title, "The server is on fire.");
	assert_string_equal(a->service, "My Mail Service");
	assert_int_equal(a->status, ALERT_RESOLVED);
	/* Priority P2 decides over urgency high. */
	assert_int_equal(a->severity, SEV_ERROR);
	assert_int_equal(a->started_at, 1444167042);
	assert_string_equal(a->url,
	    "https://subdomain.pagerduty.com/incidents/PT4KHLK");
	assert_null(a->assignees);
	assert_string_equal(kvlist_get(&a->details, "urgency"), "high");
	assert_string_equal(kvlist_get(&a->details, "priority"), "P2");
	assert_string_equal(kvlist_get(&a->details, "incident_number"), "1234");
	assert_string_equal(kvlist_get(&a->details, "teams"), "Engineering");
	assert_string_equal(kvlist_get(&a->details, "escalation_policy"),
	    "Another Escalation Policy");
	assert_string_equal(kvlist_get(&a->details, "alerts"),
	    "2 (0 triggered)");
	pd_page_free(&page);
	free(body);
}

static void
every_documented_incident_answer_parses(void **state)
{
	/* PUT /incidents answers a list; the single ones are not lists. */
	char		*body = example("/incidents", "put", "200");
	struct pd_page	 page;

	parse_page(body, &page);
	assert_true(page.n >= 1);
	pd_page_free(&page);
	free(body);
}

static void
the_documented_alerts_and_notes_become_detail_lines(void **state)
{
	char			*alerts, *notes;
	struct detail_section	*v = NULL;
	size_t			 n = 0;
	char			*err;

	alerts = example("/incidents/{id}/alerts", "get", "200");
	notes = example("/incidents/{id}/notes", "get", "200");
	assert_true(pd_parse_alerts(alerts, strlen(alerts), &v, &n, &err));
	assert_true(pd_parse_notes(notes, strlen(notes), &v, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].heading, "alerts (1, more in PagerDuty)");
	assert_string_equal(kvlist_get(v[0].lines, "PT4KHLK"),
	    "critical resolved 2015-10-06T21:30:42Z: The server is on fire.");
	assert_string_equal(kvlist_get(v[0].lines, "  customKey"),
	    "Server is on fire!");
	assert_string_equal(v[1].heading, "notes (2)");
	assert_string_equal(kvlist_get(v[1].lines,
	    "2013-03-06T15:28:51-05:00 Earline Greenholt"),
	    "Firefighters are on the scene.");
	source_details_free(v, n);
	free(alerts);
	free(notes);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_documented_incident_is_read_in_full),
		cmocka_unit_test(every_documented_incident_answer_parses),
		cmocka_unit_test(
		    the_documented_alerts_and_notes_become_detail_lines),
	};
	const char	*dir = getenv("CONTRACTS");
	char		*path;
	int		 found;

	path = xasprintf("%s/pagerduty-openapiv3.json",
	    dir != NULL ? dir : "");
	found = dir != NULL && *dir != '\0' && access(path, R_OK) == 0;
	if (!found) {
		printf("SKIP: PagerDuty's OpenAPI document is not here (%s): "
		    "./configure --with-contracts=DIR to compare with it\n",
		    dir != NULL && *dir != '\0' ? path : "configure found none");
		free(path);
		return (77);
	}
	free(path);
	return (cmocka_run_group_tests(tests, load_spec, free_spec));
}
