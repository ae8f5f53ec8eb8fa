// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -S and -L listings, character for character as iptables-nft 1.8.9 prints
 * them (iptables/xshared.c, nft-ipv4.c, nft-ipv6.c, nft-shared.c and nft.c
 * of that release; every format below was checked against its output).
 */
#include <inttypes.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include "ir/print.h"
#include "ir/parse.h"
#include "ir/addr.h"
#include "ir/ext.h"

/* -L column widths */
#define W_NUM		4	/* --line-numbers */
#define W_TARGET	9
#define W_PROTO		4
#define W_IFACE		6
#define W_ADDR		19

static const char *policy_name(int policy)
{
	return policy == NF_DROP ? "DROP" : "ACCEPT";
}

static bool is_standard(const struct nc_rule *r)
{
	return r->target.ops == &nc_ext_standard && r->target.data;
}

static bool is_goto(const struct nc_rule *r)
{
	const struct nc_standard *s = r->target.data;

	return is_standard(r) && s->kind == NC_VERDICT_GOTO;
}

/* Append @s and pad with spaces to @width columns from @start. */
static void put_padded(struct nc_buf *b, size_t start, const char *s,
		       size_t width)
{
	nc_buf_puts(b, s);
	nc_buf_pad(b, start + width);
}

/* ---------------------------------------------------------------- -S */

static void save_iface(struct nc_buf *b, char letter, const char *name,
		       bool inv)
{
	if (!name[0])
		return;
	nc_buf_printf(b, "%s -%c %s", inv ? " !" : "", letter, name);
}

static void save_proto(struct nc_buf *b, const struct nc_rule *r)
{
	const char *name;

	if (!r->proto)
		return;
	if (r->invflags & NC_INV_PROTO)
		nc_buf_puts(b, " !");
	name = nc_proto_name(r->proto, false);
	if (name)
		nc_buf_printf(b, " -p %s", name);
	else
		nc_buf_printf(b, " -p %u", (unsigned)r->proto);
}

/* -s -d -i -o -p -f, in iptables' order. */
static void save_generic(struct nc_buf *b, const struct nc_rule *r)
{
	nc_addr_save(b, r->family, 's', &r->src, &r->smsk,
		     r->invflags & NC_INV_SRC);
	nc_addr_save(b, r->family, 'd', &r->dst, &r->dmsk,
		     r->invflags & NC_INV_DST);
	save_iface(b, 'i', r->in.name, r->invflags & NC_INV_IN);
	save_iface(b, 'o', r->out.name, r->invflags & NC_INV_OUT);
	save_proto(b, r);
	if (r->family != AF_INET6 && (r->flags & NC_RF_FRAG))
		nc_buf_puts(b, r->invflags & NC_INV_FRAG ? " ! -f" : " -f");
}

static void save_matches(struct nc_buf *b, const struct nc_rule *r)
{
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *m = &r->matches[i];

		nc_buf_printf(b, " -m %s", nc_ext_name(m));
		if (m->ops->save)
			m->ops->save(m, r, b);
	}
}

/* The standard target is the generic part's: -j VERDICT, -j/-g CHAIN. */
static void save_target(struct nc_buf *b, const struct nc_rule *r)
{
	const struct nc_ext *t = &r->target;

	if (!t->ops)
		return;
	nc_buf_printf(b, " -%c %s", is_goto(r) ? 'g' : 'j', nc_target_name(r));
	if (!is_standard(r) && t->ops->save)
		t->ops->save(t, r, b);
}

void nc_print_rule_spec(const struct nc_rule *r, const char *chain,
			bool counters, struct nc_buf *b)
{
	if (r->unknown) {
		nc_buf_printf(b, "# %s", r->unknown);
		return;
	}
	nc_buf_printf(b, "-A %s", chain);
	save_generic(b, r);
	save_matches(b, r);
	/* iptables-nft puts the counters between the matches and -j */
	if (counters)
		nc_buf_printf(b, " -c %" PRIu64 " %" PRIu64,
			      r->packets, r->bytes);
	save_target(b, r);
}

static void save_chain_line(struct nc_buf *b, const struct nc_chain *c,
			    bool counters)
{
	if (!c->builtin) {
		nc_buf_printf(b, "-N %s\n", c->name);
		return;
	}
	nc_buf_printf(b, "-P %s %s", c->name, policy_name(c->policy));
	if (counters)
		nc_buf_printf(b, " -c %" PRIu64 " %" PRIu64,
			      c->packets, c->bytes);
	nc_buf_putc(b, '\n');
}

static void save_rule_line(struct nc_buf *b, const struct nc_chain *c,
			   size_t i, bool counters)
{
	nc_print_rule_spec(c->rules[i], c->name, counters, b);
	nc_buf_putc(b, '\n');
}

static void save_rules(struct nc_buf *b, const struct nc_chain *c,
		       bool counters)
{
	for (size_t i = 0; i < c->nrules; i++)
		save_rule_line(b, c, i, counters);
}

void nc_print_save(const struct nc_ruleset *rs, bool counters, struct nc_buf *b)
{
	nc_buf_printf(b, "*%s\n", rs->table);
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *c = rs->chains[i];

		/* chain counters always, as iptables-nft-save prints them */
		nc_buf_printf(b, ":%s %s [%" PRIu64 ":%" PRIu64 "]\n", c->name,
			      c->builtin ? policy_name(c->policy) : "-",
			      c->packets, c->bytes);
	}
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *c = rs->chains[i];

		for (size_t j = 0; j < c->nrules; j++) {
			if (counters)
				nc_buf_printf(b, "[%" PRIu64 ":%" PRIu64 "] ",
					      c->rules[j]->packets, c->rules[j]->bytes);
			save_rule_line(b, c, j, false);
		}
	}
	nc_buf_puts(b, "COMMIT\n");
}

int nc_print_S(const struct nc_ruleset *rs, const char *chain, size_t rulenum,
	       bool counters, struct nc_buf *b)
{
	const struct nc_chain *c;

	if (!chain) {
		for (size_t i = 0; i < rs->nchains; i++)
			save_chain_line(b, rs->chains[i], counters);
		for (size_t i = 0; i < rs->nchains; i++)
			save_rules(b, rs->chains[i], counters);
		return 0;
	}
	c = nc_ruleset_find_chain(rs, chain);
	if (!c || rulenum > c->nrules)
		return -1;
	if (rulenum) {
		save_rule_line(b, c, rulenum - 1, counters);
		return 0;
	}
	save_chain_line(b, c, counters);
	save_rules(b, c, counters);
	return 0;
}

/* ---------------------------------------------------------------- -L */

/* xtables_print_num(): @table pads to the column, else "N " plain. */
static void list_num(struct nc_buf *b, uint64_t n, unsigned fmt, bool table)
{
	static const char suffix[] = "KMGT";

	if (fmt & NC_FMT_EXACT) {
		nc_buf_printf(b, "%*" PRIu64 " ", table ? 8 : 0, n);
		return;
	}
	if (n <= 99999) {
		nc_buf_printf(b, "%*" PRIu64 " ", table ? 5 : 0, n);
		return;
	}
	/* same unsigned arithmetic as iptables, wrap-around included */
	for (size_t i = 0; i < 4; i++) {
		n = (n + 500) / 1000;
		if (n <= 9999 || i == 3) {
			nc_buf_printf(b, "%*" PRIu64 "%c ", table ? 4 : 0, n,
				      suffix[i]);
			return;
		}
	}
}

static void list_chain_title(struct nc_buf *b, const struct nc_chain *c,
			     uint32_t refs, unsigned fmt)
{
	nc_buf_printf(b, "Chain %s", c->name);
	if (!c->builtin) {
		nc_buf_printf(b, " (%" PRIu32 " references)\n", refs);
		return;
	}
	nc_buf_printf(b, " (policy %s", policy_name(c->policy));
	if (fmt & NC_FMT_VERBOSE) {
		nc_buf_putc(b, ' ');
		list_num(b, c->packets, fmt, false);
		nc_buf_puts(b, "packets, ");
		list_num(b, c->bytes, fmt, false);
		nc_buf_puts(b, "bytes");
	}
	nc_buf_puts(b, ")\n");
}

static void list_columns(struct nc_buf *b, unsigned fmt)
{
	if (fmt & NC_FMT_LINENUM)
		nc_buf_printf(b, "%-*s ", W_NUM, "num");
	if ((fmt & NC_FMT_VERBOSE) && (fmt & NC_FMT_EXACT))
		nc_buf_printf(b, "%8s %10s ", "pkts", "bytes");
	else if (fmt & NC_FMT_VERBOSE)
		nc_buf_printf(b, "%5s %5s ", "pkts", "bytes");
	nc_buf_printf(b, "%-*s ", W_TARGET, "target");
	nc_buf_puts(b, " prot opt");
	if (fmt & NC_FMT_VERBOSE)
		nc_buf_printf(b, " %-*s %-*s ", W_IFACE, "in", W_IFACE, "out");
	nc_buf_printf(b, " %-*s  %-*s \n", W_ADDR, "source", W_ADDR,
		      "destination");
}

/* num, pkts, bytes: the columns every rule line has, known or not. */
static void list_counts(struct nc_buf *b, const struct nc_rule *r,
			size_t num, unsigned fmt)
{
	if (fmt & NC_FMT_LINENUM)
		nc_buf_printf(b, "%-*zu ", W_NUM, num);
	if (fmt & NC_FMT_VERBOSE) {
		list_num(b, r->packets, fmt, true);
		list_num(b, r->bytes, fmt, true);
	}
}

/* iptables 1.8.9 shows numbers in the prot column with -n. */
static void list_proto(struct nc_buf *b, const struct nc_rule *r,
		       unsigned fmt)
{
	/* With -n, iptables 1.8.9 prints numbers; later releases (and natc)
	 * print the names of its own table and numbers for the rest. */
	const char *name = nc_proto_name(r->proto, fmt & NC_FMT_NUMERIC);

	nc_buf_putc(b, r->invflags & NC_INV_PROTO ? '!' : ' ');
	if (!name)
		nc_buf_printf(b, "%-*u ", W_PROTO, (unsigned)r->proto);
	else
		nc_buf_printf(b, "%-*s ", W_PROTO, name);
}

static void list_opt(struct nc_buf *b, const struct nc_rule *r)
{
	if (r->family == AF_INET6) {
		nc_buf_puts(b, "-- ");
		return;
	}
	nc_buf_putc(b, r->invflags & NC_INV_FRAG ? '!' : '-');
	nc_buf_putc(b, r->flags & NC_RF_FRAG ? 'f' : '-');
	nc_buf_putc(b, ' ');
}

/* "%-6s " of [!]NAME, "any" or "*"; the in column has a space before. */
static void list_iface(struct nc_buf *b, const char *name, bool inv,
		       bool lead, unsigned fmt)
{
	size_t start;

	if (lead)
		nc_buf_putc(b, ' ');
	start = b->len;

	if (inv)
		nc_buf_putc(b, '!');
	if (name[0])
		nc_buf_puts(b, name);
	else
		nc_buf_puts(b, fmt & NC_FMT_NUMERIC ? "*" : "any");
	nc_buf_pad(b, start + W_IFACE);
	nc_buf_putc(b, ' ');
}

static void list_addr(struct nc_buf *b, const struct nc_rule *r,
		      const union nc_addr *a, const union nc_addr *m,
		      bool inv, unsigned fmt)
{
	size_t start;

	nc_buf_putc(b, inv ? '!' : ' ');
	start = b->len;
	nc_addr_list(b, r->family, a, m, fmt & NC_FMT_NUMERIC);
	nc_buf_pad(b, start + W_ADDR);
	nc_buf_putc(b, ' ');
}

static void list_extensions(struct nc_buf *b, const struct nc_rule *r,
			    unsigned fmt)
{
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *m = &r->matches[i];

		if (m->ops->print)
			m->ops->print(m, r, b, fmt);
	}
	if (r->target.ops && !is_standard(r) && r->target.ops->print)
		r->target.ops->print(&r->target, r, b, fmt);
}

static void list_rule(struct nc_buf *b, const struct nc_rule *r, size_t num,
		      unsigned fmt)
{
	size_t start;

	list_counts(b, r, num, fmt);
	if (r->unknown) {
		nc_buf_printf(b, "# %s\n", r->unknown);
		return;
	}
	start = b->len;
	put_padded(b, start, nc_target_name(r), W_TARGET);
	nc_buf_putc(b, ' ');
	list_proto(b, r, fmt);
	list_opt(b, r);
	if (fmt & NC_FMT_VERBOSE) {
		list_iface(b, r->in.name, r->invflags & NC_INV_IN, true, fmt);
		list_iface(b, r->out.name, r->invflags & NC_INV_OUT, false,
			   fmt);
	}
	list_addr(b, r, &r->src, &r->smsk, r->invflags & NC_INV_SRC, fmt);
	list_addr(b, r, &r->dst, &r->dmsk, r->invflags & NC_INV_DST, fmt);
	if (is_goto(r))
		nc_buf_puts(b, "[goto] ");
	list_extensions(b, r, fmt);
	nc_buf_putc(b, '\n');
}

void nc_print_rule_brief(const struct nc_rule *r, struct nc_buf *b)
{
	const char *proto = nc_proto_name(r->proto, true);

	nc_buf_printf(b, "%s %c", nc_target_name(r),
		      r->invflags & NC_INV_PROTO ? '!' : ' ');
	if (proto)
		nc_buf_puts(b, proto);
	else
		nc_buf_printf(b, "%u", (unsigned)r->proto);
	nc_buf_puts(b, " opt ");
	list_opt(b, r);
	nc_buf_printf(b, "in %s%s out %s%s ",
		      r->invflags & NC_INV_IN ? "!" : "", r->in.name[0] ? r->in.name : "*",
		      r->invflags & NC_INV_OUT ? "!" : "", r->out.name[0] ? r->out.name : "*");
	nc_buf_putc(b, r->invflags & NC_INV_SRC ? '!' : ' ');
	nc_addr_list(b, r->family, &r->src, &r->smsk, true);
	nc_buf_printf(b, " %c-> ", r->invflags & NC_INV_DST ? '!' : ' ');
	nc_addr_list(b, r->family, &r->dst, &r->dmsk, true);
	nc_buf_puts(b, "  ");
	if (is_goto(r))
		nc_buf_puts(b, "[goto] ");
	list_extensions(b, r, NC_FMT_NUMERIC);
	nc_buf_putc(b, '\n');
}

/* Index of chain @name, -1 when there is none.  User chains come in name
 * order after the builtins (nc_ruleset_add_chain() keeps it so): search
 * them by halves, and all of them only if that order was not kept. */
static long chain_index(const struct nc_ruleset *rs, const char *name)
{
	size_t lo = 0, hi = rs->nchains;

	for (; lo < hi && rs->chains[lo]->builtin; lo++)
		if (!strcmp(rs->chains[lo]->name, name))
			return (long)lo;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, rs->chains[mid]->name);

		if (!cmp)
			return (long)mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (size_t i = 0; i < rs->nchains; i++)
		if (!strcmp(rs->chains[i]->name, name))
			return (long)i;
	return -1;
}

/*
 * Jumps and gotos into each chain (what iptables-nft shows as references:
 * the kernel's use count minus the chain's own rules).  NULL on ENOMEM.
 */
static uint32_t *count_refs(const struct nc_ruleset *rs)
{
	uint32_t *refs = calloc(rs->nchains ? rs->nchains : 1, sizeof(*refs));

	if (!refs)
		return NULL;
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *from = rs->chains[i];

		for (size_t j = 0; j < from->nrules; j++) {
			const struct nc_rule *r = from->rules[j];
			const struct nc_standard *s = r->target.data;
			long to;

			if (!is_standard(r) || (s->kind != NC_VERDICT_JUMP &&
						s->kind != NC_VERDICT_GOTO))
				continue;
			to = chain_index(rs, s->chain);
			if (to >= 0)
				refs[to]++;
		}
	}
	return refs;
}

static void list_chain(struct nc_buf *b, const struct nc_chain *c,
		       uint32_t refs, unsigned fmt)
{
	list_chain_title(b, c, refs, fmt);
	list_columns(b, fmt);
	for (size_t i = 0; i < c->nrules; i++)
		list_rule(b, c->rules[i], i + 1, fmt);
}

static void list_all(struct nc_buf *b, const struct nc_ruleset *rs,
		     const uint32_t *refs, unsigned fmt)
{
	for (size_t i = 0; i < rs->nchains; i++) {
		if (i)
			nc_buf_putc(b, '\n');
		list_chain(b, rs->chains[i], refs[i], fmt);
	}
}

int nc_print_L(const struct nc_ruleset *rs, const char *chain, size_t rulenum,
	       unsigned fmt, struct nc_buf *b)
{
	long idx = -1;
	const struct nc_chain *c;
	uint32_t *refs;

	if (chain) {
		idx = chain_index(rs, chain);
		if (idx < 0 || rulenum > rs->chains[idx]->nrules)
			return -1;
	}
	c = chain ? rs->chains[idx] : NULL;
	/* a single rule: iptables prints its line alone, no header */
	if (rulenum) {
		list_rule(b, c->rules[rulenum - 1], rulenum, fmt);
		return 0;
	}
	refs = count_refs(rs);
	if (!refs) {
		b->failed = true;	/* the buffer's sticky ENOMEM */
		return 0;
	}
	if (c)
		list_chain(b, c, refs[idx], fmt);
	else
		list_all(b, rs, refs, fmt);
	free(refs);
	return 0;
}
