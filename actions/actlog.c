/* actlog.c: actions between their two audit lines (see actlog.h), and the
 * hang-up that waits for them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/argv.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "actions/actlog.h"
#include "core/loop.h"

#define HANGUP_WAIT_MS	(60 * 60 * 1000)	/* the most a hang-up waits */
#define HANGUP_WAIT_MAX_MS ((int64_t)7 * 24 * 60 * 60 * 1000)	/* a week */

struct actlog {
	struct audit_event	 ev;
	char			*id;
	char			*action;
	char			*target;
	char			*environment;
	char			*request;
	char			**argv;
	int64_t			 started;	/* loop_now_ms() */
};

static char		*default_environment;
static size_t		 running;
static unsigned		 counter;
static bool		 headless;
static int		 hangup_status;
static int64_t		 hangup_wait_ms = HANGUP_WAIT_MS;
static struct loop_timer *hangup_timer;
static bool		 read_only;
static actlog_observer	 observer;
static void		*observer_arg;

void
actlog_observe(actlog_observer fn, void *arg)
{
	observer = fn;
	observer_arg = arg;
}

void
actlog_set_read_only(bool on)
{
	read_only = on;
}

bool
actlog_read_only(void)
{
	return (read_only);
}

char *
actlog_refusal(const char *what)
{
	return (xasprintf("read-only seat: %s refused, nothing was sent "
	    "(sitrep --write acts)", what));
}

void
actlog_set_environment(const char *env)
{
	xstrset(&default_environment, env);
}

void
actlog_set_hangup_wait(int64_t ms)
{
	if (ms < 0)
		ms = HANGUP_WAIT_MS;
	hangup_wait_ms = ms < HANGUP_WAIT_MAX_MS ? ms : HANGUP_WAIT_MAX_MS;
}

size_t
actlog_running(void)
{
	return (running);
}

bool
actlog_headless(void)
{
	return (headless);
}

static char **
argv_copy(char *const *argv)
{
	char	**v;
	size_t	  n, i;

	for (n = 0; argv[n] != NULL; n++)
		;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = xstrdup(argv[i]);
	return (v);
}

static void
actlog_free(struct actlog *a)
{
	argv_free(a->argv);
	free(a->id);
	free(a->action);
	free(a->target);
	free(a->environment);
	free(a->request);
	free(a);
}

struct actlog *
actlog_start(const char *action, const char *target, const char *environment,
    char *const *argv, const char *request, char **err)
{
	struct actlog	*a;
	char		*line;

	if (read_only) {
		*err = actlog_refusal(action);
		log_msg("%s %s refused: read-only", action,
		    target != NULL ? target : "");
		return (NULL);
	}
	a = xcalloc(1, sizeof *a);
	a->id = xasprintf("%ld-%ld-%u", (long)getpid(), (long)time_wall(),
	    ++counter);
	a->action = xstrdup(action);
	a->target = xstrdup(target != NULL ? target : "");
	a->environment = xstrdup(environment != NULL ? environment :
	    (default_environment != NULL ? default_environment : ""));
	a->request = request != NULL ? xstrdup(request) : NULL;
	a->argv = argv != NULL ? argv_copy(argv) : NULL;
	a->ev.id = a->id;
	a->ev.user = audit_user();
	a->ev.host = audit_host();
	a->ev.environment = a->environment;
	a->ev.action = a->action;
	a->ev.target = a->target;
	a->ev.argv = a->argv;
	a->ev.request = a->request;
	line = audit_line_start(&a->ev, time_wall());
	if (!audit_write(line, err)) {
		free(line);
		log_msg("%s %s not started: %s", action, a->target, *err);
		actlog_free(a);
		return (NULL);
	}
	free(line);
	a->started = loop_now_ms();
	running++;
	if (observer != NULL)
		observer(observer_arg, &a->ev, NULL);
	return (a);
}

static void
hangup_over(void *arg)
{
	char	when[16];

	hangup_timer = NULL;
	duration_format(when, sizeof when, hangup_wait_ms / 1000);
	log_msg("hang-up: %zu action%s still running after %s; quitting",
	    running, running == 1 ? "" : "s", when);
	loop_quit(hangup_status);
}

static bool
actlog_end(struct actlog *a, struct audit_result *r, char **err)
{
	char	*line;
	bool	 ok;

	r->duration_ms = loop_now_ms() - a->started;
	line = audit_line_end(&a->ev, r, time_wall());
	ok = audit_write(line, err);
	if (!ok)
		log_msg("%s %s: end not recorded: %s", a->action, a->target,
		    *err);
	free(line);
	if (observer != NULL)
		observer(observer_arg, &a->ev, r);
	actlog_free(a);
	running--;
	if (headless && running == 0) {
		log_msg("hang-up: the last action ended; quitting");
		loop_timer_cancel(&hangup_timer);
		loop_quit(hangup_status);
	}
	return (ok);
}

bool
actlog_end_process(struct actlog *a, int status, const char *error,
    char **err)
{
	struct audit_result	r;

	memset(&r, 0, sizeof r);
	r.process = true;
	if (WIFSIGNALED(status)) {
		r.exit_status = -1;
		r.signal = WTERMSIG(status);
	} else
		r.exit_status = WEXITSTATUS(status);
	r.error = error;
	return (actlog_end(a, &r, err));
}

bool
actlog_end_http(struct actlog *a, long http_status, const char *error,
    char **err)
{
	struct audit_result	r;

	memset(&r, 0, sizeof r);
	r.http_status = http_status;
	r.error = error;
	return (actlog_end(a, &r, err));
}

void
actlog_hangup(int status)
{
	if (running == 0) {
		loop_quit(status);
		return;
	}
	if (headless)
		return;
	/* Nobody to draw for; the actions' ends still matter. */
	headless = true;
	hangup_status = status;
	hangup_timer = loop_timer_add(hangup_wait_ms, hangup_over, NULL);
	log_msg("hang-up: waiting for %zu running action%s to end", running,
	    running == 1 ? "" : "s");
}
