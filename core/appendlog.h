/* appendlog.h: durable appends to a log of lines (the audit log, the
 * timeline): open O_APPEND, write, fsync, close, and the errno of the step
 * that failed. What a log keeps, how it rotates and what it says on failure
 * stay with the log. */
#ifndef SITREP_APPENDLOG_H
#define SITREP_APPENDLOG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Append len bytes of s to path, opened O_APPEND (created 0600, its folders
 * made, a symbolic link refused): one write(2), more only if the system
 * writes less, so that two sitreps sharing the file never interleave within
 * a line; then fsync and close. Returns 0, or the errno of the step that
 * failed. *reached (may be NULL) says whether the file was opened: a
 * failure after that may have left part of a line in it.
 */
int	 appendlog_write(const char *path, const char *s, size_t len,
	     bool *reached);
/* Write all of s to fd, again after EINTR or a short write; false (errno
 * set) if it could not. */
bool	 appendlog_write_all(int fd, const char *s, size_t len);
/* One object as one compact line, "\n" ended (heap), with json_dumps()
 * flags; o is released. A line that cannot be made ends sitrep with the
 * log's name: the logs' values are all encodable. */
char	*appendlog_json_line(json_t *o, size_t flags, const char *log);

#endif
