/* fuzz_alertmanager.c: fuzz target for Alertmanager's answers
 * (backends/alertmanager_parse.c): the same bytes as a list of alerts
 * (with the default service labels and with a configured one), a
 * silence's answer and an error body. A kept alert has its fingerprint as
 * its id and a title. The list twice over, merged as two replicas' answers,
 * is one record per fingerprint. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/alertmanager_parse.h"
#include "core/model.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

static void
alerts(const char *body, size_t size, const struct am_options *opt)
{
	struct alert	*v = NULL;
	size_t		 n = 0, i;
	char		*err = NULL;

	if (!am_parse_alerts(body, size, opt, &v, &n, &err)) {
		fuzz_check(err != NULL);
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		fuzz_check(v[i].id != NULL && v[i].id[0] != '\0');
		fuzz_check(v[i].title != NULL);
		alert_free(&v[i]);
	}
	free(v);
}

/* Two replicas that gave the same answer: each fingerprint once. */
static void
replicas(const char *body, size_t size)
{
	struct alert	*a = NULL, *b = NULL, *v;
	size_t		 na = 0, nb = 0, n, i;
	char		*err = NULL;

	if (!am_parse_alerts(body, size, NULL, &a, &na, &err)) {
		free(err);
		return;
	}
	if (!am_parse_alerts(body, size, NULL, &b, &nb, &err)) {
		free(err);
		fuzz_check(false);
		return;
	}
	v = xreallocarray(NULL, na + nb + 1, sizeof *v);
	memcpy(v, a, na * sizeof *v);
	memcpy(v + na, b, nb * sizeof *v);
	free(a);
	free(b);
	n = am_merge_alerts(v, na + nb);
	fuzz_check(n <= na && (na == 0 || n > 0));
	for (i = 1; i < n; i++)
		fuzz_check(strcmp(v[i - 1].id, v[i].id) < 0);
	for (i = 0; i < n; i++)
		alert_free(&v[i]);
	free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const	 labels[] = { "app", "namespace" };
	const struct am_options	 opt = { labels, 2 };
	char			*body = fuzz_body(data, size);
	char			*err = NULL, *s;

	alerts(body, size, NULL);
	alerts(body, size, &opt);
	replicas(body, size);
	if ((s = am_parse_silence_id(body, size, &err)) != NULL)
		free(s);
	else
		free(err);
	free(am_error_message(body, size));
	free(body);
	return (0);
}
