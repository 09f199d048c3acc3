/* replay.c: a main() for a fuzz target outside libFuzzer. make check links
 * each tests/fuzz/fuzz_NAME.c with it and runs it without arguments: it
 * feeds every file of $SRCDIR/tests/fuzz/corpus/NAME/ to
 * LLVMFuzzerTestOneInput, one by one, in a buffer of exactly the file's
 * size (so that the sanitizer build sees a read past the end). Given
 * arguments, it replays those files or directories instead, as a libFuzzer
 * binary would: `tests/fuzz/fuzz_loki crash-1234`. A crash is the test's
 * failure; a missing or empty corpus fails too. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf;
	struct stat	 st;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return (-1);
	}
	n = (size_t)st.st_size;
	/* malloc(0) may be NULL: keep one byte, pass zero. */
	buf = xmalloc(n > 0 ? n : 1);
	if (fread(buf, 1, n, f) != n) {
		fprintf(stderr, "replay: %s: short read\n", path);
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return (0);
}

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every regular file of dir, in name order: the count, or -1. */
static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		**v = NULL, *path;
	size_t		 n = 0, i;
	int		 done = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = path;
		} else
			free(path);
	}
	closedir(d);
	qsort(v, n, sizeof *v, name_cmp);
	for (i = 0; i < n; i++) {
		if (done >= 0 && replay_file(v[i]) == 0)
			done++;
		else
			done = -1;
		free(v[i]);
	}
	free(v);
	return (done);
}

static int
replay_path(const char *path)
{
	struct stat	st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return (replay_dir(path));
	return (replay_file(path) == 0 ? 1 : -1);
}

int
main(int argc, char **argv)
{
	const char	*srcdir = getenv("SRCDIR"), *name, *slash;
	char		*dir;
	int		 i, n, total = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			if ((n = replay_path(argv[i])) < 0)
				return (1);
			total += n;
		}
		printf("replayed %d inputs\n", total);
		return (0);
	}
	/* tests/fuzz/fuzz_NAME replays tests/fuzz/corpus/NAME. */
	name = (slash = strrchr(argv[0], '/')) != NULL ? slash + 1 : argv[0];
	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;
	dir = xasprintf("%s/tests/fuzz/corpus/%s",
	    srcdir != NULL ? srcdir : ".", name);
	n = replay_dir(dir);
	if (n <= 0) {
		printf("FAIL: %s: %s\n", dir, n == 0 ? "no inputs" :
		    "cannot replay");
		free(dir);
		return (1);
	}
	printf("replayed %d inputs from %s: no crash\n", n, dir);
	free(dir);
	return (0);
}
