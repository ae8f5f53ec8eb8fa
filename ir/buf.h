/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growable text buffer for the printers.  The caller owns the struct and
 * frees its storage with nc_buf_free().  Allocation failure is sticky:
 * nc_buf_failed() tells, and the text is then incomplete.
 */
#ifndef NATC_BUF_H
#define NATC_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct nc_buf {
	char *s;		/* NUL-terminated, NULL while empty */
	size_t len, cap;
	bool failed;
};

void nc_buf_printf(struct nc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nc_buf_puts(struct nc_buf *b, const char *s);
/* @n bytes of @s (no NUL among them). */
void nc_buf_putn(struct nc_buf *b, const char *s, size_t n);
/* A string literal, its length known at compile time. */
#define nc_buf_putlit(b, lit) nc_buf_putn((b), "" lit "", sizeof(lit) - 1)
void nc_buf_putc(struct nc_buf *b, char c);
/* An unsigned number in decimal (without printf's cost). */
void nc_buf_putu(struct nc_buf *b, unsigned long long v);
/* Pad with spaces until the buffer holds at least @len bytes. */
void nc_buf_pad(struct nc_buf *b, size_t len);
/* The text so far ("" when empty). */
const char *nc_buf_str(const struct nc_buf *b);
void nc_buf_reset(struct nc_buf *b);	/* empty it, keep storage */
void nc_buf_free(struct nc_buf *b);
static inline bool nc_buf_failed(const struct nc_buf *b) { return b->failed; }

#endif
