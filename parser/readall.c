// SPDX-License-Identifier: GPL-2.0-or-later
/* A whole input stream into one buffer, as the file readers want it. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "parser/parser.h"

#define HALVES_MIN (4 << 20)	/* files this big are read by two threads */
#define MAP_MIN (1 << 20)	/* files this big are mapped by nc_input_read() */

struct half {
	int fd;
	char *buf;
	size_t len;
	off_t at;
	int rc;		/* 0, or -1 when the bytes did not all come */
};

static void *read_half(void *arg)
{
	struct half *h = arg;
	size_t n = 0;

	while (n < h->len) {
		ssize_t got = pread(h->fd, h->buf + n, h->len - n, h->at + (off_t)n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	h->rc = n == h->len ? 0 : -1;
	return NULL;
}

/* The first @size bytes of regular file @f into @buf, by two threads
 * (copying out of the page cache is slow on some machines, and each CPU
 * copies for itself); 0, or -1 having read nothing that counts. */
static int read_halves(FILE *f, char *buf, size_t size)
{
	size_t half = (size / 2) & ~(size_t)4095;
	struct half a = { fileno(f), buf, half, 0, -1 },
		    b = { fileno(f), buf + half, size - half, (off_t)half, -1 };
	pthread_t th;

	if (pthread_create(&th, NULL, read_half, &b) != 0)
		return -1;
	read_half(&a);
	pthread_join(th, NULL);
	if (a.rc || b.rc || fseeko(f, (off_t)size, SEEK_SET) != 0)
		return -1;
	return 0;
}

/* Whether the @got bytes just read at @p end what is worth reading: they
 * hold a NUL byte, or the line they are in (*@run bytes of it before
 * them) is longer than NC_LINE_MAX.  The parsers refuse the input there
 * (parser/scanfile.c, parser/script.c), so what follows is not read: an
 * endless stream of zeros stops after one piece.  A line between two
 * newlines of @p is shorter than the limit when @got is at most
 * NC_LINE_MAX, as the reads below make it when the size is not known. */
static bool read_enough(const char *p, size_t got, size_t *run)
{
	const char *nl = memchr(p, '\n', got);

	if (memchr(p, '\0', got))
		return true;
	if (!nl) {
		*run += got;
		return *run > NC_LINE_MAX;
	}
	if (*run + (size_t)(nl - p) > NC_LINE_MAX)
		return true;
	*run = got - 1 - (size_t)((const char *)memrchr(p, '\n', got) - p);
	return false;
}

char *nc_read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got, want, run = 0;
	bool sized = false;
	struct stat st;
	char *buf, *p;

	/* a file's size is known: one buffer, read once (plus the probe
	 * that finds its end) */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size < (1ULL << 40)) {
		cap = (size_t)st.st_size + 3;
		sized = true;
	}
	buf = malloc(cap);
	if (!buf)
		return NULL;
	/* a big file from its start by two threads, then (as for anything
	 * else) what is left: the end, or more if the file grew meanwhile */
	if (cap >= HALVES_MIN && ftello(f) == 0 &&
	    read_halves(f, buf, cap - 3) == 0)
		n = cap - 3;
	/* a pipe or a device in pieces of a line's length at most: the
	 * reading stops soon after a NUL byte or an overlong line */
	for (;;) {
		want = cap - n - 2;
		if (!sized && want > NC_LINE_MAX)
			want = NC_LINE_MAX;
		if (!(got = fread(buf + n, 1, want, f)))
			break;
		n += got;
		if (read_enough(buf + n - got, got, &run))
			break;
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
		int e = errno;	/* read()'s: EISDIR for a directory */

		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	buf[n] = buf[n + 1] = '\0';	/* fread() left room for them */
	*len = n;
	return buf;
}

int nc_input_read(struct nc_input *in, FILE *f)
{
	struct stat st;

	*in = (struct nc_input){ .text = "" };
	/* mapped from its start, populated in one call: the pages are the
	 * page cache's own, where reading would copy them into fresh pages
	 * that fault in one by one (costly on virtual machines).  A file
	 * cut short by someone else while it is read kills the reader
	 * (SIGBUS), as it would nft's or cat's mapping; it is not copied to
	 * guard against that */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= MAP_MIN && (uint64_t)st.st_size < (1ULL << 40) &&
	    ftello(f) == 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			       MAP_PRIVATE | MAP_POPULATE, fileno(f), 0);

		if (m != MAP_FAILED) {
			in->map = m;
			in->text = m;
			in->len = (size_t)st.st_size;
			return 0;
		}
	}
	in->buf = nc_read_all(f, &in->len);
	if (!in->buf)
		return -1;
	in->text = in->buf;
	return 0;
}

void nc_input_free(struct nc_input *in)
{
	if (in->map)
		munmap(in->map, in->len);
	free(in->buf);
	*in = (struct nc_input){ .text = "" };
}
