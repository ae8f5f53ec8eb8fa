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

/* A line longer than this is shown cut around the error, "..." where it
 * is cut: a 1 MB line is not echoed whole, nor a 1 MB caret line. */
#define SHOWN_MAX 200
#define SHOWN_BEFORE 60		/* of them before the error's first column */

/* @l (@len bytes) and a caret under @loc's columns (first_col != 0). */
static void caret_line(FILE *f, const char *l, size_t len, const struct nc_loc *loc)
{
	size_t first = loc->first_col, last = loc->last_col, from = 0, to = len;

	if (len > SHOWN_MAX) {
		size_t at = first ? first - 1 : 0;

		from = at > SHOWN_BEFORE ? at - SHOWN_BEFORE : 0;
		if (from + SHOWN_MAX > len)
			from = len - SHOWN_MAX;
		to = from + SHOWN_MAX;
	}
	fprintf(f, "%s%.*s%s\n", from ? "..." : "", (int)(to - from), l + from,
		to < len ? "..." : "");
	if (!first)
		return;
	if (last < first)
		last = first;
	if (last > to + 1)	/* up to the column after what is shown */
		last = to + 1 > first ? to + 1 : first;
	if (from)
		fputs("   ", f);
	for (size_t i = from + 1; i < first; i++)
		fputc(i <= len && l[i - 1] == '\t' ? '\t' : ' ', f);
	for (size_t i = first; i <= last; i++)
		fputc('^', f);
	fputc('\n', f);
}

/*
 * "file:line:col: @kind: @msg" (one line: without the blank lines and the
 * leading space iptables puts around some of its messages), then @l, the
 * line (@len bytes), with a caret.  A location without columns stands for
 * the whole line.
 */
static void located(FILE *f, const char *file, const char *kind,
		    const struct nc_loc *at, const char *msg, const char *l,
		    size_t len)
{
	const char *m = msg + strspn(msg, "\n ");
	int mlen = (int)strcspn(m, "\n");
	struct nc_loc loc = *at;

	if (!loc.first_col) {	/* the whole line */
		loc.first_col = 1;
		loc.last_col = l && len ? (uint16_t)(len > 0xffff ? 0xffff : len) : 1;
	}
	fprintf(f, "%s:%u:%u: %s: %.*s\n", file, loc.line, loc.first_col, kind,
		mlen, m);
	if (l)
		caret_line(f, l, len, &loc);
}

void nc_diag_warn_line(FILE *f, const struct nc_warn *w, const char *file,
		       const char *line, size_t len)
{
	if (!w->loc.line)
		fprintf(f, "%s: warning: %s\n", file, w->msg);
	else if (!line)	/* columns of something else than the line */
		fprintf(f, "%s:%u: warning: %s\n", file, w->loc.line, w->msg);
	else
		located(f, file, "warning", &w->loc, w->msg, line, len);
}

void nc_diag_warnings(FILE *f, const char *prog, struct nc_err *err,
		      const char *file, const char *text)
{
	for (unsigned i = 0; i < err->nwarn; i++) {
		const struct nc_warn *w = &err->warn[i];
		size_t len = 0;
		const char *l = text && w->loc.line ?
			line_of(text, w->loc.line, &len) : NULL;

		if (!file)	/* iptables' words, as its extensions print them */
			fprintf(f, "warn: %s\n", w->msg);
		else if (!w->loc.line)
			fprintf(f, "%s: warning: %s\n", file, w->msg);
		else
			located(f, file, "warning", &w->loc, w->msg, l, len);
	}
	if (err->warn_lost)
		fprintf(f, "%s: %u more warning%s not shown\n", prog,
			err->warn_lost, err->warn_lost == 1 ? "" : "s");
	err->nwarn = 0;
	err->warn_lost = 0;
}

int nc_diag_print(FILE *f, const char *prog, struct nc_err *err,
		  const char *file, const char *text)
{
	int status = err->status == NC_OK ? NC_EOTHER : (int)err->status;

	nc_diag_warnings(f, prog, err, file, text);
	if (file && err->loc.line) {
		size_t len = 0;
		const char *l = text ? line_of(text, err->loc.line, &len) : NULL;

		located(f, file, "error", &err->loc, err->msg, l, len);
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
