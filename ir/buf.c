// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ir/buf.h"

static bool buf_reserve(struct nc_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *s;

	if (b->failed)
		return false;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void nc_buf_printf(struct nc_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n;

	if (b->failed)
		return;
	/* one pass when the text fits in the room there is */
	va_start(ap, fmt);
	n = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void nc_buf_puts(struct nc_buf *b, const char *s)
{
	nc_buf_putn(b, s, strlen(s));
}

void nc_buf_putn(struct nc_buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void nc_buf_putc(struct nc_buf *b, char c)
{
	if (!buf_reserve(b, 1))
		return;
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void nc_buf_putu(struct nc_buf *b, unsigned long long v)
{
	char d[24];
	size_t n = sizeof(d);

	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (!buf_reserve(b, sizeof(d) - n))
		return;
	memcpy(b->s + b->len, d + n, sizeof(d) - n);
	b->len += sizeof(d) - n;
	b->s[b->len] = '\0';
}

void nc_buf_pad(struct nc_buf *b, size_t len)
{
	while (b->len < len && !b->failed)
		nc_buf_putc(b, ' ');
}

const char *nc_buf_str(const struct nc_buf *b)
{
	return b->s ? b->s : "";
}

void nc_buf_reset(struct nc_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void nc_buf_free(struct nc_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
