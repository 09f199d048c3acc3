/* http.c: asynchronous HTTP for every backend. It owns the one curl multi
 * handle and drives it through curl's socket interface: each socket curl
 * wants watched becomes a loop watch, curl's timeout becomes a loop timer,
 * and finished transfers are reported through their callbacks from the loop.
 * It also owns a client's settings as read from its config section, the
 * wording of transport errors, and the one scrubber every failed response
 * passes through before any source sees it: a server that repeats the
 * credentials it was sent (in a 401's body, say) never gets them shown. */
#include "config.h"

#include <sys/queue.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "backends/http.h"
#include "core/audit.h"
#include "core/conf.h"
#include "core/numconv.h"
#include "core/sbuf.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "core/loop.h"

#define HTTP_DEFAULT_TIMEOUT_MS	10000
#define HTTP_DEFAULT_MAX_BODY	((size_t)16 * 1024 * 1024)
/* Shorter secrets are not scrubbed: they would mangle ordinary words. */
#define HTTP_SECRET_MIN		4
#define HTTP_REDACTED		"[redacted]"
/* At most this many `url`s in a section (and bits in http_request.tried). */
#define HTTP_REPLICAS_MAX	16

/* The credentials a request sends, in every form a server may repeat. */
struct http_secrets {
	char		**v;
	size_t		  n;
};

struct http_request {
	CURL			*easy;
	struct curl_slist	*headers;
	http_cb			 cb;
	void			*arg;
	struct sbuf		 body;
	struct http_response	 resp;
	size_t			 max_body;
	int64_t			 timeout_ms;
	int64_t			 retry_after_s;	/* Retry-After */
	int64_t			 reset_s;	/* ratelimit-reset */
	struct http_secrets	 secrets;
	/* Replicas: whose health this answer is, and for failing over the
	 * request again as it was. */
	struct http_client	*client;
	size_t			 replica;
	bool			 failover;
	uint32_t		 tried;		/* bit per replica asked */
	char			*method, *path, *post;
	bool			 too_big;
	bool			 in_callback;
	char			 errbuf[CURL_ERROR_SIZE];
	LIST_ENTRY(http_request) entry;
};

static CURLM			*http_multi;
static struct loop_timer	*http_timer;
static uint64_t			 http_started;
static LIST_HEAD(, http_request) http_active = LIST_HEAD_INITIALIZER(http_active);

static void	http_check_done(void);
static void	http_secrets_build(const struct http_client *,
		    const char *const *, struct http_secrets *);
static void	http_secrets_free(struct http_secrets *);
static char	*http_scrub_with(const struct http_secrets *, const char *,
		    size_t, size_t *);

/* Driving curl from the loop. */

static void
http_socket_ready(int fd, short revents, void *arg)
{
	int	flags = 0, running;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(http_multi, fd, flags, &running);
	http_check_done();
}

static int
http_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
	switch (what) {
	case CURL_POLL_IN:
		loop_watch(s, POLLIN, http_socket_ready, NULL);
		break;
	case CURL_POLL_OUT:
		loop_watch(s, POLLOUT, http_socket_ready, NULL);
		break;
	case CURL_POLL_INOUT:
		loop_watch(s, POLLIN | POLLOUT, http_socket_ready, NULL);
		break;
	case CURL_POLL_REMOVE:
		loop_unwatch(s);
		break;
	}
	return (0);
}

static void
http_timer_fired(void *arg)
{
	int	running;

	http_timer = NULL;
	curl_multi_socket_action(http_multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done();
}

/* curl asks to be called back in timeout_ms (0: as soon as possible, which
 * here means the next loop turn, never from inside this callback). */
static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	loop_timer_cancel(&http_timer);
	if (timeout_ms >= 0)
		http_timer = loop_timer_add(timeout_ms, http_timer_fired, NULL);
	return (0);
}

void
http_global_init(void)
{
	CURLcode	rc;

	if (http_multi != NULL)
		return;
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK)
		fatal("curl_global_init: %s", curl_easy_strerror(rc));
	if ((http_multi = curl_multi_init()) == NULL)
		fatal("curl_multi_init failed");
	curl_multi_setopt(http_multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(http_multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
}

static void
http_request_free(struct http_request *req)
{
	LIST_REMOVE(req, entry);
	curl_multi_remove_handle(http_multi, req->easy);
	curl_easy_cleanup(req->easy);
	curl_slist_free_all(req->headers);
	sbuf_free(&req->body);
	free(req->resp.error);
	http_secrets_free(&req->secrets);
	free(req->method);
	free(req->path);
	free(req->post);
	free(req);
}

void
http_global_free(void)
{
	struct http_request	*req;

	if (http_multi == NULL)
		return;
	while ((req = LIST_FIRST(&http_active)) != NULL)
		http_request_free(req);
	curl_multi_cleanup(http_multi);
	http_multi = NULL;
	loop_timer_cancel(&http_timer);
	curl_global_cleanup();
}

uint64_t
http_requests_started(void)
{
	return (http_started);
}

/* Response capture. */

static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct http_request	*req = userp;
	size_t			 n = size * nmemb;

	if (n > req->max_body || req->body.len > req->max_body - n) {
		req->too_big = true;
		return (0);	/* curl aborts with CURLE_WRITE_ERROR */
	}
	sbuf_add(&req->body, data, n);
	return (n);
}

/* Seconds from a Retry-After value: delta-seconds or an HTTP date. A
 * server's number is bounded before any arithmetic: whatever it asks,
 * however many digits, the answer is at most HTTP_RETRY_MAX_S. */
static int64_t
http_parse_retry(const char *v)
{
	const char	*p;
	int64_t		 n = 0;
	time_t		 when, now;

	if (isdigit((unsigned char)*v)) {
		for (p = v; isdigit((unsigned char)*p); p++) {
			if (n < HTTP_RETRY_MAX_S)
				n = n * 10 + (*p - '0');
		}
		if (*p != '\0')
			return (-1);
		return (n < HTTP_RETRY_MAX_S ? n : HTTP_RETRY_MAX_S);
	}
	if ((when = curl_getdate(v, NULL)) == -1)
		return (-1);
	now = time(NULL);
	if (when <= now)
		return (0);
	return (when - now < HTTP_RETRY_MAX_S ? (int64_t)(when - now) :
	    HTTP_RETRY_MAX_S);
}

/* Header lines arrive one at a time, with their CRLF; a new status line
 * (after a 1xx, say) starts the set afresh. */
static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct http_request	*req = userp;
	size_t			 n = size * nmemb, len = n, namelen;
	const char		*colon;
	char			*value;
	int64_t			 secs;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		req->retry_after_s = req->reset_s = -1;
		return (n);
	}
	if ((colon = memchr(data, ':', len)) == NULL)
		return (n);
	namelen = colon - data;
	colon++;
	while (colon < data + len && (*colon == ' ' || *colon == '\t'))
		colon++;
	while (len > 0 && isspace((unsigned char)data[len - 1]))
		len--;
	if (colon > data + len)
		return (n);
	value = xstrndup(colon, data + len - colon);

	if (namelen == 11 && strncasecmp(data, "Retry-After", 11) == 0) {
		if ((secs = http_parse_retry(value)) >= 0)
			req->retry_after_s = secs;
	} else if (namelen == 15 &&
	    strncasecmp(data, "RateLimit-Reset", 15) == 0) {
		if ((secs = http_parse_retry(value)) >= 0)
			req->reset_s = secs;
	}
	free(value);
	return (n);
}

/* "10s", or "0.5s" for a timeout that is not whole seconds. */
static char *
http_format_ms(int64_t ms)
{
	if (ms % 1000 == 0)
		return (xasprintf("%" PRId64 "s", ms / 1000));
	return (xasprintf("%.1fs", (double)ms / 1000.0));
}

static char *
http_transport_error(struct http_request *req, CURLcode rc)
{
	char	*s, *t;
	long	 os_errno = 0;

	if (req->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return (xasprintf("response larger than %zu bytes",
		    req->max_body));
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		t = http_format_ms(req->timeout_ms);
		s = xasprintf("timeout after %s", t);
		free(t);
		return (s);
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(req->easy, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return (xstrdup("connection refused"));
		if (os_errno != 0)
			return (xasprintf("cannot connect: %s",
			    strerror((int)os_errno)));
		break;
	default:
		break;
	}
	if (req->errbuf[0] != '\0')
		return (xstrdup(req->errbuf));
	return (xstrdup(curl_easy_strerror(rc)));
}

/* A failed response, body and error alike, loses every credential the
 * request sent before its callback runs, so that no source can show what
 * an echoing server repeated. Successful bodies are data, left alone. */
static void
http_scrub_response(struct http_request *req)
{
	struct http_response	*resp = &req->resp;
	char			*clean;
	size_t			 n;

	if (req->secrets.n == 0 || (resp->error == NULL &&
	    resp->status >= 200 && resp->status <= 299))
		return;
	if (req->body.len > 0 && (clean = http_scrub_with(&req->secrets,
	    req->body.s, req->body.len, &n)) != NULL) {
		explicit_bzero(req->body.s, req->body.len);
		sbuf_reset(&req->body);
		sbuf_add(&req->body, clean, n);
		free(clean);
	}
	if (resp->error != NULL && (clean = http_scrub_with(&req->secrets,
	    resp->error, strlen(resp->error), NULL)) != NULL) {
		free(resp->error);
		resp->error = clean;
	}
}

static void	http_launch(struct http_request *, const char *, const char *,
		    const char *);

/* Whether an answer says the replica is not there (then another may be
 * asked): no answer, or a gateway's or an overloaded server's 5xx. */
static bool
http_replica_down(const struct http_response *resp)
{
	return (resp->error != NULL || resp->status == 0 ||
	    resp->status == 502 || resp->status == 503 ||
	    resp->status == 504);
}

/* Keep what this answer says of its replica's health. */
static void
http_replica_mark(struct http_request *req)
{
	struct http_replica	*r;
	struct http_response	*resp = &req->resp;

	if (req->client == NULL || req->replica >= req->client->nreplicas)
		return;
	r = &req->client->replicas[req->replica];
	free(r->error);
	r->error = NULL;
	if (!http_replica_down(resp)) {
		r->answered = true;
		r->down_until = 0;
		return;
	}
	r->answered = false;
	r->error = resp->error != NULL ? xstrdup(resp->error) :
	    xasprintf("HTTP %ld", resp->status);
	r->down_until = time_add_sat(time_mono_ms(), HTTP_REPLICA_DOWN_MS);
}

/* The replica to ask: the first in config order not yet tried that is not
 * marked down, else the first not yet tried; SIZE_MAX when all were. */
static size_t
http_replica_pick(const struct http_client *c, uint32_t tried)
{
	int64_t	now = time_mono_ms();
	size_t	i, spare = SIZE_MAX;

	for (i = 0; i < c->nreplicas; i++) {
		if (tried & (UINT32_C(1) << i))
			continue;
		if (c->replicas[i].down_until <= now)
			return (i);
		if (spare == SIZE_MAX)
			spare = i;
	}
	return (spare);
}

/* Ask the next replica the same question with a fresh transfer. */
static bool
http_failover(struct http_request *req)
{
	size_t	next;

	if (!req->failover || !http_replica_down(&req->resp) ||
	    (next = http_replica_pick(req->client, req->tried)) == SIZE_MAX)
		return (false);
	http_replica_mark(req);
	curl_easy_cleanup(req->easy);
	if ((req->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	sbuf_reset(&req->body);
	free(req->resp.error);
	memset(&req->resp, 0, sizeof req->resp);
	req->resp.retry_after_s = -1;
	req->retry_after_s = req->reset_s = -1;
	req->too_big = false;
	req->errbuf[0] = '\0';
	req->replica = next;
	req->tried |= UINT32_C(1) << next;
	http_launch(req, req->method, req->path, req->post);
	return (true);
}

static void
http_finish(struct http_request *req, CURLcode rc)
{
	struct http_response	*resp = &req->resp;
	double			 total = 0;

	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(req->easy, CURLINFO_TOTAL_TIME, &total);
	resp->elapsed_s = total;
	if (rc != CURLE_OK) {
		resp->error = http_transport_error(req, rc);
		if (req->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			sbuf_reset(&req->body);
	}
	resp->retry_after_s = req->retry_after_s;
	if (req->reset_s > resp->retry_after_s)
		resp->retry_after_s = req->reset_s;
	if (http_failover(req))
		return;
	http_replica_mark(req);
	http_scrub_response(req);
	resp->body = req->body.s;
	resp->len = req->body.len;

	req->in_callback = true;
	req->cb(resp, req->arg);
	http_request_free(req);
}

/* Report finished transfers one at a time, so that a callback may start or
 * cancel others (curl drops the messages of removed handles). */
static void
http_check_done(void)
{
	CURLMsg			*msg;
	struct http_request	*req;
	int			 left;

	while ((msg = curl_multi_info_read(http_multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &req);
		curl_multi_remove_handle(http_multi, req->easy);
		http_finish(req, msg->data.result);
	}
}

/* Requests. */

static bool
http_has_header(const struct curl_slist *l, const char *name)
{
	size_t	len = strlen(name);

	for (; l != NULL; l = l->next) {
		if (strncasecmp(l->data, name, len) == 0 &&
		    l->data[len] == ':')
			return (true);
	}
	return (false);
}

static struct curl_slist *
http_append(struct curl_slist *l, const char *s)
{
	struct curl_slist	*n;

	if ((n = curl_slist_append(l, s)) == NULL)
		fatal("out of memory building headers");
	return (n);
}

static struct curl_slist *
http_build_headers(const struct http_client *c, const char *const *extra,
    const char *body)
{
	struct curl_slist	*l = NULL;
	size_t			 i;

	for (i = 0; i < c->nheaders; i++)
		l = http_append(l, c->headers[i]);
	for (; extra != NULL && *extra != NULL; extra++)
		l = http_append(l, *extra);
	if (c->auth_header != NULL)
		l = http_append(l, c->auth_header);
	/* No Content-Type but the caller's, and no 100-continue round trip. */
	if (body != NULL && !http_has_header(l, "Content-Type"))
		l = http_append(l, "Content-Type:");
	l = http_append(l, "Expect:");
	return (l);
}

static void
http_set_method(CURL *easy, const char *method, const char *body)
{
	if (strcmp(method, "GET") == 0 && body == NULL) {
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
		return;
	}
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL || strcmp(method, "POST") == 0 ||
	    strcmp(method, "PUT") == 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body == NULL ? 0 : strlen(body)));
		curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS,
		    body == NULL ? "" : body);
	}
}

/* curl opens its sockets without close-on-exec; the children sitrep starts
 * must not inherit them. */
static int
http_sockopt_cb(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return (CURL_SOCKOPT_OK);
}

static void
http_set_options(struct http_request *req, const struct http_client *c,
    const char *url)
{
	CURL	*easy = req->easy;

	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, req);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, req->errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, http_sockopt_cb);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(easy, CURLOPT_USERAGENT,
	    PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, c->ca_file);
	if (c->userpwd != NULL) {
		curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(easy, CURLOPT_USERPWD, c->userpwd);
	}
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)req->max_body);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, req);
}

/* Hand req's transfer (base URL of its replica + path) to curl. */
static void
http_launch(struct http_request *req, const char *method, const char *path,
    const char *body)
{
	const struct http_client	*c = req->client;
	char				*url;
	CURLMcode			 mrc;

	url = xasprintf("%s%s", c->nreplicas > 0 ?
	    c->replicas[req->replica].url : c->base_url, path);
	http_set_options(req, c, url);
	http_set_method(req->easy, method, body);
	free(url);
	if ((mrc = curl_multi_add_handle(http_multi, req->easy)) != CURLM_OK)
		fatal("curl_multi_add_handle: %s", curl_multi_strerror(mrc));
	http_started++;
}

static struct http_request *
http_begin(struct http_client *c, size_t replica, bool failover,
    const char *method, const char *path, const char *const *extra,
    const char *body, http_cb cb, void *arg)
{
	struct http_request	*req;

	if (http_multi == NULL)
		fatal("http_start before http_global_init");
	req = xcalloc(1, sizeof *req);
	if ((req->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	req->cb = cb;
	req->arg = arg;
	req->client = c;
	req->replica = replica;
	req->tried = replica < 32 ? UINT32_C(1) << replica : 0;
	if (failover) {
		req->failover = true;
		req->method = xstrdup(method);
		req->path = xstrdup(path);
		req->post = body != NULL ? xstrdup(body) : NULL;
	}
	sbuf_init(&req->body);
	req->timeout_ms = c->timeout_ms > 0 ? c->timeout_ms :
	    HTTP_DEFAULT_TIMEOUT_MS;
	req->max_body = c->max_body > 0 ? c->max_body : HTTP_DEFAULT_MAX_BODY;
	req->retry_after_s = req->reset_s = -1;
	req->resp.retry_after_s = -1;
	req->headers = http_build_headers(c, extra, body);
	http_secrets_build(c, extra, &req->secrets);

	LIST_INSERT_HEAD(&http_active, req, entry);
	http_launch(req, method, path, body);
	return (req);
}

struct http_request *
http_start(struct http_client *c, const char *method, const char *path,
    const char *const *extra, const char *body, http_cb cb, void *arg)
{
	size_t	first = 0;

	if (c->nreplicas > 1)
		first = http_replica_pick(c, 0);
	return (http_begin(c, first, c->nreplicas > 1, method, path, extra,
	    body, cb, arg));
}

struct http_request *
http_start_replica(struct http_client *c, size_t i, const char *method,
    const char *path, const char *const *extra, const char *body, http_cb cb,
    void *arg)
{
	if (i >= c->nreplicas)
		i = 0;
	return (http_begin(c, i, false, method, path, extra, body, cb, arg));
}

/* The replicas whose last request failed, with why or by name alone. */
static char *
http_replicas_say(const struct http_client *c, bool why)
{
	struct sbuf	sb;
	size_t		i;

	if (c->nreplicas < 2)
		return (NULL);
	sbuf_init(&sb);
	for (i = 0; i < c->nreplicas; i++) {
		if (c->replicas[i].error == NULL)
			continue;
		if (why)
			sbuf_addf(&sb, "%sreplica %s failing: %s", sb.len > 0 ?
			    "; " : "", c->replicas[i].name,
			    c->replicas[i].error);
		else
			sbuf_addf(&sb, "%s%s", sb.len > 0 ? ", " : "",
			    c->replicas[i].name);
	}
	if (sb.len == 0) {
		sbuf_free(&sb);
		return (NULL);
	}
	return (sb.s);
}

char *
http_replicas_failing(const struct http_client *c)
{
	return (http_replicas_say(c, true));
}

char *
http_replicas_down(const struct http_client *c)
{
	return (http_replicas_say(c, false));
}

void
http_cancel(struct http_request *req)
{
	/* From its own callback: it is freed when the callback returns. */
	if (req == NULL || req->in_callback)
		return;
	http_request_free(req);
}

/* Clients. */

static bool
http_header_valid(const char *h)
{
	const char	*p, *colon;

	if ((colon = strchr(h, ':')) == NULL || colon == h)
		return (false);
	for (p = h; p < colon; p++) {
		if (!isgraph((unsigned char)*p))
			return (false);
	}
	for (p = h; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n')
			return (false);
	}
	return (true);
}

void
http_client_add_header(struct http_client *c, const char *fmt, ...)
{
	va_list	ap;

	c->headers = xreallocarray(c->headers, c->nheaders + 1,
	    sizeof *c->headers);
	va_start(ap, fmt);
	c->headers[c->nheaders++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* A base URL: http(s), a host, no credentials, no trailing slash. The URL is
 * not repeated in messages in case it holds something it should not. label
 * names the section in messages ("[loki]"). */
static char *
http_check_url(struct config *cfg, const char *label, const char *url,
    int line)
{
	const char	*rest, *end, *p;
	char		*copy;
	size_t		 len;

	if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else {
		config_error(cfg, line,
		    "%s url must start with http:// or https://", label);
		return (NULL);
	}
	for (p = url; *p != '\0'; p++) {
		if (!isgraph((unsigned char)*p)) {
			config_error(cfg, line,
			    "%s url contains a blank or control character",
			    label);
			return (NULL);
		}
	}
	end = rest + strcspn(rest, "/?#");
	if (end == rest) {
		config_error(cfg, line, "%s url has no host", label);
		return (NULL);
	}
	if (memchr(rest, '@', end - rest) != NULL) {
		config_error(cfg, line, "%s url must not hold credentials: "
		    "use username and password_env, _command or _file", label);
		return (NULL);
	}
	if (rest[strcspn(rest, "?#")] != '\0') {
		config_error(cfg, line,
		    "%s url must not have a query or fragment", label);
		return (NULL);
	}
	copy = xstrdup(url);
	len = strlen(copy);
	while (len > (size_t)(rest - url) && copy[len - 1] == '/')
		copy[--len] = '\0';
	return (copy);
}

/* One more replica's URL (checked), unless it repeats one. */
static bool
http_add_replica(struct http_client *c, struct config *cfg, const char *label,
    const char *value, int line)
{
	struct http_replica	*r;
	char			*url;
	const char		*rest;
	size_t			 i;

	if ((url = http_check_url(cfg, label, value, line)) == NULL)
		return (false);
	for (i = 0; i < c->nreplicas; i++) {
		if (strcmp(c->replicas[i].url, url) == 0) {
			config_error(cfg, line, "%s url repeats replica %zu",
			    label, i + 1);
			free(url);
			return (false);
		}
	}
	if (c->nreplicas == HTTP_REPLICAS_MAX) {
		config_error(cfg, line, "%s has more than %d replicas (url)",
		    label, HTTP_REPLICAS_MAX);
		free(url);
		return (false);
	}
	c->replicas = xreallocarray(c->replicas, c->nreplicas + 1,
	    sizeof *c->replicas);
	r = &c->replicas[c->nreplicas++];
	memset(r, 0, sizeof *r);
	r->url = url;
	rest = strstr(url, "://");
	r->name = xstrdup(rest != NULL ? rest + 3 : url);
	return (true);
}

static bool
http_configure_url(struct http_client *c, struct config *cfg,
    struct config_section *sec, const char *label, const char *default_url)
{
	const struct config_entry	*e = NULL;
	bool				 ok = true;

	while ((e = config_next(sec, "url", e)) != NULL) {
		if (!http_add_replica(c, cfg, label, e->value, e->line))
			ok = false;
	}
	if (c->nreplicas == 0 && ok) {
		if (default_url == NULL) {
			config_error(cfg, sec->line, "%s needs url = ...",
			    label);
			return (false);
		}
		ok = http_add_replica(c, cfg, label, default_url, sec->line);
	}
	if (c->nreplicas > 0)
		c->base_url = xstrdup(c->replicas[0].url);
	return (ok && c->nreplicas > 0);
}

static bool
http_configure_headers(struct http_client *c, struct config *cfg,
    struct config_section *sec, const char *label)
{
	const struct config_entry	*e = NULL;
	bool				 ok = true;

	while ((e = config_next(sec, "header", e)) != NULL) {
		if (!http_header_valid(e->value)) {
			config_error(cfg, e->line, "%s header must be "
			    "\"Name: value\" on one line", label);
			ok = false;
			continue;
		}
		http_client_add_header(c, "%s", e->value);
	}
	return (ok);
}

static bool
http_configure_auth(struct http_client *c, struct config *cfg,
    struct config_section *sec, const char *label)
{
	const char	*user;
	char		*token, *password;
	bool		 have_token, have_password;

	token = secret_load(cfg, sec, "token", &have_token);
	password = secret_load(cfg, sec, "password", &have_password);
	user = config_str(sec, "username", NULL);

	if (have_token && (user != NULL || have_password)) {
		config_error(cfg, sec->line, "%s has both a token and a "
		    "username/password: choose one", label);
		goto fail;
	}
	if ((user != NULL) != have_password) {
		config_error(cfg, sec->line, "%s username and password_env, "
		    "_command or _file go together", label);
		goto fail;
	}
	if (have_token && token == NULL)
		goto fail;	/* secret_load said why */
	if (have_password && password == NULL)
		goto fail;
	if (token != NULL)
		c->auth_header = xasprintf("Authorization: Bearer %s", token);
	if (user != NULL)
		c->userpwd = xasprintf("%s:%s", user, password);
	/* The audit log keeps them out of its lines whatever the text. */
	audit_redact(token);
	audit_redact(password);
	secret_free(token);
	secret_free(password);
	return (true);

fail:
	secret_free(token);
	secret_free(password);
	return (false);
}

bool
http_client_configure(struct http_client *c, struct config *cfg,
    struct config_section *sec, const char *default_url)
{
	const struct config_entry	*e;
	const char			*ca;
	char				*label;
	bool				 ok = true;

	memset(c, 0, sizeof *c);
	c->max_body = HTTP_DEFAULT_MAX_BODY;
	label = config_section_label(sec->type, sec->name);

	if (!http_configure_url(c, cfg, sec, label, default_url))
		ok = false;
	if (!http_configure_headers(c, cfg, sec, label))
		ok = false;
	if (!http_configure_auth(c, cfg, sec, label))
		ok = false;
	if ((ca = config_str(sec, "ca_file", NULL)) != NULL)
		c->ca_file = xstrdup(ca);

	c->timeout_ms = config_duration_ms(cfg, sec, "timeout",
	    HTTP_DEFAULT_TIMEOUT_MS);
	if (c->timeout_ms <= 0) {
		e = config_get(sec, "timeout");
		config_error(cfg, e != NULL ? e->line : sec->line,
		    "%s timeout must be positive", label);
		c->timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
		ok = false;
	}
	free(label);
	return (ok);
}

void
http_client_free(struct http_client *c)
{
	size_t	i;

	free(c->base_url);
	for (i = 0; i < c->nreplicas; i++) {
		free(c->replicas[i].url);
		free(c->replicas[i].name);
		free(c->replicas[i].error);
	}
	free(c->replicas);
	for (i = 0; i < c->nheaders; i++)
		free(c->headers[i]);
	free(c->headers);
	secret_free(c->auth_header);
	secret_free(c->userpwd);
	free(c->ca_file);
	memset(c, 0, sizeof *c);
}

/* Secrets a server may repeat. */

static void
http_secret_add(struct http_secrets *sv, const char *s, size_t len)
{
	struct sbuf	sb;
	size_t		i;

	if (len < HTTP_SECRET_MIN)
		return;
	sv->v = xreallocarray(sv->v, sv->n + 2, sizeof *sv->v);
	sv->v[sv->n++] = xstrndup(s, len);
	if (memchr(s, '/', len) == NULL)
		return;
	/* As a JSON encoder that escapes the solidus writes it. */
	sbuf_init(&sb);
	for (i = 0; i < len; i++) {
		if (s[i] == '/')
			sbuf_addc(&sb, '\\');
		sbuf_addc(&sb, s[i]);
	}
	sv->v[sv->n++] = sbuf_steal(&sb);
}

static char *
http_base64(const char *s)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len = strlen(s), i;
	struct sbuf		 sb;
	uint32_t		 v;

	sbuf_init(&sb);
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)u[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)u[i + 1] << 8;
		if (i + 2 < len)
			v |= u[i + 2];
		sbuf_addc(&sb, b64[v >> 18 & 63]);
		sbuf_addc(&sb, b64[v >> 12 & 63]);
		sbuf_addc(&sb, i + 1 < len ? b64[v >> 6 & 63] : '=');
		sbuf_addc(&sb, i + 2 < len ? b64[v & 63] : '=');
	}
	return (sbuf_steal(&sb));
}

/* A header whose name says it carries a credential: Authorization,
 * Proxy-Authorization, Cookie, X-Api-Key, X-Auth-Token and the like. */
static bool
http_header_is_secret(const char *h)
{
	static const char *const	 words[] = { "auth", "token", "key",
	    "secret", "pass", "cookie", "session", "signature", NULL };
	const char			*colon = strchr(h, ':');
	char				*name;
	size_t				 i;
	bool				 found = false;

	if (colon == NULL)
		return (false);
	name = xstrndup(h, colon - h);
	for (i = 0; words[i] != NULL && !found; i++)
		found = strcasestr(name, words[i]) != NULL;
	free(name);
	return (found);
}

/* "Name: Scheme credential": the value as sent, the part after the
 * scheme ("Bearer X" gives X) and after a "token=" (PagerDuty's
 * "Token token=X" gives X). */
static void
http_secret_header(struct http_secrets *sv, const char *h)
{
	const char	*v = strchr(h, ':'), *p;

	if (v == NULL)
		return;
	for (v++; *v == ' ' || *v == '\t'; v++)
		;
	http_secret_add(sv, v, strlen(v));
	if ((p = strrchr(v, ' ')) != NULL) {
		v = p + 1;
		http_secret_add(sv, v, strlen(v));
	}
	if ((p = strchr(v, '=')) != NULL && p > v && p[1] != '\0' &&
	    p[1] != '=')
		http_secret_add(sv, p + 1, strlen(p + 1));
}

/* "user:password": as such, as Basic sends it (base64), and the password
 * alone. */
static void
http_secret_userpwd(struct http_secrets *sv, const char *userpwd)
{
	const char	*pw = strchr(userpwd, ':');
	char		*b64;

	http_secret_add(sv, userpwd, strlen(userpwd));
	b64 = http_base64(userpwd);
	http_secret_add(sv, b64, strlen(b64));
	secret_free(b64);
	if (pw != NULL)
		http_secret_add(sv, pw + 1, strlen(pw + 1));
}

static int
http_secret_longer(const void *a, const void *b)
{
	size_t	la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return (la < lb ? 1 : la > lb ? -1 : 0);
}

static void
http_secrets_build(const struct http_client *c, const char *const *extra,
    struct http_secrets *sv)
{
	size_t	i;

	memset(sv, 0, sizeof *sv);
	if (c->auth_header != NULL)
		http_secret_header(sv, c->auth_header);
	if (c->userpwd != NULL)
		http_secret_userpwd(sv, c->userpwd);
	for (i = 0; i < c->nheaders; i++) {
		if (http_header_is_secret(c->headers[i]))
			http_secret_header(sv, c->headers[i]);
	}
	for (; extra != NULL && *extra != NULL; extra++) {
		if (http_header_is_secret(*extra))
			http_secret_header(sv, *extra);
	}
	/* The longest first: "Bearer X" goes whole, not around an X. */
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof *sv->v, http_secret_longer);
}

static void
http_secrets_free(struct http_secrets *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		secret_free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

/* Four hex digits at s into *v. */
static bool
hex4(const char *s, unsigned *v)
{
	int	i, d;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return (false);
		*v = *v << 4 | (unsigned)d;
	}
	return (true);
}

/* The text with the JSON escapes that stand for printable ASCII written
 * out (\u0041 as A, \/ as /; never a quote or a backslash, so a JSON
 * document stays one), or NULL if it has none. */
static char *
http_unescape_ascii(const char *s, size_t len, size_t *outlen)
{
	struct sbuf	sb;
	size_t		i = 0;
	unsigned	v;
	bool		any = false;

	sbuf_init(&sb);
	while (i < len) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '/') {
			sbuf_addc(&sb, '/');
			i += 2;
			any = true;
			continue;
		}
		if (s[i] == '\\' && i + 5 < len && s[i + 1] == 'u' &&
		    hex4(s + i + 2, &v) && v >= 0x20 && v < 0x7f &&
		    v != '"' && v != '\\') {
			sbuf_addc(&sb, (char)v);
			i += 6;
			any = true;
			continue;
		}
		if (s[i] == '\\' && i + 1 < len) {
			sbuf_add(&sb, s + i, 2);	/* \\ stays \\ */
			i += 2;
			continue;
		}
		sbuf_addc(&sb, s[i++]);
	}
	if (!any) {
		sbuf_free(&sb);
		return (NULL);
	}
	*outlen = sb.len;
	return (sbuf_steal(&sb));
}

/* s[0..len) with each secret replaced, or NULL if none was there. */
static char *
http_scrub_with(const struct http_secrets *sv, const char *s, size_t len,
    size_t *outlen)
{
	struct sbuf	 sb;
	const char	*p, *hit, *best;
	char		*plain;
	size_t		 i, blen = 0, slen;
	bool		 any = false;

	/* A server may spell the secret with escapes a JSON parser undoes:
	 * look for it in the text as it will be read. */
	if ((plain = http_unescape_ascii(s, len, &slen)) != NULL) {
		p = http_scrub_with(sv, plain, slen, outlen);
		free(plain);
		return ((char *)p);
	}
	sbuf_init(&sb);
	p = s;
	for (;;) {
		best = NULL;
		for (i = 0; i < sv->n; i++) {
			slen = strlen(sv->v[i]);
			hit = memmem(p, len - (p - s), sv->v[i], slen);
			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				blen = slen;
			}
		}
		if (best == NULL)
			break;
		any = true;
		sbuf_add(&sb, p, best - p);
		sbuf_adds(&sb, HTTP_REDACTED);
		p = best + blen;
	}
	if (!any) {
		sbuf_free(&sb);
		return (NULL);
	}
	sbuf_add(&sb, p, len - (p - s));
	if (outlen != NULL)
		*outlen = sb.len;
	return (sbuf_steal(&sb));
}

char *
http_scrub(const struct http_client *c, const char *s, size_t len,
    size_t *outlen)
{
	struct http_secrets	 sv;
	char			*out;

	http_secrets_build(c, NULL, &sv);
	if ((out = http_scrub_with(&sv, s, len, outlen)) == NULL) {
		out = xstrndup(s, len);
		if (outlen != NULL)
			*outlen = len;
	}
	http_secrets_free(&sv);
	return (out);
}

/* Words for people. */

char *
http_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct sbuf		 sb;
	unsigned char		 ch;

	sbuf_init(&sb);
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			sbuf_addc(&sb, (char)ch);
			continue;
		}
		sbuf_addc(&sb, '%');
		sbuf_addc(&sb, hex[ch >> 4]);
		sbuf_addc(&sb, hex[ch & 0xf]);
	}
	return (sbuf_steal(&sb));
}

char *
http_describe_error(const struct http_response *resp)
{
	char	when[32];

	if (resp->error != NULL)
		return (xstrdup(resp->error));
	if (resp->status == 429) {
		if (resp->retry_after_s < 0)
			return (xstrdup("HTTP 429 (rate limited)"));
		duration_format(when, sizeof when, resp->retry_after_s);
		return (xasprintf("HTTP 429 (rate limited, retry in %s)",
		    when));
	}
	if (resp->status == 0)
		return (xstrdup("no response"));
	return (xasprintf("HTTP %ld", resp->status));
}
