/* worker.c: the background threads that parse large answers off the loop.
 * It owns the threads, the queue of jobs waiting, the list of jobs finished
 * and the pipe that wakes the loop for them. A job belongs to the loop while
 * queued or finished and to one thread while running; the mutex guards only
 * the two lists and a job's state. Completions run on the loop, in the
 * order the jobs finished. */
#include "config.h"

#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/worker.h"
#include "core/xalloc.h"
#include "core/loop.h"

/* Two: an Alertmanager and a Prometheus answer parse side by side, and the
 * machine the console runs on has a core for the loop besides. */
#define WORKER_THREADS	2

enum job_state {
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_FINISHED
};

struct worker_job {
	worker_fn		 run;
	worker_fn		 done;
	worker_fn		 release;
	void			*ctx;
	enum job_state		 state;		/* under the mutex */
	bool			 cancelled;	/* the loop's alone */
	TAILQ_ENTRY(worker_job)	 entry;
};
TAILQ_HEAD(job_list, worker_job);

static pthread_mutex_t	 worker_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 worker_wake = PTHREAD_COND_INITIALIZER;
static struct job_list	 todo = TAILQ_HEAD_INITIALIZER(todo);
static struct job_list	 finished = TAILQ_HEAD_INITIALIZER(finished);
static bool		 stopping;

static pthread_t	 threads[WORKER_THREADS];
static bool		 started;
static int		 done_pipe[2] = { -1, -1 };
static unsigned		 pending;	/* submitted, not yet released */

static void
job_release(struct worker_job *j)
{
	j->release(j->ctx);
	free(j);
	pending--;
}

/* --- the threads ------------------------------------------------------ */

static struct worker_job *
worker_next(void)
{
	struct worker_job	*j;

	pthread_mutex_lock(&worker_lock);
	while (!stopping && TAILQ_EMPTY(&todo))
		pthread_cond_wait(&worker_wake, &worker_lock);
	if (stopping)
		j = NULL;
	else {
		j = TAILQ_FIRST(&todo);
		TAILQ_REMOVE(&todo, j, entry);
		j->state = JOB_RUNNING;
	}
	pthread_mutex_unlock(&worker_lock);
	return (j);
}

static void *
worker_main(void *arg)
{
	struct worker_job	*j;
	ssize_t			 n;

	while ((j = worker_next()) != NULL) {
		j->run(j->ctx);
		pthread_mutex_lock(&worker_lock);
		j->state = JOB_FINISHED;
		TAILQ_INSERT_TAIL(&finished, j, entry);
		pthread_mutex_unlock(&worker_lock);
		/* A full pipe already holds a wake-up. */
		do
			n = write(done_pipe[1], "", 1);
		while (n == -1 && errno == EINTR);
	}
	return (NULL);
}

/* --- the loop's side -------------------------------------------------- */

/* The pipe is readable: run the completions of every finished job. A
 * completion may cancel a job still in this batch; it is skipped. */
static void
worker_deliver(int fd, short revents, void *arg)
{
	struct job_list		 batch = TAILQ_HEAD_INITIALIZER(batch);
	struct worker_job	*j;
	char			 buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&worker_lock);
	TAILQ_CONCAT(&batch, &finished, entry);
	pthread_mutex_unlock(&worker_lock);
	while ((j = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, j, entry);
		if (!j->cancelled)
			j->done(j->ctx);
		job_release(j);
	}
}

static void
worker_start(void)
{
	sigset_t	all, old;
	int		i, rc;

	/* jansson's hash seed is its one global: set it before any thread
	 * can parse. */
	json_object_seed(0);
	if (pipe2(done_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		fatal("pipe: %s", strerror(errno));
	loop_watch(done_pipe[0], POLLIN, worker_deliver, NULL);
	/* Signals are the loop's: the threads inherit a full mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < WORKER_THREADS; i++) {
		if ((rc = pthread_create(&threads[i], NULL, worker_main,
		    NULL)) != 0)
			fatal("pthread_create: %s", strerror(rc));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	started = true;
}

struct worker_job *
worker_submit(worker_fn run, worker_fn done, worker_fn release, void *ctx)
{
	struct worker_job	*j;

	if (!started)
		worker_start();
	j = xcalloc(1, sizeof *j);
	j->run = run;
	j->done = done;
	j->release = release;
	j->ctx = ctx;
	j->state = JOB_QUEUED;
	pending++;
	pthread_mutex_lock(&worker_lock);
	TAILQ_INSERT_TAIL(&todo, j, entry);
	pthread_cond_signal(&worker_wake);
	pthread_mutex_unlock(&worker_lock);
	return (j);
}

void
worker_cancel(struct worker_job **jp)
{
	struct worker_job	*j = *jp;
	bool			 queued;

	if (j == NULL)
		return;
	*jp = NULL;
	pthread_mutex_lock(&worker_lock);
	if ((queued = j->state == JOB_QUEUED))
		TAILQ_REMOVE(&todo, j, entry);
	else
		j->cancelled = true;	/* freed when it comes back */
	pthread_mutex_unlock(&worker_lock);
	if (queued)
		job_release(j);
}

unsigned
worker_pending(void)
{
	return (pending);
}

static void
worker_drop_all(struct job_list *l)
{
	struct worker_job	*j;

	while ((j = TAILQ_FIRST(l)) != NULL) {
		TAILQ_REMOVE(l, j, entry);
		job_release(j);
	}
}

void
worker_free(void)
{
	int	i;

	if (!started)
		return;
	pthread_mutex_lock(&worker_lock);
	stopping = true;
	pthread_cond_broadcast(&worker_wake);
	pthread_mutex_unlock(&worker_lock);
	for (i = 0; i < WORKER_THREADS; i++)
		pthread_join(threads[i], NULL);
	/* No thread left: the lists are the loop's alone. */
	worker_drop_all(&todo);
	worker_drop_all(&finished);
	loop_unwatch(done_pipe[0]);
	close(done_pipe[0]);
	close(done_pipe[1]);
	done_pipe[0] = done_pipe[1] = -1;
	stopping = false;
	started = false;
}
