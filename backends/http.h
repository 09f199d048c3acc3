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

struct http_client {
	char		*base_url;	/* no trailing slash */
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

/* Read url, header (repeatable), token_env/token_command/token_file
 * (bearer), username/password_*, ca_file, timeout from a section. Problems
 * go to the config's error list; returns false on any. */
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
