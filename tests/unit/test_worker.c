/* test_worker.c: the background threads, driven through the real loop. A
 * job's work runs off the loop and its completion on it; a job cancelled
 * while queued, running or finished never completes but is always freed;
 * the loop answers while a job runs; worker_free() with jobs in flight
 * joins the threads and frees every job. */
#include "config.h"

#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/worker.h"
#include "core/loop.h"

static pthread_t	 loop_thread;
static sem_t		 gate;		/* jobs that wait, wait for this */
static int		 done_calls;
static int		 released;
static int		 quit_after;	/* end the loop after this many */

struct job {
	int		 n;		/* input */
	long		 sum;		/* output: 1 + ... + n */
	bool		 wait;		/* block on the gate first */
	bool		 off_loop;	/* run was not on the loop's thread */
	bool		 on_loop;	/* done was */
	bool		*done_seen;
};

static struct job *
job_new(int n, bool wait)
{
	struct job	*j = calloc(1, sizeof *j);

	j->n = n;
	j->wait = wait;
	return (j);
}

static void
job_run(void *ctx)
{
	struct job	*j = ctx;
	int		 i;

	if (j->wait)
		sem_wait(&gate);
	for (i = 1; i <= j->n; i++)
		j->sum += i;
	j->off_loop = !pthread_equal(pthread_self(), loop_thread);
}

static void
job_done(void *ctx)
{
	struct job	*j = ctx;

	j->on_loop = pthread_equal(pthread_self(), loop_thread);
	assert_true(j->off_loop);
	assert_int_equal(j->sum, (long)j->n * (j->n + 1) / 2);
	if (j->done_seen != NULL)
		*j->done_seen = true;
	if (++done_calls == quit_after)
		loop_quit(0);
}

static void
job_release(void *ctx)
{
	released++;
	free(ctx);
}

static void
too_slow(void *arg)
{
	fail_msg("the jobs did not come back within 10 s");
}

static int
setup(void **state)
{
	loop_thread = pthread_self();
	sem_init(&gate, 0, 0);
	done_calls = released = quit_after = 0;
	loop_init();
	return (0);
}

static int
teardown(void **state)
{
	worker_free();
	assert_int_equal(worker_pending(), 0);
	loop_free();
	sem_destroy(&gate);
	return (0);
}

static void
run_loop(int calls)
{
	struct loop_timer	*t;

	quit_after = calls;
	t = loop_timer_add(10000, too_slow, NULL);
	loop_run();
	loop_timer_cancel(&t);
}

/* Turn the loop until every job has come back and been freed. */
static void
check_idle(void *arg)
{
	struct loop_timer	**t = arg;

	*t = NULL;		/* fired: no longer ours to cancel */
	if (worker_pending() == 0)
		loop_quit(0);
	else
		*t = loop_timer_add(5, check_idle, t);
}

static void
run_until_idle(void)
{
	struct loop_timer	*t, *limit;

	quit_after = -1;
	t = loop_timer_add(0, check_idle, &t);
	limit = loop_timer_add(10000, too_slow, NULL);
	loop_run();
	loop_timer_cancel(&t);
	loop_timer_cancel(&limit);
}

/* Eight jobs over two threads: each computed off the loop, each completion
 * on the loop with the result, each context freed once. */
static void
test_jobs_complete_on_loop(void **state)
{
	struct worker_job	*h[8];
	int			 i;

	for (i = 0; i < 8; i++)
		h[i] = worker_submit(job_run, job_done, job_release,
		    job_new(100000 * (i + 1), false));
	(void)h;
	run_loop(8);
	assert_int_equal(done_calls, 8);
	assert_int_equal(released, 8);
	assert_int_equal(worker_pending(), 0);
}

static void
tick(void *arg)
{
	int	*ticks = arg;

	(*ticks)++;
}

static void
open_gate(void *arg)
{
	sem_post(&gate);
	sem_post(&gate);
}

/* While both threads are busy, the loop keeps turning: its timers fire. */
static void
test_loop_turns_while_jobs_run(void **state)
{
	int	ticks = 0, i;

	worker_submit(job_run, job_done, job_release, job_new(10, true));
	worker_submit(job_run, job_done, job_release, job_new(10, true));
	for (i = 1; i <= 5; i++)
		loop_timer_add(20 * i, tick, &ticks);
	loop_timer_add(150, open_gate, NULL);
	run_loop(2);
	assert_int_equal(ticks, 5);
	assert_int_equal(done_calls, 2);
}

/* A refresh superseded: the job running when cancelled finishes on its
 * thread but its result is dropped; one still queued is freed at once;
 * the new job completes. */
static void
test_superseded_job_dropped(void **state)
{
	struct worker_job	*running1, *running2, *queued, *fresh;
	struct job		*j;
	bool			 seen1 = false, seen2 = false, seenq = false;
	bool			 seenf = false;

	j = job_new(5, true);
	j->done_seen = &seen1;
	running1 = worker_submit(job_run, job_done, job_release, j);
	j = job_new(6, true);
	j->done_seen = &seen2;
	running2 = worker_submit(job_run, job_done, job_release, j);
	j = job_new(7, false);
	j->done_seen = &seenq;
	queued = worker_submit(job_run, job_done, job_release, j);
	usleep(50000);		/* both threads now wait at the gate */

	worker_cancel(&queued);
	assert_null(queued);
	assert_int_equal(released, 1);	/* freed at once */
	worker_cancel(&running1);
	assert_null(running1);
	worker_cancel(&running1);	/* twice: harmless */

	j = job_new(8, false);
	j->done_seen = &seenf;
	fresh = worker_submit(job_run, job_done, job_release, j);
	(void)fresh;
	(void)running2;
	sem_post(&gate);
	sem_post(&gate);
	run_loop(2);		/* running2 and fresh */
	assert_false(seen1);
	assert_true(seen2);
	assert_false(seenq);
	assert_true(seenf);
	/* running1 came back and was freed without its completion. */
	run_until_idle();
	assert_int_equal(released, 4);
	assert_int_equal(done_calls, 2);
}

/* A job finished but not yet delivered, cancelled by an earlier
 * completion in the same batch: dropped too. */
static struct worker_job *victim;

static void
cancel_victim(void *ctx)
{
	worker_cancel(&victim);
	job_done(ctx);
}

static void
test_cancel_from_completion(void **state)
{
	bool	seen = false;
	struct job *j;

	worker_submit(job_run, cancel_victim, job_release, job_new(3, false));
	usleep(50000);		/* finished first */
	j = job_new(4, false);
	j->done_seen = &seen;
	victim = worker_submit(job_run, job_done, job_release, j);
	usleep(50000);		/* finished second: one batch */
	run_until_idle();
	assert_int_equal(done_calls, 1);
	assert_false(seen);
	assert_null(victim);
	assert_int_equal(released, 2);
}

/* Quitting with jobs queued and running: the threads are joined, every
 * context is freed, no completion runs. */
static void
test_shutdown_with_jobs_in_flight(void **state)
{
	int	i;

	for (i = 0; i < 6; i++)
		worker_submit(job_run, job_done, job_release,
		    job_new(2000000, i < 2));
	usleep(20000);
	sem_post(&gate);
	sem_post(&gate);
	worker_free();
	assert_int_equal(done_calls, 0);
	assert_int_equal(released, 6);
	assert_int_equal(worker_pending(), 0);
	/* And the worker starts again afterwards. */
	worker_submit(job_run, job_done, job_release, job_new(10, false));
	run_loop(1);
	assert_int_equal(done_calls, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_jobs_complete_on_loop,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_loop_turns_while_jobs_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_superseded_job_dropped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_from_completion,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shutdown_with_jobs_in_flight, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
