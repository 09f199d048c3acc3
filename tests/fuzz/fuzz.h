/* fuzz.h: what every fuzz target in tests/fuzz/ shares. A target is one
 * LLVMFuzzerTestOneInput: libFuzzer drives it in `./run fuzz`, and
 * tests/fuzz/replay.c feeds it the corpus in `make check`. A target aborts
 * (fuzz_check) when a property it states does not hold, so that both
 * drivers report it as a crash. */
#ifndef SITREP_FUZZ_H
#define SITREP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as an HTTP body, as backends/http.c hands one over: its bytes
 * (NULs included) and a NUL after them (heap). */
char	*fuzz_body(const uint8_t *, size_t);

/* The input as a NUL-terminated string (heap), cut at its first NUL. */
char	*fuzz_string(const uint8_t *, size_t);

/* Abort, saying which property failed, unless cond holds. */
#define fuzz_check(cond)	fuzz_check_at((cond), #cond, __FILE__, __LINE__)
void	 fuzz_check_at(int, const char *, const char *, int);

#endif
