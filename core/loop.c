/* loop.c: the one event loop. It owns the table of watched descriptors, the
 * heap of one-shot monotonic timers and the signal self-pipe. One turn is:
 * poll() until a descriptor is ready or the next timer is due, dispatch the
 * ready descriptors, fire the due timers, then call the paint hook once if
 * anything was handled. With nothing to do the loop sleeps in poll() with no
 * timeout of its own. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/loop.h"

struct watch {
	int		 fd;
	short		 events;
	loop_fd_cb	 cb;
	void		*arg;
	uint64_t	 gen;	/* changes when the fd is watched anew */
};

struct loop_timer {
	int64_t		 deadline;	/* loop_now_ms() */
	uint64_t	 seq;		/* insertion order breaks ties */
	size_t		 idx;		/* position in the heap */
	bool		 firing;	/* out of the heap, callback running */
	loop_timer_cb	 cb;
	void		*arg;
};

/* The signals turned into bytes, and how they were handled before. */
static const int	 loop_signals[] = {
	SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE
};
#define NSIGNALS (sizeof loop_signals / sizeof loop_signals[0])
static struct sigaction	 loop_old_actions[NSIGNALS];

static struct watch	*watches;
static size_t		 nwatches;
static size_t		 watches_cap;
static uint64_t		 watch_gen;

static struct loop_timer **heap;
static size_t		 nheap;
static size_t		 heap_cap;
static uint64_t		 timer_seq;

static int		 sig_pipe[2] = { -1, -1 };
static void		(*signal_cb)(int, void *);
static void		*signal_arg;
static void		(*child_cb)(void);

static void		(*paint_cb)(void *);
static void		*paint_arg;

static bool		 initialised;
static bool		 running;
static bool		 quitting;
static int		 quit_status;
static uint64_t		 turns;
static uint64_t		 idle_turns;
static int64_t		 longest_turn_us;	/* work, not the sleep */
static uint64_t		 slow_turns;		/* over LOOP_SLOW_US */

#define LOOP_SLOW_US	50000

/* Snapshot of what one poll() call watches. */
static struct pollfd	*pfds;
static uint64_t		*pfd_gens;
static size_t		 pfds_cap;

int64_t
loop_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

uint64_t
loop_turns(void)
{
	return (turns);
}

uint64_t
loop_idle_turns(void)
{
	return (idle_turns);
}

static int64_t
loop_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* SITREP_LOOP_STATS=FILE: append the longest turn there when the loop
 * ends (benchmarks read it; the console's stderr is the terminal). */
static void
loop_stats_write(void)
{
	const char	*path = getenv("SITREP_LOOP_STATS");
	FILE		*f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "ae")) == NULL)
		return;
	fprintf(f, "loop turns %" PRIu64 " longest_us %" PRId64
	    " over_50ms %" PRIu64 "\n", turns, longest_turn_us, slow_turns);
	fclose(f);
}

bool
loop_running(void)
{
	return (running);
}

void
loop_quit(int status)
{
	quitting = true;
	quit_status = status;
}

void
loop_set_paint(void (*cb)(void *), void *arg)
{
	paint_cb = cb;
	paint_arg = arg;
}

void
loop_set_child_handler(void (*cb)(void))
{
	child_cb = cb;
}

void
loop_set_signal_handler(void (*cb)(int, void *), void *arg)
{
	signal_cb = cb;
	signal_arg = arg;
}

/* Descriptors. */

static struct watch *
watch_find(int fd)
{
	size_t	i;

	for (i = 0; i < nwatches; i++) {
		if (watches[i].fd == fd)
			return (&watches[i]);
	}
	return (NULL);
}

void
loop_watch(int fd, short events, loop_fd_cb cb, void *arg)
{
	struct watch	*w;

	if ((w = watch_find(fd)) != NULL) {
		/* Same owner: an update keeps the watch's identity. */
		if (w->cb != cb || w->arg != arg)
			w->gen = ++watch_gen;
		w->events = events;
		w->cb = cb;
		w->arg = arg;
		return;
	}
	if (nwatches == watches_cap) {
		watches_cap = watches_cap == 0 ? 16 : watches_cap * 2;
		watches = xreallocarray(watches, watches_cap, sizeof *watches);
	}
	w = &watches[nwatches++];
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	w->gen = ++watch_gen;
}

void
loop_unwatch(int fd)
{
	struct watch	*w;

	if ((w = watch_find(fd)) == NULL)
		return;
	*w = watches[--nwatches];
}

/* Timers: a binary min-heap ordered by deadline, then insertion. */

static bool
timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline != b->deadline)
		return (a->deadline < b->deadline);
	return (a->seq < b->seq);
}

static void
heap_set(size_t i, struct loop_timer *t)
{
	heap[i] = t;
	t->idx = i;
}

static void
heap_up(size_t i)
{
	struct loop_timer	*t = heap[i];
	size_t			 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!timer_before(t, heap[parent]))
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void
heap_down(size_t i)
{
	struct loop_timer	*t = heap[i];
	size_t			 child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= nheap)
			break;
		if (child + 1 < nheap && timer_before(heap[child + 1],
		    heap[child]))
			child++;
		if (!timer_before(heap[child], t))
			break;
		heap_set(i, heap[child]);
		i = child;
	}
	heap_set(i, t);
}

static void
heap_remove(struct loop_timer *t)
{
	size_t			 i = t->idx;
	struct loop_timer	*last;

	last = heap[--nheap];
	if (i == nheap)
		return;
	heap_set(i, last);
	if (i > 0 && timer_before(last, heap[(i - 1) / 2]))
		heap_up(i);
	else
		heap_down(i);
}

struct loop_timer *
loop_timer_add(int64_t ms, loop_timer_cb cb, void *arg)
{
	struct loop_timer	*t;

	t = xcalloc(1, sizeof *t);
	t->deadline = time_add_sat(loop_now_ms(), ms < 0 ? 0 : ms);
	t->seq = timer_seq++;
	t->cb = cb;
	t->arg = arg;
	if (nheap == heap_cap) {
		heap_cap = heap_cap == 0 ? 64 : heap_cap * 2;
		heap = xreallocarray(heap, heap_cap, sizeof *heap);
	}
	heap[nheap] = t;
	t->idx = nheap++;
	heap_up(t->idx);
	return (t);
}

void
loop_timer_cancel(struct loop_timer **tp)
{
	struct loop_timer	*t = *tp;

	if (t == NULL)
		return;
	*tp = NULL;
	/* A timer cancelled from its own callback is freed when that ends. */
	if (t->firing)
		return;
	heap_remove(t);
	free(t);
}

/* Fire every timer due now that existed when this phase began, so that a
 * callback re-adding a zero timer cannot keep the loop from polling. */
static bool
timers_fire(void)
{
	struct loop_timer	*t;
	int64_t			 now = loop_now_ms();
	uint64_t		 limit = timer_seq;
	bool			 fired = false;

	while (nheap > 0) {
		t = heap[0];
		if (t->deadline > now || t->seq >= limit)
			break;
		heap_remove(t);
		t->firing = true;
		t->cb(t->arg);
		free(t);
		fired = true;
	}
	return (fired);
}

/* Milliseconds poll() may sleep: until the next timer, or for ever. */
static int
timers_timeout(void)
{
	int64_t	delta;

	if (nheap == 0)
		return (-1);
	delta = time_sub_sat(heap[0]->deadline, loop_now_ms());
	if (delta <= 0)
		return (0);
	if (delta > INT_MAX)
		return (INT_MAX);
	return ((int)delta);
}

/* Signals. */

static void
signal_catch(int sig)
{
	int		saved = errno;
	unsigned char	c = (unsigned char)sig;
	ssize_t		n;

	n = write(sig_pipe[1], &c, 1);
	(void)n;	/* a full pipe already holds a wake-up */
	errno = saved;
}

static void
signal_read(int fd, short revents, void *arg)
{
	unsigned char	buf[64];
	ssize_t		n, i;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			return;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == SIGCHLD && child_cb != NULL)
				child_cb();
			if (signal_cb != NULL)
				signal_cb(buf[i], signal_arg);
			else if (buf[i] == SIGTERM || buf[i] == SIGINT ||
			    buf[i] == SIGHUP)
				loop_quit(128 + buf[i]);
		}
	}
}

static void
signals_install(void)
{
	struct sigaction	sa;
	size_t			i;

	for (i = 0; i < NSIGNALS; i++) {
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		if (loop_signals[i] == SIGPIPE)
			sa.sa_handler = SIG_IGN;
		else {
			sa.sa_handler = signal_catch;
			sa.sa_flags = SA_RESTART;
			if (loop_signals[i] == SIGCHLD)
				sa.sa_flags |= SA_NOCLDSTOP;
		}
		if (sigaction(loop_signals[i], &sa, &loop_old_actions[i]) != 0)
			fatal("sigaction: %s", strerror(errno));
	}
}

static void
signals_restore(void)
{
	size_t	i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(loop_signals[i], &loop_old_actions[i], NULL);
}

void
loop_init(void)
{
	if (initialised)
		return;
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		fatal("pipe: %s", strerror(errno));
	loop_watch(sig_pipe[0], POLLIN, signal_read, NULL);
	signals_install();
	initialised = true;
}

void
loop_free(void)
{
	size_t	i;

	if (!initialised)
		return;
	signals_restore();
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;

	for (i = 0; i < nheap; i++)
		free(heap[i]);
	free(heap);
	heap = NULL;
	nheap = heap_cap = 0;

	free(watches);
	watches = NULL;
	nwatches = watches_cap = 0;

	free(pfds);
	free(pfd_gens);
	pfds = NULL;
	pfd_gens = NULL;
	pfds_cap = 0;

	signal_cb = NULL;
	paint_cb = NULL;
	initialised = false;
}

/* The turn. */

static void
pfds_snapshot(void)
{
	size_t	i;

	if (nwatches > pfds_cap) {
		pfds_cap = nwatches;
		pfds = xreallocarray(pfds, pfds_cap, sizeof *pfds);
		pfd_gens = xreallocarray(pfd_gens, pfds_cap, sizeof *pfd_gens);
	}
	for (i = 0; i < nwatches; i++) {
		pfds[i].fd = watches[i].fd;
		pfds[i].events = watches[i].events;
		pfds[i].revents = 0;
		pfd_gens[i] = watches[i].gen;
	}
}

/* Dispatch ready descriptors, skipping any whose watch a callback earlier in
 * this turn removed or handed to someone else. */
static bool
fds_dispatch(size_t n)
{
	struct watch	*w;
	size_t		 i;
	short		 revents;
	bool		 handled = false;

	for (i = 0; i < n; i++) {
		if (pfds[i].revents == 0)
			continue;
		w = watch_find(pfds[i].fd);
		if (w == NULL || w->gen != pfd_gens[i])
			continue;
		revents = pfds[i].revents &
		    (w->events | POLLERR | POLLHUP | POLLNVAL);
		if (revents == 0)
			continue;
		w->cb(pfds[i].fd, revents, w->arg);
		handled = true;

		/* A closed descriptor left watched would wake us for ever. */
		if (revents & POLLNVAL) {
			w = watch_find(pfds[i].fd);
			if (w != NULL && w->gen == pfd_gens[i])
				loop_unwatch(pfds[i].fd);
		}
	}
	return (handled);
}

static void
loop_turn(void)
{
	size_t	n;
	int	ready;
	bool	handled;
	int64_t	woke, took;

	turns++;
	pfds_snapshot();
	n = nwatches;
	ready = poll(pfds, (nfds_t)n, timers_timeout());
	woke = loop_now_us();
	if (ready == -1) {
		if (errno != EINTR && errno != EAGAIN)
			fatal("poll: %s", strerror(errno));
		ready = 0;
	}
	handled = false;
	if (ready > 0)
		handled = fds_dispatch(n);
	if (timers_fire())
		handled = true;
	if (!handled)
		idle_turns++;
	else if (paint_cb != NULL)
		paint_cb(paint_arg);
	/* Two clock reads a turn: how long the loop could not answer. */
	took = loop_now_us() - woke;
	if (took > longest_turn_us)
		longest_turn_us = took;
	if (took > LOOP_SLOW_US)
		slow_turns++;
}

int
loop_run(void)
{
	int	status;

	running = true;
	while (!quitting)
		loop_turn();
	running = false;
	quitting = false;
	loop_stats_write();
	status = quit_status;
	quit_status = 0;
	return (status);
}
