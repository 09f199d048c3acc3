/* child.h: the processes sitrep runs alongside the loop (the deploy
 * command, the action terminal's child, a URL opener) and the one place
 * they are reaped. SIGCHLD reaches the reaper through the loop, in every
 * mode; each registered pid is reaped with waitpid(pid, WNOHANG) and its
 * callback called, so that a synchronous waiter elsewhere (token_command)
 * never loses its own child to us. */
#ifndef SITREP_CHILD_H
#define SITREP_CHILD_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

struct kvlist;

/* status is the wait(2) status. */
typedef void (*child_exit_cb)(pid_t, int status, void *arg);

/* Call cb when pid exits (cb NULL: just reap it). */
void	 child_watch(pid_t, child_exit_cb, void *);
/* The owner went away: reap pid when it exits, call nobody. */
void	 child_forget(pid_t);

/* Variables no child may inherit (those that hold secrets: token_env =
 * NAME); unset in every child the functions below start. */
void	 child_hide_env(const char *name);

/* Start argv (no shell) in its own process group with stdin on /dev/null
 * and stdout, stderr on pipes whose parent ends (*out, *err) are
 * non-blocking and close-on-exec. Signals are blocked across the fork. The
 * caller watches the pid. -1 with errno on failure. */
pid_t	 child_spawn_pipes(char *const argv[], int *out, int *err);
/* For a command whose output is read to its end and whose stderr may hold
 * secrets (token_command): stdin and stderr on /dev/null, stdout on a pipe
 * (*out, non-blocking), and *report a pipe (blocking) that carries the
 * errno of a failed exec as an int, or ends empty once the exec
 * succeeded. The caller reaps the pid itself. */
pid_t	 child_spawn_reported(char *const argv[], int *out, int *report);
/* On a new pty of rows x cols, in a session of its own with the pty as its
 * controlling terminal (the action terminal): TERM=xterm-256color, the
 * variables of env added, LINES, COLUMNS and tmux's own removed. *master
 * is non-blocking and close-on-exec from before the fork. The caller
 * watches the pid. -1 with errno on failure. */
pid_t	 child_spawn_pty(char *const argv[], const struct kvlist *env,
	     int rows, int cols, int *master);
/* Fire and forget (an opener): stdio on /dev/null, reaped when it ends. */
pid_t	 child_spawn_detached(char *const argv[]);

#endif
