/* fuzz_pd_changes.c: fuzz target for PagerDuty's change events
 * (backends/pd_changes_parse.c): the same bytes as a list of change
 * events, plain and scoped to services with names, and as an incident's
 * related change events. A kept event has a service and a time. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/pd_changes_parse.h"
#include "core/model.h"
#include "tests/fuzz/fuzz.h"

static void
check_deploys(struct deploy *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		fuzz_check(v[i].service != NULL);
		deploy_free(&v[i]);
	}
	free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const	 ids[] = { "PSVC001", "PSVC002" };
	char			*body = fuzz_body(data, size);
	struct pd_changes_scope	 scope;
	struct kvlist		 names = { NULL, 0 };
	struct detail_section	*sections = NULL;
	struct deploy		*v = NULL;
	size_t			 n = 0, nsections = 0;
	char			*err = NULL;

	if (pd_changes_parse(body, size, "pd", &v, &n, &err))
		check_deploys(v, n);
	else
		free(err);

	kvlist_add(&names, "PSVC001", "checkout");
	scope.service_ids = ids;
	scope.nservice_ids = 2;
	scope.names = &names;
	scope.more = false;
	v = NULL;
	n = 0;
	err = NULL;
	if (pd_changes_parse_scoped(body, size, "pd", &scope, &v, &n, &err))
		check_deploys(v, n);
	else
		free(err);

	err = NULL;
	if (!pd_parse_related_changes(body, size, 1796026500, &scope,
	    &sections, &nsections, &err))
		free(err);
	source_details_free(sections, nsections);
	kvlist_free(&names);
	free(body);
	return (0);
}
