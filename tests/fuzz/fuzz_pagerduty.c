/* fuzz_pagerduty.c: fuzz target for PagerDuty's answers
 * (backends/pagerduty_parse.c): the same bytes as a page of incidents, an
 * incident's alerts and notes, its log entries, and an error body. A page that parses has
 * records with an id and a title; an error message is one line of bounded
 * length. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*body = fuzz_body(data, size);
	struct pd_page		 page;
	struct detail_section	*v = NULL;
	struct pd_log_entry	*log = NULL;
	size_t			 n = 0, i, nlog = 0;
	bool			 more;
	char			*err = NULL, *m;

	if (pd_parse_incidents(body, size, &page, &err)) {
		fuzz_check(err == NULL);
		for (i = 0; i < page.n; i++) {
			fuzz_check(page.v[i].id != NULL);
			fuzz_check(page.v[i].title != NULL);
		}
		pd_page_free(&page);
	} else {
		fuzz_check(err != NULL);
		free(err);
	}
	err = NULL;
	if (!pd_parse_alerts(body, size, &v, &n, &err))
		free(err);
	err = NULL;
	if (!pd_parse_notes(body, size, &v, &n, &err))
		free(err);
	for (i = 0; i < n; i++)
		fuzz_check(v[i].heading != NULL);
	source_details_free(v, n);
	err = NULL;
	if (pd_parse_log_entries(body, size, &log, &nlog, &more, &err)) {
		for (i = 0; i < nlog; i++)
			fuzz_check(log[i].id != NULL && *log[i].id != '\0');
	} else {
		fuzz_check(err != NULL && nlog == 0);
		free(err);
	}
	pd_log_entries_free(log, nlog);
	if ((m = pd_error_message(body, size)) != NULL) {
		fuzz_check(strchr(m, '\n') == NULL);
		fuzz_check(strlen(m) <= 303);
		free(m);
	}
	free(body);
	return (0);
}
