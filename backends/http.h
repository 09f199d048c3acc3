/* http.h: asynchronous HTTP through curl's multi interface, driven by the
 * event loop's descriptors and timers. A client holds one source's settings
 * (base URL, headers, auth, CA, timeout, body cap); requests complete through
 * a callback with the status, the body and any transport error. */
#ifndef SITREP_HTTP_H
#define SITREP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct config_section;

/* The longest wait a server may ask for (Retry-After, RateLimit-Reset): an
 * hour. A larger value, however large, means an hour. */
#define HTTP_RETRY_MAX_S	3600

/* One of several URLs that serve the same data (`url` repeated in a
 * section): replicas of one Alertmanager cluster, an HA pair of
 * Prometheus servers. */
struct http_replica {
	char		*url;		/* no trailing slash */
	char		*name;		/* the URL without its scheme */
	char		*error;		/* why its last one failed, or NULL */
	bool		 answered;	/* its last request got an answer */
	int64_t		 down_until;	/* monotonic ms: skipped until then */
};

struct http_client {
	char		*base_url;	/* no trailing slash: replicas[0] */
	struct http_replica *replicas;	/* every `url`, in config order */
	size_t		 nreplicas;
	char		**headers;	/* "Name: value" */
	size_t		 nheaders;
	char		*auth_header;	/* secret: "Authorization: ..." */
	char		*userpwd;	/* secret: "user:password" */
	char		*ca_file;
	int64_t		 timeout_ms;
	size_t		 max_body;
};

struct http_response {
	long		 status;	/* 0 if no response */
	char		*body;		/* NUL-terminated */
	size_t		 len;
	char		*error;		/* transport error, or NULL */
	int64_t		 retry_after_s;	/* Retry-After / ratelimit-reset:
					 * 0..HTTP_RETRY_MAX_S, or -1 */
	double		 elapsed_s;
};

typedef void (*http_cb)(struct http_response *, void *);

struct http_request;

/* After loop_init(); free before loop_free(). Freeing drops requests in
 * flight without calling them back. */
void	 http_global_init(void);
void	 http_global_free(void);

/* Read url (repeated: replicas), header (repeatable), token_env/
 * token_command/token_file (bearer), username/password_*, ca_file, timeout
 * from a section. Problems go to the config's error list; returns false
 * on any. */
bool	 http_client_configure(struct http_client *, struct config *,
	     struct config_section *, const char *default_url);
void	 http_client_free(struct http_client *);
void	 http_client_add_header(struct http_client *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

/* Start a request for base_url + path. extra: NULL-ended "Name: value"
 * headers for this request alone. The callback runs from the loop, exactly
 * once, unless the request is cancelled first. */
struct http_request *http_start(struct http_client *, const char *method,
	     const char *path, const char *const *extra, const char *body,
	     http_cb, void *);
/*
 * With replicas, http_start() asks the first one in config order that is
 * not marked down, and fails over to the next on a transport error or a
 * 502/503/504 (the callback sees only the last answer); a replica that
 * failed is skipped for HTTP_REPLICA_DOWN_MS, then asked first again.
 * http_start_replica() asks replica i alone (an Alertmanager listing from
 * every replica, a write to one). Both keep each replica's health. The
 * client must outlive its requests (cancel them before freeing it).
 */
#define HTTP_REPLICA_DOWN_MS	30000
struct http_request *http_start_replica(struct http_client *, size_t i,
	     const char *method, const char *path, const char *const *extra,
	     const char *body, http_cb, void *);
/* "replica NAME failing: WHY; ..." for every replica whose last request
 * failed, or NULL (heap). */
char	*http_replicas_failing(const struct http_client *);
/* "NAME, NAME" of the same replicas, for the header, or NULL (heap). */
char	*http_replicas_down(const struct http_client *);
void	 http_cancel(struct http_request *);
/* Requests started since the program began (benchmarks count them). */
uint64_t http_requests_started(void);

/* s[0..len) with every credential the client sends replaced by
 * "[redacted]": the token alone and as sent ("Bearer X", "Token token=X"),
 * user:password, its base64 (Basic) and the password alone, and the values
 * of headers named like credentials (Authorization, Cookie, X-Api-Key...);
 * secrets under 4 bytes are left. Heap, NUL-terminated; *outlen gets the
 * length if not NULL. http.c applies it to the body and the error of every
 * response that is not a 2xx before the callback runs, so no source has
 * to remember to. */
char	*http_scrub(const struct http_client *, const char *, size_t,
	     size_t *);

/* Percent-encode s for a query string (heap). */
char	*http_escape(const char *);
/* A short reason for a failed response: "HTTP 503", "timeout after 10s",
 * "bad JSON: ..."; never contains credentials. */
char	*http_describe_error(const struct http_response *);

#endif
