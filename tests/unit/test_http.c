/* test_http.c: the event loop and the HTTP client, driven for real. The
 * tests start tests/fakes/http_echo.py on 127.0.0.1 and send it requests
 * through curl's multi interface inside core/loop, the way sitrep does:
 * a fetch that works, one that sends a body and headers, one that times out,
 * one that is too large, one that is rate limited, one that finds nobody
 * listening, and one that is cancelled. Replicas: a pair whose first is
 * down answers from the second, names the first as failing and skips it
 * next time; one replica asked alone is asked alone. The loop's own
 * promises (timer order, descriptors, signals through the self-pipe,
 * sleeping when idle) are tested first. Nothing but 127.0.0.1 is
 * contacted. */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/secret.h"
#include "core/xalloc.h"
#include "core/loop.h"

#define MIB	(1024 * 1024)

static pid_t	 fake_pid = -1;
static int	 fake_stdin = -1;
static int	 fake_port;

/* What a request's callback saw. */
struct result {
	int		 calls;
	long		 status;
	char		*body;
	size_t		 len;
	char		*error;
	int64_t		 retry_after_s;
	double		 elapsed_s;
	bool		 quit;		/* end the loop when called */
};

static void
result_free(struct result *r)
{
	free(r->body);
	free(r->error);
	memset(r, 0, sizeof *r);
}

static void
on_done(struct http_response *resp, void *arg)
{
	struct result	*r = arg;

	r->calls++;
	r->status = resp->status;
	r->body = xstrndup(resp->body, resp->len);
	r->len = resp->len;
	r->error = resp->error == NULL ? NULL : xstrdup(resp->error);
	r->retry_after_s = resp->retry_after_s;
	r->elapsed_s = resp->elapsed_s;
	if (r->quit)
		loop_quit(0);
}

/* Run the loop until something quits it, or fail after ms. */
static struct loop_timer *guard;

static void
guard_fired(void *arg)
{
	guard = NULL;
	loop_quit(99);
}

static int
run_loop(int64_t ms)
{
	int	status;

	guard = loop_timer_add(ms, guard_fired, NULL);
	status = loop_run();
	loop_timer_cancel(&guard);
	return (status);
}

static void
quit_fired(void *arg)
{
	loop_quit(0);
}

static void
client_init(struct http_client *c, int port, int64_t timeout_ms,
    size_t max_body)
{
	memset(c, 0, sizeof *c);
	c->base_url = xasprintf("http://127.0.0.1:%d", port);
	c->timeout_ms = timeout_ms;
	c->max_body = max_body;
}

/* One request, run to completion. */
static void
fetch(struct http_client *c, const char *method, const char *path,
    const char *const *extra, const char *body, struct result *r)
{
	memset(r, 0, sizeof *r);
	r->quit = true;
	http_start(c, method, path, extra, body, on_done, r);
	assert_int_equal(run_loop(10000), 0);
	assert_int_equal(r->calls, 1);
}

/* The fake server. */

static char *
fake_script(void)
{
	const char	*srcdir = getenv("SRCDIR");
	const char	*file = __FILE__, *tail = "tests/unit/test_http.c";
	size_t		 flen = strlen(file), tlen = strlen(tail);

	if (srcdir != NULL)
		return (xasprintf("%s/tests/fakes/http_echo.py", srcdir));
	if (access("tests/fakes/http_echo.py", R_OK) == 0)
		return (xstrdup("tests/fakes/http_echo.py"));
	if (flen >= tlen && strcmp(file + flen - tlen, tail) == 0)
		return (xasprintf("%.*stests/fakes/http_echo.py",
		    (int)(flen - tlen), file));
	return (xstrdup("tests/fakes/http_echo.py"));
}

static int
fake_start(void **state)
{
	int	 in[2], out[2];
	char	*script, line[32];
	size_t	 n = 0;
	ssize_t	 r;

	script = fake_script();
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return (-1);
	if ((fake_pid = fork()) == -1)
		return (-1);
	if (fake_pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	free(script);
	close(in[0]);
	close(out[1]);
	fake_stdin = in[1];

	/* The first line is the port. */
	while (n < sizeof line - 1) {
		r = read(out[0], &line[n], 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(out[0]);
	fake_port = atoi(line);
	if (fake_port <= 0) {
		fprintf(stderr, "http_echo.py did not start\n");
		return (-1);
	}

	loop_init();
	http_global_init();
	return (0);
}

static int
fake_stop(void **state)
{
	int	status;

	http_global_free();
	loop_free();
	if (fake_stdin != -1)
		close(fake_stdin);
	if (fake_pid > 0)
		waitpid(fake_pid, &status, 0);
	return (0);
}

/* A port on 127.0.0.1 where nobody listens: bound, then closed. */
static int
closed_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd != -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* The loop. */

static int	order[16];
static int	norder;
static struct loop_timer *victim;
static struct loop_timer *self_timer;

static void
record_timer(void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

static void
record_and_add(void *arg)
{
	record_timer(arg);
	/* Added mid-turn: due before the 40 ms timer. */
	loop_timer_add(5, record_timer, (void *)(intptr_t)15);
	/* Cancelled before it is due: never fires. */
	loop_timer_cancel(&victim);
}

static void
cancel_self(void *arg)
{
	record_timer(arg);
	loop_timer_cancel(&self_timer);	/* harmless from its own callback */
}

static void
record_and_quit(void *arg)
{
	record_timer(arg);
	loop_quit(0);
}

static void
test_timers_fire_in_order(void **state)
{
	struct loop_timer	*none = NULL;

	norder = 0;
	loop_timer_add(40, record_and_quit, (void *)(intptr_t)40);
	loop_timer_add(10, record_and_add, (void *)(intptr_t)10);
	victim = loop_timer_add(30, record_timer, (void *)(intptr_t)30);
	loop_timer_add(10, record_timer, (void *)(intptr_t)11);
	self_timer = loop_timer_add(0, cancel_self, (void *)(intptr_t)0);
	loop_timer_cancel(&none);

	assert_int_equal(run_loop(2000), 0);
	assert_int_equal(norder, 5);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 10);
	assert_int_equal(order[2], 11);	/* same deadline: added later */
	assert_int_equal(order[3], 15);
	assert_int_equal(order[4], 40);
	assert_null(victim);
	assert_null(self_timer);
}

/* A timer for "never" (a server's Retry-After of 292 billion years) is
 * not due at once, and the loop still sleeps until the next real one. */
static void
test_huge_timer_never_fires(void **state)
{
	struct loop_timer	*never, *later;
	uint64_t		 turns;

	norder = 0;
	turns = loop_turns();
	never = loop_timer_add(INT64_MAX, record_timer, (void *)(intptr_t)1);
	later = loop_timer_add(INT64_C(9223372036854775000), record_timer,
	    (void *)(intptr_t)2);
	loop_timer_add(100, record_and_quit, (void *)(intptr_t)100);
	assert_int_equal(run_loop(2000), 0);
	assert_int_equal(norder, 1);
	assert_int_equal(order[0], 100);
	assert_true(loop_turns() - turns <= 3);
	loop_timer_cancel(&never);
	loop_timer_cancel(&later);
}

static int	 paints;

static void
count_paint(void *arg)
{
	paints++;
}

static void
test_idle_loop_sleeps(void **state)
{
	uint64_t	turns, idle;
	int64_t		start;

	paints = 0;
	loop_set_paint(count_paint, NULL);
	turns = loop_turns();
	idle = loop_idle_turns();
	start = loop_now_ms();
	loop_timer_add(200, quit_fired, NULL);
	assert_int_equal(run_loop(2000), 0);
	loop_set_paint(NULL, NULL);

	assert_true(loop_now_ms() - start >= 200);
	/* One wake-up for the timer, maybe one early by a millisecond. */
	assert_true(loop_turns() - turns <= 2);
	assert_true(loop_idle_turns() - idle <= 1);
	assert_int_equal(paints, 1);
}

struct piped {
	int	fds[2];
	int	calls;
};
static struct piped	pipe_a, pipe_b;

static void
pipe_readable(int fd, short revents, void *arg)
{
	struct piped	*me = arg, *other = (me == &pipe_a) ? &pipe_b : &pipe_a;
	char		 c;

	assert_true(revents & POLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	me->calls++;
	/* Whichever runs first removes the other's watch this very turn. */
	loop_unwatch(other->fds[0]);
	loop_unwatch(fd);
	loop_timer_add(0, quit_fired, NULL);
}

static void
test_watch_removed_mid_turn(void **state)
{
	assert_int_equal(pipe(pipe_a.fds), 0);
	assert_int_equal(pipe(pipe_b.fds), 0);
	pipe_a.calls = pipe_b.calls = 0;
	loop_watch(pipe_a.fds[0], POLLIN, pipe_readable, &pipe_a);
	loop_watch(pipe_b.fds[0], POLLIN, pipe_readable, &pipe_b);
	assert_int_equal(write(pipe_a.fds[1], "a", 1), 1);
	assert_int_equal(write(pipe_b.fds[1], "b", 1), 1);

	assert_int_equal(run_loop(2000), 0);
	assert_int_equal(pipe_a.calls + pipe_b.calls, 1);
	close(pipe_a.fds[0]);
	close(pipe_a.fds[1]);
	close(pipe_b.fds[0]);
	close(pipe_b.fds[1]);
}

static int	got_signal;
static bool	signal_in_loop;

static void
on_signal(int sig, void *arg)
{
	if (sig != SIGWINCH)
		return;	/* SIGCHLD and the like are not this test's */
	got_signal = sig;
	signal_in_loop = loop_running();
	loop_quit(0);
}

static void
test_signal_arrives_in_loop(void **state)
{
	got_signal = 0;
	loop_set_signal_handler(on_signal, NULL);
	raise(SIGWINCH);
	/* The handler only wrote a byte; the loop delivers it. */
	assert_int_equal(got_signal, 0);
	assert_int_equal(run_loop(2000), 0);
	assert_int_equal(got_signal, SIGWINCH);
	assert_true(signal_in_loop);
	loop_set_signal_handler(NULL, NULL);
}

/* HTTP. */

static void
test_get_ok(void **state)
{
	struct http_client	c;
	struct result		r;
	uint64_t		started = http_requests_started();

	client_init(&c, fake_port, 5000, 0);
	fetch(&c, "GET", "/ok", NULL, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"status\":\"success\",\"data\":[1,2,3]}");
	assert_int_equal(r.len, strlen(r.body));
	assert_int_equal(r.retry_after_s, -1);
	assert_true(r.elapsed_s >= 0 && r.elapsed_s < 5);
	assert_int_equal(http_requests_started(), started + 1);
	result_free(&r);
	http_client_free(&c);
}

static void
test_post_sends_body_and_headers(void **state)
{
	struct http_client	 c;
	struct result		 r;
	const char		*extra[] = { "Content-Type: application/json",
				    "X-Request: one", NULL };

	client_init(&c, fake_port, 5000, 0);
	http_client_add_header(&c, "X-Scope-OrgID: %s", "team-a");
	c.auth_header = xstrdup("Authorization: Bearer s3cret");
	fetch(&c, "POST", "/echo?x=1", extra, "{\"a\": 1}", &r);
	assert_null(r.error);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"method\": \"POST\""));
	assert_non_null(strstr(r.body, "\"path\": \"/echo?x=1\""));
	assert_non_null(strstr(r.body, "\"X-Scope-OrgID\": \"team-a\""));
	assert_non_null(strstr(r.body, "\"X-Request\": \"one\""));
	assert_non_null(strstr(r.body, "\"Authorization\": \"Bearer s3cret\""));
	assert_non_null(strstr(r.body,
	    "\"Content-Type\": \"application/json\""));
	assert_non_null(strstr(r.body, "\"body\": \"{\\\"a\\\": 1}\""));
	assert_null(strstr(r.body, "Expect"));
	result_free(&r);

	/* Extra headers were for that request alone. */
	fetch(&c, "DELETE", "/echo", NULL, NULL, &r);
	assert_non_null(strstr(r.body, "\"method\": \"DELETE\""));
	assert_null(strstr(r.body, "X-Request"));
	assert_non_null(strstr(r.body, "\"X-Scope-OrgID\": \"team-a\""));
	result_free(&r);

	/* No Content-Type but the caller's. */
	fetch(&c, "PUT", "/echo", NULL, "plain", &r);
	assert_non_null(strstr(r.body, "\"method\": \"PUT\""));
	assert_non_null(strstr(r.body, "\"body\": \"plain\""));
	assert_null(strstr(r.body, "Content-Type"));
	result_free(&r);
	http_client_free(&c);
}

static void
test_basic_auth(void **state)
{
	struct http_client	c;
	struct result		r;

	client_init(&c, fake_port, 5000, 0);
	c.userpwd = xstrdup("alice:pw");
	fetch(&c, "GET", "/echo", NULL, NULL, &r);
	assert_non_null(strstr(r.body,
	    "\"Authorization\": \"Basic YWxpY2U6cHc=\""));
	result_free(&r);
	http_client_free(&c);
}

/* A server that repeats what it was sent in a 401: whatever the source does
 * with that body, the credentials are gone from it, in every encoding, and
 * the marker says something was there. */
static void
assert_scrubbed(const struct result *r, const char *const *gone)
{
	for (; *gone != NULL; gone++) {
		if (memmem(r->body, r->len, *gone, strlen(*gone)) != NULL)
			fail_msg("\"%s\" is in the body: %s", *gone, r->body);
	}
	assert_non_null(strstr(r->body, "[redacted]"));
}

static void
test_echoed_credentials_are_scrubbed(void **state)
{
	struct http_client	 c;
	struct result		 r;
	const char		*bearer[] = { "s3cr3t/T0KEN", "s3cr3t\\/T0KEN",
				    "Bearer s3cr", "k3y-abcdef", "oreo-42",
				    NULL };
	const char		*pd[] = { "pd-K3Y-xyz", NULL };
	const char		*basic[] = { "hunter2-pass",
				    "YWxpY2U6aHVudGVyMi1wYXNz", "alice:hunter2",
				    NULL };

	client_init(&c, fake_port, 5000, 0);
	c.auth_header = xstrdup("Authorization: Bearer s3cr3t/T0KEN");
	http_client_add_header(&c, "X-Api-Key: k3y-abcdef");
	http_client_add_header(&c, "Cookie: session=oreo-42");
	http_client_add_header(&c, "X-Scope-OrgID: team-a");
	fetch(&c, "GET", "/echo401", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_scrubbed(&r, bearer);
	assert_non_null(strstr(r.body, "bad Authorization: [redacted]"));
	/* What is not a credential is still said. */
	assert_non_null(strstr(r.body, "team-a"));
	result_free(&r);
	http_client_free(&c);

	/* PagerDuty's scheme. */
	client_init(&c, fake_port, 5000, 0);
	c.auth_header = xstrdup("Authorization: Token token=pd-K3Y-xyz");
	fetch(&c, "GET", "/echo401", NULL, NULL, &r);
	assert_scrubbed(&r, pd);
	result_free(&r);
	http_client_free(&c);

	/* Basic: user:password as base64, and the password alone. */
	client_init(&c, fake_port, 5000, 0);
	c.userpwd = xstrdup("alice:hunter2-pass");
	fetch(&c, "GET", "/echo401", NULL, NULL, &r);
	assert_scrubbed(&r, basic);
	result_free(&r);
	http_client_free(&c);
}

static void
test_scrub(void **state)
{
	struct http_client	 c;
	char			*s;
	size_t			 n;
	const char		 text[] = "no Bearer tok3n-123 for alice:pw, "
				    "tok3n-123 again\0and tok3n-123 after NUL";
	const char		 escaped[] = "{\"error\":\"bad "
				    "\\u0074ok3n\\/\\u00312\\u0033 \\\"q\\\" "
				    "\\\\u0041\"}";

	memset(&c, 0, sizeof c);
	c.auth_header = xstrdup("Authorization: Bearer tok3n-123");
	s = http_scrub(&c, text, sizeof text - 1, &n);
	assert_int_equal(n, strlen(s) + 1 + strlen(s + strlen(s) + 1));
	assert_string_equal(s, "no [redacted] for alice:pw, "
	    "[redacted] again");
	assert_string_equal(s + strlen(s) + 1, "and [redacted] after NUL");
	free(s);
	secret_free(c.auth_header);

	/* A password too short to scrub without mangling words stays. */
	c.auth_header = NULL;
	c.userpwd = xstrdup("alice:pw");
	s = http_scrub(&c, "alice:pw YWxpY2U6cHc= pw", 24, NULL);
	assert_string_equal(s, "[redacted] [redacted] pw");
	free(s);
	http_client_free(&c);

	/* Echoed with escapes a JSON parser undoes: still found, and the
	 * document stays JSON (no quote or backslash is unescaped). */
	memset(&c, 0, sizeof c);
	c.auth_header = xstrdup("Authorization: Bearer tok3n/123");
	s = http_scrub(&c, escaped, sizeof escaped - 1, NULL);
	assert_string_equal(s, "{\"error\":\"bad [redacted] \\\"q\\\" "
	    "\\\\u0041\"}");
	free(s);
	secret_free(c.auth_header);
}

static void
test_timeout(void **state)
{
	struct http_client	 c;
	struct result		 r;
	int64_t			 start;
	char			*why;

	client_init(&c, fake_port, 500, 0);
	start = loop_now_ms();
	fetch(&c, "GET", "/slow", NULL, NULL, &r);
	assert_true(loop_now_ms() - start < 2500);
	assert_non_null(r.error);
	assert_non_null(strstr(r.error, "timeout"));
	why = http_describe_error(&(struct http_response){
	    .status = r.status, .error = r.error, .retry_after_s = -1 });
	assert_string_equal(why, "timeout after 0.5s");
	free(why);
	result_free(&r);
	http_client_free(&c);
}

static void
test_body_cap(void **state)
{
	struct http_client	c;
	struct result		r;

	client_init(&c, fake_port, 5000, 1 * MIB);
	/* Announced by Content-Length. */
	fetch(&c, "GET", "/big", NULL, NULL, &r);
	assert_non_null(r.error);
	assert_string_equal(r.error, "response larger than 1048576 bytes");
	assert_int_equal(r.len, 0);
	result_free(&r);

	/* Found out while reading. */
	fetch(&c, "GET", "/big-chunked", NULL, NULL, &r);
	assert_non_null(r.error);
	assert_string_equal(r.error, "response larger than 1048576 bytes");
	result_free(&r);

	/* Under the default cap it arrives whole. */
	c.max_body = 0;
	fetch(&c, "GET", "/big", NULL, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.len, 2 * MIB);
	result_free(&r);
	http_client_free(&c);
}

static void
test_rate_limited(void **state)
{
	struct http_client	 c;
	struct result		 r;
	char			*why;

	client_init(&c, fake_port, 5000, 0);
	fetch(&c, "GET", "/429", NULL, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after_s, 7);
	why = http_describe_error(&(struct http_response){ .status = 429,
	    .retry_after_s = r.retry_after_s });
	assert_string_equal(why, "HTTP 429 (rate limited, retry in 7s)");
	free(why);
	result_free(&r);

	fetch(&c, "GET", "/retry-after", NULL, NULL, &r);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.retry_after_s, 12);
	why = http_describe_error(&(struct http_response){ .status = 503,
	    .retry_after_s = 12 });
	assert_string_equal(why, "HTTP 503");
	free(why);
	result_free(&r);
	http_client_free(&c);
}

/* However long a server asks to be left alone, it is an hour at most. */
static void
test_retry_after_is_bounded(void **state)
{
	struct http_client	 c;
	struct result		 r;
	char			*why;

	client_init(&c, fake_port, 5000, 0);
	fetch(&c, "GET", "/retry-huge", NULL, NULL, &r);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after_s, 3600);
	why = http_describe_error(&(struct http_response){ .status = 429,
	    .retry_after_s = r.retry_after_s });
	assert_string_equal(why, "HTTP 429 (rate limited, retry in 1h)");
	free(why);
	result_free(&r);

	fetch(&c, "GET", "/reset-huge", NULL, NULL, &r);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after_s, 3600);
	result_free(&r);
	http_client_free(&c);
}

/* The scheduler: a wait a backend asks for is bounded too, shown with the
 * failure, and the backoff after many failures of a long interval does
 * not overflow into "now". */
static int	refreshes;

static void
count_refresh(struct source *s)
{
	refreshes++;
}

static void
test_scheduler_waits_are_bounded(void **state)
{
	const struct backend_ops	 ops = { .kind = "test",
					    .refresh = count_refresh };
	struct model			 m;
	struct source			 s;
	const struct source_health	*h;
	time_t				 before = time(NULL);

	model_init(&m, NULL);
	memset(&s, 0, sizeof s);
	s.ops = &ops;
	s.name = "prom";
	s.model = &m;
	s.health = model_add_source(&m, "prom", "prometheus",
	    FEED_BIT(FEED_SLOS));
	s.interval_ms = 15000;
	s.rng = 1;
	h = &m.sources[s.health];

	s.retry_after_ms = INT64_MAX;
	source_done(&s, "HTTP 503");
	assert_string_equal(h->error, "HTTP 503 (retry in 1h)");
	assert_true(h->next_try >= before + 3600 &&
	    h->next_try <= time(NULL) + 3600);

	/* The backend said it already: not twice. */
	s.retry_after_ms = 30000;
	source_done(&s, "rate limited, retry in 30s");
	assert_string_equal(h->error, "rate limited, retry in 30s");

	/* A refresh interval of 3 million centuries, failing: five minutes. */
	s.interval_ms = INT64_MAX / 2;
	s.failures = 40;
	source_done(&s, "HTTP 500");
	assert_string_equal(h->error, "HTTP 500");
	assert_true(h->next_try >= before + 270 &&
	    h->next_try <= time(NULL) + 330);

	/* Nothing is due: the loop sleeps through 100 ms. */
	refreshes = 0;
	loop_timer_add(100, quit_fired, NULL);
	assert_int_equal(run_loop(2000), 0);
	assert_int_equal(refreshes, 0);
	loop_timer_cancel(&s.timer);
	model_free(&m);
}

static void
test_connection_refused(void **state)
{
	struct http_client	c;
	struct result		r;

	client_init(&c, closed_port(), 5000, 0);
	fetch(&c, "GET", "/ok", NULL, NULL, &r);
	assert_int_equal(r.status, 0);
	assert_non_null(r.error);
	assert_string_equal(r.error, "connection refused");
	result_free(&r);
	http_client_free(&c);
}

/* An HA pair whose first replica is down: the answer comes from the
 * second, the first is named, and the next request goes straight to the
 * second (one request, not two). */
static void
test_replicas_fail_over(void **state)
{
	struct config		 cfg;
	struct http_client	 c;
	struct result		 r;
	char			*text, *failing, *want;
	int			 dead = closed_port();
	uint64_t		 started;

	text = xasprintf("[prometheus]\nurl = http://127.0.0.1:%d\n"
	    "url = http://127.0.0.1:%d/\n", dead, fake_port);
	memset(&cfg, 0, sizeof cfg);
	assert_true(config_parse_string(&cfg, "test.conf", text));
	assert_true(http_client_configure(&c, &cfg, &cfg.sections[0], NULL));
	assert_int_equal(c.nreplicas, 2);
	assert_null(http_replicas_failing(&c));

	started = http_requests_started();
	fetch(&c, "GET", "/ok", NULL, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.status, 200);
	assert_int_equal(http_requests_started(), started + 2);
	failing = http_replicas_failing(&c);
	want = xasprintf("replica 127.0.0.1:%d failing: connection refused",
	    dead);
	assert_string_equal(failing, want);
	free(failing);
	free(want);
	result_free(&r);

	started = http_requests_started();
	fetch(&c, "GET", "/ok", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(http_requests_started(), started + 1);
	result_free(&r);

	/* Asked alone, the dead one fails alone: no failing over. */
	memset(&r, 0, sizeof r);
	r.quit = true;
	http_start_replica(&c, 0, "GET", "/ok", NULL, NULL, on_done, &r);
	assert_int_equal(run_loop(10000), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.error, "connection refused");
	result_free(&r);

	http_client_free(&c);
	config_free(&cfg);
	free(text);
}

/* Every replica down: the last one's failure is the answer. */
static void
test_replicas_all_down(void **state)
{
	struct http_client	 c;
	struct result		 r;
	struct config		 cfg;
	char			*text;

	text = xasprintf("[prometheus]\nurl = http://127.0.0.1:%d\n"
	    "url = http://127.0.0.1:%d/x\n", closed_port(), closed_port());
	memset(&cfg, 0, sizeof cfg);
	assert_true(config_parse_string(&cfg, "test.conf", text));
	assert_true(http_client_configure(&c, &cfg, &cfg.sections[0], NULL));
	fetch(&c, "GET", "/ok", NULL, NULL, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.error, "connection refused");
	result_free(&r);
	http_client_free(&c);
	config_free(&cfg);
	free(text);
}

static struct http_request *in_flight;

static void
cancel_fired(void *arg)
{
	http_cancel(in_flight);
	in_flight = NULL;
}

static void
test_cancel(void **state)
{
	struct http_client	 c;
	struct result		 r1, r2, r3;
	struct http_request	*req;

	memset(&r1, 0, sizeof r1);
	memset(&r2, 0, sizeof r2);
	memset(&r3, 0, sizeof r3);
	client_init(&c, fake_port, 5000, 0);

	/* Before it started, and while it waits for an answer. */
	req = http_start(&c, "GET", "/ok", NULL, NULL, on_done, &r1);
	http_cancel(req);
	in_flight = http_start(&c, "GET", "/slow", NULL, NULL, on_done, &r2);
	loop_timer_add(100, cancel_fired, NULL);
	/* A request that is not cancelled still completes. */
	http_start(&c, "GET", "/ok", NULL, NULL, on_done, &r3);
	loop_timer_add(400, quit_fired, NULL);

	assert_int_equal(run_loop(5000), 0);
	assert_int_equal(r1.calls, 0);
	assert_int_equal(r2.calls, 0);
	assert_int_equal(r3.calls, 1);
	assert_int_equal(r3.status, 200);
	result_free(&r3);
	http_client_free(&c);
}

/* Callbacks may start and cancel requests. */
struct chain {
	struct http_client	*c;
	struct http_request	*slow;
	struct result		 slow_result;
	struct result		 next;
	int			 calls;
};

static void
chain_first(struct http_response *resp, void *arg)
{
	struct chain	*ch = arg;

	ch->calls++;
	assert_int_equal(resp->status, 200);
	http_cancel(ch->slow);
	ch->next.quit = true;
	http_start(ch->c, "GET", "/echo", NULL, NULL, on_done, &ch->next);
}

static void
test_callback_starts_and_cancels(void **state)
{
	struct http_client	c;
	struct chain		ch;

	memset(&ch, 0, sizeof ch);
	client_init(&c, fake_port, 5000, 0);
	ch.c = &c;
	ch.slow = http_start(&c, "GET", "/slow", NULL, NULL, on_done,
	    &ch.slow_result);
	http_start(&c, "GET", "/ok", NULL, NULL, chain_first, &ch);
	assert_int_equal(run_loop(5000), 0);
	assert_int_equal(ch.calls, 1);
	assert_int_equal(ch.slow_result.calls, 0);
	assert_int_equal(ch.next.calls, 1);
	assert_int_equal(ch.next.status, 200);
	result_free(&ch.next);
	http_client_free(&c);
}

static int	many_left;

static void
many_done(struct http_response *resp, void *arg)
{
	int	*status = arg;

	*status = (int)resp->status;
	if (--many_left == 0)
		loop_quit(0);
}

static void
test_many_at_once(void **state)
{
	struct http_client	c;
	int			status[24], i;

	client_init(&c, fake_port, 5000, 0);
	many_left = 24;
	for (i = 0; i < 24; i++) {
		status[i] = -1;
		http_start(&c, "GET", "/ok", NULL, NULL, many_done, &status[i]);
	}
	assert_int_equal(run_loop(10000), 0);
	for (i = 0; i < 24; i++)
		assert_int_equal(status[i], 200);
	http_client_free(&c);
}

/* Finished transfers leave nothing behind that wakes the loop: no curl
 * timer, no watched socket, even with connections kept alive. */
static void
test_idle_after_requests(void **state)
{
	uint64_t	turns;

	turns = loop_turns();
	loop_timer_add(300, quit_fired, NULL);
	assert_int_equal(run_loop(2000), 0);
	assert_true(loop_turns() - turns <= 2);
}

static void
test_escape(void **state)
{
	char	*s;

	s = http_escape("a b&c=d/\xc3\xa9~x_y.z-");
	assert_string_equal(s, "a%20b%26c%3Dd%2F%C3%A9~x_y.z-");
	free(s);
	s = http_escape("{service=\"checkout\"}");
	assert_string_equal(s, "%7Bservice%3D%22checkout%22%7D");
	free(s);
	s = http_escape("");
	assert_string_equal(s, "");
	free(s);
}

static void
test_describe_error(void **state)
{
	char	*s;

	s = http_describe_error(&(struct http_response){ .status = 503,
	    .retry_after_s = -1 });
	assert_string_equal(s, "HTTP 503");
	free(s);
	s = http_describe_error(&(struct http_response){ .status = 429,
	    .retry_after_s = 30 });
	assert_string_equal(s, "HTTP 429 (rate limited, retry in 30s)");
	free(s);
	s = http_describe_error(&(struct http_response){ .status = 429,
	    .retry_after_s = -1 });
	assert_string_equal(s, "HTTP 429 (rate limited)");
	free(s);
}

/* Configuration. */

/* Configuring section type from cfg fails with a new message holding
 * every one of the words given (NULL-ended). */
static void
rejects(struct config *cfg, const char *type, ...)
{
	struct config_section	*sec;
	struct http_client	 c;
	size_t			 before = cfg->nerrors, i;
	const char		*word;
	bool			 found;
	va_list			 ap;

	sec = config_find(cfg, type, NULL);
	assert_non_null(sec);
	assert_false(http_client_configure(&c, cfg, sec, NULL));
	http_client_free(&c);
	assert_true(cfg->nerrors > before);

	va_start(ap, type);
	while ((word = va_arg(ap, const char *)) != NULL) {
		found = false;
		for (i = before; i < cfg->nerrors; i++) {
			if (strstr(cfg->errors[i], word) != NULL)
				found = true;
		}
		if (!found)
			fail_msg("no error for [%s] mentions \"%s\"", type, word);
	}
	va_end(ap);
}

static void
test_configure(void **state)
{
	struct config		 cfg;
	struct config_section	*sec;
	struct http_client	 c;
	const char		*text =
	    "[alertmanager]\n"
	    "url = http://127.0.0.1:9009/alertmanager//\n"
	    "header = X-Scope-OrgID: team-a\n"
	    "header = X-Other: b\n"
	    "token_env = SITREP_TEST_HTTP_TOKEN\n"
	    "timeout = 2s\n"
	    "ca_file = /etc/ssl/certs/ca-certificates.crt\n"
	    "[prometheus]\n"
	    "username = alice\n"
	    "password_env = SITREP_TEST_HTTP_TOKEN\n";

	setenv("SITREP_TEST_HTTP_TOKEN", "s3cret", 1);
	memset(&cfg, 0, sizeof cfg);
	assert_true(config_parse_string(&cfg, "test.conf", text));

	sec = config_find(&cfg, "alertmanager", NULL);
	assert_non_null(sec);
	assert_true(http_client_configure(&c, &cfg, sec, NULL));
	assert_string_equal(c.base_url, "http://127.0.0.1:9009/alertmanager");
	assert_int_equal(c.nheaders, 2);
	assert_string_equal(c.headers[0], "X-Scope-OrgID: team-a");
	assert_string_equal(c.headers[1], "X-Other: b");
	assert_string_equal(c.auth_header, "Authorization: Bearer s3cret");
	assert_null(c.userpwd);
	assert_int_equal(c.timeout_ms, 2000);
	assert_string_equal(c.ca_file, "/etc/ssl/certs/ca-certificates.crt");
	assert_int_equal(c.max_body, 16 * MIB);
	http_client_free(&c);

	sec = config_find(&cfg, "prometheus", NULL);
	assert_true(http_client_configure(&c, &cfg, sec,
	    "http://localhost:9090/"));
	assert_string_equal(c.base_url, "http://localhost:9090");
	assert_string_equal(c.userpwd, "alice:s3cret");
	assert_null(c.auth_header);
	assert_int_equal(c.timeout_ms, 10000);
	http_client_free(&c);

	assert_int_equal(cfg.nerrors, 0);
	config_free(&cfg);
}

static void
test_configure_rejects(void **state)
{
	struct config	 cfg;
	size_t		 i;
	const char	*text =
	    "[a]\n"
	    "url = ftp://127.0.0.1/\n"
	    "[b]\n"
	    "url = http://bob:hunter2@127.0.0.1/\n"
	    "[c]\n"
	    "url = http://127.0.0.1\n"
	    "header = no colon here\n"
	    "[d]\n"
	    "header = X-A: b\n"
	    "[e]\n"
	    "url = https://127.0.0.1\n"
	    "username = alice\n"
	    "[f]\n"
	    "url = https://127.0.0.1\n"
	    "token_env = SITREP_TEST_HTTP_TOKEN\n"
	    "username = alice\n"
	    "password_env = SITREP_TEST_HTTP_TOKEN\n"
	    "[g]\n"
	    "url = https://127.0.0.1/am\n"
	    "url = https://127.0.0.1/am/\n";

	setenv("SITREP_TEST_HTTP_TOKEN", "s3cret", 1);
	memset(&cfg, 0, sizeof cfg);
	assert_true(config_parse_string(&cfg, "test.conf", text));

	rejects(&cfg, "a", "test.conf:2:", "http:// or https://", NULL);
	rejects(&cfg, "b", "test.conf:4:", "credentials", NULL);
	rejects(&cfg, "c", "test.conf:7:", "header", NULL);
	rejects(&cfg, "d", "test.conf:8:", "url", NULL);
	rejects(&cfg, "e", "password", NULL);
	rejects(&cfg, "f", "token", NULL);
	rejects(&cfg, "g", "test.conf:20:", "repeats replica 1", NULL);

	/* No message repeats a credential. */
	for (i = 0; i < cfg.nerrors; i++) {
		assert_null(strstr(cfg.errors[i], "hunter2"));
		assert_null(strstr(cfg.errors[i], "s3cret"));
	}
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_order),
		cmocka_unit_test(test_idle_loop_sleeps),
		cmocka_unit_test(test_watch_removed_mid_turn),
		cmocka_unit_test(test_signal_arrives_in_loop),
		cmocka_unit_test(test_huge_timer_never_fires),
		cmocka_unit_test(test_get_ok),
		cmocka_unit_test(test_post_sends_body_and_headers),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_echoed_credentials_are_scrubbed),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_rate_limited),
		cmocka_unit_test(test_retry_after_is_bounded),
		cmocka_unit_test(test_scheduler_waits_are_bounded),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_replicas_fail_over),
		cmocka_unit_test(test_replicas_all_down),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_callback_starts_and_cancels),
		cmocka_unit_test(test_many_at_once),
		cmocka_unit_test(test_idle_after_requests),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_describe_error),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_configure_rejects),
	};

	return (cmocka_run_group_tests(tests, fake_start, fake_stop));
}
