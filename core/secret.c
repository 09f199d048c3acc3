/* secret.c: credentials from an environment variable, a command or a file,
 * as configured by PREFIX_env, PREFIX_command or PREFIX_file; and argv_split,
 * which turns a command line into an argv with no shell. A secret never
 * appears in a message: errors name the key, the variable, the command's
 * status or the file, not what was read. */
#include "config.h"

#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/argv.h"
#include "core/child.h"
#include "core/conf.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

/* How long a token command may take. */
#define SECRET_TIMEOUT_MS	10000
/* Longest first line kept from a command or a file. */
#define SECRET_MAX		65536

/* A token command being run. */
struct run {
	pid_t	 pid;
	int	 out;		/* its stdout, non-blocking */
	int	 report;	/* errno from a failed execvp, else EOF */
	char	*buf;		/* the first line, SECRET_MAX + 1 bytes */
	size_t	 len;
	bool	 line_done;	/* a newline was seen: discard the rest */
	bool	 eof;
	bool	 exited;
	bool	 lost;		/* reaped by someone else: status unknown */
	bool	 timed_out;
	int	 status;
};

typedef char *(*secret_loader)(struct config *, const struct config_entry *);

static char	*secret_env(struct config *, const struct config_entry *);
static char	*secret_command(struct config *, const struct config_entry *);
static char	*secret_file(struct config *, const struct config_entry *);

static const struct {
	const char	*suffix;
	secret_loader	 load;
} secret_sources[] = {
	{ "env", secret_env },
	{ "command", secret_command },
	{ "file", secret_file },
};
#define NSOURCES (sizeof secret_sources / sizeof secret_sources[0])

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static char *
secret_env(struct config *cfg, const struct config_entry *e)
{
	const char	*v;

	if (*e->value == '\0') {
		config_error(cfg, e->line,
		    "%s: empty (name an environment variable)", e->key);
		return (NULL);
	}
	/* Whether it is set or not: no child may inherit it. */
	child_hide_env(e->value);
	if ((v = getenv(e->value)) == NULL) {
		config_error(cfg, e->line,
		    "%s: environment variable %s is not set", e->key, e->value);
		return (NULL);
	}
	if (*v == '\0') {
		config_error(cfg, e->line,
		    "%s: environment variable %s is empty", e->key, e->value);
		return (NULL);
	}
	return (xstrdup(v));
}

/* Start the command (core/child.c: the one way sitrep starts a child);
 * false with errno. */
static bool
run_start(struct run *r, char **argv)
{
	if ((r->pid = child_spawn_reported(argv, &r->out, &r->report)) == -1)
		return (false);
	return (true);
}

/* Read what is there: keep the first line, throw the rest away. */
static void
run_read(struct run *r)
{
	char	 scratch[4096], *nl;
	ssize_t	 n;
	size_t	 room;

	for (;;) {
		room = SECRET_MAX - r->len;
		if (r->line_done || room == 0)
			n = read(r->out, scratch, sizeof scratch);
		else
			n = read(r->out, r->buf + r->len, room);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;		/* EAGAIN: nothing more for now */
		if (n == 0) {
			r->eof = true;
			break;
		}
		if (r->line_done || room == 0)
			continue;
		if ((nl = memchr(r->buf + r->len, '\n', n)) != NULL) {
			r->len = nl - r->buf;
			r->line_done = true;
		} else
			r->len += n;
	}
	explicit_bzero(scratch, sizeof scratch);
}

static void
run_reap(struct run *r, int flags)
{
	pid_t	 rc;

	do
		rc = waitpid(r->pid, &r->status, flags);
	while (rc == -1 && errno == EINTR);
	if (rc == r->pid)
		r->exited = true;
	else if (rc == -1) {
		/* ECHILD: a SIGCHLD handler reaped it. */
		r->exited = true;
		r->lost = true;
	}
}

static void
run_pollfd(struct pollfd *pfd, int fd)
{
	pfd->fd = fd;
	pfd->events = POLLIN;
	pfd->revents = 0;
}

/*
 * Until the command has exited and closed its output, or the deadline. A
 * pidfd tells when it exits; without one (old kernels), look every 10 ms.
 * Output still open after the exit (a daemon it left behind) is not waited
 * for.
 */
static void
run_wait(struct run *r)
{
	struct pollfd	 pfd[2];
	int64_t		 deadline, left;
	nfds_t		 n;
	int		 pidfd, timeout;

	deadline = time_mono_ms() + SECRET_TIMEOUT_MS;
	pidfd = pidfd_open(r->pid, 0);
	for (;;) {
		if (!r->exited)
			run_reap(r, WNOHANG);
		if (r->exited) {
			run_read(r);
			break;
		}
		if ((left = deadline - time_mono_ms()) <= 0) {
			r->timed_out = true;
			break;
		}
		n = 0;
		if (!r->eof)
			run_pollfd(&pfd[n++], r->out);
		if (pidfd != -1)
			run_pollfd(&pfd[n++], pidfd);
		timeout = (pidfd == -1 && left > 10) ? 10 : (int)left;
		if (poll(pfd, n, timeout) == -1 && errno != EINTR)
			break;
		if (!r->eof)
			run_read(r);
	}
	if (pidfd != -1)
		close(pidfd);
	if (!r->exited) {
		kill(r->pid, SIGKILL);
		run_reap(r, 0);
	}
}

/* Why the command gave no secret, or NULL if it gave one. */
static char *
run_problem(struct run *r, const char *key, const char *cmd)
{
	int	 err;

	if (read(r->report, &err, sizeof err) == (ssize_t)sizeof err)
		return (xasprintf("%s: %s: %s", key, cmd, strerror(err)));
	if (r->timed_out)
		return (xasprintf("%s timed out after %d seconds", key,
		    SECRET_TIMEOUT_MS / 1000));
	if (r->lost)
		return (xasprintf("%s: exit status lost", key));
	if (WIFSIGNALED(r->status))
		return (xasprintf("%s was killed by signal %d", key,
		    WTERMSIG(r->status)));
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		return (xasprintf("%s exited with status %d", key,
		    WEXITSTATUS(r->status)));
	if (r->len > 0 && r->buf[r->len - 1] == '\r')
		r->len--;
	if (r->len == 0)
		return (xasprintf("%s printed nothing", key));
	return (NULL);
}

static char *
secret_command(struct config *cfg, const struct config_entry *e)
{
	struct run	 r;
	char		**argv, *err, *secret = NULL;

	if ((argv = argv_split(e->value, &err)) == NULL) {
		config_error(cfg, e->line, "%s: %s", e->key, err);
		free(err);
		return (NULL);
	}
	if (argv[0] == NULL) {
		config_error(cfg, e->line, "%s: empty command", e->key);
		argv_free(argv);
		return (NULL);
	}
	memset(&r, 0, sizeof r);
	if (!run_start(&r, argv)) {
		config_error(cfg, e->line, "%s: %s", e->key, strerror(errno));
		argv_free(argv);
		return (NULL);
	}
	r.buf = xmalloc(SECRET_MAX + 1);
	run_wait(&r);
	if ((err = run_problem(&r, e->key, argv[0])) != NULL) {
		config_error(cfg, e->line, "%s", err);
		free(err);
	} else
		secret = xstrndup(r.buf, r.len);
	explicit_bzero(r.buf, SECRET_MAX + 1);
	free(r.buf);
	close(r.out);
	close(r.report);
	argv_free(argv);
	return (secret);
}

/* "~/x" is $HOME/x; anything else as written (heap). */
static char *
secret_path(const char *path)
{
	const char	*home;

	if (strncmp(path, "~/", 2) == 0 && (home = getenv("HOME")) != NULL &&
	    *home != '\0')
		return (xasprintf("%s/%s", home, path + 2));
	return (xstrdup(path));
}

/* The first line of fd, trimmed; NULL if empty or unreadable. */
static char *
secret_read_line(int fd)
{
	char	*buf, *s, *e, *secret = NULL;
	size_t	 len = 0;
	ssize_t	 n;

	buf = xmalloc(SECRET_MAX + 1);
	while (len < SECRET_MAX) {
		n = read(fd, buf + len, SECRET_MAX - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (memchr(buf + len - n, '\n', n) != NULL)
			break;
	}
	buf[len] = '\0';
	s = buf;
	e = s + strcspn(s, "\n");
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e > s)
		secret = xstrndup(s, e - s);
	explicit_bzero(buf, SECRET_MAX + 1);
	free(buf);
	return (secret);
}

/* Like ssh, refuse a file that anyone but its owner may read or write. */
static char *
secret_file(struct config *cfg, const struct config_entry *e)
{
	struct stat	 st;
	char		*path, *secret = NULL;
	int		 fd;

	path = secret_path(e->value);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		config_error(cfg, e->line, "%s: %s", e->value, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1)
		config_error(cfg, e->line, "%s: %s", e->value, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		config_error(cfg, e->line, "%s: not a regular file", e->value);
	else if ((st.st_mode & 077) != 0)
		config_error(cfg, e->line,
		    "%s: permissions %04o are too open (chmod 600)", e->value,
		    (unsigned)(st.st_mode & 07777));
	else if ((secret = secret_read_line(fd)) == NULL)
		config_error(cfg, e->line, "%s: empty", e->value);
	close(fd);
out:
	free(path);
	return (secret);
}

/* A secret goes into HTTP headers: no control characters. */
static bool
secret_clean(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (false);
	}
	return (true);
}

/* The one PREFIX_* entry configured; NULL, with an error, if several. */
static const struct config_entry *
secret_entry(struct config *cfg, struct config_section *s, const char *prefix,
    size_t *which, bool *found)
{
	const struct config_entry	*e, *chosen = NULL;
	char				*key;
	size_t				 i;
	bool				 bad = false;

	for (i = 0; i < NSOURCES; i++) {
		key = xasprintf("%s_%s", prefix, secret_sources[i].suffix);
		for (e = config_get(s, key); e != NULL;
		    e = config_next(s, key, e)) {
			if (chosen == NULL) {
				chosen = e;
				*which = i;
				continue;
			}
			config_error(cfg, e->line,
			    "%s: %s is already set at line %d (use only one)",
			    e->key, chosen->key, config_line_of(chosen->line));
			bad = true;
		}
		free(key);
	}
	*found = (chosen != NULL);
	return (bad ? NULL : chosen);
}

char *
secret_load(struct config *cfg, struct config_section *s, const char *prefix,
    bool *found)
{
	const struct config_entry	*e;
	char				*secret;
	size_t				 which = 0;
	bool				 any;

	e = secret_entry(cfg, s, prefix, &which, &any);
	if (found != NULL)
		*found = any;
	if (e == NULL)
		return (NULL);
	if ((secret = secret_sources[which].load(cfg, e)) == NULL)
		return (NULL);
	if (!secret_clean(secret)) {
		config_error(cfg, e->line,
		    "%s: the secret contains control characters", e->key);
		secret_free(secret);
		return (NULL);
	}
	return (secret);
}

void
secret_hide_env(const struct config *cfg)
{
	const struct config_section	*sec;
	size_t				 i, j, len;

	for (i = 0; i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		for (j = 0; j < sec->nentries; j++) {
			len = strlen(sec->entries[j].key);
			if (len >= 4 &&
			    strcmp(sec->entries[j].key + len - 4, "_env") == 0)
				child_hide_env(sec->entries[j].value);
		}
	}
}
