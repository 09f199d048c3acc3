/* oneshot.c: the commands that print once ask every source once and wait
 * (see oneshot.h). No curses here. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/loop.h"
#include "core/sanitize.h"
#include "tui/oneshot.h"

struct oneshot_wait {
	struct source	**v;
	size_t		  n;
};

/* A source answered: done when every one has, once. */
static void
oneshot_observe(struct source *s, void *arg)
{
	struct oneshot_wait	*w = arg;
	size_t			 i;

	(void)s;
	for (i = 0; i < w->n; i++) {
		if (w->v[i]->rounds == 0)
			return;
	}
	loop_quit(0);
}

static void
oneshot_timeout(void *arg)
{
	struct loop_timer	**t = arg;

	*t = NULL;	/* fired: the loop frees it */
	loop_quit(0);
}

void
oneshot_fetch(struct source **v, size_t n, int64_t timeout_ms, bool follow)
{
	struct oneshot_wait	 w = { v, n };
	struct loop_timer	*t;

	if (!follow)
		sources_set_observer(oneshot_observe, &w);
	sources_start(v, n);
	t = loop_timer_add(timeout_ms, oneshot_timeout, &t);
	if (n > 0)
		loop_run();
	loop_timer_cancel(&t);
	sources_set_observer(NULL, NULL);
}

json_t *
oneshot_jstr(const char *s)
{
	json_t	*j;
	char	*fixed;

	if (s == NULL)
		return (json_null());
	if ((j = json_string(s)) != NULL)
		return (j);
	/* Rare: repair and try again. */
	fixed = sanitize_utf8(s, strlen(s), NULL);
	j = json_string(fixed);
	free(fixed);
	return (j != NULL ? j : json_null());
}

json_t *
oneshot_jnum(double v)
{
	return (isnan(v) || isinf(v) ? json_null() : json_real(v));
}
