/* audit.c: the audit log's lines (JSON by jansson) and their durable append.
 * A line is appended and fsync'd (core/appendlog.h) before the action
 * starts (or is reported as ended). */
#include "config.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/appendlog.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

static char	*audit_file;
static char	**secrets;
static size_t	 nsecrets;

void
audit_redact(const char *secret)
{
	if (secret == NULL || strlen(secret) < 4)
		return;		/* too short to redact without mangling */
	secrets = xreallocarray(secrets, nsecrets + 1, sizeof *secrets);
	secrets[nsecrets++] = xstrdup(secret);
}

void
audit_reset(void)
{
	size_t	i;

	for (i = 0; i < nsecrets; i++) {
		explicit_bzero(secrets[i], strlen(secrets[i]));
		free(secrets[i]);
	}
	free(secrets);
	secrets = NULL;
	nsecrets = 0;
	free(audit_file);
	audit_file = NULL;
}

/* Every registered secret in s becomes "[redacted]" (heap). */
static char *
redact(const char *s)
{
	struct sbuf	 sb;
	const char	*hit, *best;
	size_t		 i, blen = 0;

	sbuf_init(&sb);
	for (;;) {
		best = NULL;
		for (i = 0; i < nsecrets; i++) {
			hit = strstr(s, secrets[i]);
			if (hit != NULL && (best == NULL || hit < best)) {
				best = hit;
				blen = strlen(secrets[i]);
			}
		}
		if (best == NULL)
			break;
		sbuf_add(&sb, s, best - s);
		sbuf_adds(&sb, "[redacted]");
		s = best + blen;
	}
	sbuf_adds(&sb, s);
	return (sbuf_steal(&sb));
}

/* A JSON string of value, secrets redacted. Outside data may be invalid
 * UTF-8, which JSON cannot hold: only then is it sanitized. */
static json_t *
jstr(const char *value)
{
	char	*clean, *fixed;
	json_t	*s;

	clean = redact(value);
	if ((s = json_string(clean)) == NULL) {
		fixed = sanitize(clean, strlen(clean), NULL);
		s = json_string(fixed);
		free(fixed);
	}
	free(clean);
	return (s != NULL ? s : json_string("?"));
}

static void
set_str(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, jstr(value));
}

static json_t *
event_object(const struct audit_event *ev, const char *phase, time_t now)
{
	json_t	*o = json_object(), *a;
	char	 when[32];
	size_t	 i;

	time_format_iso(when, sizeof when, now);
	set_str(o, "time", when);
	set_str(o, "event", phase);
	set_str(o, "id", ev->id);
	set_str(o, "user", ev->user);
	set_str(o, "host", ev->host);
	set_str(o, "environment", ev->environment);
	set_str(o, "action", ev->action);
	set_str(o, "target", ev->target);
	if (ev->argv != NULL) {
		a = json_array();
		for (i = 0; ev->argv[i] != NULL; i++)
			json_array_append_new(a, jstr(ev->argv[i]));
		json_object_set_new(o, "argv", a);
	}
	set_str(o, "request", ev->request);
	return (o);
}

static char *
object_line(json_t *o)
{
	return (appendlog_json_line(o, JSON_PRESERVE_ORDER, "audit"));
}

char *
audit_line_start(const struct audit_event *ev, time_t now)
{
	return (object_line(event_object(ev, "start", now)));
}

char *
audit_line_end(const struct audit_event *ev, const struct audit_result *r,
    time_t now)
{
	json_t	*o = event_object(ev, "end", now);

	if (r->process) {
		if (r->signal != 0) {
			json_object_set_new(o, "exit", json_null());
			json_object_set_new(o, "signal",
			    json_integer(r->signal));
		} else
			json_object_set_new(o, "exit",
			    json_integer(r->exit_status));
	} else
		json_object_set_new(o, "http_status", r->http_status > 0 ?
		    json_integer(r->http_status) : json_null());
	json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
	set_str(o, "error", r->error);
	return (object_line(o));
}

void
audit_set_path(const char *path)
{
	const char	*home = getenv("HOME");

	free(audit_file);
	audit_file = NULL;
	if (path == NULL || *path == '\0')
		return;
	if (strncmp(path, "~/", 2) == 0)
		audit_file = xasprintf("%s/%s", home != NULL ? home : "",
		    path + 2);
	else
		audit_file = xstrdup(path);
}

const char *
audit_path(void)
{
	if (audit_file == NULL)
		audit_file = log_state_path("audit.log");
	return (audit_file);
}

bool
audit_write(const char *line, char **err)
{
	const char	*path = audit_path();
	int		 error;

	if ((error = appendlog_write(path, line, strlen(line), NULL)) != 0) {
		*err = xasprintf("audit log %s: %s", path, strerror(error));
		return (false);
	}
	return (true);
}

const char *
audit_user(void)
{
	static char	 name[256];
	struct passwd	*pw;
	const char	*u;

	if (*name != '\0')
		return (name);
	if ((pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;
	else if ((u = getenv("USER")) == NULL)
		u = "?";
	snprintf(name, sizeof name, "%s", u);
	return (name);
}

const char *
audit_host(void)
{
	static char	host[256];

	if (*host != '\0')
		return (host);
	if (gethostname(host, sizeof host - 1) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	return (host);
}
