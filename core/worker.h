/* worker.h: work too slow for the loop (parsing a 15 MB answer) done on a
 * background thread, its result handed back on the loop. A job is a pure
 * function run on the thread over a context the job owns, then a completion
 * run on the loop; nothing else is shared. A job the loop no longer wants
 * (its source freed, its refresh superseded) is cancelled: its completion
 * never runs and its context is freed all the same. */
#ifndef SITREP_WORKER_H
#define SITREP_WORKER_H

#include <stdbool.h>

struct worker_job;

/* run: on a worker thread; touches only ctx (and pure functions).
 * done: on the loop, unless the job was cancelled first.
 * release: always, on the loop (or in worker_free), last; frees ctx. */
typedef void (*worker_fn)(void *ctx);

/* Queue a job; the threads and their pipe start with the first job (after
 * loop_init()). The handle stays valid until done runs or the job is
 * cancelled; keep it only to cancel. */
struct worker_job *worker_submit(worker_fn run, worker_fn done,
	     worker_fn release, void *ctx);
/* Drop a job wherever it is: its done will not run. Clears the handle;
 * NULL is harmless. A job already running finishes on its thread and is
 * freed when it comes back. */
void	 worker_cancel(struct worker_job **);

/* Jobs queued or running, completions not yet delivered (for tests). */
unsigned worker_pending(void);

/* Join the threads (a job running finishes first) and free every job left
 * without calling its done. Before loop_free(). */
void	 worker_free(void);

#endif
