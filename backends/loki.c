/*
 * loki.c: the Loki source. It follows a LogQL query into the log ring:
 * first the last `lookback` (15 minutes) of history, newest first until the
 * ring is full, then forward from the newest line seen, one refresh every
 * `poll` (2 s): Debian 12's libcurl has no WebSocket, so /tail is out of
 * reach, and query_range is polled instead.
 *
 * No line twice, none skipped: the cursor (core/logfollow.h) is the last
 * timestamp taken plus the identities taken at it, and each range starts at
 * that timestamp again, so lines sharing a nanosecond are neither repeated
 * nor lost across a page limit or a poll. A range ends `delay` (2 s) behind
 * the clock, for lines that reach Loki late (shippers batch them). A page
 * that Loki cut at `limit` is followed by the next at once; a page stuck on
 * one timestamp (more lines share it than the limit) raises the limit up to
 * `max_limit` and, past that, steps over the timestamp with a note in the
 * log saying so.
 *
 * When the console cannot keep up (the range to fetch lags the clock by more
 * than `max_lag`), it skips to the recent past and asks Loki how many lines
 * it skipped (sum(count_over_time(...)) over exactly that range), writing
 * the count into the log and the pane's title: what was dropped is said,
 * never silently lost.
 *
 * A Loki (or a proxy) that does not keep to what was asked cannot stop the
 * pane: a line from outside the range asked for is not shown but counted
 * with the dropped (one stamped near 2^63 ns would otherwise carry the
 * cursor where no later range reaches), and a full page that brings
 * nothing new ends the paging, with a note in the log, instead of asking
 * again forever (a Loki that ignores limit and end sends everything every
 * time).
 *
 * The query is a template: $service becomes the service of the alert, SLO
 * or deploy the user has selected (model->log), LogQL-quoted. When it
 * changes, the ring is emptied and the history loaded again for the new
 * target. Every refresh ends in exactly one source_done(), or in
 * source_restart() when the target changed under it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "backends/loki_parse.h"
#include "backends/loki_query.h"
#include "core/conf.h"
#include "core/logfollow.h"
#include "core/loghist.h"
#include "core/model.h"
#include "core/numconv.h"
#include "core/ring.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/worker.h"
#include "core/xalloc.h"

#define NS_PER_MS		INT64_C(1000000)
#define NS_PER_S		INT64_C(1000000000)
#define LOKI_MAX_BODY		((size_t)64 * 1024 * 1024)
#define LOKI_DEFAULT_QUERY	"{service=\"$service\"}"

/* History lines, newest first, until they go into the ring. */
struct loki_staged {
	int64_t		 ts;
	uint64_t	 hash;
	size_t		 label;		/* index into the stage's labels */
	char		*text;
	size_t		 len;
};

struct loki_stage {
	struct loki_staged	*v;
	size_t			 n, cap;
	size_t			 bytes;
	char			**labels;
	size_t			 nlabels;
};

enum loki_phase {
	LOKI_HISTORY,
	LOKI_FOLLOW
};

struct loki {
	struct source		*src;
	struct http_client	 http;
	char			*template;	/* the config's query */
	char			*service;	/* before any selection */
	int64_t			 lookback, delay, max_lag;	/* ns */
	long			 limit, max_limit, page_limit;
	size_t			 ring_lines, ring_bytes;

	uint64_t		 target_gen;	/* model->log.gen_target seen */
	bool			 targeted;
	bool			 hidden;	/* its environment is not shown */
	char			*query;		/* in force, NULL: waiting */
	enum loki_phase		 phase;
	struct logfollow	 fw;		/* following */
	struct logfollow	 bw;		/* loading history */
	struct loki_stage	 stage;
	int64_t			 hist_start, hist_end;
	int64_t			 round_end;	/* ranges of this round end here */
	int64_t			 caught_up;	/* all older than this is in */
	int64_t			 skip_from, skip_to;
	uint64_t		 skip_seen;

	bool			 tailing;	/* a crowded timestamp's end */
	bool			 skipped;	/* this round skipped ahead */
	int64_t			 ask_start, ask_end;	/* the range asked */
	bool			 said_outside;	/* noted, for this target */
	bool			 said_ignored;
	char			*note;		/* for after the history */

	/* The history view (core/loghist.h): pages fetched before a round
	 * when the pane asks for them. */
	bool			 hist_req;	/* the request is the view's */
	bool			 hist_around;	/* a newer page comes next */
	enum loghist_want	 hist_dir;
	long			 hist_limit;
	char			*hist_limit_note;	/* Loki's, said */
	int64_t			 hist_span;

	struct http_request	*req;
	bool			 answered;	/* during http_start */
	struct worker_job	*parse;		/* a page being parsed */
};

/* A query_range page parsed off the loop. The job owns the bytes (kept
 * for loki_retry when the answer is an error) and the result. */
struct loki_parse {
	struct loki		*lk;		/* the loop's side only */
	char			*body;
	size_t			 len;
	long			 status;
	int64_t			 retry_after_s;
	enum loki_direction	 dir;
	bool			 ok;
	struct loki_result	 r;
	char			*why;
};

/* --- configuration ---------------------------------------------------------- */

static bool
loki_configure_limits(struct loki *lk, struct config *cfg,
    struct config_section *sec)
{
	lk->lookback = time_mul_sat(config_duration_ms(cfg, sec, "lookback",
	    15 * 60000), NS_PER_MS);
	lk->delay = time_mul_sat(config_duration_ms(cfg, sec, "delay", 2000),
	    NS_PER_MS);
	lk->max_lag = time_mul_sat(config_duration_ms(cfg, sec, "max_lag",
	    30000), NS_PER_MS);
	lk->limit = (long)config_number(cfg, sec, "limit", 1000, 1, 1e6);
	lk->max_limit = (long)config_number(cfg, sec, "max_limit", 5000, 1,
	    1e7);
	if (lk->max_limit < lk->limit)
		lk->max_limit = lk->limit;
	lk->ring_lines = (size_t)config_number(cfg, sec, "ring_lines", 100000,
	    1, 1e8);
	lk->ring_bytes = (size_t)config_number(cfg, sec, "ring_bytes",
	    64.0 * 1024 * 1024, 4096, 64.0 * 1024 * 1024 * 1024);
	lk->hist_span = time_mul_sat(config_duration_ms(cfg, sec,
	    "history_span", 3600000), NS_PER_MS);
	if (lk->hist_span < NS_PER_S)
		lk->hist_span = NS_PER_S;
	if (lk->max_lag < time_mul_sat(lk->delay, 2))
		lk->max_lag = time_mul_sat(lk->delay, 2);
	return (true);
}

static bool
loki_configure_tenant(struct loki *lk, struct config *cfg,
    struct config_section *sec)
{
	const struct config_entry	*e = config_get(sec, "tenant");

	if (e == NULL)
		return (true);
	if (strpbrk(e->value, "\r\n") != NULL || *e->value == '\0') {
		config_error(cfg, e->line, "tenant: one line, e.g. team-a or "
		    "team-a|team-b");
		return (false);
	}
	http_client_add_header(&lk->http, "X-Scope-OrgID: %s", e->value);
	return (true);
}

/* Poll at least every `poll`: the scheduler adds up to 10% of jitter, so
 * it is given a tenth less. */
static void
loki_configure_poll(struct source *s, struct config *cfg)
{
	int64_t	ms;

	if (config_get(s->section, "poll") != NULL)
		ms = config_duration_ms(cfg, s->section, "poll", 2000);
	else if (config_get(s->section, "refresh") != NULL)
		ms = s->interval_ms;
	else
		ms = 2000;
	if (ms < 1000)
		ms = 1000;
	s->interval_ms = ms - ms / 10;
}

static bool
loki_start(struct source *s, struct config *cfg)
{
	struct loki	*lk;
	const char	*q;
	bool		 ok = true, sgr;

	lk = xcalloc(1, sizeof *lk);
	lk->src = s;
	s->data = lk;
	if (!http_client_configure(&lk->http, cfg, s->section, NULL))
		ok = false;
	lk->http.max_body = LOKI_MAX_BODY;
	if (!loki_configure_tenant(lk, cfg, s->section))
		ok = false;
	loki_configure_limits(lk, cfg, s->section);
	loki_configure_poll(s, cfg);
	q = config_str(s->section, "query", LOKI_DEFAULT_QUERY);
	if (*q == '\0') {
		config_error(cfg, config_get(s->section, "query")->line,
		    "query: a LogQL log query such as {service=\"$service\"}");
		ok = false;
	}
	lk->template = xstrdup(q);
	if (config_get(s->section, "service") != NULL)
		lk->service = xstrdup(config_str(s->section, "service", ""));
	sgr = config_bool(cfg, s->section, "colors",
	    config_bool(cfg, s->section, "colours", false));
	s->model->log.sgr = sgr;
	model_log_caps(s->model, lk->ring_lines, lk->ring_bytes);
	loghist_set_caps(&s->model->log_hist, s->model->logs.max_lines,
	    s->model->logs.max_bytes);
	if (s->model->log.template == NULL)
		model_set_log_template(s->model, lk->template);
	logfollow_init(&lk->fw, LOGFOLLOW_FORWARD, 0);
	logfollow_init(&lk->bw, LOGFOLLOW_BACKWARD, 0);
	return (ok);
}

/* --- history staging ------------------------------------------------------- */

static size_t
loki_stage_label(struct loki_stage *st, const char *labels)
{
	/* A page has few streams, and they repeat: look from the newest. */
	size_t	i;

	for (i = st->nlabels; i > 0; i--) {
		if (strcmp(st->labels[i - 1], labels) == 0)
			return (i - 1);
	}
	st->labels = xreallocarray(st->labels, st->nlabels + 1,
	    sizeof *st->labels);
	st->labels[st->nlabels] = xstrdup(labels);
	return (st->nlabels++);
}

static void
loki_stage_add(struct loki_stage *st, const struct loki_result *r,
    const struct loki_entry *e)
{
	struct loki_staged	*x;

	if (st->n == st->cap) {
		st->cap = st->cap == 0 ? 1024 : st->cap * 2;
		st->v = xreallocarray(st->v, st->cap, sizeof *st->v);
	}
	x = &st->v[st->n++];
	x->ts = e->ts;
	x->hash = e->hash;
	x->label = loki_stage_label(st, r->streams[e->stream].labels);
	x->text = xmalloc(e->len + 1);
	memcpy(x->text, e->line, e->len);
	x->text[e->len] = '\0';
	x->len = e->len;
	st->bytes += ring_line_bytes(0, e->len);
}

static void
loki_stage_clear(struct loki_stage *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++)
		free(st->v[i].text);
	for (i = 0; i < st->nlabels; i++)
		free(st->labels[i]);
	free(st->v);
	free(st->labels);
	memset(st, 0, sizeof *st);
}

/* --- requests ----------------------------------------------------------------- */

static void	loki_answer(struct http_response *, void *);

static void
loki_get(struct loki *lk, const char *path)
{
	struct http_request	*req;

	lk->answered = false;
	req = http_start(&lk->http, "GET", path, NULL, NULL, loki_answer, lk);
	lk->req = lk->answered ? NULL : req;
}

static void
loki_get_range(struct loki *lk, int64_t start, int64_t end, long limit,
    bool backward)
{
	char	*q = http_escape(lk->query), *path;

	lk->ask_start = start;
	lk->ask_end = end;
	path = xasprintf("/loki/api/v1/query_range?query=%s&start=%" PRId64
	    "&end=%" PRId64 "&limit=%ld&direction=%s", q, start, end, limit,
	    backward ? "backward" : "forward");
	loki_get(lk, path);
	free(path);
	free(q);
}

/* --- the round's end ------------------------------------------------------------- */

static void
loki_status(struct loki *lk, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
loki_status(struct loki *lk, const char *fmt, ...)
{
	struct model	*m = lk->src->model;
	va_list		 ap;

	free(m->log.status);
	m->log.status = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		m->log.status = xvasprintf(fmt, ap);
		va_end(ap);
	}
	model_logs_changed(m);
}

static void
loki_done(struct loki *lk, const char *error)
{
	source_done(lk->src, error);
}

/* The user moved to another service or typed another query while this
 * round was under way: end it now and start again at once. Nothing was
 * fetched, so the source's health stays as it was: a Loki that never
 * answered is not said to have worked at this moment. */
static bool
loki_stale(struct loki *lk)
{
	struct loghist	*h = &lk->src->model->log_hist;
	enum loghist_want w = lk->hist_dir;

	if (lk->src->model->log.gen_target == lk->target_gen)
		return (false);
	if (lk->hist_req) {
		/* The view's page is asked again in the next round, from
		 * where its cursors are. */
		lk->hist_req = false;
		loghist_done(h, NULL);
		h->want = w;
	}
	source_restart(lk->src);
	return (true);
}

static char *
loki_clock(int64_t ts, char *buf, size_t size)
{
	char	hms[16];

	time_format_clock(hms, sizeof hms, (time_t)(ts / NS_PER_S), false);
	snprintf(buf, size, "%s.%03" PRId64 "Z", hms, ts % NS_PER_S / NS_PER_MS);
	return (buf);
}

/* --- following ------------------------------------------------------------------- */

static void	loki_follow_page(struct loki *);
static void	loki_history_page(struct loki *);
static int64_t	loki_from(struct loki *);

/* Ask Loki how many lines [skip_from, skip_to) held, then move past it. */
static void
loki_skip(struct loki *lk)
{
	int64_t	 target, ms;
	char	*cq, *q, *path;

	/* The round now ends at the present; keep its last poll's worth. */
	lk->skipped = true;
	lk->round_end = time_sub_sat(time_wall_ns(), lk->delay);
	target = time_sub_sat(lk->round_end,
	    time_mul_sat(lk->src->interval_ms, NS_PER_MS));

	lk->skip_from = loki_from(lk);
	ms = time_sub_sat(target, lk->skip_from) / NS_PER_MS;
	if (ms <= 0) {
		loki_follow_page(lk);
		return;
	}
	lk->skip_to = lk->skip_from + ms * NS_PER_MS;
	/* Lines at the cursor's edge were shown: Loki counts them too. */
	lk->skip_seen = lk->skip_from == logfollow_bound(&lk->fw) ?
	    logfollow_edge_count(&lk->fw) : 0;
	cq = loki_query_count(lk->query, ms);
	q = http_escape(cq);
	/* The range (t - d, t] at t = skip_to - 1 is [skip_from, skip_to). */
	path = xasprintf("/loki/api/v1/query?query=%s&time=%" PRId64, q,
	    lk->skip_to - 1);
	loki_get(lk, path);
	free(path);
	free(q);
	free(cq);
}

static void
loki_skipped(struct loki *lk, double count, const char *why)
{
	struct model	*m = lk->src->model;
	uint64_t	 n;
	int64_t		 c;
	char		 a[32], b[32];

	loki_clock(lk->skip_from, a, sizeof a);
	loki_clock(lk->skip_to, b, sizeof b);
	if (why == NULL) {
		/* Loki's count is a double: NaN or 1e300 must not reach
		 * a cast, and says nothing about how many were skipped. */
		if (!num_double_to_i64(count, 0, INT64_MAX, &c))
			c = 0;
		n = (uint64_t)c > lk->skip_seen ? (uint64_t)c - lk->skip_seen :
		    0;
		m->log.skipped += n;
		model_log_mark(m, lk->src->health, lk->skip_from,
		    "%" PRIu64 " lines skipped from %s to %s: the console "
		    "fell behind (Loki counted them in [%" PRId64 ", %" PRId64
		    ") ns)", n, a, b, lk->skip_from, lk->skip_to);
	} else {
		m->log.gaps++;
		model_log_mark(m, lk->src->health, lk->skip_from,
		    "lines from %s to %s skipped: the console fell behind, "
		    "and Loki could not count them (%s)", a, b, why);
	}
	logfollow_jump(&lk->fw, lk->skip_to);
	lk->caught_up = lk->skip_to;
	model_log_horizon(m, lk->src->health, lk->skip_to, time_wall_ns());
	lk->skip_from = lk->skip_to = 0;
	loki_follow_page(lk);
}

/* Where fetching must go on from: the cursor, unless a complete range
 * already took us further (a quiet stream leaves the cursor behind). */
static int64_t
loki_from(struct loki *lk)
{
	int64_t	b = logfollow_bound(&lk->fw);

	return (lk->caught_up > b ? lk->caught_up : b);
}

/* More than max_lag between what is fetched and what could be: the
 * console fell behind. One skip a round, so that a round always ends. */
static bool
loki_behind(struct loki *lk)
{
	return (!lk->skipped && time_sub_sat(time_sub_sat(time_wall_ns(),
	    lk->delay), loki_from(lk)) > lk->max_lag);
}

static void
loki_follow_page(struct loki *lk)
{
	loki_get_range(lk, logfollow_bound(&lk->fw), lk->round_end,
	    lk->page_limit, false);
}

static void
loki_follow_round(struct loki *lk)
{
	if (logfollow_bound(&lk->fw) >= lk->round_end) {
		loki_done(lk, NULL);
		return;
	}
	if (loki_behind(lk))
		loki_skip(lk);
	else
		loki_follow_page(lk);
}

/* After a page: the round is over, or the console fell behind, or on. */
static void
loki_follow_next(struct loki *lk)
{
	if (logfollow_bound(&lk->fw) >= lk->round_end) {
		lk->caught_up = lk->round_end;
		loki_done(lk, NULL);
	} else if (loki_behind(lk))
		loki_skip(lk);
	else
		loki_follow_page(lk);
}

/*
 * A page stuck on one timestamp (more lines share it than the page holds):
 * raise the limit. At the most Loki allows, ask for the timestamp's lines
 * newest first too (loki_tail_answer): the first max_limit and the last
 * max_limit cover up to twice that many. True if that request went out.
 */
static bool
loki_unstick(struct loki *lk, struct logfollow *f, bool history)
{
	if (lk->page_limit < lk->max_limit) {
		lk->page_limit = lk->page_limit * 4 < lk->max_limit ?
		    lk->page_limit * 4 : lk->max_limit;
		return (false);
	}
	if (history)
		return (false);	/* older lines at that ns are not loaded */
	lk->tailing = true;
	loki_get_range(lk, f->ts, f->ts + 1, lk->max_limit, true);
	return (true);
}

/* A note in the log at the cursor; while the history is still staged it
 * waits for the history to go into the ring (the ring is in order). */
static void
loki_note(struct loki *lk, char *text)
{
	if (lk->phase == LOKI_HISTORY) {
		if (lk->note == NULL)
			lk->note = text;
		else
			free(text);
		return;
	}
	model_log_mark(lk->src->model, lk->src->health, lk->fw.ts, "%s", text);
	free(text);
}

/* Lines Loki sent from outside the range asked for: not shown, counted
 * with the dropped while they are not (each cursor counts them once, and
 * uncounts one that a later range takes), and said once in the log. */
static void
loki_outside(struct loki *lk, int64_t stray)
{
	struct model	*m = lk->src->model;
	uint64_t	 n = lk->fw.outside + lk->bw.outside;

	if (n != m->log.outside) {
		m->log.outside = n;
		model_logs_changed(m);
	}
	if (stray == 0 || lk->said_outside)
		return;
	lk->said_outside = true;
	loki_note(lk, xasprintf("Loki sent lines from outside the time range "
	    "asked for (one stamped %" PRId64 " ns, asked for [%" PRId64 ", %"
	    PRId64 ")): not shown, counted as dropped", stray, lk->ask_start,
	    lk->ask_end));
}

/* A full page with nothing new and lines that were not asked for: asking
 * again would bring the same. Said once in the log, and on the source. */
static void
loki_ignored(struct loki *lk, const char *what)
{
	char	*why;

	why = xasprintf("Loki ignores limit or end: a page of %ld brought "
	    "nothing new, so %s", lk->page_limit, what);
	model_source_warn(lk->src->model, lk->src->health, why);
	if (!lk->said_ignored) {
		lk->said_ignored = true;
		loki_note(lk, xstrdup(why));
	}
	free(why);
}

/* A page through the forward cursor: the lines it has not taken yet go
 * into the ring. */
static void
loki_take_follow(struct loki *lk, struct loki_result *r)
{
	struct model	*m = lk->src->model;
	size_t		 i;
	uint64_t	 outside = lk->fw.outside;
	int64_t		 stray = 0;

	logfollow_page_range(&lk->fw, lk->ask_start, lk->ask_end);
	for (i = 0; i < r->n; i++) {
		const struct loki_entry *e = &r->entries[i];

		if (logfollow_take(&lk->fw, e->ts, e->hash))
			model_log_offer(m, lk->src->health, e->ts,
			    r->streams[e->stream].labels, e->line, e->len);
		else if (lk->fw.outside > outside && stray == 0)
			stray = e->ts;
	}
	loki_outside(lk, stray);
}

/* The last lines of a crowded timestamp, newest first. Loki keeps one line
 * per stream, timestamp and text, so the two ends overlap exactly when
 * nothing lies between them; if they do not, say that some may. */
static void
loki_tail_answer(struct loki *lk, struct loki_result *r)
{
	struct model	*m = lk->src->model;
	uint64_t	 dups = lk->fw.dups;
	char		 when[32];

	lk->tailing = false;
	loki_take_follow(lk, r);
	(void)logfollow_page_end(&lk->fw, false);
	if (lk->fw.dups == dups && r->n >= (size_t)lk->max_limit) {
		m->log.gaps++;
		model_log_mark(m, lk->src->health, lk->fw.ts, "%ld lines or more share the "
		    "timestamp %s (%" PRId64 " ns): the first %ld and the last "
		    "%ld were fetched; any between them (there may be none) "
		    "were not (raise max_entries_limit_per_query in Loki and "
		    "max_limit here)", 2 * lk->max_limit,
		    loki_clock(lk->fw.ts, when, sizeof when), lk->fw.ts,
		    lk->max_limit, lk->max_limit);
	}
	logfollow_step_past(&lk->fw);
	lk->page_limit = lk->limit;
	model_logs_changed(m);
	loki_follow_next(lk);
}

static void
loki_follow_answer(struct loki *lk, struct loki_result *r)
{
	enum logfollow_next	next;

	loki_take_follow(lk, r);
	next = logfollow_page_end(&lk->fw, r->n >= (size_t)lk->page_limit);
	/* Every line before the cursor's timestamp is in; at the round's
	 * end, every line before its end. */
	model_log_horizon(lk->src->model, lk->src->health,
	    next == LOGFOLLOW_DONE || next == LOGFOLLOW_IGNORED ?
	    lk->round_end : lk->fw.ts, time_wall_ns());
	model_logs_changed(lk->src->model);
	switch (next) {
	case LOGFOLLOW_IGNORED:
		loki_ignored(lk, "this round stops here");
		/* FALLTHROUGH */
	case LOGFOLLOW_DONE:
		lk->caught_up = lk->round_end;
		lk->page_limit = lk->limit;
		loki_done(lk, NULL);
		return;
	case LOGFOLLOW_STUCK:
		if (loki_unstick(lk, &lk->fw, false))
			return;
		break;
	case LOGFOLLOW_MORE:
		/* Past a crowded timestamp: back to the usual page size. */
		lk->page_limit = lk->limit;
		break;
	}
	loki_follow_next(lk);
}

/* --- history ------------------------------------------------------------------- */

static void
loki_history_page(struct loki *lk)
{
	loki_get_range(lk, lk->hist_start, logfollow_bound(&lk->bw),
	    lk->page_limit, true);
}

/* Hand the staged history to the ring, oldest first, and follow on from
 * its newest line. */
static void
loki_history_finish(struct loki *lk)
{
	struct model		*m = lk->src->model;
	struct loki_stage	*st = &lk->stage;
	struct ring_in		*in;
	size_t			 i;

	logfollow_init(&lk->fw, LOGFOLLOW_FORWARD, lk->hist_end);
	/* Oldest first, in time order among another Loki's lines. */
	in = xreallocarray(NULL, st->n + 1, sizeof *in);
	for (i = st->n; i > 0; i--) {
		const struct loki_staged *x = &st->v[i - 1];

		in[st->n - i].ts = x->ts;
		in[st->n - i].labels = st->labels[x->label];
		in[st->n - i].text = x->text;
		in[st->n - i].len = x->len;
	}
	ring_merge(&m->logs, in, st->n, model_log_from(m, lk->src->health));
	free(in);
	/* The newest are first in the stage: seed the edge with them. */
	for (i = 0; i < st->n && st->v[i].ts == st->v[0].ts; i++)
		logfollow_seed(&lk->fw, st->v[i].ts, st->v[i].hash);
	if (lk->note != NULL) {
		model_log_mark(m, lk->src->health, st->n > 0 ? st->v[0].ts : lk->hist_end - 1,
		    "%s", lk->note);
		free(lk->note);
		lk->note = NULL;
	}
	loki_stage_clear(st);
	lk->caught_up = lk->hist_end;
	model_log_horizon(m, lk->src->health, lk->hist_end, time_wall_ns());
	lk->phase = LOKI_FOLLOW;
	lk->page_limit = lk->limit;
	loki_status(lk, NULL);
	lk->round_end = time_sub_sat(time_wall_ns(), lk->delay);
	loki_follow_round(lk);
}

static void
loki_history_answer(struct loki *lk, struct loki_result *r)
{
	enum logfollow_next	next;
	size_t			i;
	bool			full = r->n >= (size_t)lk->page_limit;
	char			span[16];
	uint64_t		outside = lk->bw.outside;
	int64_t			stray = 0;

	logfollow_page_range(&lk->bw, lk->ask_start, lk->ask_end);
	for (i = r->n; i > 0; i--) {
		const struct loki_entry *e = &r->entries[i - 1];

		if (logfollow_take(&lk->bw, e->ts, e->hash))
			loki_stage_add(&lk->stage, r, e);
		else if (lk->bw.outside > outside && stray == 0)
			stray = e->ts;
	}
	loki_outside(lk, stray);
	next = logfollow_page_end(&lk->bw, full);
	if (next == LOGFOLLOW_IGNORED)
		loki_ignored(lk, "loading the history stops here");
	if (next == LOGFOLLOW_DONE || next == LOGFOLLOW_IGNORED || lk->stage.n >= lk->ring_lines ||
	    lk->stage.bytes >= lk->ring_bytes) {
		loki_history_finish(lk);
		return;
	}
	if (next == LOGFOLLOW_STUCK) {
		if (lk->page_limit >= lk->max_limit) {
			loki_history_finish(lk);
			return;
		}
		loki_unstick(lk, &lk->bw, true);
	}
	duration_format(span, sizeof span, lk->lookback / NS_PER_S);
	loki_status(lk, "loading the last %s: %zu lines so far", span,
	    lk->stage.n);
	loki_history_page(lk);
}

/* --- the history view ------------------------------------------------ */

static void	loki_round(struct loki *);

static void
loki_hist_page(struct loki *lk)
{
	struct loghist	*h = &lk->src->model->log_hist;
	int64_t		 start, end;

	loghist_range(h, lk->hist_dir, lk->hist_span,
	    time_sub_sat(time_wall_ns(), lk->delay), &start, &end);
	h->doing = lk->hist_dir;
	h->from = model_log_from(lk->src->model, lk->src->health);
	loghist_page_begin(h, lk->hist_dir, start, end);
	lk->hist_req = true;
	model_logs_changed(lk->src->model);
	loki_get_range(lk, start, end, lk->hist_limit,
	    lk->hist_dir == LOGHIST_OLDER);
}

/* Serve the pane's request, if any, before the round: true if a page
 * went out. */
static bool
loki_hist_start(struct loki *lk)
{
	struct loghist		*h = &lk->src->model->log_hist;
	enum loghist_want	 w;

	/* With several Lokis shown, one serves the view, always the same. */
	if (!model_log_history_from(lk->src->model, lk->src->health))
		return (false);
	if ((w = loghist_take(h)) == LOGHIST_NONE)
		return (false);
	if (lk->hist_limit == 0)
		lk->hist_limit = lk->limit < lk->max_limit ? lk->limit :
		    lk->max_limit;
	lk->hist_around = w == LOGHIST_AROUND;
	lk->hist_dir = w == LOGHIST_NEWER ? LOGHIST_NEWER : LOGHIST_OLDER;
	loki_hist_page(lk);
	return (true);
}

/* The request is served, or failed: the round goes on. */
static void
loki_hist_end(struct loki *lk, const char *status)
{
	struct model	*m = lk->src->model;

	lk->hist_req = false;
	lk->hist_around = false;
	loghist_done(&m->log_hist, status != NULL ? status :
	    lk->hist_limit_note);
	model_logs_changed(m);
	loki_round(lk);
}

static void
loki_hist_answer(struct loki *lk, struct loki_result *r)
{
	struct loghist	*h = &lk->src->model->log_hist;
	size_t		 i;
	char		*warn = NULL;

	if (lk->hist_dir == LOGHIST_OLDER) {
		for (i = r->n; i > 0; i--) {
			const struct loki_entry *e = &r->entries[i - 1];

			loghist_page_take(h, e->ts, e->hash,
			    r->streams[e->stream].labels, e->line, e->len);
		}
	} else {
		for (i = 0; i < r->n; i++) {
			const struct loki_entry *e = &r->entries[i];

			loghist_page_take(h, e->ts, e->hash,
			    r->streams[e->stream].labels, e->line, e->len);
		}
	}
	loghist_page_end(h, r->n >= (size_t)lk->hist_limit);
	if (lk->hist_around && lk->hist_dir == LOGHIST_OLDER) {
		lk->hist_dir = LOGHIST_NEWER;
		lk->hist_around = false;
		loki_hist_page(lk);
		return;
	}
	if (r->nwarnings > 0)
		warn = xasprintf("Loki: %s", r->warnings[0]);
	loki_hist_end(lk, warn);
	free(warn);
}

/* A failed page of the view's: Loki's own entry limit is kept to (and
 * said); anything else is said in the view's title. */
static void
loki_hist_failed(struct loki *lk, struct http_response *resp,
    const char *why)
{
	long	 max;
	char	*say;

	if (resp != NULL && resp->status == 400 && resp->body != NULL &&
	    loki_parse_max_entries(resp->body, &max) && max > 0 &&
	    max < lk->hist_limit) {
		/* The page is asked again within the limit, which the title
		 * says from now on: pages are smaller than they could be. */
		lk->hist_limit = max;
		free(lk->hist_limit_note);
		lk->hist_limit_note = xasprintf("Loki's limit: %ld lines a "
		    "query", max);
		loki_hist_page(lk);
		return;
	}
	say = xasprintf("Loki: %s", why != NULL ? why : "failed");
	lk->hist_around = false;
	loki_hist_end(lk, say);
	free(say);
}

/* --- answers ------------------------------------------------------------------- */

static bool
loki_too_big(const struct http_response *resp)
{
	return (resp->error != NULL &&
	    strncmp(resp->error, "response larger than", 20) == 0);
}

/* A failed answer that asking again differently may cure: Loki's own
 * entry limit, or a body over our cap. True if a request went out. */
static bool
loki_retry(struct loki *lk, struct http_response *resp)
{
	long	max;
	char	*body = resp->body != NULL ? resp->body : (char *)"";

	if (resp->status == 400 && lk->skip_to == 0 &&
	    loki_parse_max_entries(body, &max)) {
		/* Only if asking again asks for less: no loop. */
		if (max >= lk->max_limit && lk->page_limit <= max)
			return (false);
		lk->max_limit = max;
		if (lk->limit > max)
			lk->limit = max;
		free(lk->hist_limit_note);
		lk->hist_limit_note = xasprintf("Loki's limit: %ld lines a "
		    "query", max);
		lk->page_limit = lk->page_limit > max ? max : lk->page_limit;
	} else if (loki_too_big(resp) && lk->page_limit > 1 &&
	    lk->skip_to == 0)
		/* A quarter (as a page grows back by four): from 5,000 lines
		 * to one in six more requests, where halving took twelve. */
		lk->page_limit = lk->page_limit / 4 > 0 ? lk->page_limit / 4 :
		    1;
	else
		return (false);
	lk->tailing = false;
	if (lk->phase == LOKI_HISTORY)
		loki_history_page(lk);
	else
		loki_follow_page(lk);
	return (true);
}

static void
loki_failed(struct loki *lk, struct http_response *resp, char *why)
{
	if (resp->status == 429 && resp->retry_after_s > 0)
		lk->src->retry_after_ms = time_mul_sat(resp->retry_after_s,
		    1000);
	if (lk->skip_to != 0) {
		/* The count failed, not the logs: skip anyway, and say. */
		loki_skipped(lk, 0, why);
		free(why);
		return;
	}
	/* Another Loki's lines wait on this one no more. */
	model_log_leave(lk->src->model, lk->src->health, time_wall_ns());
	loki_done(lk, why);
	free(why);
}

/* On a worker thread. */
static void
loki_parse_run(void *ctx)
{
	struct loki_parse	*p = ctx;

	p->ok = loki_parse_query_range(p->body, p->len, p->status, p->dir,
	    &p->r, &p->why);
}

static void
loki_parse_release(void *ctx)
{
	struct loki_parse	*p = ctx;

	loki_result_free(&p->r);
	free(p->body);
	free(p->why);
	free(p);
}

/* On the loop: the page into the follow cursor, as if parsed here. */
static void
loki_parse_done(void *ctx)
{
	struct loki_parse	*p = ctx;
	struct loki		*lk = p->lk;
	struct http_response	 resp;

	lk->parse = NULL;
	if (loki_stale(lk))
		return;
	if (lk->hist_req) {
		memset(&resp, 0, sizeof resp);
		resp.status = p->status;
		resp.body = p->body;
		resp.len = p->len;
		if (!p->ok)
			loki_hist_failed(lk, &resp, p->why);
		else
			loki_hist_answer(lk, &p->r);
		return;
	}
	if (!p->ok) {
		memset(&resp, 0, sizeof resp);
		resp.status = p->status;
		resp.body = p->body;
		resp.len = p->len;
		resp.retry_after_s = p->retry_after_s;
		if (loki_retry(lk, &resp))
			return;
		loki_failed(lk, &resp, p->why);
		p->why = NULL;
		return;
	}
	if (p->r.nwarnings > 0)
		model_source_warn(lk->src->model, lk->src->health,
		    p->r.warnings[0]);
	if (lk->tailing)
		loki_tail_answer(lk, &p->r);
	else if (lk->phase == LOKI_HISTORY)
		loki_history_answer(lk, &p->r);
	else
		loki_follow_answer(lk, &p->r);
}

static void
loki_answer(struct http_response *resp, void *arg)
{
	struct loki		*lk = arg;
	struct loki_parse	*p;
	double			 count;
	char			*why = NULL;

	lk->req = NULL;
	lk->answered = true;
	if (loki_stale(lk))
		return;
	if (resp->error != NULL && lk->hist_req) {
		loki_hist_failed(lk, NULL, resp->error);
		return;
	}
	if (resp->error != NULL) {
		if (loki_retry(lk, resp))
			return;
		loki_failed(lk, resp, xstrdup(resp->error));
		return;
	}
	if (lk->skip_to != 0) {
		if (loki_parse_count(resp->body, resp->len, resp->status,
		    &count, &why))
			loki_skipped(lk, count, NULL);
		else
			loki_failed(lk, resp, why);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->lk = lk;
	p->body = xmemdup(resp->body != NULL ? resp->body : "", resp->len);
	p->len = resp->len;
	p->status = resp->status;
	p->retry_after_s = resp->retry_after_s;
	if (lk->hist_req)
		p->dir = lk->hist_dir == LOGHIST_OLDER ? LOKI_BACKWARD :
		    LOKI_FORWARD;
	else
		p->dir = lk->phase == LOKI_HISTORY || lk->tailing ?
		    LOKI_BACKWARD : LOKI_FORWARD;
	lk->parse = worker_submit(loki_parse_run, loki_parse_done,
	    loki_parse_release, p);
}

/* --- refresh ------------------------------------------------------------------- */

/* Work out the query for what the user follows now; a new one empties the
 * ring and loads its history. */
static void
loki_retarget(struct loki *lk)
{
	struct model	*m = lk->src->model;
	const char	*t = m->log.template != NULL ? m->log.template :
			    lk->template;
	const char	*svc = m->log.service != NULL ? m->log.service :
			    lk->service;
	char		*q, *why, span[16];
	int64_t		 now = time_wall_ns();

	lk->target_gen = m->log.gen_target;
	lk->targeted = true;
	if (!model_source_shown(m, lk->src->health)) {
		/* Its environment is not shown: its lines go, and it waits
		 * (asking nothing) until it is shown again. */
		if (lk->query != NULL || !lk->hidden)
			model_log_reset(m, lk->src->health);
		free(lk->query);
		lk->query = NULL;
		lk->hidden = true;
		return;
	}
	lk->hidden = false;
	if ((q = loki_query_expand(t, svc, &why)) == NULL) {
		free(lk->query);
		lk->query = NULL;
		model_set_log_query(m, NULL);
		loki_status(lk, "%s", svc == NULL ? "waiting for a service: "
		    "select an alert, SLO or deploy (the query has $service)" :
		    why);
		free(why);
		return;
	}
	if (lk->query != NULL && strcmp(q, lk->query) == 0) {
		free(q);
		return;
	}
	free(lk->query);
	lk->query = q;
	model_set_log_query(m, q);
	model_log_reset(m, lk->src->health);
	/* The history shown was another query's. */
	if (m->log_hist.active)
		loghist_close(&m->log_hist);
	lk->hist_limit = 0;
	loki_stage_clear(&lk->stage);
	lk->phase = LOKI_HISTORY;
	lk->hist_end = time_sub_sat(now, lk->delay);
	lk->hist_start = time_sub_sat(now, lk->lookback);
	lk->page_limit = lk->max_limit < (long)lk->ring_lines ?
	    lk->max_limit : (long)lk->ring_lines;
	logfollow_free(&lk->bw);
	logfollow_init(&lk->bw, LOGFOLLOW_BACKWARD, lk->hist_end - 1);
	logfollow_free(&lk->fw);
	logfollow_init(&lk->fw, LOGFOLLOW_FORWARD, lk->hist_end);
	lk->skip_from = lk->skip_to = 0;
	lk->said_outside = lk->said_ignored = false;
	free(lk->note);
	lk->note = NULL;
	duration_format(span, sizeof span, lk->lookback / NS_PER_S);
	loki_status(lk, "loading the last %s", span);
}

static void
loki_refresh(struct source *s)
{
	struct loki	*lk = s->data;

	if (lk->http.base_url == NULL) {
		source_done(s, "not configured");
		return;
	}
	if (!lk->targeted || s->model->log.gen_target != lk->target_gen)
		loki_retarget(lk);
	if (lk->query == NULL) {
		if (lk->hidden)
			source_idle(s);
		else
			source_done(s, NULL);
		return;
	}
	lk->hist_req = false;
	if (lk->phase == LOKI_FOLLOW && loki_hist_start(lk))
		return;
	loki_round(lk);
}

/* The round proper: the history of the ring, or following. */
static void
loki_round(struct loki *lk)
{
	lk->round_end = time_sub_sat(time_wall_ns(), lk->delay);
	lk->tailing = false;
	lk->skipped = false;
	if (lk->phase == LOKI_HISTORY)
		loki_history_page(lk);
	else
		loki_follow_round(lk);
}

static void
loki_stop(struct source *s)
{
	struct loki	*lk = s->data;

	if (lk == NULL)
		return;
	http_cancel(lk->req);
	worker_cancel(&lk->parse);
	http_client_free(&lk->http);
	loki_stage_clear(&lk->stage);
	logfollow_free(&lk->fw);
	logfollow_free(&lk->bw);
	free(lk->template);
	free(lk->service);
	free(lk->query);
	free(lk->note);
	free(lk->hist_limit_note);
	free(lk);
	s->data = NULL;
}

const struct backend_ops loki_backend_ops = {
	.kind = "loki",
	.feeds = FEED_BIT(FEED_LOGS),
	.start = loki_start,
	.refresh = loki_refresh,
	.act = NULL,
	.stop = loki_stop,
};
