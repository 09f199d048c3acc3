/* log.c: the diagnostics file, opened lazily, appended to, one line per
 * message with a UTC timestamp. Outside text is sanitized first so that
 * `tail -f` of the log is as safe as the screen. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/sanitize.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

static char	*log_path;
static bool	 log_path_set;
static FILE	*log_file;
static bool	 log_failed;

void
log_set_path(const char *path)
{
	log_close();
	free(log_path);
	log_path = path != NULL ? xstrdup(path) : NULL;
	log_path_set = true;
	log_failed = false;
}

char *
log_state_path(const char *name)
{
	const char	*state = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");

	if (state != NULL && *state == '/')
		return (xasprintf("%s/sitrep/%s", state, name));
	return (xasprintf("%s/.local/state/sitrep/%s",
	    home != NULL ? home : "/tmp", name));
}

void
log_make_parents(const char *path)
{
	char	*dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(dir);
}

static FILE *
log_open(void)
{
	int	fd;

	if (log_file != NULL || log_failed)
		return (log_file);
	if (!log_path_set) {
		log_path = log_state_path("sitrep.log");
		log_path_set = true;
	}
	if (log_path == NULL) {
		log_failed = true;
		return (NULL);
	}
	log_make_parents(log_path);
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1 || (log_file = fdopen(fd, "a")) == NULL) {
		if (fd != -1)
			close(fd);
		log_failed = true;
		return (NULL);
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return (log_file);
}

void
log_msg(const char *fmt, ...)
{
	va_list	 ap;
	char	*raw, *clean, when[32];
	FILE	*f;

	if ((f = log_open()) == NULL)
		return;
	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = sanitize(raw, strlen(raw), NULL);
	time_format_iso(when, sizeof when, time_wall());
	fprintf(f, "%s %s\n", when, clean);
	free(clean);
	free(raw);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}
