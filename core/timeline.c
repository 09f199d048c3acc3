/* timeline.c: the timeline's file and its events in memory (see
 * timeline.h). Lines are JSON objects built and read with jansson; the
 * parser is pure and has a fuzz target. */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/appendlog.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeline.h"
#include "core/xalloc.h"

#define TL_MIN_BYTES	((int64_t)4096)
#define TL_MAX_BYTES	((int64_t)1 << 40)
#define TL_FIELD_MAX	65536		/* longer text is cut on reading */

struct timeline {
	char		*path;
	char		*env;		/* the file's: lines that name none */
	int64_t		 max;
	struct tl_event	*v;
	size_t		 n, cap;
	uint64_t	 seq;
	uint64_t	 gen;
	/* The keys recorded: open addressing, a power of two. */
	char		**keys;
	size_t		 nkeys, keycap;
	struct sbuf	 pending;	/* lines not yet written */
	bool		 failing;	/* the last write failed (said once) */
	bool		 torn;		/* a write stopped mid-line */
	int		 batch;		/* adds wait for timeline_batch(off) */
	bool		 unsorted;	/* appended in a batch, sorted after */
};

static void	sort_stable(struct tl_event *, size_t, struct tl_event *);

/* --- pure: lines -------------------------------------------------------- */

static void
set_str(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, json_string(value));
}

char *
timeline_line(const struct tl_event *ev)
{
	json_t	*o = json_object();

	json_object_set_new(o, "t", json_integer(ev->t_ms));
	set_str(o, "clock", ev->source_clock ? "source" : "sitrep");
	set_str(o, "kind", ev->kind);
	set_str(o, "key", ev->key);
	set_str(o, "service", ev->service);
	set_str(o, "incident", ev->incident);
	set_str(o, "who", ev->who);
	set_str(o, "text", ev->text);
	set_str(o, "result", ev->result);
	set_str(o, "environment", ev->environment);
	/* ASCII only, so that no byte of a line is ever a newline. */
	return (appendlog_json_line(o, JSON_ENSURE_ASCII, "timeline"));
}

/* A string member (cut to TL_FIELD_MAX), NULL if absent; false if it is
 * there and not a string. */
static bool
get_str(json_t *o, const char *key, char **out)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	size_t		 len;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return (true);
	if (!json_is_string(v))
		return (false);
	s = json_string_value(v);
	len = json_string_length(v);
	if (memchr(s, '\0', len) != NULL)
		len = strlen(s);
	*out = xstrndup(s, len < TL_FIELD_MAX ? len : TL_FIELD_MAX);
	return (true);
}

bool
timeline_parse_line(const char *buf, size_t len, struct tl_event *ev)
{
	json_t		*o, *t, *clock;
	json_error_t	 jerr;
	bool		 ok;

	memset(ev, 0, sizeof *ev);
	if (len == 0 || memchr(buf, '\n', len) != NULL)
		return (false);
	if ((o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return (false);
	t = json_object_get(o, "t");
	clock = json_object_get(o, "clock");
	ok = json_is_object(o) && json_is_integer(t) &&
	    json_integer_value(t) >= 0 &&
	    json_integer_value(t) <= (json_int_t)253402300799999LL &&
	    json_is_string(clock) &&
	    get_str(o, "kind", &ev->kind) && ev->kind != NULL &&
	    get_str(o, "key", &ev->key) && ev->key != NULL &&
	    get_str(o, "service", &ev->service) &&
	    get_str(o, "incident", &ev->incident) &&
	    get_str(o, "who", &ev->who) &&
	    get_str(o, "text", &ev->text) &&
	    get_str(o, "result", &ev->result) &&
	    get_str(o, "environment", &ev->environment);
	if (ok) {
		ev->t_ms = (int64_t)json_integer_value(t);
		ev->source_clock = strcmp(json_string_value(clock),
		    "source") == 0;
	} else
		tl_event_free(ev);
	json_decref(o);
	return (ok);
}

void
tl_event_free(struct tl_event *ev)
{
	free(ev->kind);
	free(ev->key);
	free(ev->service);
	free(ev->incident);
	free(ev->who);
	free(ev->text);
	free(ev->result);
	free(ev->environment);
	memset(ev, 0, sizeof *ev);
}

int64_t
timeline_parse_size(const char *s)
{
	char		*end;
	long long	 v;
	int		 shift = 0;

	if (s == NULL || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return (-1);
	switch (toupper((unsigned char)*end)) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end != '\0' || v > (TL_MAX_BYTES >> shift))
		return (-1);
	return ((int64_t)v << shift);
}

/* --- keys ----------------------------------------------------------------- */

static uint64_t
key_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (h);
}

static size_t
key_slot(char **keys, size_t cap, const char *key)
{
	size_t	i = (size_t)key_hash(key) & (cap - 1);

	while (keys[i] != NULL && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return (i);
}

static void
key_add(struct timeline *tl, const char *key)
{
	char	**old = tl->keys;
	size_t	  oldcap = tl->keycap, i;

	if ((tl->nkeys + 1) * 2 > tl->keycap) {
		tl->keycap = oldcap == 0 ? 1024 : oldcap * 2;
		tl->keys = xcalloc(tl->keycap, sizeof *tl->keys);
		for (i = 0; i < oldcap; i++) {
			if (old[i] != NULL)
				tl->keys[key_slot(tl->keys, tl->keycap,
				    old[i])] = old[i];
		}
		free(old);
	}
	i = key_slot(tl->keys, tl->keycap, key);
	if (tl->keys[i] == NULL) {
		tl->keys[i] = xstrdup(key);
		tl->nkeys++;
	}
}

bool
timeline_has(const struct timeline *tl, const char *key)
{
	return (tl->keycap > 0 &&
	    tl->keys[key_slot(tl->keys, tl->keycap, key)] != NULL);
}

/* --- events in memory ----------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
event_copy(struct tl_event *to, const struct tl_event *from)
{
	to->t_ms = from->t_ms;
	to->source_clock = from->source_clock;
	to->kind = xstrdup(from->kind);
	to->key = xstrdup(from->key);
	to->service = dup_or_null(from->service);
	to->incident = dup_or_null(from->incident);
	to->who = dup_or_null(from->who);
	to->text = dup_or_null(from->text);
	to->result = dup_or_null(from->result);
	to->environment = dup_or_null(from->environment);
}

/* Take ev over, in time order after every event of the same time; the
 * oldest goes when memory is full. */
static void
mem_insert(struct timeline *tl, struct tl_event *ev)
{
	size_t	lo = 0, hi, mid;

	if (tl->batch > 0 && tl->n < TIMELINE_MAX_EVENTS) {
		/* A batch appends; it is sorted once at its end. */
		if (tl->n == tl->cap) {
			tl->cap = tl->cap == 0 ? 256 : tl->cap * 2;
			tl->v = xreallocarray(tl->v, tl->cap, sizeof *tl->v);
		}
		if (tl->n > 0 && ev->t_ms < tl->v[tl->n - 1].t_ms)
			tl->unsorted = true;
		tl->v[tl->n++] = *ev;
		tl->gen++;
		return;
	}
	if (tl->n >= TIMELINE_MAX_EVENTS) {
		if (ev->t_ms < tl->v[0].t_ms) {
			tl_event_free(ev);
			return;
		}
		tl_event_free(&tl->v[0]);
		memmove(tl->v, tl->v + 1, --tl->n * sizeof *tl->v);
	}
	hi = tl->n;
	if (tl->n > 0 && ev->t_ms >= tl->v[tl->n - 1].t_ms)
		lo = tl->n;	/* the usual case: the newest */
	if (tl->n == tl->cap) {
		tl->cap = tl->cap == 0 ? 256 : tl->cap * 2;
		tl->v = xreallocarray(tl->v, tl->cap, sizeof *tl->v);
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tl->v[mid].t_ms <= ev->t_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(tl->v + lo + 1, tl->v + lo, (tl->n - lo) * sizeof *tl->v);
	tl->v[lo] = *ev;
	tl->n++;
	tl->gen++;
}

static int
event_cmp(const void *a, const void *b)
{
	const struct tl_event	*x = a, *y = b;

	if (x->t_ms != y->t_ms)
		return (x->t_ms < y->t_ms ? -1 : 1);
	return (0);	/* equal: sort_stable keeps their order */
}

const struct tl_event *
timeline_events(const struct timeline *tl, size_t *n)
{
	*n = tl->n;
	return (tl->v);
}

uint64_t
timeline_generation(const struct timeline *tl)
{
	return (tl->gen);
}

const char *
timeline_path(const struct timeline *tl)
{
	return (tl->path);
}

/* --- the file ------------------------------------------------------------- */

char *
timeline_default_path(const char *env)
{
	char	*name, *p;

	name = xasprintf("timeline-%s.jsonl", env != NULL && *env != '\0' ?
	    env : "default");
	/* The environment names a file: nothing but a plain name. */
	for (p = name + strlen("timeline-"); *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != '.')
			*p = '_';
	}
	p = log_state_path(name);
	free(name);
	return (p);
}

/* The last `max` bytes of a regular file, starting at a whole line;
 * NULL if there is no such file. */
static char *
read_tail(const char *path, int64_t max, size_t *len)
{
	struct stat	 st;
	char		*buf, *nl;
	off_t		 from = 0;
	ssize_t		 got;
	size_t		 want, have = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return (NULL);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return (NULL);
	}
	if (st.st_size > max)
		from = st.st_size - max;
	want = (size_t)(st.st_size - from);
	buf = xmalloc(want + 1);
	while (have < want) {
		got = pread(fd, buf + have, want - have, from + (off_t)have);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	buf[have] = '\0';
	/* Cut mid-line: start after the first newline. */
	if (from > 0 && (nl = memchr(buf, '\n', have)) != NULL) {
		have -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, have + 1);
	} else if (from > 0)
		have = 0;
	*len = have;
	return (buf);
}

/* Every whole line that parses, in file order; its key remembered. */
static void
load_lines(struct timeline *tl, const char *buf, size_t len,
    struct tl_event **v, size_t *n, size_t *cap)
{
	const char	*p = buf, *end = buf + len, *nl;
	struct tl_event	 ev;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (timeline_parse_line(p, (size_t)(nl - p), &ev)) {
			/* Written before events named theirs. */
			if (ev.environment == NULL)
				ev.environment = xstrdup(tl->env);
			if (timeline_has(tl, ev.key))
				tl_event_free(&ev);
			else {
				key_add(tl, ev.key);
				if (*n == *cap) {
					*cap = *cap == 0 ? 256 : *cap * 2;
					*v = xreallocarray(*v, *cap,
					    sizeof **v);
				}
				(*v)[(*n)++] = ev;
			}
		}
		p = nl + 1;
	}
	/* What follows the last newline is torn: never an event. */
}

static void
load_file(struct timeline *tl, const char *path, struct tl_event **v,
    size_t *n, size_t *cap)
{
	char	*buf;
	size_t	 len;

	if ((buf = read_tail(path, tl->max, &len)) == NULL)
		return;
	load_lines(tl, buf, len, v, n, cap);
	free(buf);
}

/* Merge sort by time, stable: file order among equal times. */
static void
sort_stable(struct tl_event *v, size_t n, struct tl_event *tmp)
{
	size_t	mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_stable(v, mid, tmp);
	sort_stable(v + mid, n - mid, tmp);
	while (i < mid && j < n)
		tmp[k++] = event_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* Keep the newest half in PATH.1, start the file again. */
static bool
rotate(struct timeline *tl, char **warn)
{
	char	*buf, *old = xasprintf("%s.1", tl->path);
	char	*tmp = xasprintf("%s.1.tmp", tl->path);
	size_t	 len;
	int	 fd;
	bool	 ok = false;

	if ((buf = read_tail(tl->path, tl->max / 2, &len)) == NULL)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd != -1 && appendlog_write_all(fd, buf, len) && fsync(fd) == 0 &&
	    close(fd) == 0 && rename(tmp, old) == 0 &&
	    truncate(tl->path, 0) == 0) {
		ok = true;
		log_msg("timeline %s rotated: %zu bytes kept in %s", tl->path,
		    len, old);
	} else {
		if (fd != -1)
			close(fd);
		unlink(tmp);
		if (warn != NULL && *warn == NULL)
			*warn = xasprintf("timeline %s: cannot rotate: %s",
			    tl->path, strerror(errno));
	}
	free(buf);
out:
	free(old);
	free(tmp);
	return (ok);
}

/* A torn last line (sitrep killed mid-write) gets its newline, so that the
 * next event starts a line of its own. */
static void
repair(struct timeline *tl)
{
	struct stat	st;
	char		c;
	int		fd;

	fd = open(tl->path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n' &&
	    appendlog_write_all(fd, "\n", 1))
		fsync(fd);
	close(fd);
}

static int64_t
file_size(const char *path)
{
	struct stat	st;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return (-1);
	return ((int64_t)st.st_size);
}

struct timeline *
timeline_open(const char *path, const char *env, int64_t max, char **warn)
{
	struct timeline	*tl = xcalloc(1, sizeof *tl);
	struct tl_event	*v = NULL, *tmp;
	char		*old;
	size_t		 n = 0, cap = 0, i;

	*warn = NULL;
	tl->path = path != NULL ? xstrdup(path) :
	    timeline_default_path(env);
	tl->env = xstrdup(env != NULL ? env : "");
	if (max <= 0)
		max = TIMELINE_MAX_DEFAULT;
	tl->max = max < TL_MIN_BYTES ? TL_MIN_BYTES : max;
	sbuf_init(&tl->pending);
	repair(tl);
	if (file_size(tl->path) > tl->max)
		rotate(tl, warn);
	old = xasprintf("%s.1", tl->path);
	load_file(tl, old, &v, &n, &cap);
	free(old);
	load_file(tl, tl->path, &v, &n, &cap);
	tmp = xcalloc(n + 1, sizeof *tmp);
	sort_stable(v, n, tmp);
	free(tmp);
	for (i = 0; i < n; i++) {
		if (n - i > TIMELINE_MAX_EVENTS)
			tl_event_free(&v[i]);	/* the oldest */
		else
			mem_insert(tl, &v[i]);
	}
	free(v);
	return (tl);
}

/* The pending lines, after a newline if the last write tore a line, in
 * one append. A failure is said once, until a write works again. */
static void
flush(struct timeline *tl, char **warn)
{
	struct sbuf	 out;
	int		 error;
	bool		 reached;

	if (tl->pending.len == 0)
		return;
	sbuf_init(&out);
	if (tl->torn)
		sbuf_addc(&out, '\n');
	sbuf_add(&out, tl->pending.s, tl->pending.len);
	sbuf_reset(&tl->pending);
	error = appendlog_write(tl->path, out.s, out.len, &reached);
	sbuf_free(&out);
	if (error != 0) {
		/* A file not reached was not torn by this write. */
		if (reached)
			tl->torn = true;
		if (!tl->failing && warn != NULL)
			*warn = xasprintf("timeline %s: %s (events kept in "
			    "memory only)", tl->path, strerror(error));
		tl->failing = true;
		return;
	}
	tl->torn = false;
	tl->failing = false;
	if (file_size(tl->path) > tl->max)
		rotate(tl, warn);
}

bool
timeline_add(struct timeline *tl, const struct tl_event *ev, char **warn)
{
	struct tl_event	 copy, named = *ev;
	char		*line;

	if (warn != NULL)
		*warn = NULL;
	if (ev->kind == NULL || ev->key == NULL || timeline_has(tl, ev->key))
		return (false);
	key_add(tl, ev->key);
	if (named.environment == NULL)
		named.environment = tl->env;
	line = timeline_line(&named);
	sbuf_add(&tl->pending, line, strlen(line));
	free(line);
	memset(&copy, 0, sizeof copy);
	event_copy(&copy, &named);
	mem_insert(tl, &copy);
	if (tl->batch == 0)
		flush(tl, warn);
	return (true);
}

void
timeline_batch(struct timeline *tl, bool on, char **warn)
{
	if (warn != NULL)
		*warn = NULL;
	if (on) {
		tl->batch++;
		return;
	}
	if (tl->batch > 0 && --tl->batch == 0) {
		if (tl->unsorted) {
			struct tl_event *tmp = xcalloc(tl->n + 1, sizeof *tmp);

			sort_stable(tl->v, tl->n, tmp);
			free(tmp);
			tl->unsorted = false;
		}
		flush(tl, warn);
	}
}

void
timeline_close(struct timeline *tl)
{
	size_t	i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->n; i++)
		tl_event_free(&tl->v[i]);
	free(tl->v);
	for (i = 0; i < tl->keycap; i++)
		free(tl->keys[i]);
	free(tl->keys);
	sbuf_free(&tl->pending);
	free(tl->path);
	free(tl->env);
	free(tl);
}

/* --- for people ----------------------------------------------------------- */

bool
timeline_match(const struct tl_event *ev, const struct tl_filter *f)
{
	const char	*slash;

	if (f == NULL)
		return (true);
	if (f->since_ms > 0 && ev->t_ms < f->since_ms)
		return (false);
	if (f->environment != NULL && strcmp(ev->environment != NULL ?
	    ev->environment : "", f->environment) != 0)
		return (false);
	if (f->service != NULL && (ev->service == NULL ||
	    strcmp(ev->service, f->service) != 0))
		return (false);
	if (f->incident != NULL) {
		if (ev->incident == NULL)
			return (false);
		slash = strrchr(ev->incident, '/');
		if (strcmp(ev->incident, f->incident) != 0 &&
		    (slash == NULL || strcmp(slash + 1, f->incident) != 0))
			return (false);
	}
	return (true);
}

const char *
timeline_kind_label(const char *kind)
{
	static const char *const names[][2] = {
		{ TL_ALERT_FIRING, "fired" },
		{ TL_ALERT_ACKED, "acknowledged" },
		{ TL_ALERT_RESOLVED, "resolved" },
		{ TL_INCIDENT_LOG, "incident log" },
		{ TL_SLO_START, "SLO condition" },
		{ TL_SLO_END, "SLO condition ended" },
		{ TL_DEPLOY, "deploy" },
		{ TL_ACTION_START, "action started" },
		{ TL_ACTION_END, "action ended" },
		{ TL_NOTE, "note" },
		{ TL_STATUS_UPDATE, "status update" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(kind, names[i][0]) == 0)
			return (names[i][1]);
	}
	return (kind);
}

void
timeline_format_time(char *buf, size_t size, int64_t t_ms, bool local)
{
	time_t		t = (time_t)(t_ms / 1000);
	struct tm	tm, *ok;

	if (size == 0)
		return;
	ok = local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm);
	if (ok == NULL || strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		buf[0] = '\0';
}

/* What happened, for people: text, who, result (heap, unsanitized). */
static char *
what(const struct tl_event *ev)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	if (ev->text != NULL)
		sbuf_adds(&sb, ev->text);
	if (ev->who != NULL)
		sbuf_addf(&sb, "%sby %s", sb.len > 0 ? " " : "", ev->who);
	/* An SLO's text names its condition already. */
	if (ev->result != NULL && strncmp(ev->kind, "slo.", 4) != 0)
		sbuf_addf(&sb, "%s(%s)", sb.len > 0 ? " " : "", ev->result);
	if (ev->incident != NULL && strncmp(ev->kind, "alert.", 6) == 0)
		sbuf_addf(&sb, " [%s]", ev->incident);
	return (sbuf_steal(&sb));
}

static char *
clean(const char *s)
{
	return (sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    NULL));
}

/* A Markdown table cell: pipes escaped, sanitized (heap). */
static char *
md_cell(const char *s)
{
	char		*c = clean(s), *p;
	struct sbuf	 sb;

	sbuf_init(&sb);
	for (p = c; *p != '\0'; p++) {
		if (*p == '|' || *p == '\\')
			sbuf_addc(&sb, '\\');
		sbuf_addc(&sb, *p);
	}
	free(c);
	return (sbuf_steal(&sb));
}

/* How a row is written: a line of padded columns, or a table row. */
struct tl_style {
	char		*(*cell)(const char *);	/* sanitized, escaped */
	const char	*none;		/* no service, no environment */
	const char	*open, *sep, *close;
	bool		 pad;		/* columns padded to their width */
};

static const struct tl_style tl_text = { clean, "-", "", " ", "", true };
static const struct tl_style tl_md = { md_cell, "", "| ", " | ", " |",
    false };

enum { TL_COLS = 6 };
static const int tl_width[TL_COLS] = { 19, 6, 19, 10, 14, 0 };

/* The cells c[0..TL_COLS) (NULL: the column is left out) as one row;
 * frees them. */
static char *
row(const struct tl_style *st, char **c)
{
	struct sbuf	sb;
	size_t		i, len;
	bool		first = true;

	sbuf_init(&sb);
	sbuf_adds(&sb, st->open);
	for (i = 0; i < TL_COLS; i++) {
		if (c[i] == NULL)
			continue;
		if (!first)
			sbuf_adds(&sb, st->sep);
		first = false;
		sbuf_adds(&sb, c[i]);
		for (len = strlen(c[i]); st->pad &&
		    len < (size_t)tl_width[i]; len++)
			sbuf_addc(&sb, ' ');
		free(c[i]);
	}
	sbuf_adds(&sb, st->close);
	return (sbuf_steal(&sb));
}

static char *
format_event(const struct tl_event *ev, bool local, bool with_env,
    const struct tl_style *st)
{
	char	 when[32], *w = what(ev), *c[TL_COLS];

	timeline_format_time(when, sizeof when, ev->t_ms, local);
	c[0] = xstrdup(when);
	c[1] = xstrdup(ev->source_clock ? "source" : "sitrep");
	/* An unknown kind is the file's text: sanitized like the rest. */
	c[2] = st->cell(timeline_kind_label(ev->kind));
	c[3] = !with_env ? NULL : st->cell(ev->environment != NULL &&
	    *ev->environment != '\0' ? ev->environment : st->none);
	c[4] = st->cell(ev->service != NULL ? ev->service : st->none);
	c[5] = st->cell(w);
	free(w);
	return (row(st, c));
}

char *
timeline_format_text(const struct tl_event *ev, bool local, bool with_env)
{
	return (format_event(ev, local, with_env, &tl_text));
}

char *
timeline_format_markdown(const struct tl_event *ev, bool local,
    bool with_env)
{
	return (format_event(ev, local, with_env, &tl_md));
}

static char *
head(const struct tl_style *st, bool local, bool with_env)
{
	char	*c[TL_COLS];

	c[0] = xstrdup(local ? "time (local)" : "time (UTC)");
	c[1] = xstrdup("clock");
	c[2] = xstrdup("event");
	c[3] = with_env ? xstrdup("environment") : NULL;
	c[4] = xstrdup("service");
	c[5] = xstrdup("what");
	return (row(st, c));
}

char *
timeline_text_head(bool local, bool with_env)
{
	return (head(&tl_text, local, with_env));
}

char *
timeline_markdown_head(bool local, bool with_env)
{
	char	*h = head(&tl_md, local, with_env), *out;

	out = xasprintf("%s\n|%s\n", h, with_env ?
	    " --- | --- | --- | --- | --- | --- |" :
	    " --- | --- | --- | --- | --- |");
	free(h);
	return (out);
}

bool
timeline_several_envs(const struct tl_event *v, size_t n,
    const struct tl_filter *f)
{
	struct tl_filter	 any;
	const char		*first = NULL, *e;
	size_t			 i;

	memset(&any, 0, sizeof any);
	if (f != NULL)
		any = *f;
	any.environment = NULL;
	for (i = 0; i < n; i++) {
		if (!timeline_match(&v[i], &any))
			continue;
		e = v[i].environment != NULL ? v[i].environment : "";
		if (first == NULL)
			first = e;
		else if (strcmp(first, e) != 0)
			return (true);
	}
	return (false);
}

char *
timeline_json_head(const char *env)
{
	json_t	*s = json_string(env != NULL ? env : "");
	char	*q, *head;

	/* An environment that is not UTF-8 is named as "?" rather than
	 * breaking the document. */
	q = s != NULL ? json_dumps(s, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) :
	    NULL;
	json_decref(s);
	head = xasprintf("{\"environment\":%s,\"events\":[",
	    q != NULL ? q : "\"?\"");
	free(q);
	return (head);
}

char *
timeline_format_json(const struct tl_event *ev)
{
	char	*line = timeline_line(ev), when[32], iso[40];
	char	*out;
	time_t	 t = (time_t)(ev->t_ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		when[0] = '\0';
	snprintf(iso, sizeof iso, "%s.%03dZ", when, (int)(ev->t_ms % 1000));
	/* {"t":...} -> {"time":"...","t":...} */
	line[strlen(line) - 1] = '\0';
	out = xasprintf("{\"time\":\"%s\",%s", iso, line + 1);
	free(line);
	return (out);
}
