// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-translate: one iptables command as nft commands, compatible with
 * iptables-translate; natc-restore-translate: save files and shell scripts
 * as one idempotent nft script (backend/nft).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/diag.h"
#include "parser/parser.h"
#include "parser/script.h"
#include "ir/build.h"
#include "ir/mem.h"
#include "backend/nft/nft.h"

int nc_cli_translate(int argc, char **argv, const char *prog, uint8_t family)
{
	struct nc_err err = { 0 };
	struct nc_buf out = { 0 };
	struct nc_job *job = NULL;
	struct nc_cmd *cmd;
	char *text = NULL, why[256] = "";
	int status = 0;

	cmd = nc_parse_argv(argc - 1, argv + 1, &text, &err);
	if (cmd && cmd->kind == NC_CMD_HELP && !cmd->conflict) {
		printf("%s v%s (nf_tables)\n\nUsage: %s -[AIDNFXPELRS] chain ... "
		       "(an iptables -t nat command)\nwrites the nft commands "
		       "doing the same, as iptables-translate does.\n",
		       prog, NATC_VERSION, prog);
		goto out;
	}
	if (cmd && cmd->kind == NC_CMD_VERSION && !cmd->conflict) {
		printf("%s v%s (nf_tables)\n", prog, NATC_VERSION);
		goto out;
	}
	if (cmd)
		job = nc_build(cmd, family, &err);
	if (job && job->kind == NC_CMD_POLICY && job->policy != NF_ACCEPT) {
		nc_err_param(&err, NULL, NC_MSG_DROP);
		nc_job_free(job);
		job = NULL;
	}
	if (job && nc_nft_job(job, text, &out, why, sizeof(why)) != 0)
		status = NC_EOTHER;
	/* before the translation: iptables-translate prints them as it
	 * parses */
	nc_diag_warnings(stderr, prog, &err, NULL, NULL);
	fwrite(nc_buf_str(&out), 1, out.len, stdout);
	if (status)
		fprintf(stderr, "%s\n", why);
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, NULL, NULL);
out:
	nc_diag_warnings(stderr, prog, &err, NULL, NULL);	/* those not yet */
	if (fflush(stdout) != 0 && !status)
		status = NC_EOTHER;
	nc_job_free(job);
	nc_cmd_free(cmd);
	nc_buf_free(&out);
	free(text);
	return status;
}

/* --- natc-restore-translate ----------------------------------------- */

#define PARTS_MAX 16	/* a save file is read in at most this many parts */

struct tr {
	const char *prog;
	struct nc_nft_script *s;
	uint8_t family;
	bool noflush;
	const char *file;
	const char *text;	/* the input, read only */
	size_t len;
	size_t *off;		/* where each line starts (0-based index) */
	uint32_t nlines;
	uint32_t done;		/* lines up to this one are handled */
	bool in_table, skip_table;
	bool script;		/* a shell script: its reader says it all */
	char table[32];
	bool nat_failed;	/* an iptables nat command not translated */
	bool fatal;		/* out of memory */
};

/* Line @line without its newline, found without reading it (a '\r'
 * before the newline is still there): the text of a big file is long out
 * of the cache when its lines are applied. */
static const char *line_span(const struct tr *t, uint32_t line, size_t *len)
{
	const char *s;
	size_t a, b;

	if (line < 1 || line > t->nlines) {
		*len = 0;
		return "";
	}
	a = t->off[line - 1];
	b = line < t->nlines ? t->off[line] - 1 : t->len;
	s = t->text;
	if (line == t->nlines && b > a && s[b - 1] == '\n')
		b--;
	*len = b - a;
	return s + a;
}

/* Line @line as it reads: without its newline or a '\r' before it. */
static const char *line_text(const struct tr *t, uint32_t line, size_t *len)
{
	const char *s = line_span(t, line, len);

	if (*len && s[*len - 1] == '\r')
		(*len)--;
	return s;
}

/* Report line @line and keep it as a comment. */
static void report(struct tr *t, uint32_t line, const char *why, bool nat)
{
	struct nc_buf b = { 0 };
	size_t len;
	const char *l = line_text(t, line, &len);
	size_t w = strspn(why, "\n ");
	int wl = (int)strcspn(why + w, "\n");

	fprintf(stderr, "%s:%u: %.*s\n", t->file, line, wl, why + w);
	nc_buf_printf(&b, "# %.*s", (int)len, l);
	if (nc_buf_failed(&b) || nc_nft_script_note(t->s, nc_buf_str(&b), b.len) < 0)
		t->fatal = true;
	nc_buf_free(&b);
	if (nat)
		t->nat_failed = true;
}

/* Lines before @line no callback saw: comments are kept, lines of a
 * table left out and lines the parser skipped are reported. */
static void catch_up(struct tr *t, uint32_t line)
{
	for (uint32_t l = t->done + 1; !t->script && l < line && l <= t->nlines; l++) {
		size_t len;
		const char *s = line_text(t, l, &len);
		size_t lead = 0;

		while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
			lead++;
		if (lead == len)
			continue;
		if (s[lead] == '#') {
			if (nc_nft_script_note(t->s, s, len) < 0)
				t->fatal = true;
		} else if (t->skip_table) {
			report(t, l, "not the nat table: natc translates the nat table only",
			       false);
		} else {
			report(t, l, "line not read (not for iptables)", false);
		}
	}
	if (line > t->done)
		t->done = line;
}

/* A script's command's warnings, at line @l: their columns are those of
 * the command's words joined, not of the line, so none is shown. */
static void sh_warnings(struct tr *t, struct nc_err *err, uint32_t l)
{
	for (unsigned i = 0; i < err->nwarn; i++) {
		struct nc_warn w = err->warn[i];

		w.loc = (struct nc_loc){ .line = l };
		nc_diag_warn_line(stderr, &w, t->file, NULL, 0);
	}
	err->nwarn = 0;
	nc_diag_warnings(stderr, t->prog, err, t->file, NULL);	/* those lost */
}

/* A command of the nat table: built and applied to the model. */
static void translate(struct tr *t, const struct nc_cmd *cmd, uint32_t l, const char *src)
{
	struct nc_err err = { 0 };
	struct nc_job *job = nc_build(cmd, t->family, &err);
	char why[256] = "";
	int rc;

	sh_warnings(t, &err, l);
	if (!job) {
		report(t, l, err.msg, true);
		return;
	}
	rc = nc_nft_script_job(t->s, job, NULL, src, strlen(src), why, sizeof(why));
	if (rc < 0)
		t->fatal = true;
	else if (rc > 0) {
		fprintf(stderr, "%s:%u: %s\n", t->file, l, why);
		t->nat_failed = true;
	}
	nc_job_free(job);
}

/* --- save files, read in parallel -----------------------------------
 * A big save file is cut into parts at lines where what came before is
 * known without reading it (inside "*nat", see split_at()).  Each part is
 * parsed, built and translated by a thread of its own into records, one
 * per line the parser reports; the records are then applied to the model
 * in input order by the calling thread, which alone prints messages.  So
 * the output is the same whatever the number of parts. */

enum rec_kind {
	R_TABLE, R_CHAIN, R_COMMIT, R_COMMAND, R_BUILD_ERROR, R_PARSE_ERROR,
	R_WARNING,	/* before the record of the line that raised it */
};

/* Small: a big file has one for nearly every line. */
struct rec {
	uint8_t kind;		/* enum rec_kind */
	bool nat;		/* R_PARSE_ERROR: in the nat table */
	uint8_t cmd;		/* R_COMMAND: the job's enum nc_cmd_kind */
	uint32_t line;		/* in the file, from 1 */
	/* table; chain and policy; a message; R_COMMAND: the job's chain,
	 * jump and new name ("" for none) */
	const char *a, *b, *c;
	union {
		struct {
			uint32_t rulenum;	/* R_COMMAND: the job's */
			int policy;
		};
		struct nc_loc loc;	/* R_WARNING: where, in the file */
	};
	struct nc_nft_texts tx;	/* R_COMMAND: its rules' words */
};

struct part {
	const struct tr *t;	/* read only: family, off, nlines */
	const char *text;	/* the part */
	size_t len;
	uint32_t first, last;	/* its lines in the file */
	uint32_t base;		/* line number the parser's line 1 is */
	bool in_table, skip_table;	/* as the parser sees them */
	struct rec *v;
	size_t n, cap;
	struct nc_store store;	/* the records' strings */
	struct nc_buf scratch;	/* for nc_nft_texts_of() */
	bool failed;		/* out of memory */
	atomic_bool done;	/* read (release), for the applying thread */
};

static const char *part_dup(struct part *p, const char *s)
{
	char *d;

	if (s && !*s)
		return "";
	d = s ? nc_store_dup(&p->store, s, strlen(s)) : NULL;
	if (s && !d)
		p->failed = true;
	return d;
}

/* p->v has room for a record per line of the part, more than the parser
 * can report (untouched room costs no memory); warnings are records too,
 * and a part with many may need more. */
static int add_rec(struct part *p, const struct rec *r)
{
	if (p->failed)
		return -1;
	if (p->n == p->cap) {
		size_t cap = p->cap + p->cap / 4 + 16;
		struct rec *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			p->failed = true;
			return -1;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = *r;
	return 0;
}

/* @err's warnings as records (@err forgets them), located in the file. */
static void add_warnings(struct part *p, struct nc_err *err)
{
	for (unsigned i = 0; i < err->nwarn; i++) {
		const struct nc_warn *w = &err->warn[i];
		struct rec r = { .kind = R_WARNING, .a = part_dup(p, w->msg),
				 .loc = w->loc };

		if (w->loc.line)
			r.loc.line = r.line = p->base + w->loc.line - 1;
		add_rec(p, &r);
	}
	if (err->warn_lost) {	/* a command raises one or two: never here */
		char m[64];
		struct rec r = { .kind = R_WARNING };

		snprintf(m, sizeof(m), "%u more warnings not shown", err->warn_lost);
		r.a = part_dup(p, m);
		add_rec(p, &r);
	}
	err->nwarn = 0;
	err->warn_lost = 0;
}

static int p_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct part *p = user;
	struct rec r = { .kind = R_TABLE, .line = p->base + loc->line - 1,
			 .a = part_dup(p, name) };

	p->in_table = true;
	p->skip_table = strcmp(name, NC_TABLE_NAT) != 0;
	if (add_rec(p, &r) < 0)
		return -1;
	return p->skip_table ? 1 : 0;
}

static int p_chain(void *user, const char *name, const char *policy,
		   const char *counters, const struct nc_loc *loc)
{
	struct part *p = user;
	struct rec r = { .kind = R_CHAIN, .line = p->base + loc->line - 1,
			 .a = part_dup(p, name), .b = part_dup(p, policy) };

	return add_rec(p, &r);
}

static int p_commit(void *user, const struct nc_loc *loc)
{
	struct part *p = user;
	struct rec r = { .kind = R_COMMIT, .line = p->base + loc->line - 1 };

	p->in_table = p->skip_table = false;
	return add_rec(p, &r);
}

/* A command: built and translated here, applied to the model later. */
static int p_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct part *p = user;
	struct rec r = { .kind = R_COMMAND, .line = p->base + cmd->line - 1 };
	struct nc_err err = { 0 };
	struct nc_job *job = nc_build(cmd, p->t->family, &err);

	add_warnings(p, &err);
	if (!job) {
		if (err.status == NC_ERESOURCE)
			p->failed = true;
		r.kind = R_BUILD_ERROR;
		r.a = part_dup(p, err.msg);
	} else {
		if (nc_nft_texts_of(job, &p->store, &p->scratch, &r.tx) < 0)
			p->failed = true;
		r.cmd = (uint8_t)job->kind;
		r.a = part_dup(p, job->chain);
		r.b = part_dup(p, job->jump);
		r.c = part_dup(p, job->newname);
		r.rulenum = (uint32_t)job->rulenum;
		r.policy = job->policy;
		nc_job_free(job);
	}
	return add_rec(p, &r);
}

static const struct nc_file_ops part_ops = {
	.table = p_table, .chain = p_chain, .commit = p_commit,
	.command = p_command,
};

/* Parse a part; after a line the parser refuses, reading goes on with the
 * next line. */
static void *read_part(void *arg)
{
	struct part *p = arg;
	const size_t *off = p->t->off;
	uint32_t start = p->first;
	int rc;

	nc_populate(p->v, p->cap * sizeof(*p->v));	/* nearly every line
							 * gets a record */
	while (start <= p->last && !p->failed) {
		struct nc_err err = { 0 };
		size_t at = off[start - 1] - off[p->first - 1];
		struct rec r = { .kind = R_PARSE_ERROR };

		p->base = start;
		rc = nc_parse_file(p->text + at, p->len - at, &part_ops, p, &err);
		/* the parser's own (it raises none today): after the records
		 * of the lines it reported */
		add_warnings(p, &err);
		if (rc == 0)
			break;
		if (p->failed || err.status == NC_ERESOURCE || !err.loc.line) {
			p->failed = true;
			break;
		}
		r.line = p->base + err.loc.line - 1;
		r.a = part_dup(p, err.msg);
		r.nat = p->in_table && !p->skip_table;
		add_rec(p, &r);
		start = r.line + 1;
	}
	return NULL;
}

static void on_table(struct tr *t, const char *name, uint32_t l)
{
	catch_up(t, l);
	snprintf(t->table, sizeof(t->table), "%s", name);
	t->in_table = true;
	t->skip_table = strcmp(name, NC_TABLE_NAT) != 0;
	if (t->skip_table) {
		report(t, l, "not the nat table: natc translates the nat table only", false);
		return;
	}
	if (!t->noflush)
		nc_nft_script_replace_table(t->s);
}

static void on_chain(struct tr *t, const char *name, const char *policy, uint32_t l)
{
	char why[256];

	catch_up(t, l);
	if (!t->in_table) {
		report(t, l, "chain line outside a table", true);
		return;
	}
	if (policy && strcmp(policy, "-") && strcmp(policy, "ACCEPT")) {
		report(t, l, nc_builtin_find(name) ? NC_MSG_DROP :
		       "Bad built-in chain name", true);
		return;
	}
	if (nc_nft_script_chain(t->s, name, why, sizeof(why)) < 0)
		t->fatal = true;
}

static void on_commit(struct tr *t, uint32_t l)
{
	catch_up(t, l);
	if (t->skip_table)
		report(t, l, "not the nat table: natc translates the nat table only", false);
	if (!t->in_table)
		report(t, l, "COMMIT outside a table", true);
	t->in_table = t->skip_table = false;
}

/* A chain name back into a job (it came from one: it fits). */
static void name_copy(char *dst, size_t size, const char *src)
{
	size_t n = src && *src ? strnlen(src, size - 1) : 0;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void on_command(struct tr *t, const struct rec *r)
{
	struct nc_job job = { .kind = r->cmd, .family = t->family,
			      .rulenum = r->rulenum, .policy = r->policy };
	char why[256] = "";
	const char *src;
	size_t srclen;
	int rc;

	catch_up(t, r->line);
	if (!t->in_table) {
		report(t, r->line, "no table: a `*nat' line must come first", true);
		return;
	}
	if (r->kind == R_BUILD_ERROR) {
		report(t, r->line, r->a, true);
		return;
	}
	name_copy(job.chain, sizeof(job.chain), r->a);
	name_copy(job.jump, sizeof(job.jump), r->b);
	name_copy(job.newname, sizeof(job.newname), r->c);
	src = line_span(t, r->line, &srclen);	/* read only if it is kept */
	rc = nc_nft_script_job(t->s, &job, &r->tx, src, srclen, why, sizeof(why));
	if (rc < 0)
		t->fatal = true;
	else if (rc > 0) {
		fprintf(stderr, "%s:%u: %s\n", t->file, r->line, why);
		t->nat_failed = true;
	}
}

/* A warning, with its line and a caret (the line is at hand: the file is
 * read whole). */
static void on_warning(struct tr *t, const struct rec *r)
{
	struct nc_warn w = { .loc = r->loc };
	size_t len = 0;
	const char *l = r->loc.line ? line_text(t, r->loc.line, &len) : NULL;

	catch_up(t, r->line);
	snprintf(w.msg, sizeof(w.msg), "%s", r->a ? r->a : "");
	nc_diag_warn_line(stderr, &w, t->file, l, len);
}

/* A part's records, in order, to the model. */
static void apply_part(struct tr *t, struct part *p)
{
	for (size_t i = 0; i < p->n && !t->fatal; i++) {
		const struct rec *r = &p->v[i];

		switch (r->kind) {
		case R_TABLE: on_table(t, r->a, r->line); break;
		case R_CHAIN: on_chain(t, r->a, r->b, r->line); break;
		case R_COMMIT: on_commit(t, r->line); break;
		case R_COMMAND:
		case R_BUILD_ERROR: on_command(t, r); break;
		case R_PARSE_ERROR:
			catch_up(t, r->line);
			report(t, r->line, r->a, r->nat);
			break;
		case R_WARNING: on_warning(t, r); break;
		}
	}
	nc_nft_script_adopt(t->s, &p->store);
}

/* Whether line @l is exactly @word and blanks. */
static bool line_is(const struct tr *t, uint32_t l, const char *word)
{
	size_t len, n = strlen(word);
	const char *s = line_text(t, l, &len);

	if (len < n || memcmp(s, word, n))
		return false;
	return strspn(s + n, " \t\r") == len - n;
}

/* Whether a line starts a table or ends one (as the scanner reads a line
 * start: "*..." or "COMMIT..."). */
static bool line_is_boundary(const struct tr *t, uint32_t l)
{
	size_t len;
	const char *s = line_text(t, l, &len);

	return (len && s[0] == '*') || (len >= 6 && !memcmp(s, "COMMIT", 6));
}

/* The line that byte @at is in. */
static uint32_t line_at(const struct tr *t, size_t at)
{
	uint32_t lo = 1, hi = t->nlines;

	while (lo < hi) {	/* the last line starting at or before @at */
		uint32_t mid = lo + (hi - lo + 1) / 2;

		if (t->off[mid - 1] <= at)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* A line near @want where a part can start: a command line, inside a
 * "*nat" whose start is itself known (the file's first table, or after a
 * proper COMMIT); 0 if there is none.  The parser then sees it as it would
 * reading from the top: in the nat table, not skipping lines. */
static uint32_t split_at(const struct tr *t, uint32_t want)
{
	uint32_t s = want, l;

	for (; s <= t->nlines && s < want + 1000; s++) {
		size_t len;

		if (*line_text(t, s, &len) == '-')
			break;
	}
	if (s > t->nlines || s >= want + 1000)
		return 0;
	for (l = s - 1; l >= 1 && !line_is_boundary(t, l); l--)
		;
	if (l < 1 || !line_is(t, l, "*nat"))
		return 0;
	for (l--; l >= 1 && !line_is_boundary(t, l); l--)
		;
	return l < 1 || line_is(t, l, "COMMIT") ? s : 0;
}

#define PART_MIN_LINES 5000	/* smaller parts are not worth a thread */
#define PARTS_PER_THREAD 4	/* several parts a thread: a thread on a
				 * slow CPU takes fewer of them */

/* How many threads and parts: one thread per CPU, parts of at least
 * PART_MIN_LINES lines.  NATC_PARTS=N asks for N parts whatever the size
 * (the tests use it to cut small files). */
static unsigned part_count(const struct tr *t, unsigned *threads)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = t->nlines / PART_MIN_LINES;
	const char *force = getenv("NATC_PARTS");

	if (cpus < 1)
		cpus = 1;
	if (cpus > PARTS_MAX)
		cpus = PARTS_MAX;
	if (force && *force) {
		unsigned long v = strtoul(force, NULL, 10);

		n = v < 1 ? 1 : v > PARTS_MAX ? PARTS_MAX : (unsigned)v;
	} else if (cpus == 1 || n < 2) {
		n = 1;
	} else if (n > (unsigned)cpus * PARTS_PER_THREAD) {
		n = (unsigned)cpus * PARTS_PER_THREAD;
	}
	*threads = n < (unsigned)cpus ? n : (unsigned)cpus;
	return n ? n : 1;
}

struct reading {
	struct part *parts;
	unsigned n;
	atomic_uint next;	/* the next part to take */
};

/* Take the next part and read it (marking it done); false when none is
 * left. */
static bool read_next(struct reading *rd)
{
	unsigned k = atomic_fetch_add(&rd->next, 1);

	if (k >= rd->n)
		return false;
	read_part(&rd->parts[k]);
	atomic_store_explicit(&rd->parts[k].done, true, memory_order_release);
	return true;
}

static void *reader_thread(void *arg)
{
	while (read_next(arg))
		;
	return NULL;
}

/* Apply the parts read so far, in order, from *@next on. */
static void apply_ready(struct tr *t, struct reading *rd, unsigned *next)
{
	for (; *next < rd->n; (*next)++) {
		struct part *p = &rd->parts[*next];

		if (!atomic_load_explicit(&p->done, memory_order_acquire))
			return;
		if (p->failed)
			t->fatal = true;
		if (!t->fatal)
			apply_part(t, p);
		nc_store_free(&p->store);
		nc_buf_free(&p->scratch);
		free(p->v);
		p->v = NULL;
	}
}

/* A save file, in parts read by one thread per CPU (the calling thread
 * too), applied in order as they are done.  The parts are cut where the
 * parser's state is known (split_at()). */
static int read_save(struct tr *t, const char *text, size_t len)
{
	struct part parts[PARTS_MAX] = { 0 };
	struct reading rd = { .parts = parts };
	pthread_t th[PARTS_MAX];
	unsigned n = 0, nth = 0, started = 0, applied = 0, want = part_count(t, &nth);
	int rc = 0;

	parts[n++] = (struct part){ .t = t, .first = 1, .last = t->nlines };
	for (unsigned k = 1; k < want; k++) {
		/* parts of equal bytes: work goes with bytes more than with
		 * lines */
		uint32_t s = split_at(t, line_at(t, (size_t)((uint64_t)len * k / want)));

		if (s && s > parts[n - 1].first) {
			parts[n - 1].last = s - 1;
			parts[n++] = (struct part){ .t = t, .first = s, .last = t->nlines };
		}
	}
	for (unsigned k = 0; k < n; k++) {
		struct part *p = &parts[k];
		size_t a = t->off[p->first - 1];

		p->text = text + a;
		p->len = (p->last < t->nlines ? t->off[p->last] : len) - a;
	}
	for (unsigned k = 0; k < n && rc == 0; k++) {
		parts[k].cap = parts[k].last - parts[k].first + 1;
		if (!(parts[k].v = malloc(parts[k].cap * sizeof(*parts[k].v))))
			rc = -1;
	}
	if (rc == 0 && getenv("NATC_PARTS")) {
		/* for the tests: where the parts start */
		fprintf(stderr, "natc-restore-translate: %u parts at lines", n);
		for (unsigned k = 0; k < n; k++)
			fprintf(stderr, " %u", parts[k].first);
		fputc('\n', stderr);
	}
	rd.n = rc == 0 ? n : 0;
	for (; started + 1 < nth && started + 1 < rd.n; started++) {
		int e = pthread_create(&th[started], NULL, reader_thread, &rd);

		if (e) {	/* fewer threads then: they take what is left */
			errno = e;
			break;
		}
	}
	/* this thread reads too, and applies what is done between parts */
	while (read_next(&rd))
		apply_ready(t, &rd, &applied);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	apply_ready(t, &rd, &applied);
	for (unsigned k = applied; k < n; k++) {	/* not read: failed */
		nc_store_free(&parts[k].store);
		nc_buf_free(&parts[k].scratch);
		free(parts[k].v);
	}
	if (rc < 0 || t->fatal)
		return -1;
	catch_up(t, t->nlines + 1);
	if (t->in_table && !t->skip_table) {
		fprintf(stderr, "%s:%u: COMMIT expected: table `%s' is not committed\n",
			t->file, t->nlines, t->table);
		t->nat_failed = true;
	}
	return 0;
}

/* --- shell scripts --- */

static bool table_is_nat(const struct nc_cmd *cmd, const char **table)
{
	*table = "filter";	/* iptables' default */
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE && cmd->opts[i].arg)
			*table = cmd->opts[i].arg;
	return !strcmp(*table, NC_TABLE_NAT);
}

static int sh_command(void *user, int argc, char **argv, uint32_t line)
{
	struct tr *t = user;
	struct nc_err err = { 0 };
	struct nc_cmd *cmd;
	char *text = NULL, *src = NULL;
	const char *table;

	catch_up(t, line);
	cmd = nc_parse_argv(argc, argv, &text, &err);
	sh_warnings(t, &err, line);
	if (!text)
		return -1;
	if (asprintf(&src, "iptables %s", text) < 0) {
		src = NULL;
		t->fatal = true;
	} else if (!cmd) {
		report(t, line, err.msg, true);
	} else if (!table_is_nat(cmd, &table)) {
		char why[96];

		snprintf(why, sizeof(why), "table `%s': natc translates the nat table only",
			 table);
		report(t, line, why, false);
	} else {
		translate(t, cmd, line, src);
	}
	nc_cmd_free(cmd);
	free(text);
	free(src);
	return t->fatal ? -1 : 0;
}

static int sh_comment(void *user, const char *text, size_t len, uint32_t line)
{
	struct tr *t = user;

	catch_up(t, line);
	if (nc_nft_script_note(t->s, text, len) < 0)
		return -1;
	return 0;
}

static int sh_skipped(void *user, uint32_t line, const char *why, bool iptables)
{
	struct tr *t = user;

	catch_up(t, line);
	report(t, line, why, iptables);
	return t->fatal ? -1 : 0;
}

static const struct nc_script_ops script_ops = {
	.command = sh_command, .comment = sh_comment, .skipped = sh_skipped,
};

static int translate_file(struct tr *t, FILE *f)
{
	struct nc_input in;
	const char *text;
	size_t len, n = 0;
	int rc = -1;

	if (nc_input_read(&in, f) < 0)
		return -1;
	text = in.text;
	len = in.len;
	t->off = malloc((len / 2 + 2) * sizeof(*t->off));
	if (!t->off)
		goto out;
	t->text = text;
	t->len = len;
	for (size_t i = 0; i < len; n++) {
		const char *nl = memchr(text + i, '\n', len - i);

		t->off[n] = i;
		i = nl ? (size_t)(nl - text) + 1 : len;
	}
	t->nlines = (uint32_t)n;
	t->done = 0;
	t->in_table = t->skip_table = false;
	t->script = nc_text_is_script(text, len);
	if (t->script) {
		rc = nc_parse_script(text, len, &script_ops, t);
		if (rc == 0)
			catch_up(t, t->nlines + 1);
	} else {
		rc = read_save(t, text, len);
	}
out:
	free(t->off);
	t->off = NULL;
	nc_input_free(&in);
	return rc;
}

int nc_cli_restore_translate(int argc, char **argv, const char *prog, uint8_t family)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "noflush", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tr t = { .prog = prog, .family = family };
	struct nc_buf out = { 0 };
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	int c, status = 0;

	if (!files)
		return NC_ERESOURCE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': files[nfiles++] = optarg; break;
		case 'n': t.noflush = true; break;
		case 'h':
			printf("Usage: %s [-n] [-f FILE]...\n\nTranslates iptables-save "
			       "files and shell scripts of iptables commands (the nat\n"
			       "table) into one nft script that can be loaded again and "
			       "again (nft -f);\nstandard input without -f.  What is not "
			       "translated is reported as FILE:LINE\nand kept as a comment.\n"
			       "  -n, --noflush   a save file adds to the table instead of "
			       "replacing it\n", prog);
			free(files);
			return 0;
		case 'V':
			printf("%s v%s (nf_tables)\n", prog, NATC_VERSION);
			free(files);
			return 0;
		default:
			fprintf(stderr, "%s v%s (nf_tables): unknown option \"%s\"\n",
				prog, NATC_VERSION, argv[optind - 1]);
			free(files);
			return NC_EPARAM;
		}
	}
	for (; optind < argc; optind++)
		files[nfiles++] = argv[optind];
	t.s = nc_nft_script_new(family);
	if (!t.s) {
		free(files);
		return NC_ERESOURCE;
	}
	for (size_t i = 0; i < (nfiles ? nfiles : 1) && !status; i++) {
		FILE *f = stdin;

		t.file = nfiles && strcmp(files[i], "-") ? files[i] : "<stdin>";
		if (nfiles && strcmp(files[i], "-") && !(f = fopen(files[i], "r"))) {
			fprintf(stderr, "%s: Can't open %s: %s\n", prog, files[i],
				strerror(errno));
			status = NC_EOTHER;
			break;
		}
		if (translate_file(&t, f) < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, t.file,
				t.fatal || errno == ENOMEM ? "out of memory" : strerror(errno));
			status = NC_ERESOURCE;
		}
		if (f != stdin)
			fclose(f);
	}
	if (!status) {
		nc_buf_printf(&out, "# Translated by %s v%s\n", prog, NATC_VERSION);
		if (nc_buf_failed(&out) ||
		    nc_nft_script_write(t.s, nc_buf_str(&out), stdout) < 0)
			status = ferror(stdout) ? NC_EOTHER : NC_ERESOURCE;
		if (fflush(stdout) != 0)
			status = NC_EOTHER;
	}
	if (!status && t.nat_failed)
		status = NC_EOTHER;
	nc_buf_free(&out);
	nc_nft_script_free(t.s);
	free(files);
	return status;
}
