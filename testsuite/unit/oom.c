// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running out of memory where a rule moves from a job to a chain:
 * --explain's loader of save files (backend/explain/load.c, into the
 * chain model) and its command line (cli/explain.c, included here for its
 * static functions; nc_chain_insert() takes the rule even when it fails,
 * and frees it) once freed it a second time.
 *
 * This program is linked with -Wl,--wrap=realloc (see the Makefile):
 * libnatc's calls to realloc() come here, and the one that grows a
 * chain's rule vector past a size fails when asked to.  Under
 * AddressSanitizer (make check-sanitize) a double free is reported; in a
 * normal build glibc usually aborts on it.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "testsuite/unit/tap.h"
#include "cli/diag.c"
#include "cli/explain.c"

void *__real_realloc(void *p, size_t n);

static bool fail_armed;
static size_t fail_size;	/* the realloc() size that fails */
static unsigned failed;

/* The chain's vector grows from 8 to 16 pointers; nothing else natc does
 * while loading the files below asks for that size (the test checks the
 * error's location to be sure the insertion is what failed). */
void *__wrap_realloc(void *p, size_t n)
{
	if (fail_armed && n == fail_size) {
		failed++;
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, n);
}

static void loader(void)
{
	char path[] = "/tmp/natc-unit-oom.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct nc_err err = { 0 };
	struct nc_ruleset *rs;

	if (!f) {
		ok(0, "temporary file: %s", strerror(errno));
		return;
	}
	fputs("*nat\n", f);
	/* 16 rules fill the chain model's first vector (ir/chains.c: room
	 * for 16 records, then twice as much); the 17th (line 18) expands to
	 * two and cannot grow it */
	for (int i = 1; i <= 16; i++)
		fprintf(f, "-A POSTROUTING -s 10.0.0.%d -j MASQUERADE\n", i);
	fputs("-A POSTROUTING -s 10.0.1.1,10.0.1.2 -j MASQUERADE\nCOMMIT\n", f);
	fclose(f);
	fail_size = 32 * sizeof(struct nc_rule *);
	fail_armed = true;
	failed = 0;
	rs = nc_xp_load_file(path, AF_INET, NULL, NULL, &err);
	fail_armed = false;
	unlink(path);
	ok(failed >= 1, "the chain's vector could not grow (%u failed)", failed);
	ok(!rs && err.status == NC_ERESOURCE && err.loc.line == 18,
	   "load.c: out of memory at line 18 (got status %d, line %u: %s)",
	   err.status, err.loc.line, err.msg);
	ok(1, "load.c: the job did not free the rule the chain had freed");
	nc_ruleset_free(rs);
}

static void command(void)
{
	char *argv[] = { "-A", "POSTROUTING", "-s", "10.0.1.1,10.0.1.2", "-j",
			 "MASQUERADE", NULL };
	struct xopts o = { .rest = argv, .nrest = 6 };
	struct nc_ruleset *rs = nc_ruleset_new(AF_INET, NC_TABLE_NAT);
	struct nc_err err = { 0 };
	struct nc_job *job = NULL;
	int rc;

	if (!rs || nc_ruleset_add_builtins(rs) < 0) {
		ok(0, "ruleset");
		return;
	}
	for (int i = 1; i <= 8; i++) {
		char *a[] = { "-A", "POSTROUTING", "-s", "10.0.0.1", "-j", "MASQUERADE", NULL };
		struct xopts one = { .rest = a, .nrest = 6 };
		struct nc_job *j = NULL;

		if (add_command(&one, rs, &j, &err) < 0)
			ok(0, "rule %d: %s", i, err.msg);
		job_free(j, rs);
	}
	fail_size = 16 * sizeof(struct nc_rule *);	/* nc_chain_insert(): 8, then 16 */
	fail_armed = true;
	failed = 0;
	rc = add_command(&o, rs, &job, &err);
	fail_armed = false;
	ok(rc < 0 && failed >= 1 && err.status == NC_ERESOURCE,
	   "explain.c: the command's rule could not be inserted (%s)", err.msg);
	job_free(job, rs);
	ok(1, "explain.c: the job did not free the rule the chain had freed");
	nc_ruleset_free(rs);
}

int main(void)
{
	loader();
	command();
	return tap_done();
}
