/* statusupd.c: a status update in two keys. `status-update` (u) composes
 * one from what the console knows (actions/status.h), shows it over the
 * panes and asks what to do with it: c copies it to the clipboard of the
 * terminal you sit at (OSC 52), p posts it to the selected PagerDuty
 * incident as a status update, n adds it as a note, e edits it first (on
 * the status line, or in $VISUAL/$EDITOR run in the action terminal,
 * without a shell). After each, the same question comes back, so that any
 * of them can follow, the question saying what the last one did; Escape
 * ends it and says what was done, the posts and notes first, then the
 * copy, the advice on OSC 52 last (cut first on a narrow screen). What is sent
 * goes into the timeline (and, through the action road, the audit log; a
 * copy has audit lines of its own). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/actconf.h"
#include "actions/actions.h"
#include "actions/actlog.h"
#include "actions/plan.h"
#include "actions/status.h"
#include "backends/backend.h"
#include "backends/source.h"
#include "core/argv.h"
#include "core/audit.h"
#include "core/base64.h"
#include "core/log.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeline.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "views/draw.h"
#include "views/statusupd.h"
#include "views/term.h"
#include "views/timeline.h"
#include "views/ui.h"

#define EDIT_ACTION	"edit-status-update"

/* The update being composed; one at a time. */
static struct {
	bool	 active;
	char	*text;
	char	*source;	/* the selected incident's source, or NULL */
	char	*id;
	char	*file;		/* being edited in $EDITOR */
	struct sbuf done;	/* "posted on PT1; noted on PT1" */
	bool	 copied;	/* with OSC 52 */
	char	*last;		/* what the last key did: "posted on PT1" */
	char	*answer;	/* the source's last word on a post or note */
	bool	 recorded;	/* this text is in the timeline */
} su;

static void	show(struct ui *);

static void
su_clear(void)
{
	if (su.file != NULL)
		unlink(su.file);
	free(su.text);
	free(su.source);
	free(su.id);
	free(su.file);
	free(su.answer);
	free(su.last);
	if (su.done.s != NULL)
		sbuf_free(&su.done);
	memset(&su, 0, sizeof su);
}

static struct source *
su_source(struct ui *app, enum action_kind kind)
{
	struct source	*s;

	if (su.source == NULL)
		return (NULL);
	s = source_find(app->sources, app->nsources, su.source);
	return (s != NULL && source_can(s, kind) ? s : NULL);
}

static void	said(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A post or a note done with this update, for the overlay, the question
 * and the last word. */
static void
said(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (su.done.len > 0)
		sbuf_adds(&su.done, "; ");
	sbuf_adds(&su.done, s);
	free(su.last);
	su.last = s;
}

static const char	*osc52_note(void);

/* All that was done, the posts and notes first: "posted on PT1; copied
 * with OSC 52", with note the terminal's advice on OSC 52 last, in
 * brackets. NULL if nothing was. */
static char *
done_text(bool note)
{
	const char	*sep = su.done.len > 0 ? "; " : "";

	if (!su.copied)
		return (su.done.len > 0 ? xstrdup(su.done.s) : NULL);
	return (xasprintf("%s%scopied with OSC 52%s%s%s", su.done.len > 0 ?
	    su.done.s : "", sep, note ? " (" : "", note ? osc52_note() : "",
	    note ? ")" : ""));
}

/* Into the timeline, once per text; how is what was done with it. */
static void
record(struct ui *app, const char *how)
{
	struct timeline	*tl = tlview_timeline();
	struct tl_event	 ev;
	char		*key, *line, *inc = NULL, *w = NULL;

	if (tl == NULL || su.recorded)
		return;
	memset(&ev, 0, sizeof ev);
	ev.t_ms = time_wall_ns() / 1000000;
	key = xasprintf("status|%lld|%d", (long long)ev.t_ms, (int)getpid());
	line = status_one_line(su.text);
	if (su.source != NULL) {
		inc = xasprintf("%s/%s", su.source, su.id);
		ev.environment = (char *)model_source_env(app->model,
		    su.source);
	} else
		ev.environment = app->model->shown_env;
	ev.kind = (char *)TL_STATUS_UPDATE;
	ev.key = key;
	ev.incident = inc;
	ev.who = (char *)audit_user();
	ev.text = line;
	ev.result = (char *)how;
	timeline_add(tl, &ev, &w);
	if (w != NULL) {
		ui_message(app, true, "%s", w);
		free(w);
	}
	su.recorded = true;
	free(key);
	free(line);
	free(inc);
}

/* The action road's words, on the status line, and in the overlay's list
 * of what was done. */
static void	fill(struct ui *);

static void
road_say(void *ctx, bool error, const char *msg)
{
	struct ui	*app = ctx;

	ui_message(app, error, "%s", msg);
	/* The question covers the status line: say it in the overlay too. */
	if (su.active && app->overlay == OVERLAY_STATUS_UPDATE) {
		xstrset(&su.answer, msg);
		fill(app);
		ui_dirty(app);
	}
}

static void
send(struct ui *app, enum action_kind kind)
{
	struct source	*s = su_source(app, kind);
	struct action	 a;
	char		*key, *what;

	if (s == NULL) {
		ui_message(app, true, "status update: %s", su.source == NULL ?
		    "select an incident first" : kind == ACTION_STATUS_UPDATE ?
		    "only PagerDuty incidents take status updates" :
		    "its source takes no notes");
		show(app);
		return;
	}
	memset(&a, 0, sizeof a);
	a.kind = kind;
	a.target = su.id;
	a.text = su.text;
	key = xasprintf("%s/%s", su.source, su.id);
	what = xasprintf(kind == ACTION_NOTE ? "add the status update to %s "
	    "as a note" : "post the status update on %s", su.id);
	actions_run(s, key, &a, what, road_say, app);
	if (kind == ACTION_NOTE)
		said("noted on %s", su.id);
	else
		said("posted on %s", su.id);
	record(app, kind == ACTION_NOTE ? "note" : "posted");
	free(key);
	free(what);
	show(app);
}

static void
do_post(struct ui *app, void *arg)
{
	send(app, ACTION_STATUS_UPDATE);
}

static void
do_note(struct ui *app, void *arg)
{
	send(app, ACTION_NOTE);
}

/* What the terminal may do with OSC 52, in one line. */
static const char *
osc52_note(void)
{
	const char	*term = getenv("TERM");

	if (getenv("TMUX") != NULL)
		return ("through tmux, which passes it on with set -g "
		    "set-clipboard on");
	if (term != NULL && (strncmp(term, "linux", 5) == 0 ||
	    strncmp(term, "screen", 6) == 0))
		return ("this terminal may not allow it");
	return ("a terminal that does not allow it ignores it");
}

static void
do_copy(struct ui *app, void *arg)
{
	char		*enc = base64_encode(su.text, strlen(su.text));
	char		*seq, *err = NULL, *target;
	struct actlog	*log;
	bool		 ok;

	target = su.id != NULL ? xasprintf("%s/%s", su.source, su.id) :
	    xstrdup("");
	log = actlog_start("status-update", target, NULL, NULL,
	    "copy to the clipboard (OSC 52)", &err);
	free(target);
	if (log == NULL) {
		ui_message(app, true, "status update not copied: %s", err);
		free(err);
		free(enc);
		show(app);
		return;
	}
	seq = xasprintf("\033]52;c;%s\a", enc);
	fflush(stdout);
	ok = write(STDOUT_FILENO, seq, strlen(seq)) == (ssize_t)strlen(seq);
	if (!actlog_end_http(log, 0, ok ? NULL : strerror(errno), &err))
		free(err);
	if (ok) {
		su.copied = true;
		xstrset(&su.last, "copied with OSC 52");
		record(app, "copied");
	} else
		ui_message(app, true, "status update: could not write to the "
		    "terminal");
	free(seq);
	free(enc);
	show(app);
}

static void
line_edited(struct ui *app, const char *text, void *arg)
{
	if (text != NULL && *text != '\0') {
		free(su.text);
		su.text = status_lines(text);
		su.recorded = false;
		xstrset(&su.last, "edited");
	}
	show(app);
}

static void
edit_here(struct ui *app, void *arg)
{
	char	*line = status_one_line(su.text);

	ui_prompt(app, "status update (\" | \" between lines): ", line,
	    line_edited, NULL);
	free(line);
}

/* $VISUAL, else $EDITOR, else vi, split as words (no shell), then the
 * file. */
static char **
editor_argv(const char *file, char **err)
{
	const char	*ed = getenv("VISUAL");
	char		**argv;
	size_t		  n;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	if ((argv = argv_split(ed, err)) == NULL)
		return (NULL);
	for (n = 0; argv[n] != NULL; n++)
		;
	if (n == 0) {
		free(argv);
		*err = xstrdup("$EDITOR is empty");
		return (NULL);
	}
	argv = xreallocarray(argv, n + 2, sizeof *argv);
	argv[n] = xstrdup(file);
	argv[n + 1] = NULL;
	return (argv);
}

static void
edit_editor(struct ui *app, void *arg)
{
	struct plan	*p;
	char		*path, *err = NULL;
	int		 fd;

	path = log_state_path("status-update-XXXXXX");
	log_make_parents(path);
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, su.text, strlen(su.text)) != (ssize_t)strlen(su.text) ||
	    write(fd, "\n", 1) != 1) {
		ui_message(app, true, "status update: cannot write %s: %s",
		    path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(path);
		}
		free(path);
		show(app);
		return;
	}
	close(fd);
	p = xcalloc(1, sizeof *p);
	p->action = xstrdup(EDIT_ACTION);
	p->title = xstrdup("edit the status update");
	p->target = su.id != NULL ? xasprintf("%s/%s", su.source, su.id) :
	    xstrdup("");
	if ((p->argv = editor_argv(path, &err)) == NULL ||
	    !term_start(app, p, &err)) {
		ui_message(app, true, "status update: editor not started: %s",
		    err);
		free(err);
		unlink(path);
		free(path);
		plan_free(p);
		show(app);
		return;
	}
	plan_free(p);
	xstrset(&su.file, path);
	free(path);
}

void
statusupd_action_ended(struct ui *app, const char *action, bool ok)
{
	FILE	*f;
	char	 buf[65536];
	size_t	 n;

	if (!su.active || su.file == NULL || strcmp(action, EDIT_ACTION) != 0)
		return;
	if (ok && (f = fopen(su.file, "r")) != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		buf[n] = '\0';
		if (n > 0) {
			free(su.text);
			su.text = xstrdup(buf);
			su.recorded = false;
			xstrset(&su.last, "edited");
		}
	} else
		ui_message(app, true, "status update: the editor failed; the "
		    "text is as it was");
	unlink(su.file);
	free(su.file);
	su.file = NULL;
	show(app);
}

static void
reshow(struct ui *app, void *arg)
{
	show(app);
}

static void
do_edit(struct ui *app, void *arg)
{
	static const struct ask_choice	 c[] = {
		{ 's', "s on the status line", edit_here },
		{ 'v', "v in $VISUAL/$EDITOR", edit_editor },
	};
	struct ask_spec			 spec;

	memset(&spec, 0, sizeof spec);
	spec.question = "Edit the status update:";
	spec.choices = c;
	spec.n = 2;
	spec.cancelled = "status update: not edited";
	spec.cancel = reshow;
	ui_ask(app, &spec);
}

static void
on_close(struct ui *app, void *arg)
{
	su_clear();
}

/* The text over the panes. */
static void
fill(struct ui *app)
{
	struct detail	*d = &app->detail;
	const char	*p, *nl;
	char		*done;

	detail_clear(d);
	d->title = xasprintf("Status update%s%s", su.id != NULL ? " on " : "",
	    su.id != NULL ? su.id : "");
	for (p = su.text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		detail_add(d, DRAW_BOLD, "%.*s", (int)(nl - p), p);
	}
	detail_add(d, DRAW_NORMAL, "%s", "");
	if ((done = done_text(false)) != NULL) {
		detail_add(d, DRAW_OK, "done: %s", done);
		free(done);
	}
	if (su.copied)
		detail_add(d, DRAW_DIM, "OSC 52: %s", osc52_note());
	if (su.answer != NULL)
		detail_add(d, DRAW_NORMAL, "%s", su.answer);
	detail_add(d, DRAW_DIM, "c copies it (OSC 52), p posts it to "
	    "PagerDuty, n adds it as a note, e edits it; Esc ends");
	app->overlay = OVERLAY_STATUS_UPDATE;
}

/* The text over the panes, and the question. */
static void
show(struct ui *app)
{
	static struct ask_choice	 c[4];
	struct ask_spec			 spec;
	char				*cancelled, *question, *done;
	size_t				 n = 0;

	if (!su.active)
		return;
	fill(app);
	c[n++] = (struct ask_choice){ 'c', "c copy", do_copy };
	if (su_source(app, ACTION_STATUS_UPDATE) != NULL)
		c[n++] = (struct ask_choice){ 'p', "p post", do_post };
	if (su_source(app, ACTION_NOTE) != NULL)
		c[n++] = (struct ask_choice){ 'n', "n note", do_note };
	c[n++] = (struct ask_choice){ 'e', "e edit", do_edit };
	done = done_text(true);
	cancelled = done != NULL ? xasprintf("status update %s", done) :
	    xstrdup("status update: nothing sent");
	free(done);
	/* What the last key did, where the eye is (the question covers the
	 * status line): "Posted on demo-1. Status update:". */
	question = su.last != NULL ? xasprintf("%c%s. Status update:",
	    toupper((unsigned char)*su.last), su.last + 1) :
	    xstrdup("Status update:");
	memset(&spec, 0, sizeof spec);
	spec.question = question;
	spec.choices = c;
	spec.n = n;
	spec.cancelled = cancelled;
	spec.cancel = on_close;
	spec.owns_overlay = true;
	ui_ask(app, &spec);
	free(cancelled);
	free(question);
}

void
statusupd_command(struct ui *app, struct pane *pane, const char *args)
{
	struct status_facts	 f;
	const struct alert	*a = ui_selected_alert(app);

	if (su.active && su.file != NULL) {
		ui_message(app, true, "status update: being edited in the "
		    "action terminal");
		return;
	}
	su_clear();
	su.active = true;
	sbuf_init(&su.done);
	if (a != NULL) {
		su.source = xstrdup(a->source);
		su.id = xstrdup(a->id);
	}
	if (args != NULL)
		su.text = xstrdup(args);
	else {
		status_facts(&f, app->model, tlview_timeline(), time_wall(),
		    app->clock_local);
		su.text = status_fill(actconf_status_template(), &f);
		status_facts_free(&f);
	}
	show(app);
}

void
statusupd_free(void)
{
	su_clear();
}
