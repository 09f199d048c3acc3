/* test_pd_changes.c: a team whose CI sends change events to PagerDuty
 * sees them in the Deploys pane: each event becomes a deploy of its
 * service, with what the CI put in custom_details, named as its incidents
 * name the service; only the services watched are kept. An incident's
 * detail view lists its related changes against the incident's start.
 * The bodies are the examples of PagerDuty's own OpenAPI document
 * (GET /change_events, GET /incidents/{id}/related_change_events). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/pd_changes_parse.h"
#include "core/model.h"

/* From contracts/pagerduty-openapiv3.json, GET /change_events, 200. */
static const char contract_example[] =
"{\"change_events\":[{\"summary\":\"Build Success - Increase snapshot create "
"timeout to 30 seconds\",\"id\":\"01BBYA6PEVW6A852BUO6QYUE7O\",\"timestamp\":"
"\"2020-07-17T08:42:58Z\",\"type\":\"change_event\",\"source\":"
"\"acme-build-pipeline-tool-default-i-9999\",\"integration\":{\"id\":\"PEYSGVF\","
"\"type\":\"inbound_integration_reference\"},\"services\":[{\"id\":\"PEYSGRV\","
"\"type\":\"service_reference\"}],\"custom_details\":{\"build_state\":\"passed\","
"\"build_number\":\"2\",\"run_time\":\"1236s\"},\"links\":[{\"href\":"
"\"https://acme.pagerduty.dev/build/2\",\"text\":\"View more details in Acme!\"}]},"
"{\"summary\":\"Build Success - Increase snapshot create timeout to 15 seconds\","
"\"id\":\"01BBYA6PDIXPL8KO1HPIUL9CZN\",\"timestamp\":\"2020-07-17T07:42:58Z\","
"\"type\":\"change_event\",\"source\":\"acme-build-pipeline-tool-default-i-9999\","
"\"integration\":{\"id\":\"PEYSGVF\",\"type\":\"inbound_integration_reference\"},"
"\"services\":[{\"id\":\"PEYSGRV\",\"type\":\"service_reference\"}],"
"\"custom_details\":{\"build_state\":\"passed\",\"build_number\":\"1\","
"\"run_time\":\"1233s\"},\"links\":[{\"href\":\"https://acme.pagerduty.dev/build/1\","
"\"text\":\"View more details in Acme!\"}]}],\"limit\":null,\"offset\":null,"
"\"total\":null,\"more\":false}";

static void
free_all(struct deploy *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		deploy_free(&v[i]);
	free(v);
}

static void
the_contract_example_becomes_two_deploys(void **state)
{
	struct deploy	*v;
	size_t		 n;
	char		*err = NULL;

	assert_true(pd_changes_parse(contract_example,
	    sizeof contract_example - 1, "pagerduty", &v, &n, &err));
	assert_null(err);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].source, "pagerduty");
	assert_string_equal(v[0].id, "01BBYA6PEVW6A852BUO6QYUE7O");
	assert_string_equal(v[0].service, "PEYSGRV");	/* no summary */
	assert_int_equal(v[0].at, 1594975378);
	assert_string_equal(v[0].version, "2");		/* build_number */
	assert_string_equal(v[0].url, "https://acme.pagerduty.dev/build/2");
	assert_string_equal(v[0].author,
	    "acme-build-pipeline-tool-default-i-9999");
	assert_non_null(strstr(v[0].summary, "30 seconds"));
	assert_null(v[0].previous_revision);
	assert_string_equal(v[1].version, "1");
	free_all(v, n);
}

static void
custom_details_fill_the_rollback_fields(void **state)
{
	static const char body[] =
	    "{\"change_events\":[{\"id\":\"C1\",\"timestamp\":"
	    "\"2026-11-26T14:32:05Z\",\"services\":[{\"id\":\"P1\",\"summary\":"
	    "\"checkout\"}],\"custom_details\":{\"version\":\"v2.14.0\","
	    "\"commit\":\"a1b2c3d\",\"previous_revision\":\"9f8e7d6\","
	    "\"author\":\"maria\",\"environment\":\"prod\"}},"
	    "{\"id\":\"no-time\",\"services\":[{\"id\":\"P1\"}]},"
	    "{\"id\":\"no-service\",\"timestamp\":\"2026-11-26T14:32:05Z\"},"
	    "\"junk\"]}";
	struct deploy	*v;
	size_t		 n;
	char		*err = NULL;

	assert_true(pd_changes_parse(body, sizeof body - 1, "pd", &v, &n,
	    &err));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].service, "checkout");
	assert_string_equal(v[0].version, "v2.14.0");
	assert_string_equal(v[0].revision, "a1b2c3d");
	assert_string_equal(v[0].previous_revision, "9f8e7d6");
	assert_string_equal(v[0].author, "maria");
	assert_string_equal(v[0].environment, "prod");
	free_all(v, n);
}

static void
garbage_is_an_error(void **state)
{
	struct deploy	*v;
	size_t		 n;
	char		*err = NULL;

	assert_false(pd_changes_parse("<html>", 6, "pd", &v, &n, &err));
	assert_non_null(strstr(err, "not JSON"));
	free(err);
	err = NULL;
	assert_false(pd_changes_parse("{\"incidents\":[]}", 16, "pd", &v, &n,
	    &err));
	assert_non_null(strstr(err, "change_events"));
	free(err);
}

static void
the_path_asks_since_a_time(void **state)
{
	char	*p = pd_changes_path(1795703525, 100);

	assert_string_equal(p,
	    "/change_events?since=2026-11-26T14:32:05Z&limit=100");
	free(p);
}

static void
the_path_names_the_teams(void **state)
{
	char	*teams[] = { "PQ9K7I8", "PTEAM2" };
	char	*p = pd_changes_list_path(1795703525, 100, teams, 2);

	assert_string_equal(p,
	    "/change_events?since=2026-11-26T14:32:05Z&limit=100"
	    "&team_ids%5B%5D=PQ9K7I8&team_ids%5B%5D=PTEAM2");
	free(p);
}

/* The API cannot filter by service: the watched services are kept here,
 * and each is named as its incidents name it, so that a deploy and an
 * incident on "checkout" meet. */
static void
only_watched_services_are_kept_and_named_like_incidents(void **state)
{
	static const char body[] =
	    "{\"change_events\":["
	    "{\"id\":\"C1\",\"timestamp\":\"2026-11-26T14:26:05Z\","
	    "\"services\":[{\"id\":\"POTHER\"},{\"id\":\"PSVC1\","
	    "\"summary\":\"Checkout (prod)\"}],"
	    "\"custom_details\":{\"version\":\"v2.14.0\"}},"
	    "{\"id\":\"C2\",\"timestamp\":\"2026-11-26T14:20:00Z\","
	    "\"services\":[{\"id\":\"POTHER\",\"summary\":\"other\"}]},"
	    "{\"id\":\"C3\",\"timestamp\":\"2026-11-26T14:10:00Z\","
	    "\"services\":[{\"id\":\"PSVC2\",\"summary\":\"payments\"}]}"
	    "],\"more\":true}";
	char			*ids[] = { "PSVC1", "PSVC2" };
	struct kvlist		 names = { NULL, 0 };
	struct pd_changes_scope	 scope;
	struct deploy		*v;
	size_t			 n;
	char			*err = NULL;

	kvlist_add(&names, "PSVC1", "checkout");
	memset(&scope, 0, sizeof scope);
	scope.service_ids = ids;
	scope.nservice_ids = 2;
	scope.names = &names;
	assert_true(pd_changes_parse_scoped(body, sizeof body - 1, "pd",
	    &scope, &v, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].id, "C1");
	assert_string_equal(v[0].service, "checkout");	/* the incidents' */
	assert_string_equal(v[1].id, "C3");
	assert_string_equal(v[1].service, "payments");	/* its summary */
	assert_true(scope.more);
	free_all(v, n);

	/* No services configured: every event, by summary or id. */
	scope.nservice_ids = 0;
	assert_true(pd_changes_parse_scoped(body, sizeof body - 1, "pd",
	    &scope, &v, &n, &err));
	assert_int_equal(n, 3);
	assert_string_equal(v[0].service, "POTHER");	/* the first one */
	assert_string_equal(v[1].service, "other");
	free_all(v, n);
	kvlist_free(&names);
}

/* From contracts/pagerduty-openapiv3.json,
 * GET /incidents/{id}/related_change_events, 200 (one of its two). */
static const char related_example[] =
"{\"change_events\":[{\"summary\":\"Build Success - Increase snapshot "
"create timeout to 30 seconds\",\"id\":\"01BBYA6PEVW6A852BUO6QYUE7O\","
"\"timestamp\":\"2020-07-17T08:42:58Z\",\"type\":\"change_event\","
"\"source\":\"acme-build-pipeline-tool-default-i-9999\",\"integration\":"
"{\"id\":\"PEYSGVF\",\"type\":\"inbound_integration_reference\"},"
"\"services\":[{\"id\":\"PEYSGRV\",\"type\":\"service_reference\"}],"
"\"custom_details\":{\"build_state\":\"passed\",\"build_number\":\"2\","
"\"run_time\":\"1236s\"},\"links\":[{\"href\":"
"\"https://acme.pagerduty.dev/build/2\",\"text\":\"View more details in "
"Acme!\"}],\"correlation_reason\":{\"reason\":\"most_recent\"}}],"
"\"limit\":null,\"offset\":null,\"total\":null,\"more\":false}";

static void
related_changes_say_how_long_before_the_incident(void **state)
{
	struct detail_section	*v = NULL;
	size_t			 n = 0;
	char			*err = NULL;
	const struct kvlist	*l;

	/* The incident began six minutes after the build. */
	assert_true(pd_parse_related_changes(related_example,
	    sizeof related_example - 1, 1594975378 + 360, NULL, &v, &n,
	    &err));
	assert_null(err);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].heading, "related changes (1)");
	l = v[0].lines;
	assert_int_equal(l->n, 3);
	assert_string_equal(l->v[0].key, "2020-07-17T08:42:58Z (6m before)");
	assert_string_equal(l->v[0].value, "PEYSGRV 2 by "
	    "acme-build-pipeline-tool-default-i-9999: Build Success - "
	    "Increase snapshot create timeout to 30 seconds");
	assert_string_equal(l->v[1].key, "  correlation");
	assert_string_equal(l->v[1].value, "most recent");
	assert_string_equal(l->v[2].key, "  link");
	assert_string_equal(l->v[2].value,
	    "https://acme.pagerduty.dev/build/2");
	source_details_free(v, n);

	/* The start unknown: the time alone; garbage is an error. */
	v = NULL;
	n = 0;
	assert_true(pd_parse_related_changes(related_example,
	    sizeof related_example - 1, 0, NULL, &v, &n, &err));
	assert_string_equal(v[0].lines->v[0].key, "2020-07-17T08:42:58Z");
	assert_false(pd_parse_related_changes("[]", 2, 0, NULL, &v, &n,
	    &err));
	assert_int_equal(n, 1);
	assert_non_null(strstr(err, "change_events"));
	free(err);
	source_details_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(the_contract_example_becomes_two_deploys),
		cmocka_unit_test(custom_details_fill_the_rollback_fields),
		cmocka_unit_test(garbage_is_an_error),
		cmocka_unit_test(the_path_asks_since_a_time),
		cmocka_unit_test(the_path_names_the_teams),
		cmocka_unit_test(
		    only_watched_services_are_kept_and_named_like_incidents),
		cmocka_unit_test(related_changes_say_how_long_before_the_incident),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
