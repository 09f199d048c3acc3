/* loop.h: the one event loop: poll() over registered descriptors (stdin,
 * curl's sockets, ptys, the signal self-pipe) with monotonic timers. Handlers
 * only change state and mark things dirty; the loop calls the paint hook once
 * per turn. Nothing here blocks but poll() itself. */
#ifndef SITREP_LOOP_H
#define SITREP_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*loop_fd_cb)(int fd, short revents, void *arg);
typedef void (*loop_timer_cb)(void *arg);

struct loop_timer;

void	 loop_init(void);
void	 loop_free(void);

/* Watch fd for events (POLLIN, POLLOUT); calling again updates it. */
void	 loop_watch(int, short, loop_fd_cb, void *);
void	 loop_unwatch(int);

/* A one-shot timer, ms from now. The handle stays valid until it fires or
 * is cancelled; cancelling a fired or NULL timer is harmless only through
 * loop_timer_cancel(&t), which clears the handle. */
struct loop_timer *loop_timer_add(int64_t, loop_timer_cb, void *);
void	 loop_timer_cancel(struct loop_timer **);

/* Called after every turn that handled an event, before sleeping again. */
void	 loop_set_paint(void (*)(void *), void *);

/* Signals that matter (SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGCHLD) are
 * turned into a byte on a self-pipe and delivered here, in the loop. With no
 * handler set, SIGTERM, SIGINT and SIGHUP quit the loop with 128 + signal.
 * SIGPIPE is ignored. */
void	 loop_set_signal_handler(void (*)(int, void *), void *);
/* SIGCHLD also calls this (core/child.c's reaper), before the signal
 * handler, in every mode: the console and snapshot alike. */
void	 loop_set_child_handler(void (*)(void));

/* Run until loop_quit(); returns the exit status given to loop_quit(). */
int	 loop_run(void);
void	 loop_quit(int);
bool	 loop_running(void);

/* Milliseconds on the monotonic clock. */
int64_t	 loop_now_ms(void);

/* Turns made so far, and turns that woke with nothing to do (for tests). */
uint64_t loop_turns(void);
uint64_t loop_idle_turns(void);
/* With SITREP_LOOP_STATS=FILE set, loop_run() appends the longest turn
 * (from poll() waking to the paint's end, in microseconds) and the turns
 * over 50 ms to FILE when it returns. */

#endif
