// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error records and their warnings (ir/err.h): warnings are kept in the
 * order raised, survive nc_err_clear(), are counted when they do not fit,
 * and the library raises them instead of printing (nothing reaches stderr
 * while a command with --nflog-range is built).
 */
#include <stdlib.h>
#include <unistd.h>
#include "testsuite/unit/tap.h"
#include "parser/parser.h"
#include "ir/build.h"

#define NFLOG_WARN "--nflog-range has never worked and is no longer " \
	"supported, please use --nflog-size instead"

static void record(void)
{
	struct nc_err e = { 0 }, copy;
	struct nc_loc l1 = { 1, 2, 3 }, l2 = { 4, 5, 6 };

	nc_err_warn(&e, &l1, "first %d", 1);
	ok(e.status == NC_OK && e.nwarn == 1, "a warning is no error");
	nc_err_warn(&e, NULL, "second\nand no more");
	nc_err_set(&e, NC_EOTHER, &l2, "the error");
	nc_err_warn(&e, &l2, "third");
	ok(e.nwarn == 3, "warnings after an error are kept too");
	is_str(e.warn[0].msg, "first 1", "first, in order");
	ok(e.warn[0].loc.line == 1 && e.warn[0].loc.first_col == 2 &&
	   e.warn[0].loc.last_col == 3, "with its location");
	is_str(e.warn[1].msg, "second", "one line: what follows a newline is cut");
	ok(e.warn[1].loc.line == 0, "no location");
	is_str(e.warn[2].msg, "third", "third");
	copy = e;	/* a plain value: copied, nothing shared */
	nc_err_clear(&e);
	ok(e.status == NC_OK && !e.msg[0] && !e.loc.line, "nc_err_clear forgets the error");
	ok(e.nwarn == 3 && !strcmp(e.warn[2].msg, "third"),
	   "nc_err_clear keeps the warnings");
	ok(copy.status == NC_EOTHER && copy.nwarn == 3, "a copy keeps both");
	nc_err_set(&e, NC_EPARAM, NULL, "again");
	ok(e.status == NC_EPARAM, "an error can be set again after clearing");
}

static void overflow(void)
{
	struct nc_err e = { 0 }, to = { 0 };

	for (int i = 0; i < NC_WARN_MAX + 3; i++)
		nc_err_warn(&e, NULL, "w%d", i);
	ok(e.nwarn == NC_WARN_MAX && e.warn_lost == 3,
	   "those that do not fit are counted (%u kept, %u lost)", e.nwarn, e.warn_lost);
	nc_err_warn(&to, NULL, "mine");
	nc_err_take_warnings(&to, &e);
	ok(to.nwarn == NC_WARN_MAX && to.warn_lost == 4 && e.nwarn == 0 &&
	   e.warn_lost == 0, "taken over: in order after its own, the rest counted");
	is_str(to.warn[1].msg, "w0", "taken over in order");
}

/* Build @line with stderr sent to a file; returns what was written there
 * (malloc'd). */
static char *build(const char *line, struct nc_err *err)
{
	char path[] = "/tmp/natc-unit-err.XXXXXX", *got = calloc(1, 4096);
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	struct nc_cmd *cmd;
	struct nc_job *job;

	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	cmd = nc_parse_line(line, 1, err);
	job = cmd ? nc_build(cmd, AF_INET, err) : NULL;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	if (got && pread(fd, got, 4095, 0) < 0)
		got[0] = '\0';
	close(fd);
	unlink(path);
	nc_job_free(job);
	nc_cmd_free(cmd);
	return got;
}

static void nflog(void)
{
	struct nc_err e = { 0 };
	char *out = build("-t nat -A POSTROUTING -s 10.0.0.1,10.0.0.2 -j NFLOG "
			  "--nflog-range 5", &e);

	is_str(out, "", "--nflog-range: the library prints nothing");
	ok(e.status == NC_OK && e.nwarn == 1,
	   "--nflog-range: one warning for the command (%u), whatever its rules", e.nwarn);
	is_str(e.warn[0].msg, NFLOG_WARN, "iptables' words");
	ok(e.warn[0].loc.line == 1 && e.warn[0].loc.first_col == 67,
	   "at its value (line %u col %u)", e.warn[0].loc.line, e.warn[0].loc.first_col);
	free(out);

	memset(&e, 0, sizeof(e));
	out = build("-t nat -A POSTROUTING -j NFLOG --nflog-range 5 --nflog-range 6", &e);
	ok(e.status == NC_EPARAM && e.nwarn == 0,
	   "a second --nflog-range: refused first, no warning (as iptables)");
	free(out);

	memset(&e, 0, sizeof(e));
	out = build("-t nat -A POSTROUTING -j NFLOG --nflog-size 4 --nflog-range 5", &e);
	ok(e.status == NC_EPARAM && e.nwarn == 1,
	   "--nflog-range with --nflog-size: the warning, then the refusal (as iptables)");
	is_str(out, "", "... and nothing printed");
	free(out);
}

int main(void)
{
	record();
	overflow();
	nflog();
	return tap_done();
}
