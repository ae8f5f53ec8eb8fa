// SPDX-License-Identifier: GPL-2.0-or-later
/* LOG and NFLOG prefixes. */
#include <string.h>
#include "ir/ext/lib/logprefix.h"

int nc_log_prefix_parse(char *out, const char *arg, size_t max, const char *opt,
			const struct nc_loc *loc, struct nc_err *err)
{
	size_t len = strlen(arg);

	if (!len)
		return nc_err_param(err, loc,
			"Argument must have a minimum length of 1 characters\n");
	if (strchr(arg, '\n'))
		return nc_err_param(err, loc, "Newlines not allowed in --log-prefix");
	/* iptables-nft 1.8.9 cuts a longer prefix short without a word */
	if (len > max)
		return nc_err_param(err, loc,
			"Maximum prefix length %zu for --%s", max, opt);
	memcpy(out, arg, len + 1);
	return 0;
}

void nc_log_save_string(struct nc_buf *b, const char *s)
{
	static const char plain[] = "_-0123456789abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strspn(s, plain);

	nc_buf_putc(b, ' ');
	if (n && !s[n]) {
		nc_buf_puts(b, s);
		return;
	}
	nc_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '\'')
			nc_buf_putc(b, '\\');
		nc_buf_putc(b, *s);
	}
	nc_buf_putc(b, '"');
}

bool nc_log_prefix_get(const struct nc_exprs *l, const struct nc_expr *x,
		       char *out)
{
	uint32_t n = x->u.log.prefix_len;

	out[0] = '\0';
	if (!(x->u.log.has & NC_LOG_HAS_PREFIX))
		return true;
	if (n >= NC_LOG_PREFIX_MAX)
		return false;
	memcpy(out, nc_exprs_bytes(l, x->u.log.prefix_off), n);
	out[n] = '\0';
	return !memchr(out, '\0', n);
}

int nc_log_prefix_set(struct nc_exprs *l, const char *prefix)
{
	size_t n = strlen(prefix);
	int64_t off;
	struct nc_expr *x;

	if (!n)
		return 0;
	off = nc_exprs_store(l, prefix, n);
	if (off < 0)
		return -1;
	x = &l->v[l->n - 1];
	x->u.log.has |= NC_LOG_HAS_PREFIX;
	x->u.log.prefix_off = (uint32_t)off;
	x->u.log.prefix_len = (uint32_t)n;
	return 0;
}

int nc_log_prefix_xlate(struct nc_xlate *x, const char *prefix)
{
	if (!*prefix)
		return 0;
	if (strpbrk(prefix, "\"\\")) {
		x->why = "a prefix with a quote or backslash nft cannot quote";
		return -1;
	}
	nc_buf_puts(x->b, " prefix \"");
	nc_buf_puts(x->b, prefix);
	nc_buf_putc(x->b, '"');
	return 0;
}
