// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A big save file read in parts (nc_save_opts.parts).  It is cut at lines
 * where the scanner's state is known without reading what came before
 * (inside a "*nat" that starts the file or follows a proper COMMIT, see
 * split_at()).  Each part is scanned and built by a thread of its own
 * into events (parser/driver.h), the consumer's prepare() running there
 * too; the calling thread applies the parts' events in input order, so
 * the consumer sees what it would see reading the file in one go.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/driver.h"
#include "ir/mem.h"

#define PARTS_MAX NC_SAVE_PARTS_MAX
#define PART_MIN_LINES 5000	/* smaller parts are not worth a thread */
#define PARTS_PER_THREAD 4	/* several parts a thread: a thread on a
				 * slow CPU takes fewer of them */

struct part {
	const struct drv *d;	/* read only */
	uint32_t first, last;	/* its lines in the file */
	bool skip_table;	/* as the scanner sees it */
	struct ev *v;		/* an event per line at most */
	size_t n, cap;
	struct nc_store store;	/* the events' strings and errors, and what
				 * prepare() makes */
	bool failed;		/* out of memory */
	atomic_bool done;	/* read (release), for the applying thread */
};

static const char *part_dup(struct part *p, const char *s)
{
	char *c;

	if (!s)
		return NULL;
	if (!(c = nc_store_dup(&p->store, s, strlen(s))))
		p->failed = true;
	return c;
}

static const struct nc_err *part_err(struct part *p, const struct nc_err *e)
{
	struct nc_err *c = nc_store_alloc(&p->store, sizeof(*c));

	if (!c)
		p->failed = true;
	else
		*c = *e;
	return c;
}

/* p->v has room for an event per line of the part, more than the
 * scanner can give (untouched room costs no memory). */
static int add_ev(struct part *p, const struct ev *ev)
{
	if (p->failed || p->n == p->cap) {
		p->failed = true;
		return -1;
	}
	p->v[p->n++] = *ev;
	return 0;
}

static int p_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct part *p = user;
	struct ev ev = { .kind = EV_TABLE, .loc = *loc, .a = part_dup(p, name) };

	p->skip_table = nc_drv_table_fate(p->d->o, name) != T_HANDLE;
	if (add_ev(p, &ev) < 0)
		return -1;
	return p->skip_table ? 1 : 0;
}

static int p_chain(void *user, const char *name, const char *policy,
		   const char *counters, const struct nc_loc *loc)
{
	struct part *p = user;
	struct ev ev = { .kind = EV_CHAIN, .loc = *loc, .a = part_dup(p, name),
			 .b = part_dup(p, policy), .c = part_dup(p, counters) };

	return add_ev(p, &ev);
}

static int p_commit(void *user, const struct nc_loc *loc)
{
	struct part *p = user;
	struct ev ev = { .kind = EV_COMMIT, .loc = *loc };

	p->skip_table = false;
	return add_ev(p, &ev);
}

/* A command: built (and prepared) here, applied later. */
static int p_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct part *p = user;
	const struct nc_save_ops *ops = p->d->ops;
	struct nc_err e;
	struct ev ev;

	nc_err_init(&e);
	nc_drv_scan_command(p->d, cmd, counters, &ev, &e);
	/* the error, and any warnings, outlive this call in the part's store */
	ev.err = !ev.job || e.nwarn || e.warn_lost ? part_err(p, &e) : NULL;
	if (ev.kind == EV_IGNORED)
		ev.a = part_dup(p, ev.a);
	else if (ev.job && ops->prepare &&
		 ops->prepare(p->d->user, ev.job, &p->store, &ev.prep) < 0)
		p->failed = true;
	if (e.status == NC_ERESOURCE)
		p->failed = true;
	if (add_ev(p, &ev) < 0) {
		nc_job_free(ev.job);
		return -1;
	}
	return 0;
}

static const struct nc_file_ops part_ops = {
	.table = p_table, .chain = p_chain, .commit = p_commit, .command = p_command,
};

/* Scan a part; after a line the scanner refuses, on with the next one. */
static void read_part(struct part *p)
{
	const struct drv *d = p->d;
	uint32_t start = p->first;

	nc_populate(p->v, p->cap * sizeof(*p->v));	/* nearly every line
							 * gets an event */
	while (start <= p->last && !p->failed) {
		size_t a = d->off[start - 1];
		size_t b = p->last < d->nlines ? d->off[p->last] : d->len;
		struct nc_err e;
		struct ev ev = { .kind = EV_ERROR };

		nc_err_init(&e);
		if (nc_parse_file_af(d->text + a, b - a, start, d->o->family,
				     &part_ops, p, &e) == 0)
			break;
		if (p->failed || e.status == NC_ERESOURCE || e.loc.line < start ||
		    e.loc.line > p->last) {
			p->failed = true;
			break;
		}
		ev.loc = e.loc;
		ev.err = part_err(p, &e);
		add_ev(p, &ev);
		if (e.input_refused)
			break;	/* nothing after it is read */
		start = e.loc.line + 1;
	}
}

/* Whether line @l is exactly @word and blanks. */
static bool line_is(const struct drv *d, uint32_t l, const char *word)
{
	size_t len, n = strlen(word);
	const char *s = nc_drv_line(d, l, &len);

	if (len < n || memcmp(s, word, n))
		return false;
	return strspn(s + n, " \t") == len - n;
}

/* Whether a line starts a table or ends one (as the scanner reads a line
 * start: "*..." or "COMMIT..."). */
static bool line_is_boundary(const struct drv *d, uint32_t l)
{
	size_t len;
	const char *s = nc_drv_line(d, l, &len);

	return (len && s[0] == '*') || (len >= 6 && !memcmp(s, "COMMIT", 6));
}

/* The line that byte @at is in. */
static uint32_t line_at(const struct drv *d, size_t at)
{
	uint32_t lo = 1, hi = d->nlines;

	while (lo < hi) {	/* the last line starting at or before @at */
		uint32_t mid = lo + (hi - lo + 1) / 2;

		if (d->off[mid - 1] <= at)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* A line near @want where a part can start: a command line, inside a
 * "*nat" whose start is itself known (the file's first table, or after a
 * proper COMMIT); 0 if there is none.  The scanner then sees it as it
 * would reading from the top: in the nat table, not skipping lines. */
static uint32_t split_at(const struct drv *d, uint32_t want)
{
	uint32_t s = want, l;

	for (; s <= d->nlines && s < want + 1000; s++) {
		size_t len;

		if (*nc_drv_line(d, s, &len) == '-')
			break;
	}
	if (s > d->nlines || s >= want + 1000)
		return 0;
	for (l = s - 1; l >= 1 && !line_is_boundary(d, l); l--)
		;
	if (l < 1 || !line_is(d, l, "*nat") || nc_drv_table_fate(d->o, "nat") != T_HANDLE)
		return 0;
	for (l--; l >= 1 && !line_is_boundary(d, l); l--)
		;
	return l < 1 || line_is(d, l, "COMMIT") ? s : 0;
}

/* How many threads and parts: one thread per CPU, parts of at least
 * PART_MIN_LINES lines.  NATC_PARTS=N asks for N parts whatever the size
 * (the tests use it to cut small files). */
static unsigned part_count(const struct drv *d, unsigned *threads)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = d->nlines / PART_MIN_LINES;
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

static void part_free(struct part *p)
{
	for (size_t i = 0; i < p->n; i++)
		nc_job_free(p->v[i].job);
	nc_store_free(&p->store);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* Apply the parts read so far, in order, from *@next on. */
static void apply_ready(struct drv *d, struct reading *rd, unsigned *next, int *rc)
{
	for (; *next < rd->n; (*next)++) {
		struct part *p = &rd->parts[*next];

		if (!atomic_load_explicit(&p->done, memory_order_acquire))
			return;
		if (p->failed && *rc == 0)
			*rc = nc_err_set(d->err, NC_ERESOURCE, NULL, "out of memory");
		for (size_t i = 0; i < p->n && *rc == 0; i++)
			if (nc_drv_apply(d, &p->v[i]) < 0)
				*rc = -1;
		if (*rc == 0 && d->ops->adopt)
			d->ops->adopt(d->user, &p->store);
		part_free(p);
	}
}

int nc_drv_read_parts(struct drv *d)
{
	struct part parts[PARTS_MAX];
	struct reading rd = { .parts = parts };
	pthread_t th[PARTS_MAX];
	unsigned n = 0, nth = 0, started = 0, applied = 0, want = part_count(d, &nth);
	int rc = 0;

	memset(parts, 0, sizeof(parts));
	if (d->nlines == 0)
		return 0;
	parts[n++] = (struct part){ .d = d, .first = 1, .last = d->nlines };
	for (unsigned k = 1; k < want; k++) {
		/* parts of equal bytes: work goes with bytes more than with
		 * lines */
		uint32_t s = split_at(d, line_at(d, (size_t)((uint64_t)d->len * k / want)));

		if (s && s > parts[n - 1].first) {
			parts[n - 1].last = s - 1;
			parts[n++] = (struct part){ .d = d, .first = s, .last = d->nlines };
		}
	}
	for (unsigned k = 0; k < n && rc == 0; k++) {
		parts[k].cap = parts[k].last - parts[k].first + 1;
		if (!(parts[k].v = malloc(parts[k].cap * sizeof(*parts[k].v))))
			rc = nc_err_set(d->err, NC_ERESOURCE, NULL, "out of memory");
	}
	if (d->o->parts_out) {
		d->o->parts_out->n = n;
		for (unsigned k = 0; k < n; k++)
			d->o->parts_out->first[k] = parts[k].first;
	}
	rd.n = rc == 0 ? n : 0;
	for (; started + 1 < nth && started + 1 < rd.n; started++)
		if (pthread_create(&th[started], NULL, reader_thread, &rd))
			break;	/* fewer threads then: they take what is left */
	/* this thread reads too, and applies what is done between parts */
	while (read_next(&rd))
		apply_ready(d, &rd, &applied, &rc);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	apply_ready(d, &rd, &applied, &rc);
	for (unsigned k = applied; k < n; k++)	/* not read: failed */
		part_free(&parts[k]);
	return rc;
}
