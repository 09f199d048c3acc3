/* term.c: the action terminal (see term.h): the child on a pty, its bytes
 * into views/termdraw.c, keys back out, the pane over the lower half of the
 * screen, and the audit lines around the run. The pty master is
 * non-blocking and close-on-exec and watched by the loop; the child is
 * started and reaped by core/child.c, in a session of its own, so
 * that a hang-up of the console's terminal does not reach it. sitrep passes
 * the hang-up on itself (term_hangup): to a shell, and to a child that
 * waits for the keyboard, since nobody is left to answer either. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "actions/actlog.h"
#include "actions/plan.h"
#include "core/child.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "views/draw.h"
#include "views/term.h"
#include "views/termdraw.h"
#include "views/ui.h"

#define TERM_SCROLLBACK		5000	/* lines kept */
#define TERM_READ_BUDGET	(256 << 10)	/* bytes read per turn */
#define TERM_OUTQ_MAX		(1 << 20)	/* unsent key bytes kept */
#define TERM_SHUTDOWN_MS	3000	/* a hung-up child's grace */
#define TERM_EOF_EVERY_MS	500	/* after a hang-up: EOF for each read */

struct term {
	struct ui	*app;
	struct termdraw	*td;
	char		*title;
	struct actlog	*log;
	bool		 shell;		/* an interactive shell, not an action */
	const char	*why;		/* for the end line: a hang-up ended it */
	struct loop_timer *eof_timer;	/* hung up: EOF to whoever reads */
	struct loop_timer *kill_timer;	/* hung up: SIGKILL if still there */
	pid_t		 pid;		/* -1 once reaped */
	int		 master;	/* -1 once closed */
	struct sbuf	 outq;		/* bytes for the child */
	int64_t		 started, ended;
	int		 status;
	bool		 exited;
	bool		 focused;
	bool		 zoom;
	bool		 hidden;	/* put away for a pane it covered */
	bool		 raw;
	size_t		 back;		/* lines scrolled back */
};

static struct term	*term;

/* --- the terminal's input mode ------------------------------------------ */

/* noraw() turns XON/XOFF back on; the console keeps it off (C-s would
 * stop the screen until C-q, tui/screen.c), and tells curses. */
static void
term_no_flow_control(void)
{
	struct termios	t;

	if (tcgetattr(STDOUT_FILENO, &t) == 0 &&
	    (t.c_iflag & (IXON | IXOFF)) != 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDOUT_FILENO, TCSANOW, &t);
	}
	def_prog_mode();
}

/* While keys go to a running child, Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-S are
 * its, not signals for the console. */
static void
term_set_raw(bool on)
{
	if (term == NULL || term->raw == on || actlog_headless())
		return;
	term->raw = on;
	if (on)
		raw();
	else {
		noraw();
		cbreak();
		term_no_flow_control();
	}
}

/* One thing has the keyboard: the terminal taking it shows it (it comes
 * back if it was put away, and an overlay over it closes); giving it back
 * unzooms it, so that the pane that gets the keys is on the screen. */
static void
term_focus(bool on)
{
	struct ui	*app;

	if (term == NULL)
		return;
	app = term->app;
	term->focused = on;
	if (on) {
		term->hidden = false;
		if (app->overlay != OVERLAY_NONE) {
			app->overlay = OVERLAY_NONE;
			detail_clear(&app->detail);
		}
	} else
		term->zoom = false;
	term_set_raw(on && !term->exited);
	ui_dirty(app);
}

/* --- the pty ------------------------------------------------------------- */

static void	on_pty(int, short, void *);
static void	term_scroll(long);

static void
term_close_master(void)
{
	if (term->master == -1)
		return;
	loop_unwatch(term->master);
	close(term->master);
	term->master = -1;
}

static void
term_flush(void)
{
	ssize_t	n;

	while (term->outq.len > 0 && term->master != -1) {
		n = write(term->master, term->outq.s, term->outq.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			sbuf_reset(&term->outq);	/* the child is gone */
			break;
		}
		memmove(term->outq.s, term->outq.s + n, term->outq.len - n);
		term->outq.len -= (size_t)n;
		term->outq.s[term->outq.len] = '\0';
	}
	if (term->master != -1)
		loop_watch(term->master, POLLIN | (term->outq.len > 0 ?
		    POLLOUT : 0), on_pty, term);
}

/* Bytes libvterm answers with: keys, replies to the child's queries. */
static void
on_vterm_output(const char *s, size_t len, void *arg)
{
	if (term == NULL || term->master == -1 || term->exited)
		return;
	if (term->outq.len + len > TERM_OUTQ_MAX)
		return;		/* the child reads nothing: drop, never block */
	sbuf_add(&term->outq, s, len);
	term_flush();
}

static void
on_damage(void *arg)
{
	if (term != NULL)
		ui_dirty(term->app);
}

static void
on_pty(int fd, short revents, void *arg)
{
	char	buf[16384];
	ssize_t	n;
	size_t	total = 0;

	if (revents & POLLOUT)
		term_flush();
	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return;
	while (total < TERM_READ_BUDGET && term->master != -1) {
		n = read(fd, buf, sizeof buf);
		if (n > 0) {
			termdraw_write(term->td, buf, (size_t)n);
			total += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* EOF or EIO: every holder of the other side is gone. */
		term_close_master();
	}
}

/* --- the pane ------------------------------------------------------------- */

/* The pane's rows: the lower half, or everything between the header and
 * the status line when zoomed. The first row is its title. */
static void
term_area(struct ui *app, int *y, int *h)
{
	int	avail = app->rows - 2;

	if (term->zoom) {
		*y = 1;
		*h = avail;
	} else {
		*y = 1 + avail / 2;
		*h = avail - avail / 2;
	}
	if (*h < 2)
		*h = 2;
}

/* Make the vterm and the child's window the pane's size. */
static void
term_fit(int rows, int cols)
{
	struct winsize	ws;
	int		r, c;

	termdraw_size(term->td, &r, &c);
	if (r == rows && c == cols)
		return;
	termdraw_resize(term->td, rows, cols);
	if (term->master == -1)
		return;
	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	ioctl(term->master, TIOCSWINSZ, &ws);
}

static void
term_free(void)
{
	if (term == NULL)
		return;
	loop_timer_cancel(&term->eof_timer);
	loop_timer_cancel(&term->kill_timer);
	if (term->pid > 0)
		child_forget(term->pid);
	term_set_raw(false);
	term_close_master();
	termdraw_free(term->td);
	sbuf_free(&term->outq);
	free(term->title);
	free(term);
	term = NULL;
}

static void
status_words(char *buf, size_t len)
{
	char	dur[16];
	int64_t	ms = (term->exited ? term->ended : loop_now_ms()) -
		    term->started;

	duration_format(dur, sizeof dur, ms / 1000);
	if (!term->exited)
		snprintf(buf, len, "running %s", dur);
	else if (WIFSIGNALED(term->status))
		snprintf(buf, len, "killed by signal %d after %s",
		    WTERMSIG(term->status), dur);
	else
		snprintf(buf, len, "exited %d after %s",
		    WEXITSTATUS(term->status), dur);
}

/* The first key bound to command in table, for hints. */
static const char *
key_for(struct ui *app, const char *table, const char *command)
{
	size_t	i;

	for (i = 0; i < app->keys.n; i++) {
		if (strcmp(app->keys.v[i].table, table) == 0 &&
		    strcmp(app->keys.v[i].command, command) == 0)
			return (keymap_key_name(app->keys.v[i].key));
	}
	return (NULL);
}

/* The title row: what runs on the left (clipped when long), how it is
 * doing and the keys on the right (always shown). */
static void
term_draw_title(struct ui *app, int y)
{
	struct sbuf	 right;
	char		 st[64], *left;
	const char	*k;
	int		 style = term->focused ? DRAW_TITLE_FOCUS : DRAW_TITLE;
	int		 w;

	status_words(st, sizeof st);
	sbuf_init(&right);
	sbuf_addf(&right, "%s", st);
	if (term->back > 0)
		sbuf_addf(&right, "  [%zu lines back]", term->back);
	if (term->focused && !term->exited) {
		if ((k = key_for(app, "term", "term-leave")) != NULL)
			sbuf_addf(&right, "  %s console", k);
		if ((k = key_for(app, "term", "term-zoom")) != NULL)
			sbuf_addf(&right, "  %s zoom", k);
	} else if (term->focused)
		sbuf_adds(&right, "  q close  z zoom  k/j scroll");
	else if ((k = key_for(app, "global", "term")) != NULL)
		sbuf_addf(&right, "  %s terminal", k);
	sbuf_addc(&right, ' ');
	left = xasprintf("%s%s", term->focused ? (draw_utf8() ?
	    "\xe2\x96\xb6 " : "> ") : "  ", term->title);
	w = (int)sanitize_width(right.s, right.len);
	if (w > app->cols - 8)
		w = app->cols - 8;
	draw_fill(y, 0, app->cols, style);
	draw_text(y, 0, app->cols - w - 2, style, left);
	draw_text_right(y, app->cols - w, w, style, right.s);
	free(left);
	sbuf_free(&right);
}

/* Is the terminal's pane on the screen? */
static bool
term_shown(struct ui *app)
{
	return (term != NULL && !term->hidden &&
	    app->overlay == OVERLAY_NONE && app->rows >= UI_MIN_ROWS &&
	    app->cols >= UI_MIN_COLS);
}

int
term_top(struct ui *app)
{
	int	y, h;

	if (!term_shown(app))
		return (app->rows);
	term_area(app, &y, &h);
	return (y);
}

bool
term_has_focus(struct ui *app)
{
	return (term != NULL && term->focused && term_shown(app));
}

void
term_release(struct ui *app)
{
	if (term != NULL && term->focused)
		term_focus(false);
}

bool
term_put_away(const char **title)
{
	if (term == NULL || !term->hidden)
		return (false);
	if (title != NULL)
		*title = term->title;
	return (true);
}

void
term_hide(struct ui *app)
{
	if (term == NULL || term->hidden)
		return;
	term_focus(false);
	term->hidden = true;
	ui_dirty(app);
}

void
term_mouse(struct ui *app, bool press, long wheel)
{
	if (!term_shown(app))
		return;
	if (wheel != 0)
		term_scroll(-wheel);
	else if (press && !term->focused)
		term_focus(true);
}

void
term_paint(struct ui *app)
{
	int	y, h;

	if (term_shown(app)) {
		term_area(app, &y, &h);
		term_fit(h - 1, app->cols);
		if (term->back > termdraw_scrollback(term->td))
			term->back = termdraw_scrollback(term->td);
		term_draw_title(app, y);
		termdraw_draw(term->td, y + 1, 0, h - 1, app->cols, term->back,
		    app->color);
	}
}

bool
term_place_cursor(struct ui *app)
{
	int	y, h, row, col;
	bool	visible;

	if (term == NULL || !term->focused || term->exited || term->back > 0 ||
	    app->overlay != OVERLAY_NONE || app->prompt.active ||
	    app->ask.active || app->rows < UI_MIN_ROWS ||
	    app->cols < UI_MIN_COLS)
		return (false);
	termdraw_cursor(term->td, &row, &col, &visible);
	if (!visible)
		return (false);
	term_area(app, &y, &h);
	if (row >= h - 1 || col >= app->cols)
		return (false);
	leaveok(stdscr, FALSE);
	curs_set(1);
	move(y + 1 + row, col);
	return (true);
}

/* --- running ------------------------------------------------------------ */

static void
on_child_exit(pid_t pid, int status, void *arg)
{
	char	*err = NULL, st[64];

	if (term == NULL || term->pid != pid)
		return;
	term->pid = -1;
	term->exited = true;
	term->status = status;
	term->ended = loop_now_ms();
	loop_timer_cancel(&term->eof_timer);
	loop_timer_cancel(&term->kill_timer);
	term_set_raw(false);
	status_words(st, sizeof st);
	if (term->log != NULL &&
	    !actlog_end_process(term->log, status, term->why, &err)) {
		ui_message(term->app, true, "%s: %s (%s)", term->title, st,
		    err);
		free(err);
	} else
		ui_message(term->app, !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0, "%s: %s", term->title, st);
	term->log = NULL;
}

bool
term_busy(const char **what)
{
	if (term == NULL || term->exited)
		return (false);
	if (what != NULL)
		*what = term->title;
	return (true);
}

bool
term_start(struct ui *app, const struct plan *spec, char **err)
{
	struct actlog	*log;
	char		*logerr = NULL;
	int		 y, h, master;
	pid_t		 pid;

	if (term_busy(NULL)) {
		*err = xasprintf("the action terminal is busy with %s",
		    term->title);
		return (false);
	}
	term_free();	/* an ended run's pane gives way */
	if ((log = actlog_start(spec->action, spec->target, spec->environment,
	    spec->argv, NULL, err)) == NULL)
		return (false);

	term = xcalloc(1, sizeof *term);
	term->app = app;
	term->master = -1;
	term->pid = -1;
	sbuf_init(&term->outq);
	term_area(app, &y, &h);
	if ((pid = child_spawn_pty(spec->argv, &spec->env, h - 1, app->cols,
	    &master)) == -1) {
		*err = xasprintf("cannot start %s: %s", spec->argv[0],
		    strerror(errno));
		if (!actlog_end_process(log, W_EXITCODE(127, 0), *err,
		    &logerr))
			free(logerr);
		sbuf_free(&term->outq);
		free(term);
		term = NULL;
		return (false);
	}
	term->log = log;
	term->shell = strcmp(spec->action, "shell") == 0;
	term->pid = pid;
	term->master = master;
	term->title = xstrdup(spec->title);
	term->started = loop_now_ms();
	term->td = termdraw_new(h - 1, app->cols, TERM_SCROLLBACK);
	termdraw_on_damage(term->td, on_damage, NULL);
	termdraw_on_output(term->td, on_vterm_output, NULL);
	loop_watch(master, POLLIN, on_pty, term);
	child_watch(pid, on_child_exit, NULL);
	term_focus(true);
	return (true);
}

/* --- a hang-up ------------------------------------------------------------ */

static void
term_kill_now(void *arg)
{
	term->kill_timer = NULL;
	if (!term->exited && term->pid > 0) {
		log_msg("hang-up: %s ignored SIGHUP; killing it", term->title);
		kill(-term->pid, SIGKILL);
	}
}

/* Hang the child up as a closed terminal would: SIGHUP to its process
 * group, the pty closed (its reads end, its writes fail), and SIGKILL
 * after a grace. It is reaped, and its end recorded, as usual. */
static void
term_hang_child(const char *why)
{
	term->why = why;
	kill(-term->pid, SIGHUP);
	term_close_master();
	loop_timer_cancel(&term->eof_timer);
	if (term->kill_timer == NULL)
		term->kill_timer = loop_timer_add(TERM_SHUTDOWN_MS,
		    term_kill_now, NULL);
}

/*
 * An action that is asked something after a hang-up must not wait for an
 * answer that cannot come: while its terminal reads lines (ICANON), each
 * read gets end-of-file (the VEOF character, as a user's Ctrl-D), and one
 * that writes only never notices. A terminal in raw mode belongs to a
 * program driven key by key (an editor, a pager): it is hung up.
 */
static void
term_send_eof(void *arg)
{
	struct termios	t;
	char		eof;

	term->eof_timer = NULL;
	if (term->exited || term->master == -1)
		return;
	if (tcgetattr(term->master, &t) == -1)
		return;		/* its side is gone: it is ending */
	if (!(t.c_lflag & ICANON)) {
		term_hang_child("the console's terminal hung up while it read "
		    "the keyboard (raw mode): hung up");
		return;
	}
	eof = (char)t.c_cc[VEOF];
	sbuf_reset(&term->outq);	/* keys nobody will see typed */
	if (write(term->master, &eof, 1) == -1 && errno != EAGAIN)
		log_msg("hang-up: %s: cannot send EOF: %s", term->title,
		    strerror(errno));
	term->eof_timer = loop_timer_add(TERM_EOF_EVERY_MS, term_send_eof,
	    NULL);
}

void
term_hangup(void)
{
	if (term == NULL || term->exited || term->pid <= 0 ||
	    term->why != NULL)
		return;
	term->focused = false;
	if (term->shell) {
		log_msg("hang-up: hanging up %s", term->title);
		term_hang_child("the console's terminal hung up: so was the "
		    "shell");
		return;
	}
	log_msg("hang-up: %s runs on; its reads get end-of-file",
	    term->title);
	term->why = "the console's terminal hung up while it ran; its "
	    "keyboard reads got end-of-file";
	term_send_eof(NULL);
}

void
term_shutdown(void)
{
	int64_t	deadline;
	int	status = 0;
	pid_t	r = 0, pid;
	char	*err = NULL;

	if (term == NULL)
		return;
	if (!term->exited && term->pid > 0) {
		pid = term->pid;
		/* Hang up its session as a closed terminal would. */
		kill(-pid, SIGHUP);
		term_close_master();
		deadline = loop_now_ms() + TERM_SHUTDOWN_MS;
		while ((r = waitpid(pid, &status, WNOHANG)) == 0 &&
		    loop_now_ms() < deadline)
			nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
		if (r == 0) {
			kill(-pid, SIGKILL);
			r = waitpid(pid, &status, 0);
		}
		if (r != pid)
			status = W_EXITCODE(127, 0);
		if (term->log != NULL)
			actlog_end_process(term->log, status, actlog_headless() ?
			    "still running when the hang-up wait ran out: hung "
			    "up" : "sitrep quit while it ran", &err);
		free(err);
		term->log = NULL;
		term->pid = -1;
	}
	term_free();
}

/* --- keys ------------------------------------------------------------- */

/* The command bound to key in the "term" table alone (no fallback). */
static const char *
term_binding(struct ui *app, int key)
{
	size_t	i;

	key = keymap_key_canonical(key);
	for (i = 0; i < app->keys.n; i++) {
		if (app->keys.v[i].key == key &&
		    strcmp(app->keys.v[i].table, "term") == 0)
			return (app->keys.v[i].command);
	}
	return (NULL);
}

static void
term_scroll(long delta)
{
	long	back = (long)term->back + delta;
	long	max = (long)termdraw_scrollback(term->td);

	if (back < 0)
		back = 0;
	if (back > max)
		back = max;
	term->back = (size_t)back;
	ui_dirty(term->app);
}

static long
term_page(void)
{
	int	rows, cols;

	termdraw_size(term->td, &rows, &cols);
	return (rows > 2 ? rows - 1 : 1);
}

static void	term_close(struct ui *);

/* After the child ended, console keys mean the same for the terminal:
 * close or quit closes it, zoom zooms it, movement scrolls it. */
static bool
term_console_key(struct ui *app, const char *cmd)
{
	if (strcmp(cmd, "close") == 0 || strcmp(cmd, "quit") == 0)
		term_close(app);
	else if (strcmp(cmd, "zoom") == 0) {
		term->zoom = !term->zoom;
		ui_dirty(app);
	} else if (strcmp(cmd, "up") == 0)
		term_scroll(1);
	else if (strcmp(cmd, "down") == 0)
		term_scroll(-1);
	else if (strcmp(cmd, "page-up") == 0)
		term_scroll(term_page());
	else if (strcmp(cmd, "page-down") == 0)
		term_scroll(-term_page());
	else if (strcmp(cmd, "top") == 0)
		term_scroll(1L << 30);
	else if (strcmp(cmd, "bottom") == 0)
		term_scroll(-(1L << 30));
	else
		return (false);
	return (true);
}

bool
term_key(struct ui *app, int key)
{
	const char	*cmd;

	if (!term_has_focus(app))
		return (false);
	if ((cmd = term_binding(app, key)) != NULL) {
		if (!ui_run(app, cmd))
			ui_message(app, true, "unknown command \"%s\"", cmd);
		return (true);
	}
	if (!term->exited) {
		term->back = 0;		/* typing shows the live screen */
		termdraw_key(term->td, key);
		return (true);
	}
	cmd = keymap_lookup(&app->keys, "global", key);
	if (cmd != NULL && term_console_key(app, cmd))
		return (true);
	/* Any other key belongs to the console again. */
	term_focus(false);
	return (false);
}

/* --- commands ------------------------------------------------------------ */

static void
quit_anyway(struct ui *app, void *arg)
{
	loop_quit(0);
}

bool
term_confirm_quit(struct ui *app)
{
	static const struct ask_choice	quit[] = {
		{ 'y', "y quits and hangs it up", quit_anyway },
	};
	struct ask_spec			spec;
	const char			*what = NULL;
	char				*q;

	if (actlog_running() == 0)
		return (false);
	if (term_busy(&what))
		q = xasprintf("%s is still running.", what);
	else
		q = xasprintf("%zu action%s still in flight.", actlog_running(),
		    actlog_running() == 1 ? " is" : "s are");
	memset(&spec, 0, sizeof spec);
	spec.question = q;
	spec.choices = quit;
	spec.n = 1;
	spec.cancelled = "quit cancelled: the action goes on";
	ui_ask(app, &spec);
	free(q);
	return (true);
}

static void
term_close(struct ui *app)
{
	if (term == NULL)
		return;
	if (!term->exited) {
		ui_message(app, true, "close the action terminal: %s is still "
		    "running", term->title);
		return;
	}
	term_free();
	ui_dirty(app);
}

static void
cmd_term(struct ui *app, struct pane *pane, const char *args)
{
	if (term == NULL) {
		ui_message(app, false, "no action terminal: r rolls a deploy "
		    "back, b runs an alert's runbook, ! opens a shell");
		return;
	}
	app->overlay = OVERLAY_NONE;
	term_focus(true);
}

static void
cmd_term_leave(struct ui *app, struct pane *pane, const char *args)
{
	term_focus(false);
}

static void
cmd_term_close(struct ui *app, struct pane *pane, const char *args)
{
	term_close(app);
}

static void
cmd_term_zoom(struct ui *app, struct pane *pane, const char *args)
{
	if (term == NULL)
		return;
	term->zoom = !term->zoom;
	ui_dirty(app);
}

static void
cmd_term_scroll_up(struct ui *app, struct pane *pane, const char *args)
{
	if (term != NULL)
		term_scroll(term_page() / 2 + 1);
}

static void
cmd_term_scroll_down(struct ui *app, struct pane *pane, const char *args)
{
	if (term != NULL)
		term_scroll(-(term_page() / 2 + 1));
}

const struct command term_commands[] = {
	{ "term", NULL, "focus the action terminal (rollbacks, runbooks, "
	  "the shell)", cmd_term },
	{ "term-leave", NULL, "return from the action terminal to the "
	  "console; it keeps running", cmd_term_leave },
	{ "term-close", NULL, "close the action terminal once its command "
	  "has ended", cmd_term_close },
	{ "term-zoom", NULL, "zoom the action terminal to full screen and "
	  "back", cmd_term_zoom },
	{ "term-scroll-up", NULL, "scroll the action terminal back by half a "
	  "page", cmd_term_scroll_up },
	{ "term-scroll-down", NULL, "scroll the action terminal forward by "
	  "half a page", cmd_term_scroll_down },
	{ NULL, NULL, NULL, NULL }
};
