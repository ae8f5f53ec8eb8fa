/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the libFuzzer harnesses share (testsuite/fuzz/README in
 * testsuite/README.md, "Fuzzing"): copies of the input as the code under
 * test wants it, a recorder of the save-file driver's events, and an
 * oracle failing the run (abort(), which libFuzzer reports as a crash
 * with the input kept) when an invariant natc documents does not hold.
 *
 * Built by "make fuzz" with clang -fsanitize=fuzzer,address,undefined;
 * no kernel, no root.
 */
#ifndef NATC_FUZZ_H
#define NATC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/parser.h"
#include "parser/savefile.h"
#include "ir/buf.h"
#include "ir/build.h"
#include "ir/ext.h"
#include "ir/print.h"
#include "backend/netlink/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The invariant @ok, or the run stops here with @what (a crash to
 * libFuzzer: the input is kept as crash-*). */
#define fuzz_assert(ok, ...)						\
	do {								\
		if (!(ok)) {						\
			fprintf(stderr, "fuzz: invariant broken: ");	\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

/* NATC_FUZZ_NO_NUL=1: inputs holding a NUL byte are passed over, so that a
 * long run can look elsewhere (the NUL crash it once met is fixed: see the
 * regress- seeds)
 * while its fix is not in.  make fuzz does not set it. */
static inline bool fuzz_pass_over(const uint8_t *data, size_t size)
{
	static int no_nul = -1;

	if (no_nul < 0)
		no_nul = getenv("NATC_FUZZ_NO_NUL") != NULL;
	return no_nul && memchr(data, '\0', size);
}

/* The input in a buffer of exactly its size: no NUL after it, so that a
 * reader going past the end is caught by ASan (libFuzzer's own copy may
 * not be exact in size for every build).  Never NULL: out of memory in a
 * fuzzer is a crash anyway. */
static inline char *fuzz_exact(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	if (!p)
		abort();
	memcpy(p, data, size);
	return p;
}

/* The input as a C string (cut at its first NUL). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *p = malloc(size + 1);

	if (!p)
		abort();
	memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

/* --- the save-file driver's events, written down in order --------------- */

struct fuzz_log {
	struct nc_buf b;
	struct nc_err *err;
};

static inline int fuzz_on_begin(void *u, bool script)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "%s|", script ? "script" : "save");
	return 0;
}

static inline int fuzz_on_table(void *u, const char *name, const struct nc_loc *loc)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "T%u:%s|", loc->line, name);
	return 0;
}

static inline int fuzz_on_chain(void *u, const char *name, bool builtin, uint64_t p,
				uint64_t b, const struct nc_loc *loc)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "C%u:%s%s:%llu:%llu|", loc->line, name,
		      builtin ? "(b)" : "", (unsigned long long)p, (unsigned long long)b);
	return 0;
}

static inline int fuzz_on_commit(void *u, const struct nc_loc *loc)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "COMMIT%u|", loc->line);
	return 0;
}

/* A command: its kind, chain and every rule's -S form, so that the
 * printers run on whatever the driver built. */
static inline int fuzz_on_command(void *u, struct nc_job *job, const struct nc_loc *loc,
				  const struct nc_save_src *src, void *prepared)
{
	struct fuzz_log *l = u;

	nc_buf_printf(&l->b, "%c%u:%s:%zu", nc_cmd_letter(job->kind), loc->line,
		      job->chain, job->nrules);
	if (src->text)
		nc_buf_printf(&l->b, "<%.*s>", (int)src->len, src->text);
	for (size_t i = 0; i < job->nrules; i++) {
		nc_buf_putc(&l->b, '{');
		nc_print_rule_spec(job->rules[i], job->chain, true, &l->b);
		nc_buf_putc(&l->b, '}');
	}
	nc_buf_putc(&l->b, '|');
	return 0;
}

static inline int fuzz_on_line(void *u, enum nc_line_kind kind,
			       const struct nc_save_src *src, const char *why)
{
	static const char k[] = "#OUN";

	nc_buf_printf(&((struct fuzz_log *)u)->b, "%c%u<%.*s>%s|", k[kind], src->line,
		      src->text ? (int)src->len : 0, src->text ? src->text : "", why);
	return 0;
}

static inline int fuzz_on_warn(void *u, const struct nc_warn *w,
			       const struct nc_save_src *src)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "W%u:%s|", src->line, w->msg);
	return 0;
}

static inline int fuzz_on_error(void *u, const struct nc_err *err,
				const struct nc_save_src *src)
{
	nc_buf_printf(&((struct fuzz_log *)u)->b, "E%u@%u:%s|", err->status, src->line,
		      err->msg);
	return 0;
}

static const struct nc_save_ops fuzz_ops = {
	.begin = fuzz_on_begin, .table = fuzz_on_table, .chain = fuzz_on_chain,
	.commit = fuzz_on_commit, .command = fuzz_on_command, .line = fuzz_on_line,
	.warn = fuzz_on_warn, .error = fuzz_on_error,
};

/* The driver over @text (exactly @len bytes) with @o: the events, then
 * "ERR..." when reading stopped.  The caller frees the result. */
static inline char *fuzz_drive(const char *text, size_t len, struct nc_save_opts o)
{
	struct nc_err err = { 0 };
	struct fuzz_log l = { .err = &err };

	o.family = AF_INET;
	o.prog = "fuzz";
	if (nc_save_read(text, len, &o, &fuzz_ops, &l, &err) < 0)
		nc_buf_printf(&l.b, "ERR%d@%u:%s", err.status, err.loc.line, err.msg);
	fuzz_assert(!nc_buf_failed(&l.b), "out of memory");
	return l.b.s ? l.b.s : strdup("");
}

/* --- rule dumps (dump.c, and gen-dump.c which writes its seeds) -------- */

/* The rules whose anonymous sets a dump has read before its rules, in
 * this order: "__set0", "__set1", ... (the kernel's names).  Lookups of
 * other names find no set (the rule is one natc cannot express). */
static const char *const fuzz_set_lines[] = {
	"-A PREROUTING -p tcp -m multiport --dports 80,443,1000:2000 -j ACCEPT",
	"-A PREROUTING -p udp -m multiport ! --sports 53,5353 -j ACCEPT",
	"-A PREROUTING -m addrtype ! --src-type UNICAST,LOCAL ! --dst-type BROADCAST,MULTICAST --limit-iface-in -j ACCEPT",
};

/* The one rule @line builds for IPv4 (its chain into @chain, 64 bytes), or
 * NULL. */
static inline struct nc_rule *fuzz_build_one(const char *line, char *chain)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;
	struct nc_rule *r = NULL;

	if (job && job->nrules == 1) {
		r = job->rules[0];
		job->nrules = 0;
		snprintf(chain, 64, "%s", job->chain);
	}
	nc_job_free(job);
	nc_cmd_free(cmd);
	return r;
}

/* The sets of fuzz_set_lines, as the dump's set cache holds them. */
static inline void fuzz_setcache(struct nc_nl_setcache *c)
{
	const size_t nlines = sizeof(fuzz_set_lines) / sizeof(fuzz_set_lines[0]);
	struct nc_exprs l = { 0 };
	char chain[64];

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < nlines; i++) {
		struct nc_rule *r = fuzz_build_one(fuzz_set_lines[i], chain);

		nc_exprs_reset(&l);
		fuzz_assert(r && nc_rule_linearize(r, &l, nc_parse_line) == 0 && l.nsets,
			    "%s: no set", fuzz_set_lines[i]);
		for (size_t k = 0; k < l.nsets; k++) {
			struct nc_nl_cset *cs;

			c->v = realloc(c->v, (c->n + 1) * sizeof(*c->v));
			fuzz_assert(c->v && c->n < 10, "set cache");
			cs = &c->v[c->n];
			snprintf(cs->name, sizeof(cs->name), "__set%zu", c->n);
			cs->set = l.sets[k];
			cs->set.elems = malloc(l.sets[k].nelems * sizeof(*cs->set.elems) + 1);
			fuzz_assert(cs->set.elems, "set cache");
			memcpy(cs->set.elems, l.sets[k].elems,
			       l.sets[k].nelems * sizeof(*cs->set.elems));
			/* the set's userdata is in the rule's arena: not kept */
			cs->set.udata_off = cs->set.udata_len = 0;
			c->n++;
		}
		nc_rule_free(r);
	}
	nc_exprs_free(&l);
}

#endif
