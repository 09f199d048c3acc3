/* actions.c: every action the console sends to a source passes here, so
 * that "cannot fire twice from one intent", the result on the status line,
 * the refresh after a write and the audit log live in one place. */
#include "config.h"

#include <sys/queue.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "actions/actlog.h"
#include "backends/backend.h"
#include "backends/source.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/model.h"
#include "core/xalloc.h"

struct action_run {
	actions_say_cb		 say;
	void			*ctx;
	struct source		*source;
	char			*key;
	char			*what;
	enum action_kind	 kind;
	char			*target;	/* the record id */
	char			*text;		/* a note's */
	struct actlog		*log;		/* its audit entry */
	LIST_ENTRY(action_run)	 entry;
};

static LIST_HEAD(, action_run)	running = LIST_HEAD_INITIALIZER(running);
static actions_note_cb		note_cb;
static void			*note_arg;

void
actions_on_note(actions_note_cb fn, void *arg)
{
	note_cb = fn;
	note_arg = arg;
}

static struct action_run *
run_find(const char *key)
{
	struct action_run	*r;

	LIST_FOREACH(r, &running, entry) {
		if (strcmp(r->key, key) == 0)
			return (r);
	}
	return (NULL);
}

static const char *
kind_name(enum action_kind k)
{
	static const char *const names[] = {
		"ack", "resolve", "note", "snooze", "reassign", "silence",
		"expire-silence", "status-update"
	};

	return ((size_t)k < sizeof names / sizeof names[0] ? names[k] :
	    "action");
}

/* The audit log (actions/actlog.c): one JSON line before, fsync'd; false if
 * it cannot be written, and then the action must not be sent. */
static bool
action_begin(const char *source, const char *key, const char *what)
{
	struct action_run	*r = run_find(key);
	char			*request, *err = NULL;

	log_msg("action start: %s: %s", source, what);
	if (r == NULL)
		return (true);
	request = xasprintf("%s: %s", source, what);
	r->log = actlog_start(kind_name(r->kind), key, NULL, NULL, request,
	    &err);
	free(request);
	free(err);
	return (r->log != NULL);
}

static void
action_end(const char *source, const char *key, bool ok, long status,
    const char *result)
{
	struct action_run	*r = run_find(key);
	char			*err = NULL;

	log_msg("action %s: %s: %s", ok ? "done" : "failed", source, result);
	if (r == NULL || r->log == NULL)
		return;
	actlog_end_http(r->log, status, ok ? NULL : result,
	    &err);
	free(err);
	r->log = NULL;
}

bool
actions_busy(const char *key)
{
	return (run_find(key) != NULL);
}

static void
action_run_free(struct action_run *r)
{
	char	*err = NULL;

	/* Still in flight when sitrep quits: its end is unknown. */
	if (r->log != NULL &&
	    !actlog_end_http(r->log, 0, "sitrep quit before the answer", &err))
		free(err);
	LIST_REMOVE(r, entry);
	free(r->key);
	free(r->what);
	free(r->target);
	free(r->text);
	free(r);
}

/* Every message the user's action causes reads the same way: what was
 * asked, as the user asked it, then what became of it ("acknowledge
 * PT4KHLK failed: connection refused"); a success is the source's own
 * words ("acknowledged PT4KHLK (HTTP 200)"). */
static void
action_done(bool ok, long status, const char *message, void *arg)
{
	struct action_run	*r = arg;
	char			*failed = NULL;

	if (!ok)
		message = failed = xasprintf("%s failed: %s", r->what, message);
	action_end(r->source->name, r->key, ok, status, message);
	if (ok && r->kind == ACTION_NOTE && note_cb != NULL &&
	    r->text != NULL)
		note_cb(note_arg, r->source->name, r->target, r->text);
	r->say(r->ctx, !ok, message);
	free(failed);
	/* The pane shows the effect now, not at the next tick. */
	if (ok)
		source_refresh_now(r->source);
	action_run_free(r);
}

/* Say it through the caller's hook, formatted. */
static void
say(actions_say_cb fn, void *ctx, bool error, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	fn(ctx, error, s);
	free(s);
}

void
actions_run(struct source *s, const char *key, const struct action *a,
    const char *what, actions_say_cb fn, void *ctx)
{
	struct action_run	*r;
	char			*no;

	if (actlog_read_only()) {
		no = actlog_refusal(what);
		fn(ctx, true, no);
		free(no);
		return;
	}
	if (actions_busy(key)) {
		say(fn, ctx, true, "%s: already in progress", what);
		return;
	}
	if (!source_can(s, a->kind)) {
		say(fn, ctx, true, "%s failed: %s sources cannot do that", what,
		    s->ops->kind);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->say = fn;
	r->ctx = ctx;
	r->source = s;
	r->key = xstrdup(key);
	r->what = xstrdup(what);
	r->kind = a->kind;
	r->target = a->target != NULL ? xstrdup(a->target) : NULL;
	r->text = a->text != NULL ? xstrdup(a->text) : NULL;
	LIST_INSERT_HEAD(&running, r, entry);
	if (!action_begin(s->name, key, what)) {
		say(fn, ctx, true, "%s failed: not sent, the audit log %s "
		    "cannot be written", what, audit_path());
		action_run_free(r);
		return;
	}
	say(fn, ctx, false, "%s ...", what);
	if (!s->ops->act(s, a, action_done, r))
		action_done(false, 0, "the source cannot do that", r);
}

/* Every command that changes the world, by the name keys and the command
 * line run it with. */
static const char *const world_changing[] = {
	"acknowledge", "resolve", "note", "snooze", "reassign", "silence",
	"expire-silence", "rollback", "runbook", "shell", "status-update",
	"demo-rollback"
};

bool
actions_command_writes(const char *name)
{
	size_t	i, len = strcspn(name, " \t");

	for (i = 0; i < sizeof world_changing / sizeof world_changing[0];
	    i++) {
		if (strlen(world_changing[i]) == len &&
		    strncmp(world_changing[i], name, len) == 0)
			return (true);
	}
	return (false);
}

void
actions_free(void)
{
	while (!LIST_EMPTY(&running))
		action_run_free(LIST_FIRST(&running));
}
