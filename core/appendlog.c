/* appendlog.c: durable appends to a log of lines (see appendlog.h). The
 * logs that use it (core/audit.c, core/timeline.c) keep their own policy:
 * their lines, rotation, and what is said, and how often, on failure. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/appendlog.h"
#include "core/log.h"
#include "core/xalloc.h"

bool
appendlog_write_all(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;	/* no progress, no reason given */
		if (n <= 0)
			return (false);
		s += n;
		len -= (size_t)n;
	}
	return (true);
}

int
appendlog_write(const char *path, const char *s, size_t len, bool *reached)
{
	int	fd, error = 0;

	if (reached != NULL)
		*reached = false;
	log_make_parents(path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return (errno);
	if (reached != NULL)
		*reached = true;
	if (!appendlog_write_all(fd, s, len) || fsync(fd) == -1)
		error = errno;
	if (close(fd) == -1 && error == 0)
		error = errno;
	return (error);
}

char *
appendlog_json_line(json_t *o, size_t flags, const char *log)
{
	char	*s, *line;

	s = json_dumps(o, JSON_COMPACT | flags);
	json_decref(o);
	if (s == NULL)
		fatal("%s: cannot encode a line", log);
	line = xasprintf("%s\n", s);
	free(s);
	return (line);
}
