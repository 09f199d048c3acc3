/* child.c: the table of children and their reaping (see child.h), and the
 * fork/exec steps every spawner shares: signals blocked across fork, the
 * child's handlers reset and its inherited descriptors closed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <pty.h>
#include <unistd.h>
#include <utmp.h>

#include "core/kvlist.h"
#include "core/xalloc.h"
#include "core/child.h"
#include "core/loop.h"

struct child {
	pid_t		 pid;
	child_exit_cb	 cb;
	void		*arg;
};

static struct child	*children;
static size_t		 nchildren;
static char		**hidden;
static size_t		 nhidden;

void
child_hide_env(const char *name)
{
	size_t	i;

	for (i = 0; i < nhidden; i++) {
		if (strcmp(hidden[i], name) == 0)
			return;
	}
	hidden = xreallocarray(hidden, nhidden + 1, sizeof *hidden);
	hidden[nhidden++] = xstrdup(name);
}

static void	child_reap(void);

void
child_watch(pid_t pid, child_exit_cb cb, void *arg)
{
	loop_set_child_handler(child_reap);
	children = xreallocarray(children, nchildren + 1, sizeof *children);
	children[nchildren].pid = pid;
	children[nchildren].cb = cb;
	children[nchildren].arg = arg;
	nchildren++;
}

void
child_forget(pid_t pid)
{
	size_t	i;

	for (i = 0; i < nchildren; i++) {
		if (children[i].pid == pid) {
			children[i].cb = NULL;
			children[i].arg = NULL;
		}
	}
}

/* Reap what has exited; the loop calls this on SIGCHLD. */
static void
child_reap(void)
{
	struct child	c;
	size_t		i = 0;
	pid_t		r;
	int		status;

	while (i < nchildren) {
		do
			r = waitpid(children[i].pid, &status, WNOHANG);
		while (r == -1 && errno == EINTR);
		if (r == 0) {
			i++;
			continue;
		}
		/* Exited (or ECHILD: not ours any more): drop it first, so
		 * that the callback may start another child. */
		c = children[i];
		children[i] = children[--nchildren];
		if (r == -1)
			status = W_EXITCODE(127, 0);
		if (c.cb != NULL)
			c.cb(c.pid, status, c.arg);
		i = 0;		/* the table may have changed */
	}
}

/* Every signal blocked around a fork (the child unblocks); restore with
 * the old mask. */
static void
child_block_signals(sigset_t *old)
{
	sigset_t	all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void
child_restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* In a forked child, before exec: default handling for every signal,
 * nothing blocked, every descriptor above keep closed, the hidden variables
 * unset. Every child sitrep starts passes here. */
static void
prepare_exec(int keep)
{
	struct sigaction	sa;
	sigset_t		none;
	size_t			i;
	int			sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	closefrom(keep + 1);
	for (i = 0; i < nhidden; i++)
		unsetenv(hidden[i]);
}

/* In a forked child: exec argv; on failure say why on stderr, exit 127. */
static void __attribute__((noreturn))
child_exec(char *const argv[])
{
	int	saved;

	execvp(argv[0], argv);
	saved = errno;
	dprintf(STDERR_FILENO, "sitrep: cannot run %s: %s\n", argv[0],
	    strerror(saved));
	_exit(127);
}

/* Close both ends of the pipes made so far; errno is kept. */
static void
close_pipes(int (*p)[2], size_t n)
{
	int	saved = errno;
	size_t	i;

	for (i = 0; i < n; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	errno = saved;
}

/* In the child: stdin on /dev/null, stdout on o, stderr on e (or
 * /dev/null), the exec's errno on fd 3 if report, then exec. */
static void __attribute__((noreturn))
spawn_child(char *const argv[], int o, int e, int report)
{
	int	null, saved;

	setpgid(0, 0);
	null = open("/dev/null", O_RDWR);
	if (null == -1 || dup2(null, STDIN_FILENO) == -1 ||
	    dup2(o, STDOUT_FILENO) == -1 ||
	    dup2(e != -1 ? e : null, STDERR_FILENO) == -1)
		_exit(126);
	if (report == -1) {
		prepare_exec(STDERR_FILENO);
		child_exec(argv);
	}
	if (dup2(report, 3) == -1 || fcntl(3, F_SETFD, FD_CLOEXEC) == -1)
		_exit(126);
	prepare_exec(3);
	execvp(argv[0], argv);
	saved = errno;
	(void)!write(3, &saved, sizeof saved);
	_exit(127);
}

static pid_t
spawn(char *const argv[], int *out, int *err, int *report)
{
	sigset_t	old;
	int		p[3][2], saved;
	size_t		n = 0, need = 1 + (err != NULL) + (report != NULL);
	pid_t		pid;

	for (n = 0; n < need; n++) {
		if (pipe2(p[n], O_CLOEXEC) == -1) {
			close_pipes(p, n);
			return (-1);
		}
	}
	child_block_signals(&old);
	if ((pid = fork()) == 0)
		spawn_child(argv, p[0][1], err != NULL ? p[1][1] : -1,
		    report != NULL ? p[need - 1][1] : -1);
	saved = errno;
	child_restore_signals(&old);
	for (n = 0; n < need; n++)
		close(p[n][1]);
	if (pid == -1) {
		for (n = 0; n < need; n++)
			close(p[n][0]);
		errno = saved;
		return (-1);
	}
	/* Also in the parent, so that a kill of the group cannot race the
	 * child's own setpgid. */
	setpgid(pid, pid);
	*out = p[0][0];
	fcntl(*out, F_SETFL, fcntl(*out, F_GETFL) | O_NONBLOCK);
	if (err != NULL) {
		*err = p[1][0];
		fcntl(*err, F_SETFL, fcntl(*err, F_GETFL) | O_NONBLOCK);
	}
	if (report != NULL)
		*report = p[need - 1][0];
	return (pid);
}

pid_t
child_spawn_pipes(char *const argv[], int *out, int *err)
{
	return (spawn(argv, out, err, NULL));
}

pid_t
child_spawn_reported(char *const argv[], int *out, int *report)
{
	return (spawn(argv, out, NULL, report));
}

/* In the pty child: the terminal's environment, then exec. */
static void __attribute__((noreturn))
pty_child(char *const argv[], const struct kvlist *env, int slave)
{
	size_t	i;

	if (login_tty(slave) == -1)
		_exit(126);
	prepare_exec(STDERR_FILENO);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	unsetenv("TMUX");
	unsetenv("TMUX_PANE");
	setenv("TERM", "xterm-256color", 1);
	for (i = 0; env != NULL && i < env->n; i++)
		setenv(env->v[i].key, env->v[i].value, 1);
	child_exec(argv);
}

pid_t
child_spawn_pty(char *const argv[], const struct kvlist *env, int rows,
    int cols, int *master)
{
	struct winsize	ws;
	sigset_t	old;
	pid_t		pid;
	int		m, s, saved;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	if (openpty(&m, &s, NULL, NULL, &ws) == -1)
		return (-1);
	/* Before the fork: no other child may inherit the master. */
	fcntl(m, F_SETFD, FD_CLOEXEC);
	fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
	child_block_signals(&old);
	if ((pid = fork()) == 0) {
		close(m);
		pty_child(argv, env, s);
	}
	saved = errno;
	child_restore_signals(&old);
	close(s);
	if (pid == -1) {
		close(m);
		errno = saved;
		return (-1);
	}
	*master = m;
	return (pid);
}

pid_t
child_spawn_detached(char *const argv[])
{
	sigset_t	old;
	int		null, saved;
	pid_t		pid;

	child_block_signals(&old);
	if ((pid = fork()) == 0) {
		setsid();
		null = open("/dev/null", O_RDWR);
		if (null == -1 || dup2(null, STDIN_FILENO) == -1 ||
		    dup2(null, STDOUT_FILENO) == -1 ||
		    dup2(null, STDERR_FILENO) == -1)
			_exit(126);
		prepare_exec(STDERR_FILENO);
		child_exec(argv);
	}
	saved = errno;
	child_restore_signals(&old);
	if (pid == -1) {
		errno = saved;
		return (-1);
	}
	child_watch(pid, NULL, NULL);
	return (pid);
}
