/* fuzz_prom_rules.c: fuzz target for Prometheus' /api/v1/rules answers
 * (backends/prometheus_parse.c) and their matching to SLO records
 * (prom_apply_rules in backends/prometheus_slo.c): the same bytes at 2xx,
 * an unknown status and a 5xx, then the rules against a Pyrra and a Sloth
 * record. Every rule kept has a name and a query; for: is bounded; a
 * record's pending level is above its alert level or none; conditions read
 * from a Sloth query pair a short window with a longer one, at a sane
 * factor. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/prometheus_parse.h"
#include "backends/prometheus_slo.h"
#include "core/model.h"
#include "core/slomath.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

static void
record(struct slo *s, const char *name, bool pyrra)
{
	size_t	k;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	s->objective = 99.0;
	s->window_seconds = 14 * 86400;
	s->budget_remaining = NAN;
	s->verdict = SLO_VERDICT_EVALUATED;
	for (k = 0; k < W__COUNT; k++)
		s->burn[k] = s->error_ratio[k] = 20.0;
	s->nconds = pyrra ? slo_conds_pyrra(s->window_seconds, s->conds) :
	    slo_conds_workbook(s->window_seconds, s->conds);
	slo_conds_place(s);
}

static void
check_records(const struct prom_rules *rs, bool pyrra)
{
	struct slo	v[2];
	size_t		i, j;

	record(&v[0], "a", pyrra);
	record(&v[1], "svc-slo", pyrra);
	prom_apply_rules(v, 2, pyrra, rs);
	for (i = 0; i < 2; i++) {
		fuzz_check(v[i].pending == SLO_ALERT_NONE ||
		    v[i].pending > v[i].alert);
		fuzz_check(v[i].verdict != SLO_VERDICT_RULES ||
		    v[i].verdict_note != NULL);
		fuzz_check(v[i].nconds <= SLO_MAX_CONDS);
		for (j = 0; j < v[i].nconds; j++)
			fuzz_check(v[i].conds[j].short_s <=
			    v[i].conds[j].long_s && v[i].conds[j].factor > 0 &&
			    v[i].conds[j].factor <= 1e6);
		slo_free(&v[i]);
	}
}

static void
answer(const char *body, size_t size, long status)
{
	struct prom_rules	 rs;
	char			*err = NULL;
	size_t			 i, j;

	if (!prom_parse_rules(body, size, status, &rs, &err)) {
		fuzz_check(err != NULL && rs.n == 0);
		free(err);
		return;
	}
	fuzz_check(err == NULL);
	for (i = 0; i < rs.n; i++) {
		fuzz_check(rs.v[i].name != NULL && rs.v[i].query != NULL);
		fuzz_check(rs.v[i].for_s >= 0 &&
		    rs.v[i].for_s <= 3660L * 86400);
		for (j = 0; j < rs.v[i].nalerts; j++)
			fuzz_check(rs.v[i].alerts[j].active_at >= 0);
	}
	check_records(&rs, true);
	check_records(&rs, false);
	prom_rules_free(&rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*body = fuzz_body(data, size);

	answer(body, size, 200);
	answer(body, size, 0);
	answer(body, size, 503);
	free(body);
	return (0);
}
