/* audit.h: the audit log. Every action that changes the world appends one
 * JSON line before it starts and one when it ends, each written with one
 * write(2) on an O_APPEND descriptor and fsync'd, to a file of mode 0600:
 * [sitrep] audit_log, else $XDG_STATE_HOME/sitrep/audit.log. Building a line
 * is pure; tokens never appear (callers pass an argv from a template or a
 * request line "POST /incidents/X", never headers or bodies, and any
 * secret registered with audit_redact is replaced all the same). */
#ifndef SITREP_AUDIT_H
#define SITREP_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct audit_event {
	const char	*id;		/* pairs the start and end lines */
	const char	*user;
	const char	*host;
	const char	*environment;
	const char	*action;	/* "rollback", "ack", ... */
	const char	*target;	/* "checkout v2.14.0", an incident id */
	char *const	*argv;		/* a process's argv, or NULL */
	const char	*request;	/* "POST /incidents/PX1/notes", or NULL */
};

/* How an action ended. */
struct audit_result {
	bool		 process;	/* exit/signal, else http_status */
	int		 exit_status;	/* process: exit code, -1 if signalled */
	int		 signal;	/* process: the signal, 0 if none */
	long		 http_status;	/* 0: no response */
	int64_t		 duration_ms;
	const char	*error;		/* why it failed, or NULL */
};

/* The two lines (heap, ending in "\n"). */
char	*audit_line_start(const struct audit_event *, time_t now);
char	*audit_line_end(const struct audit_event *, const struct audit_result *,
	     time_t now);

/* Where lines go: NULL picks the default. "~/" means $HOME. */
void	 audit_set_path(const char *);
const char *audit_path(void);
/* Append one line, fsync it; false with *err (heap) on failure. The file
 * and its directories are created (0600, 0700). */
bool	 audit_write(const char *line, char **err);

/* Replace this string with "[redacted]" in every line from now on. */
void	 audit_redact(const char *secret);
void	 audit_reset(void);	/* forget the path and secrets (tests) */

/* Who and where, for struct audit_event (static storage). */
const char *audit_user(void);
const char *audit_host(void);

#endif
