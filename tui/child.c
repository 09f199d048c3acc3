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
#include <unistd.h>

#include "core/xalloc.h"
#include "tui/child.h"
#include "tui/loop.h"

struct child {
	pid_t		 pid;
	child_exit_cb	 cb;
	void		*arg;
};

static struct child	*children;
static size_t		 nchildren;

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

void
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

void
child_block_signals(sigset_t *old)
{
	sigset_t	all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

void
child_restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

void
child_prepare_exec(void)
{
	sigset_t	none;

	loop_child_signals();
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	closefrom(STDERR_FILENO + 1);
}

void
child_exec(char *const argv[])
{
	int	saved;

	execvp(argv[0], argv);
	saved = errno;
	dprintf(STDERR_FILENO, "sitrep: cannot run %s: %s\n", argv[0],
	    strerror(saved));
	_exit(127);
}

pid_t
child_spawn_pipes(char *const argv[], int *out, int *err)
{
	sigset_t	old;
	int		o[2], e[2], saved, null;
	pid_t		pid;

	if (pipe2(o, O_CLOEXEC) == -1)
		return (-1);
	if (pipe2(e, O_CLOEXEC) == -1) {
		saved = errno;
		close(o[0]);
		close(o[1]);
		errno = saved;
		return (-1);
	}
	child_block_signals(&old);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		null = open("/dev/null", O_RDONLY);
		if (null == -1 || dup2(null, STDIN_FILENO) == -1 ||
		    dup2(o[1], STDOUT_FILENO) == -1 ||
		    dup2(e[1], STDERR_FILENO) == -1)
			_exit(126);
		child_prepare_exec();
		child_exec(argv);
	}
	saved = errno;
	child_restore_signals(&old);
	close(o[1]);
	close(e[1]);
	if (pid == -1) {
		close(o[0]);
		close(e[0]);
		errno = saved;
		return (-1);
	}
	/* Also in the parent, so that a kill of the group cannot race the
	 * child's own setpgid. */
	setpgid(pid, pid);
	fcntl(o[0], F_SETFL, fcntl(o[0], F_GETFL) | O_NONBLOCK);
	fcntl(e[0], F_SETFL, fcntl(e[0], F_GETFL) | O_NONBLOCK);
	*out = o[0];
	*err = e[0];
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
		child_prepare_exec();
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
