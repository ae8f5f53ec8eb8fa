// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>
#include "cli/diag.h"

/* The line @line (1-based) of @text, and its length. */
static const char *line_of(const char *text, uint32_t line, size_t *len)
{
	for (uint32_t n = 1; n < line && text; n++) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text)
		return NULL;
	*len = strcspn(text, "\n");
	return text;
}

static void caret(FILE *f, const char *text, const struct nc_loc *loc)
{
	size_t len, first = loc->first_col, last = loc->last_col;
	const char *l = line_of(text, loc->line, &len);

	if (!l)
		return;
	fprintf(f, "%.*s\n", (int)len, l);
	if (!first)
		return;
	if (last < first)
		last = first;
	for (size_t i = 1; i < first; i++)
		fputc(l[i - 1] == '\t' ? '\t' : ' ', f);
	for (size_t i = first; i <= last; i++)
		fputc('^', f);
	fputc('\n', f);
}

int nc_diag_print(FILE *f, const char *prog, const struct nc_err *err,
		  const char *file, const char *text)
{
	int status = err->status == NC_OK ? NC_EOTHER : (int)err->status;

	if (file && err->loc.line) {
		/* one line: without the blank lines and the leading space
		 * iptables puts around some of its messages */
		const char *m = err->msg + strspn(err->msg, "\n ");
		int len = (int)strcspn(m, "\n");
		struct nc_loc loc = err->loc;

		if (!loc.first_col) {	/* the whole line */
			size_t n;
			const char *l = text ? line_of(text, loc.line, &n) : NULL;

			loc.first_col = 1;
			loc.last_col = l && n ? (uint16_t)(n > 0xffff ? 0xffff : n) : 1;
		}
		fprintf(f, "%s:%u:%u: error: %.*s\n", file, loc.line,
			loc.first_col, len, m);
		if (text)
			caret(f, text, &loc);
		return status;
	}
	if (status == NC_EOTHER)
		fprintf(f, "%s: %s\n", prog, err->msg);
	else
		fprintf(f, "%s v%s (nf_tables): %s\n", prog, NATC_VERSION, err->msg);
	if (err->usage_hint)
		fprintf(f, "Try `%s -h' or '%s --help' for more information.\n",
			prog, prog);
	return status;
}
