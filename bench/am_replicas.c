/* am_replicas.c: the cost of a refresh of one Alertmanager cluster with R
 * replicas of N alerts each (the same alerts on every replica, as
 * Prometheus sends them; a tenth of them silenced on the last replica
 * only, so that the merge has states to choose between). What runs on a
 * worker thread (parse every replica's answer, merge by fingerprint, name
 * and sort) is timed apart from what runs on the loop (the model taking
 * the merged list in). Budget (issue 16): merging stays under 50 ms of
 * loop time per refresh. Build and run: make bench/am_replicas &&
 * bench/am_replicas [R] [N] [ROUNDS]. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/alertmanager_parse.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "bench/benchutil.h"

static const char *const severities[] = {
	"critical", "error", "warning", "info"
};

/* One replica's answer; silenced: a tenth are silenced on this one. */
static char *
am_body(int n, bool silenced)
{
	struct sbuf	sb;
	int		i;
	bool		sil;

	sbuf_init(&sb);
	sbuf_addc(&sb, '[');
	for (i = 0; i < n; i++) {
		sil = silenced && i % 10 == 0;
		sbuf_addf(&sb, "%s{\"annotations\":{\"summary\":\"Error ratio "
		    "of service-%d is %d.%d%% over 5m\",\"runbook_url\":"
		    "\"https://runbooks.example.com/HighErrorRate\"},"
		    "\"endsAt\":\"2026-11-26T15:00:00.000Z\","
		    "\"fingerprint\":\"%016x\",\"receivers\":[{\"name\":"
		    "\"team-%d\"}],\"startsAt\":\"2026-11-%02dT%02d:%02d:00.000Z\","
		    "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[%s],"
		    "\"state\":\"%s\"},\"updatedAt\":\"2026-11-26T14:55:00.000Z\","
		    "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=x\","
		    "\"labels\":{\"alertname\":\"HighErrorRate\",\"service\":"
		    "\"service-%d\",\"severity\":\"%s\",\"env\":\"prod\","
		    "\"instance\":\"10.0.%d.%d:8080\",\"job\":\"api\"}}",
		    i > 0 ? "," : "", i % 500, i % 10, i % 7,
		    (unsigned)(i * 2654435761u), i % 20, 1 + i % 25, i % 24,
		    i % 60, sil ? "\"s-1\"" : "", sil ? "suppressed" : "active",
		    i % 500, severities[i % 4], i / 250, i % 250);
	}
	sbuf_addc(&sb, ']');
	return (sbuf_steal(&sb));
}

int
main(int argc, char **argv)
{
	int		 nrep = argc > 1 ? atoi(argv[1]) : 10;
	int		 n = argc > 2 ? atoi(argv[2]) : 1000;
	int		 rounds = argc > 3 ? atoi(argv[3]) : 7;
	double		*work = xcalloc(rounds, sizeof (double));
	double		*merge = xcalloc(rounds, sizeof (double));
	double		*loop = xcalloc(rounds, sizeof (double));
	char		**body, *err;
	size_t		 total = 0, nv, nall, k;
	struct alert	*all, *v;
	struct model	 m;
	int		 r, i, silenced = 0;

	if (nrep < 1 || n < 1 || rounds < 1)
		fatal("usage: am_replicas [REPLICAS] [ALERTS] [ROUNDS]");
	body = xcalloc(nrep, sizeof *body);
	for (i = 0; i < nrep; i++) {
		body[i] = am_body(n, i == nrep - 1);
		total += strlen(body[i]);
	}
	model_init(&m, "bench");
	for (r = 0; r < rounds; r++) {
		double t0, t1, t2, t3;

		/* The worker's part, as am_parse_run does it. */
		t0 = now_ms();
		all = NULL;
		nall = 0;
		for (i = 0; i < nrep; i++) {
			if (!am_parse_alerts(body[i], strlen(body[i]), NULL,
			    &v, &nv, &err))
				fatal("parse: %s", err);
			all = xreallocarray(all, nall + nv + 1, sizeof *all);
			memcpy(all + nall, v, nv * sizeof *v);
			nall += nv;
			free(v);
		}
		t1 = now_ms();
		nall = am_merge_alerts(all, nall);
		model_prepare_alerts(all, nall, "alertmanager");
		t2 = now_ms();
		/* The loop's part. */
		model_set_alerts(&m, "alertmanager", all, nall);
		t3 = now_ms();
		work[r] = t1 - t0;
		merge[r] = t2 - t1;
		loop[r] = t3 - t2;
		if (m.nalerts != (size_t)n)
			fatal("expected %d alerts, have %zu", n, m.nalerts);
	}
	for (k = 0; k < m.nalerts; k++)
		silenced += m.alerts[k].status == ALERT_SILENCED;
	printf("replicas: %d of %d alerts each (%.1f MB of JSON per refresh, "
	    "%d requests); median of %d rounds\n", nrep, n, total / 1e6, nrep,
	    rounds);
	printf("worker: parse %.1f ms, merge by fingerprint + sort %.1f ms\n",
	    median(work, rounds), median(merge, rounds));
	printf("loop: the model takes %zu alerts (%d silenced: the most "
	    "advanced state won) in %.2f ms (budget: 50 ms)\n", m.nalerts,
	    silenced, median(loop, rounds));
	model_free(&m);
	worker_free();
	for (i = 0; i < nrep; i++)
		free(body[i]);
	free(body);
	return (0);
}
