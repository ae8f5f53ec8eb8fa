// SPDX-License-Identifier: GPL-2.0-or-later
/* A whole input stream into one buffer, as the file readers want it. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "parser/parser.h"

char *nc_read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	struct stat st;
	char *buf, *p;

	/* a file's size is known: one buffer, read once (plus the probe
	 * that finds its end) */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size < (1ULL << 40))
		cap = (size_t)st.st_size + 3;
	buf = malloc(cap);
	if (!buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n - 2, f)) > 0) {
		n += got;
		if (cap - n - 2 == 0) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = buf[n + 1] = '\0';
	*len = n;
	return buf;
}
