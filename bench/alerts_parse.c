/* alerts_parse.c: the cost of 10,000 open alerts. It builds an
 * Alertmanager answer of N alerts (six labels, four annotations, as real
 * rules have) and N PagerDuty incidents in pages of 100 (the documented
 * shape), then times the pure parsers and the model's merge and sort
 * (severity, then age), several rounds, and reports the median and the
 * peak resident memory. Build and run: make bench/alerts_parse &&
 * bench/alerts_parse [N] [ROUNDS]. */
#include "config.h"

#include <sys/resource.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/alertmanager_parse.h"
#include "backends/pagerduty_parse.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "bench/benchutil.h"

static const char *const severities[] = {
	"critical", "error", "warning", "info"
};

static long
peak_rss_kib(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

static char *
am_body(int n)
{
	struct sbuf	sb;
	int		i;

	sbuf_init(&sb);
	sbuf_addc(&sb, '[');
	for (i = 0; i < n; i++) {
		sbuf_addf(&sb, "%s{\"annotations\":{\"summary\":\"Error ratio "
		    "of service-%d is %d.%d%% over 5m\",\"description\":\"The "
		    "5xx ratio of service-%d has been above its threshold for "
		    "10 minutes.\",\"runbook_url\":\"https://runbooks.example."
		    "com/HighErrorRate\",\"dashboard\":\"https://grafana.example."
		    "com/d/svc-%d\"},\"endsAt\":\"2026-11-26T15:00:00.000Z\","
		    "\"fingerprint\":\"%016x\",\"receivers\":[{\"name\":"
		    "\"team-%d\"}],\"startsAt\":\"2026-11-%02dT%02d:%02d:00.000Z\","
		    "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":"
		    "\"active\"},\"updatedAt\":\"2026-11-26T14:55:00.000Z\","
		    "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=x\","
		    "\"labels\":{\"alertname\":\"HighErrorRate\",\"service\":"
		    "\"service-%d\",\"severity\":\"%s\",\"env\":\"prod\","
		    "\"instance\":\"10.0.%d.%d:8080\",\"job\":\"api\"}}",
		    i > 0 ? "," : "", i % 500, i % 10, i % 7, i % 500, i % 500,
		    (unsigned)(i * 2654435761u), i % 20, 1 + i % 25, i % 24,
		    i % 60, i % 500, severities[i % 4], i / 250, i % 250);
	}
	sbuf_addc(&sb, ']');
	return (sbuf_steal(&sb));
}

static char *
pd_body(int first, int n, bool more)
{
	struct sbuf	sb;
	int		i;

	sbuf_init(&sb);
	sbuf_adds(&sb, "{\"incidents\":[");
	for (i = first; i < first + n; i++) {
		sbuf_addf(&sb, "%s{\"id\":\"P%06d\",\"type\":\"incident\","
		    "\"summary\":\"[#%d] Error ratio of service-%d high\","
		    "\"incident_number\":%d,\"title\":\"Error ratio of "
		    "service-%d high\",\"created_at\":\"2026-11-%02dT%02d:%02d:"
		    "00Z\",\"status\":\"%s\",\"urgency\":\"%s\","
		    "\"html_url\":\"https://acme.pagerduty.com/incidents/"
		    "P%06d\",\"incident_key\":\"%016x\",\"service\":{\"id\":"
		    "\"PSVC%03d\",\"type\":\"service_reference\",\"summary\":"
		    "\"service-%d\"},\"assignments\":[{\"at\":\"2026-11-26T14:00:"
		    "00Z\",\"assignee\":{\"id\":\"PUSER1\",\"type\":"
		    "\"user_reference\",\"summary\":\"Maria Lopez\"}}],"
		    "\"escalation_policy\":{\"id\":\"PEP1\",\"type\":"
		    "\"escalation_policy_reference\",\"summary\":\"Checkout\"},"
		    "\"teams\":[{\"id\":\"PT1\",\"type\":\"team_reference\","
		    "\"summary\":\"Payments\"}],\"alert_counts\":{\"all\":2,"
		    "\"triggered\":1,\"resolved\":1},\"last_status_change_at\":"
		    "\"2026-11-26T14:00:00Z\"}", i > first ? "," : "", i, i,
		    i % 500, i, i % 500, 1 + i % 25, i % 24, i % 60,
		    i % 3 ? "triggered" : "acknowledged",
		    i % 2 ? "high" : "low", i, (unsigned)(i * 2654435761u),
		    i % 500, i % 500);
	}
	sbuf_addf(&sb, "],\"limit\":%d,\"offset\":%d,\"more\":%s}", n, first,
	    more ? "true" : "false");
	return (sbuf_steal(&sb));
}

int
main(int argc, char **argv)
{
	int		 n = argc > 1 ? atoi(argv[1]) : 10000;
	int		 rounds = argc > 2 ? atoi(argv[2]) : 7;
	int		 pages = (n + PD_PAGE_LIMIT - 1) / PD_PAGE_LIMIT, r, p;
	double		*am_parse = xcalloc(rounds, sizeof (double));
	double		*am_sort = xcalloc(rounds, sizeof (double));
	double		*pd_parse = xcalloc(rounds, sizeof (double));
	double		*pd_sort = xcalloc(rounds, sizeof (double));
	double		*am_prep = xcalloc(rounds, sizeof (double));
	double		*am_merge = xcalloc(rounds, sizeof (double));
	char		*am, **pd, *err;
	size_t		 am_len, pd_len = 0, nv;
	long		 rss_base;
	size_t		 heap_before = 0, heap_held = 0;
	struct alert	*v;
	struct model	 m;

	am = am_body(n);
	am_len = strlen(am);
	pd = xcalloc(pages, sizeof *pd);
	for (p = 0; p < pages; p++) {
		pd[p] = pd_body(p * PD_PAGE_LIMIT, p == pages - 1 ?
		    n - p * PD_PAGE_LIMIT : PD_PAGE_LIMIT, p < pages - 1);
		pd_len += strlen(pd[p]);
	}
	rss_base = peak_rss_kib();
	for (r = 0; r < rounds; r++) {
		double t0, t1, t2;

		model_init(&m, "bench");
		heap_before = mallinfo2().uordblks;
		t0 = now_ms();
		if (!am_parse_alerts(am, am_len, NULL, &v, &nv, &err))
			fatal("alertmanager: %s", err);
		t1 = now_ms();
		model_set_alerts(&m, "alertmanager", v, nv);
		t2 = now_ms();
		am_parse[r] = t1 - t0;
		am_sort[r] = t2 - t1;

		struct alert *acc = xcalloc(n + 1, sizeof *acc);
		size_t nacc = 0;
		t0 = now_ms();
		for (p = 0; p < pages; p++) {
			struct pd_page page;

			if (!pd_parse_incidents(pd[p], strlen(pd[p]), &page,
			    &err))
				fatal("pagerduty: %s", err);
			memcpy(acc + nacc, page.v, page.n * sizeof *acc);
			nacc += page.n;
			free(page.v);
		}
		t1 = now_ms();
		model_set_alerts(&m, "pagerduty", acc, nacc);
		t2 = now_ms();
		pd_parse[r] = t1 - t0;
		pd_sort[r] = t2 - t1;
		if (m.nalerts != (size_t)(2 * n))
			fatal("expected %d alerts, have %zu", 2 * n,
			    m.nalerts);
		heap_held = mallinfo2().uordblks - heap_before;

		/* A later Alertmanager refresh as the console makes it: the
		 * records named and sorted on a worker thread with the parse,
		 * then merged on the loop, the replaced ones freed on a
		 * worker. */
		if (!am_parse_alerts(am, am_len, NULL, &v, &nv, &err))
			fatal("alertmanager: %s", err);
		t0 = now_ms();
		model_prepare_alerts(v, nv, "alertmanager");
		t1 = now_ms();
		model_set_alerts(&m, "alertmanager", v, nv);
		t2 = now_ms();
		am_prep[r] = t1 - t0;
		am_merge[r] = t2 - t1;
		model_free(&m);
	}
	printf("alerts: %d from Alertmanager (%.1f MB of JSON) and %d from "
	    "PagerDuty (%d pages, %.1f MB); median of %d rounds\n", n,
	    am_len / 1e6, n, pages, pd_len / 1e6, rounds);
	printf("alertmanager: parse %.1f ms, merge+sort %.1f ms\n",
	    median(am_parse, rounds), median(am_sort, rounds));
	printf("pagerduty:    parse %.1f ms, merge+sort %.1f ms (both "
	    "sources, %d alerts)\n", median(pd_parse, rounds),
	    median(pd_sort, rounds), 2 * n);
	printf("alertmanager again, as the console does it: prepare (worker) "
	    "%.1f ms, merge into %d (loop) %.1f ms\n", median(am_prep, rounds),
	    2 * n, median(am_merge, rounds));
	printf("model: %.1f MB of heap for %d alerts (%.0f bytes each)\n",
	    heap_held / 1e6, 2 * n, (double)heap_held / (2 * n));
	printf("peak RSS: %.1f MB (%.1f MB before parsing, bodies "
	    "included)\n", peak_rss_kib() / 1024.0, rss_base / 1024.0);
	worker_free();
	return (0);
}
