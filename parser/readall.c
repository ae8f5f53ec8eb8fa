// SPDX-License-Identifier: GPL-2.0-or-later
/* A whole input stream into one buffer, as the file readers want it. */
#include <errno.h>
#include <stdlib.h>
#include "parser/parser.h"

char *nc_read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *p;

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
