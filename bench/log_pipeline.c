/*
 * log_pipeline.c: the log pipeline's budgets, measured side by side in one
 * run on one core (see bench/README.md, "Logs").
 *
 * It makes Loki query_range answers of 1000 lines each, ~200-byte lines
 * over 8 streams, as a flood would bring them, and times:
 *   1. jansson alone: json_loadb + json_decref of each answer;
 *   2. the pipeline: loki_parse_query_range (jansson, flattening, sorting,
 *      identity hashes), the follow cursor, the ring, and the logs pane's
 *      visible index under a PCRE2 keep filter (JIT);
 *   3. the filter stage alone over the lines held, against `grep -P -c`
 *      with the same pattern over the same lines (a file), in the same run;
 *   4. the ring's memory: what it holds (ring_memory, and the heap as
 *      glibc counts it, malloc overhead included) against the text
 *      retained;
 *   5. field recognition (core/logfields.c, the logfmt lines as the pane
 *      reads them) over the lines held, and the pipeline with it;
 *   6. a filter of field matchers (level=error) over the lines held,
 *      against `grep -P -c level=error`;
 *   7. a history view of 100,000 lines (core/loghist.c, fed a page at a
 *      time going back, as the pane's history is): its memory against
 *      its text;
 *   8. two Lokis' lines (the lines held, and the same a nanosecond
 *      later), a page of each in turn, through core/logmix.c into a
 *      ring, against pushing them straight in: what keeping the ring in
 *      time order across sources costs a line.
 * Answers are made before each is timed; making them is not counted.
 *
 *	make bench/log_pipeline && bench/log_pipeline [LINES] [PATTERN]
 */
#include "config.h"

#include <sys/wait.h>

#include <inttypes.h>
#include <stdbool.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/loki_parse.h"
#include "core/highlight.h"
#include "core/logfields.h"
#include "core/logfilter.h"
#include "core/loghist.h"
#include "core/logview.h"
#include "core/lregex.h"
#include "core/logfollow.h"
#include "core/logmix.h"
#include "core/ring.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

#define PAGE		1000
#define STREAMS		8

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static uint64_t	rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

static const char *const msgs[] = {
	"GET /api/v1/orders 200 in 12ms id=",
	"POST /api/v1/payments 502 upstream payments timeout after 3000ms n=",
	"cache refresh done evicted=3 keys=",
	"ERROR payment authorization failed: upstream returned 502 n=",
	"request completed status=200 bytes=",
};

/* One line of about 200 bytes (into sb, without quotes or escapes). */
static void
make_line(struct sbuf *sb, uint64_t n)
{
	uint64_t	r = rnd();
	size_t		start = sb->len;

	sbuf_addf(sb, "ts=2026-11-26T14:32:%02u.%06uZ level=%s trace_id=%016llx "
	    "span_id=%08llx caller=handler.go:%u msg=\"", (unsigned)(n % 60),
	    (unsigned)(n % 1000000), r % 20 == 0 ? "error" : "info",
	    (unsigned long long)rnd(), (unsigned long long)(r >> 32),
	    (unsigned)(r % 900 + 100));
	sbuf_addf(sb, "%s%llu", msgs[r % 5], (unsigned long long)(r >> 20));
	sbuf_adds(sb, "\" user_agent=\"okhttp/4.9\"");
	while (sb->len - start < 200)
		sbuf_addc(sb, ' ');
}

/* The line inside a JSON string: its quotes escaped. */
static void
json_quote(struct sbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			sbuf_addc(sb, '\\');
		sbuf_addc(sb, *s);
	}
}

/* A forward query_range answer of PAGE lines from *n on; the raw lines
 * also go to `text` (one per line) when it is not NULL. */
static char *
make_page(uint64_t *n, int64_t *ts, size_t *len, struct sbuf *text,
    size_t *text_bytes)
{
	struct sbuf	 sb, line;
	int		 s, k;

	sbuf_init(&sb);
	sbuf_init(&line);
	sbuf_adds(&sb, "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"streams\",\"result\":[");
	for (s = 0; s < STREAMS; s++) {
		sbuf_addf(&sb, "%s{\"stream\":{\"app\":\"checkout\",\"namespace\":"
		    "\"shop\",\"pod\":\"checkout-7f9c6d-%02d\",\"container\":"
		    "\"app\"},\"values\":[", s > 0 ? "," : "", s);
		for (k = 0; k < PAGE / STREAMS; k++) {
			sbuf_reset(&line);
			make_line(&line, *n);
			sbuf_addf(&sb, "%s[\"%" PRId64 "\",\"", k > 0 ?
			    "," : "", *ts + k * STREAMS + s);
			json_quote(&sb, line.s);
			sbuf_adds(&sb, "\"]");
			if (text != NULL) {
				sbuf_add(text, line.s, line.len);
				sbuf_addc(text, '\n');
			}
			*text_bytes += line.len;
			(*n)++;
		}
		sbuf_adds(&sb, "]}");
	}
	sbuf_adds(&sb, "]}}");
	*ts += PAGE;
	sbuf_free(&line);
	*len = sb.len;
	return (sbuf_steal(&sb));
}

static size_t
heap_used(void)
{
	struct mallinfo2	mi = mallinfo2();

	return (mi.uordblks + mi.hblkhd);
}

/* Seconds `grep -P -c pattern file` takes, and what it counted. */
static double
grep_time(const char *pattern, const char *path, long *count)
{
	int	 fd[2], status;
	pid_t	 pid;
	double	 t0, t;
	char	 buf[64];
	ssize_t	 n;

	if (pipe(fd) == -1)
		return (-1);
	t0 = now_s();
	if ((pid = fork()) == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		setenv("LC_ALL", "C.UTF-8", 1);
		execlp("grep", "grep", "-P", "-c", pattern, path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	n = read(fd[0], buf, sizeof buf - 1);
	waitpid(pid, &status, 0);
	t = now_s() - t0;
	close(fd[0]);
	buf[n > 0 ? n : 0] = '\0';
	*count = strtol(buf, NULL, 10);
	return (WIFEXITED(status) && WEXITSTATUS(status) <= 1 ? t : -1);
}

/* 5 and 6: fields recognized per line, and a filter of field matchers
 * against grep -P over the same lines. */
static void
bench_fields(const struct ring *ring, uint64_t lines, double t_pipe,
    const char *pattern)
{
	struct logfields	*lf = xmalloc(sizeof *lf);
	const struct log_line	*l;
	struct logview		 mv;
	size_t			 i, recognized = 0, text = 0;
	double			 t, t_fields, t_match, t_grep;
	char			*why, path[] = "/tmp/sitrep-bench-XXXXXX";
	long			 grep_count = 0;
	FILE			*f;
	int			 fd;

	t = now_s();
	for (i = 0; i < ring->n; i++) {
		l = ring_get(ring, i);
		if (logfields_parse(LOG_LINE_TEXT(l), l->len, lf) &&
		    lf->msg >= 0 && lf->level >= 0)
			recognized++;
	}
	t_fields = now_s() - t;
	printf("fields recognized (logfmt):   %8.0f lines/s  (%.3f s, %zu of "
	    "%zu with level and msg)\n", (double)ring->n / t_fields, t_fields,
	    recognized, ring->n);
	printf("pipeline with field recognition: %8.0f lines/s  (pattern /%s/"
	    ")\n", (double)lines / (t_pipe + t_fields), pattern);

	logview_init(&mv);
	if (!logfilter_push(&mv.filter, LOGFILTER_KEEP, "level=error", &why)) {
		fprintf(stderr, "log_pipeline: %s\n", why);
		exit(2);
	}
	t = now_s();
	logview_rebuild(&mv, ring);
	t_match = now_s() - t;
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("log_pipeline: mkstemp");
		exit(2);
	}
	for (i = 0; i < ring->n; i++) {
		l = ring_get(ring, i);
		fwrite(LOG_LINE_TEXT(l), 1, l->len, f);
		fputc('\n', f);
		text += l->len;
	}
	fclose(f);
	t_grep = grep_time("level=error", path, &grep_count);
	unlink(path);
	printf("field filter (matcher level=error): %8.0f lines/s  "
	    "(%.3f s, %zu pass)\n", (double)ring->n / t_match, t_match,
	    logview_count(&mv, ring));
	printf("grep -P -c level=error:       %8.0f lines/s  (%.3f s, %ld "
	    "matching)\n", (double)ring->n / t_grep, t_grep, grep_count);
	printf("field filter / grep time: %.2fx\n", t_match / t_grep);
	logview_free(&mv);
	free(lf);
	(void)text;
}

/* 7: a history view of 100,000 lines, fed newest first in pages of 1,000
 * as Loki's backward pages come. */
static void
bench_history(const struct ring *ring)
{
	struct loghist		 h;
	const struct log_line	*l;
	size_t			 heap0, heap, i, n, text = 0, k;

	n = ring->n < 100000 ? ring->n : 100000;
	heap0 = heap_used();
	loghist_init(&h);
	loghist_set_caps(&h, n, (size_t)-1 / 2);
	loghist_open(&h, ring_get(ring, ring->n - 1)->ts + 1);
	(void)loghist_take(&h);
	for (i = 0; i < n; i += k) {
		h.doing = LOGHIST_OLDER;
		loghist_page_begin(&h, LOGHIST_OLDER, 0, INT64_MAX);
		for (k = 0; k < 1000 && i + k < n; k++) {
			l = ring_get(ring, ring->n - 1 - (i + k));
			loghist_page_take(&h, l->ts, l->seq, LOG_LINE_LABELS(l),
			    LOG_LINE_TEXT(l), l->len);
			text += l->len;
		}
		loghist_page_end(&h, true);
	}
	heap = heap_used() - heap0;
	printf("history view: %zu lines, text %.1f MB, ring_memory %.1f MB "
	    "(%.2fx text), heap %.1f MB (%.2fx text, cursors and malloc "
	    "overhead included)\n", h.lines.n, (double)text / 1e6,
	    (double)ring_memory(&h.lines) / 1e6,
	    (double)ring_memory(&h.lines) / (double)text, (double)heap / 1e6,
	    (double)heap / (double)text);
	loghist_free(&h);
}

/* 8: the lines held, as two Lokis polled in turn bring them. */
static double
bench_mix_run(const struct ring *ring, bool mix, struct ring *out)
{
	struct logmix		 x;
	const struct log_line	*l;
	size_t			 i, k, src;
	double			 t;

	ring_init(out, 2 * ring->n, (size_t)-1);
	logmix_init(&x, INT64_MAX / 2);
	logmix_set_caps(&x, ring->n, (size_t)-1);
	t = now_s();
	for (i = 0; i < ring->n; i += PAGE) {
		for (src = 0; src < 2; src++) {
			for (k = i; k < i + PAGE && k < ring->n; k++) {
				l = ring_get(ring, k);
				if (mix)
					logmix_offer(&x, out, src,
					    l->ts + (int64_t)src,
					    LOG_LINE_LABELS(l),
					    LOG_LINE_TEXT(l), l->len,
					    LOG_LINE_FROM(src + 1));
				else
					ring_push_flags(out, l->ts +
					    (int64_t)src, LOG_LINE_LABELS(l),
					    LOG_LINE_TEXT(l), l->len,
					    LOG_LINE_FROM(src + 1));
			}
			if (mix)
				logmix_horizon(&x, out, src,
				    ring_get(ring, k - 1)->ts + 2, 0);
		}
	}
	t = now_s() - t;
	logmix_free(&x);
	return (t);
}

static void
bench_mix(const struct ring *ring)
{
	struct ring	out;
	double		t_direct, t_mix;
	size_t		i, disorder = 0;

	t_direct = bench_mix_run(ring, false, &out);
	for (i = 1; i < out.n; i++)
		disorder += ring_get(&out, i)->ts < ring_get(&out, i - 1)->ts;
	printf("two Lokis, pushed as they come: %8.0f lines/s  (%.3f s, "
	    "%zu lines older than the one before)\n",
	    (double)out.n / t_direct, t_direct, disorder);
	ring_free(&out);
	t_mix = bench_mix_run(ring, true, &out);
	disorder = 0;
	for (i = 1; i < out.n; i++)
		disorder += ring_get(&out, i)->ts < ring_get(&out, i - 1)->ts;
	printf("two Lokis, through logmix:      %8.0f lines/s  (%.3f s, "
	    "%zu lines older than the one before; %.0f ns a line more)\n",
	    (double)out.n / t_mix, t_mix, disorder,
	    (t_mix - t_direct) / (double)out.n * 1e9);
	ring_free(&out);
}

int
main(int argc, char **argv)
{
	uint64_t		 lines = argc > 1 ? strtoull(argv[1], NULL, 10) :
				    500000, n = 0, kept = 0, matched = 0;
	const char		*pattern = argc > 2 ? argv[2] :
				    "level=error|timeout";
	int64_t			 ts = INT64_C(1795703525000000000);
	double			 t, t_json = 0, t_pipe = 0, t_filter, t_grep;
	size_t			 len, text_bytes = 0, heap0, i, pages;
	size_t			 json_bytes = 0, heap;
	struct ring		 ring;
	struct logview		 view;
	struct logfollow	 fw;
	struct loki_result	 r;
	struct sbuf		 text;
	json_t			*root;
	char			*body, *why, path[] = "/tmp/sitrep-bench-XXXXXX";
	long			 grep_count = 0;
	FILE			*f;
	int			 fd;

	pages = (size_t)(lines / PAGE);
	lines = pages * PAGE;

	/* 1. jansson alone. */
	for (i = 0; i < pages; i++) {
		body = make_page(&n, &ts, &len, NULL, &text_bytes);
		json_bytes += len;
		t = now_s();
		root = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
		json_decref(root);
		t_json += now_s() - t;
		free(body);
	}

	/* 2. The pipeline, into a ring that holds every line (for 3). */
	heap0 = heap_used();
	ring_init(&ring, (size_t)lines, (size_t)-1);
	logview_init(&view);
	if (!logfilter_push(&view.filter, LOGFILTER_KEEP, pattern, &why)) {
		fprintf(stderr, "log_pipeline: %s\n", why);
		return (2);
	}
	logfollow_init(&fw, LOGFOLLOW_FORWARD, 0);
	sbuf_init(&text);
	text_bytes = 0;
	for (i = 0; i < pages; i++) {
		body = make_page(&n, &ts, &len, &text, &text_bytes);
		t = now_s();
		if (!loki_parse_query_range(body, len, 200, LOKI_FORWARD, &r,
		    &why)) {
			fprintf(stderr, "log_pipeline: %s\n", why);
			return (2);
		}
		logfollow_page_begin(&fw);
		for (size_t k = 0; k < r.n; k++) {
			const struct loki_entry *e = &r.entries[k];

			if (logfollow_take(&fw, e->ts, e->hash)) {
				ring_push(&ring, e->ts,
				    r.streams[e->stream].labels, e->line,
				    e->len);
				kept++;
			}
		}
		(void)logfollow_page_end(&fw, true);
		logview_sync(&view, &ring);
		loki_result_free(&r);
		t_pipe += now_s() - t;
		free(body);
	}
	matched = logview_count(&view, &ring);

	/* 3. The filter alone over the lines held, and grep -P over the same
	 * lines in a file. */
	t = now_s();
	logview_rebuild(&view, &ring);
	t_filter = now_s() - t;
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("log_pipeline: mkstemp");
		return (2);
	}
	fwrite(text.s, 1, text.len, f);
	fclose(f);
	t_grep = grep_time(pattern, path, &grep_count);
	unlink(path);

	printf("lines %" PRIu64 " (%zu answers of %d, %d streams), text %.1f MB,"
	    " %.0f bytes a line, pattern /%s/\n", lines, pages, PAGE, STREAMS,
	    (double)text_bytes / 1e6, (double)text_bytes / (double)lines,
	    pattern);
	printf("jansson alone (load + free):  %8.0f lines/s  %6.1f MB/s of "
	    "JSON\n", (double)lines / t_json, (double)json_bytes / t_json / 1e6);
	printf("pipeline (parse+follow+ring+filter): %8.0f lines/s  (%.2f s, "
	    "%" PRIu64 " kept, %" PRIu64 " pass the filter)\n",
	    (double)lines / t_pipe, t_pipe, kept, matched);
	printf("filter alone (PCRE2 JIT, %s): %8.0f lines/s  %.0f MB/s  "
	    "(%.3f s)\n", view.filter.v[0].re.jit ? "jit" : "no jit",
	    (double)lines / t_filter, (double)text_bytes / t_filter / 1e6,
	    t_filter);
	printf("grep -P -c, same lines:       %8.0f lines/s  %.0f MB/s  "
	    "(%.3f s, %ld matching; sitrep %zu)\n", (double)lines / t_grep,
	    (double)text_bytes / t_grep / 1e6, t_grep, grep_count,
	    logview_count(&view, &ring));
	printf("filter / grep time: %.2fx\n", t_filter / t_grep);
	/* The heap the ring holds: all that grew since it began, less the
	 * text copy kept for grep and the filter's index. */
	heap = heap_used() - heap0 - text.cap - view.cap * sizeof(uint64_t);
	printf("ring: %zu lines, text %.1f MB, ring_memory %.1f MB (%.2fx "
	    "text), heap %.1f MB (%.2fx text, malloc overhead included)\n",
	    ring.n, (double)text_bytes / 1e6, (double)ring_memory(&ring) / 1e6,
	    (double)ring_memory(&ring) / (double)text_bytes,
	    (double)heap / 1e6, (double)heap / (double)text_bytes);
	bench_fields(&ring, lines, t_pipe, pattern);
	bench_history(&ring);
	bench_mix(&ring);
	logview_free(&view);
	logfollow_free(&fw);
	ring_free(&ring);
	sbuf_free(&text);
	return (0);
}
