/* deploys.c: the command deploy source. [deploys] command = ... runs a
 * program (no shell) that prints one JSON object per deploy and line: the
 * way to plug in kubectl, Helm, Argo CD or a CI system. It is re-run on the
 * refresh interval; a run that outlives `timeout` is killed with its whole
 * process group; a failing run's stderr becomes the source's error, and bad
 * lines are named in the source's warning and skipped. The process is
 * watched by the loop: pipes non-blocking, reaped through core/child.c. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/deploys_parse.h"
#include "core/argv.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/secret.h"
#include "core/xalloc.h"
#include "core/child.h"
#include "core/loop.h"

#define DEPLOYS_TIMEOUT_MS	30000
#define DEPLOYS_OUT_MAX		(16 << 20)	/* bytes of stdout kept */
#define DEPLOYS_ERR_MAX		(8 << 10)	/* bytes of stderr kept */
#define DEPLOYS_KEEP		500		/* newest deploys kept */
#define DEPLOYS_ERROR_SHOWN	300		/* bytes of stderr shown */

struct deploys {
	char			**argv;
	int64_t			  timeout_ms;

	pid_t			  pid;		/* -1: not running */
	int			  out, err;	/* -1: closed */
	struct sbuf		  outbuf, errbuf;
	bool			  too_much;	/* stdout over the cap */
	bool			  timed_out;
	struct loop_timer	 *timer;
};

static void
deploys_close(struct deploys *d)
{
	if (d->out != -1) {
		loop_unwatch(d->out);
		close(d->out);
		d->out = -1;
	}
	if (d->err != -1) {
		loop_unwatch(d->err);
		close(d->err);
		d->err = -1;
	}
	loop_timer_cancel(&d->timer);
}

/* Read what is there; false at EOF or on error. */
static bool
drain(int fd, struct sbuf *sb, size_t max, bool *over)
{
	char	buf[16384];
	ssize_t	n;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (errno == EAGAIN || errno == EWOULDBLOCK);
		if (n == 0)
			return (false);
		if (sb->len + (size_t)n > max) {
			if (over != NULL)
				*over = true;
			n = (ssize_t)(max - sb->len);
		}
		sbuf_add(sb, buf, (size_t)n);
	}
}

static void
deploys_kill(struct deploys *d)
{
	if (d->pid > 0)
		kill(-d->pid, SIGKILL);
}

static void
on_output(int fd, short revents, void *arg)
{
	struct source	*s = arg;
	struct deploys	*d = s->data;
	bool		 open;

	if (fd == d->out) {
		open = drain(fd, &d->outbuf, DEPLOYS_OUT_MAX, &d->too_much);
		if (d->too_much)
			deploys_kill(d);
	} else
		open = drain(fd, &d->errbuf, DEPLOYS_ERR_MAX, NULL);
	if (!open) {
		loop_unwatch(fd);
		close(fd);
		if (fd == d->out)
			d->out = -1;
		else
			d->err = -1;
	}
}

static void
on_timeout(void *arg)
{
	struct source	*s = arg;
	struct deploys	*d = s->data;

	d->timer = NULL;
	d->timed_out = true;
	deploys_kill(d);
}

/* stderr as one line for the status: blanks squeezed, lines joined. */
static char *
stderr_text(struct sbuf *sb)
{
	struct sbuf	 t;
	size_t		 i;
	bool		 nl = false, sp = false;
	char		 c;

	sbuf_init(&t);
	for (i = 0; i < sb->len && t.len < DEPLOYS_ERROR_SHOWN; i++) {
		c = sb->s[i];
		if (c == '\n' || c == '\r') {
			nl = t.len > 0;
			continue;
		}
		if (c == ' ' || c == '\t') {
			sp = t.len > 0;
			continue;
		}
		if (nl)
			sbuf_adds(&t, " / ");
		else if (sp)
			sbuf_addc(&t, ' ');
		nl = sp = false;
		sbuf_addc(&t, c);
	}
	if (i < sb->len)
		sbuf_adds(&t, "...");
	return (sbuf_steal(&t));
}

static char *
failure_reason(struct deploys *d, int status)
{
	char	*why, *err = stderr_text(&d->errbuf);
	char	 what[64];

	if (d->timed_out)
		snprintf(what, sizeof what, "timed out after %llds",
		    (long long)(d->timeout_ms / 1000));
	else if (d->too_much)
		snprintf(what, sizeof what, "printed over %d MiB",
		    DEPLOYS_OUT_MAX >> 20);
	else if (WIFSIGNALED(status))
		snprintf(what, sizeof what, "killed by signal %d",
		    WTERMSIG(status));
	else
		snprintf(what, sizeof what, "exited %d", WEXITSTATUS(status));
	why = xasprintf("command %s%s%s", what, *err != '\0' ? ": " : "", err);
	free(err);
	return (why);
}

static int
deploy_newest_first(const void *va, const void *vb)
{
	const struct deploy	*a = va, *b = vb;

	return (a->at < b->at ? 1 : a->at > b->at ? -1 : 0);
}

static void
deploys_store(struct source *s, struct deploys *d)
{
	struct deploys_parsed	 p;
	struct sbuf		 warn;
	const char		*old;
	size_t			 i;

	deploys_parse(d->outbuf.s, d->outbuf.len, s->name, &p);
	sbuf_init(&warn);
	for (i = 0; i < p.nproblems; i++)
		sbuf_addf(&warn, "%s%s", i > 0 ? "; " : "", p.problems[i]);
	if (p.skipped > 0)
		sbuf_addf(&warn, " (%zu bad line%s skipped)", p.skipped,
		    p.skipped == 1 ? "" : "s");
	/* The log hears of bad lines when they change, not on every run: a
	 * command that keeps printing the same one must not fill it. */
	old = s->model->sources[s->health].warning;
	if (warn.len > 0 && (old == NULL || strcmp(old, warn.s) != 0)) {
		for (i = 0; i < p.nproblems; i++)
			log_msg("%s: %s", s->name, p.problems[i]);
	}
	model_source_warn(s->model, s->health, warn.len > 0 ? warn.s : NULL);
	model_source_note(s->model, s->health, FEED_DEPLOYS, p.skipped,
	    warn.len > 0 ? warn.s : NULL);
	sbuf_free(&warn);
	if (p.n > 1)	/* every line bad: p.v is NULL, which qsort must not get */
		qsort(p.v, p.n, sizeof *p.v, deploy_newest_first);
	while (p.n > DEPLOYS_KEEP)
		deploy_free(&p.v[--p.n]);
	model_set_deploys(s->model, s->name, p.v, p.n);
	p.v = NULL;
	p.n = 0;
	deploys_parsed_free(&p);
}

static void
on_exit_status(pid_t pid, int status, void *arg)
{
	struct source	*s = arg;
	struct deploys	*d = s->data;
	char		*why;

	d->pid = -1;
	/* Everything the command wrote is in the pipes by now. */
	if (d->out != -1)
		drain(d->out, &d->outbuf, DEPLOYS_OUT_MAX, &d->too_much);
	if (d->err != -1)
		drain(d->err, &d->errbuf, DEPLOYS_ERR_MAX, NULL);
	deploys_close(d);
	if (d->timed_out || d->too_much || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		why = failure_reason(d, status);
		source_done(s, why);
		free(why);
		return;
	}
	deploys_store(s, d);
	source_done(s, NULL);
}

static void
deploys_refresh(struct source *s)
{
	struct deploys	*d = s->data;
	char		*why;

	if (d == NULL) {
		source_done(s, "not configured");
		return;
	}
	sbuf_reset(&d->outbuf);
	sbuf_reset(&d->errbuf);
	d->too_much = d->timed_out = false;
	d->pid = child_spawn_pipes(d->argv, &d->out, &d->err);
	if (d->pid == -1) {
		why = xasprintf("cannot start %s: %s", d->argv[0],
		    strerror(errno));
		d->out = d->err = -1;
		source_done(s, why);
		free(why);
		return;
	}
	child_watch(d->pid, on_exit_status, s);
	loop_watch(d->out, POLLIN, on_output, s);
	loop_watch(d->err, POLLIN, on_output, s);
	d->timer = loop_timer_add(d->timeout_ms, on_timeout, s);
}

static bool
deploys_start(struct source *s, struct config *cfg)
{
	struct deploys			*d;
	const struct config_entry	*e;
	char				*err = NULL, **argv;

	if ((e = config_get(s->section, "command")) == NULL) {
		config_error(cfg, s->section->line, "[%s] needs a command "
		    "that prints one JSON object per deploy", s->name);
		return (false);
	}
	if ((argv = argv_split(e->value, &err)) == NULL || argv[0] == NULL) {
		config_error(cfg, e->line, "command: %s", err != NULL ? err :
		    "empty");
		free(err);
		argv_free(argv);
		return (false);
	}
	d = xcalloc(1, sizeof *d);
	d->argv = argv;
	d->pid = -1;
	d->out = d->err = -1;
	sbuf_init(&d->outbuf);
	sbuf_init(&d->errbuf);
	d->timeout_ms = config_duration_ms(cfg, s->section, "timeout",
	    DEPLOYS_TIMEOUT_MS);
	if (d->timeout_ms < 100)
		d->timeout_ms = 100;
	s->data = d;
	return (true);
}

static void
deploys_stop(struct source *s)
{
	struct deploys	*d = s->data;

	if (d == NULL)
		return;
	if (d->pid > 0) {
		deploys_kill(d);
		child_forget(d->pid);
	}
	deploys_close(d);
	sbuf_free(&d->outbuf);
	sbuf_free(&d->errbuf);
	argv_free(d->argv);
	free(d);
	s->data = NULL;
}

const struct backend_ops deploys_backend_ops = {
	.kind = "deploys",
	.feeds = FEED_BIT(FEED_DEPLOYS),
	.start = deploys_start,
	.refresh = deploys_refresh,
	.act = NULL,
	.stop = deploys_stop,
};
