/* demoplay.c: the demo's rollback and runbook, played by sitrep itself in
 * hidden modes (`sitrep demo-rollout SERVICE VERSION PREVIOUS`, `sitrep
 * demo-runbook ALERTNAME SERVICE`) so that `sitrep --demo` can show a
 * rollback run in the action terminal like a real one: the question, the
 * exact argv, output as a rollout prints it, an exit status, the audit
 * log. Nothing is touched: these only print and wait. The demo source sees
 * the rollback end (actions/actlog.h) and plays its effect. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/demoplay.h"

static void
pause_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

static void say(long, const char *, ...) __attribute__((format(printf, 2, 3)));

/* A line after a pause, as a slow tool prints it. */
static void
say(long ms, const char *fmt, ...)
{
	va_list	ap;

	pause_ms(ms);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int
rollout(const char *service, const char *version, const char *previous)
{
	char	replicas[64];
	int	i;

	printf("demo rollback: no cluster is touched; this is what a rollout "
	    "prints\n\n");
	say(300, "deployment.apps/%s rolled back (from %s to revision %s)\n",
	    service, version, previous);
	for (i = 1; i <= 3; i++) {
		snprintf(replicas, sizeof replicas, "%d out of 3", i);
		say(700, "Waiting for deployment \"%s\" rollout to finish: %s "
		    "new replicas have been updated...\n", service, replicas);
	}
	say(700, "Waiting for deployment \"%s\" rollout to finish: 1 old "
	    "replicas are pending termination...\n", service);
	say(600, "deployment \"%s\" successfully rolled out\n", service);
	return (0);
}

static int
runbook(const char *alertname, const char *service)
{
	printf("demo runbook for %s: reads only, changes nothing\n\n",
	    alertname);
	say(300, "1. Is %s failing everywhere, or on one pod?\n", service);
	say(500, "   error ratio by pod: %s-7f9c6d-x2 1.7%%, -k7 1.6%%, "
	    "-q9 1.5%%\n", service);
	say(500, "   -> everywhere: not a bad node\n");
	say(500, "2. Did something change just before it started?\n");
	say(500, "   the Deploys pane marks the suspect with a flag\n");
	say(500, "3. Roll back the suspect deploy: focus Deploys (3), select "
	    "it, press r.\n");
	say(300, "4. Watch the burn fall in the SLO pane, then tell the "
	    "bridge.\n");
	return (0);
}

int
demoplay_main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "demo-rollout") == 0)
		return (rollout(argv[2], argv[3], argv[4]));
	if (argc == 4 && strcmp(argv[1], "demo-runbook") == 0)
		return (runbook(argv[2], argv[3]));
	fprintf(stderr, "sitrep: %s: the demo's own command, run by "
	    "sitrep --demo\n", argc > 1 ? argv[1] : "demo");
	return (2);
}
