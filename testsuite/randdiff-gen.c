// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * randdiff-gen - random nat-table commands for testsuite/randdiff.t.
 *
 *     randdiff-gen SEED COUNT [SEQLEN [FIRST_SEQ [LAST_SEQ]]]
 *     randdiff-gen --kinds
 *
 * Prints COUNT iptables commands (the words after `iptables`, quoted as a
 * shell would read them), in sequences of SEQLEN (default 100), each
 * sequence after a line `%seq K`: randdiff.t runs each sequence in two
 * fresh namespaces, one per tool.  Sequence K depends only on SEED and K,
 * so FIRST_SEQ..LAST_SEQ reproduces one of a long run alone.  --kinds
 * lists the kinds, `m NAME N` and `j NAME N`, N 1 where iptables-nft
 * writes the kind as native expressions, 0 where it writes an xt one.
 *
 * The matches and targets, and each one's options, are taken from natc's
 * own registry (ir/ext/registry.c, each kind's ops table): every option
 * of every kind must have a value written for it below, or this program
 * refuses to run (exit 2), so that a kind or an option added to natc is
 * added here too.  Values are valid ones (documentation addresses, no
 * host names: nothing may ask the DNS), with `!` where the ops table says
 * the option may be negated; some commands are wrong on purpose (a rule
 * or a chain that is not there, a chain in use, a target in a hook that
 * refuses it, two options that exclude each other): both tools must give
 * the same exit status.
 *
 * Left out, as deliberate differences (testsuite/bad-catalogue/cases,
 * `%reason` lines, the diff corpora, and the places below): reversed ranges,
 * port 0, ports written otherwise than as decimal numbers, comments over
 * 240 bytes, NETMAP prefixes over 32, LOG prefixes over 29 characters,
 * -E of a builtin chain or to a name iptables refuses for -N, tables
 * other than nat, what natc refuses before the kernel does (owner outside
 * OUTPUT and POSTROUTING, -m tcp without -p tcp: kernel-early), multiport
 * lists out of order or overlapping (v_port_list), conntrack addresses
 * with host bits (v_ct_addr), --ctstate SNAT or DNAT with other states
 * (v_ctstate), CONNMARK shifts beside a set (connmark_opts), ports after
 * ! -p (rule), addrtype's interface limits in user chains (generic_opts),
 * two comments in one rule (rule(): nft's rule userdata holds one), a
 * tcp or udp match testing what an earlier one of its kind tests
 * (port_overlap(): iptables-nft lists the second test alone), tcp's and
 * udp's ! --sport A ! --dport B (iptables-nft's "not both", opt_word).
 *
 * Nothing found by this test is left out unfixed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext.h"
#include "ir/buf.h"

/* ------------------------------------------------------------ random -- */

struct rng { uint64_t s; };

static uint64_t next(struct rng *g)
{
	/* splitmix64: the same numbers on every machine and libc */
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rnd(struct rng *g, unsigned n)
{
	return n ? (unsigned)(next(g) % n) : 0;
}

/* true with probability PCT percent */
static int pct(struct rng *g, unsigned p)
{
	return rnd(g, 100) < p;
}

#define PICK(g, arr) ((arr)[rnd(g, sizeof(arr) / sizeof((arr)[0]))])

/* ------------------------------------------------------------ output -- */

/* A command being written: words separated by spaces. */
struct out {
	char s[4096];
	size_t n;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(o->s + o->n, sizeof(o->s) - o->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(o->s) - o->n) {
		fprintf(stderr, "randdiff-gen: command too long\n");
		exit(2);
	}
	o->n += (size_t)k;
}

/* ------------------------------------------------------------- model -- */

#define MAX_CHAINS 12
#define MAX_RULES 64

struct chain {
	char name[32];
	int builtin;		/* NF hook number + 1, 0 for a user chain */
	int nrules;
	char *rules[MAX_RULES];	/* the rule specs added, as typed */
};

struct model {
	struct rng g;
	struct chain c[MAX_CHAINS];
	int n;
	int next_user;		/* numbers of new chain names */
	int x_next;		/* -X without a chain comes next (after -F) */
};

/* what the rule being made allows its matches and target */
struct ctx {
	struct model *m;
	struct chain *ch;
	const char *proto;	/* "tcp", "udp", "sctp", "icmp" or NULL */
	int proto_inv;
	int port_inv;		/* a tcp or udp port negated (opt_word) */
};

static const char *const builtins[] = {
	"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"
};
static const int builtin_hook[] = { 0, 1, 3, 4 };

/* ------------------------------------------------------------ values -- */

static void v_addr(struct ctx *x, struct out *o)
{
	static const char *const nets[] = { "192.0.2", "198.51.100", "203.0.113" };
	static const int masks[] = { 8, 16, 24, 24, 25, 28, 30, 31, 32, 32 };
	struct rng *g = &x->m->g;
	const char *n = PICK(g, nets);

	switch (rnd(g, 4)) {
	case 0:
		put(o, "%s.%u", n, rnd(g, 256));
		break;
	case 1:
		put(o, "%s.%u/%d", n, rnd(g, 256), PICK(g, masks));
		break;
	case 2:
		put(o, "%s.0/24", n);
		break;
	default:
		put(o, "%s.%u/255.255.255.%u", n, rnd(g, 256),
		    PICK(g, ((const unsigned[]){ 0, 128, 192, 240, 255 })));
	}
}

/* ADDR[/MASK] without host bits outside the mask: iptables-nft 1.8.9
 * keeps them in conntrack's addresses (192.0.2.7/24), natc masks them as
 * for -s (deliberate, diff/matches-b.corpus) */
static void v_ct_addr(struct ctx *x, struct out *o)
{
	static const char *const a[] = {
		"192.0.2.0/24", "198.51.100.0/25", "203.0.113.128/25", "203.0.113.7",
		"192.0.2.1/32", "198.51.100.0/255.255.255.0", "198.51.0.0/16",
		"203.0.113.200/29", "192.0.2.9",
	};

	put(o, "%s", PICK(&x->m->g, a));
}

static unsigned port(struct rng *g)
{
	static const unsigned common[] = { 22, 53, 80, 443, 8080, 3128, 1, 65535 };

	return pct(g, 40) ? PICK(g, common) : 1 + rnd(g, 65535);
}

/* PORT or LO:HI (LO <= HI; natc refuses reversed ranges: deliberate) */
static void v_port(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned a = port(g), b = port(g);

	if (pct(g, 70)) {
		put(o, "%u", a);
		return;
	}
	if (a > b) {
		unsigned t = a;
		a = b;
		b = t;
	}
	if (pct(g, 10))
		put(o, "%u:", a);
	else
		put(o, "%u:%u", a, b);
}

/*
 * PORT[:PORT],...: ascending, neither overlapping nor adjacent, no
 * duplicates (an nft set has no order and no duplicates and joins
 * adjacent ranges: natc lists the ports sorted and joined, iptables-nft
 * as typed; deliberate, diff/matches-a.corpus); at most 15, a range
 * counting two.
 */
static void v_port_list(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned n = 1 + rnd(g, 6), used = 0, at = 0, i;

	for (i = 0; i < n && at < 65535 && used < 14; i++) {
		unsigned a = at + 2 + rnd(g, pct(g, 50) ? 100 : 20000), b;

		if (a > 65535)
			break;
		put(o, "%s%u", i ? "," : "", a);
		at = a;
		used++;
		if (pct(g, 25) && a < 65535) {
			b = a + 1 + rnd(g, 65535 - a);
			put(o, ":%u", b);
			at = b;
			used++;
		}
	}
	if (!i)
		put(o, "%u", 1 + rnd(g, 65535));
}

static void v_tcp_flags(struct ctx *x, struct out *o)
{
	static const char *const f[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };
	struct rng *g = &x->m->g;
	unsigned mask = 1 + rnd(g, 63), comp = rnd(g, 64) & mask, i;
	const char *sep = "";

	if (pct(g, 10))
		put(o, "ALL");
	else
		for (i = 0; i < 6; i++)
			if (mask & 1u << i) {
				put(o, "%s%s", sep, f[i]);
				sep = ",";
			}
	put(o, " ");
	if (!comp) {
		put(o, "NONE");
		return;
	}
	sep = "";
	for (i = 0; i < 6; i++)
		if (comp & 1u << i) {
			put(o, "%s%s", sep, f[i]);
			sep = ",";
		}
}

static void v_none(struct ctx *x, struct out *o)
{
}

static void v_word(struct rng *g, struct out *o, unsigned maxlen)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:,/=";
	unsigned n = 1 + rnd(g, maxlen), i;

	for (i = 0; i < n; i++)
		put(o, "%c", chars[rnd(g, sizeof(chars) - 1)]);
}

/* a text in double quotes: words and single spaces */
static void v_text(struct rng *g, struct out *o, unsigned maxwords, unsigned maxlen)
{
	unsigned n = 1 + rnd(g, maxwords), i;

	put(o, "\"");
	for (i = 0; i < n; i++) {
		if (i)
			put(o, " ");
		v_word(g, o, maxlen);
	}
	put(o, "\"");
}

static void v_comment(struct ctx *x, struct out *o)
{
	v_text(&x->m->g, o, 4, 12);
}

static void v_mark(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	uint32_t v = pct(g, 50) ? rnd(g, 256) : (uint32_t)next(g);

	put(o, pct(g, 50) ? "0x%" PRIx32 : "%" PRIu32, v);
	if (pct(g, 40))
		put(o, "/0x%" PRIx32, pct(g, 50) ? 0xffu : (uint32_t)next(g));
}

static void v_mark_plain(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;

	put(o, "0x%" PRIx32, pct(g, 50) ? rnd(g, 256) : (uint32_t)next(g));
}

static void v_range(struct ctx *x, struct out *o)
{
	static const char *const nets[] = { "192.0.2", "198.51.100", "203.0.113" };
	struct rng *g = &x->m->g;
	unsigned a = rnd(g, 256), b = rnd(g, 256);

	if (a > b) {
		unsigned t = a;
		a = b;
		b = t;
	}
	if (pct(g, 20)) {
		put(o, "192.0.2.%u-203.0.113.%u", a, b);
		return;
	}
	const char *n = PICK(g, nets);
	put(o, "%s.%u-%s.%u", n, a, n, b);
}

static void v_pkttype(struct ctx *x, struct out *o)
{
	static const char *const t[] = { "unicast", "broadcast", "multicast", "host", "otherhost" };

	put(o, "%s", PICK(&x->m->g, t));
}

static void v_ttl(struct ctx *x, struct out *o)
{
	put(o, "%u", rnd(&x->m->g, 256));
}

static void v_icmp(struct ctx *x, struct out *o)
{
	static const char *const t[] = {
		"echo-request", "echo-reply", "destination-unreachable",
		"port-unreachable", "host-unreachable", "time-exceeded",
		"redirect", "any", "8", "0", "3/3", "11/0", "5", "13",
		"parameter-problem", "source-quench", "timestamp-request",
	};

	put(o, "%s", PICK(&x->m->g, t));
}

static void v_length(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned a = rnd(g, 1500), b = rnd(g, 65536);

	if (pct(g, 40))
		put(o, "%u", a);
	else
		put(o, "%u:%u", a < b ? a : b, a < b ? b : a);
}

static void v_owner(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned a = rnd(g, 70000), b = rnd(g, 70000);

	if (pct(g, 70))
		put(o, "%u", pct(g, 50) ? rnd(g, 3) : a);
	else
		put(o, "%u-%u", a < b ? a : b, a < b ? b : a);
}

/* ADDR[-ADDR][:PORT[-PORT]]: ports only after -p tcp, udp or sctp */
static void nat_range(struct ctx *x, struct out *o, int addr_needed)
{
	struct rng *g = &x->m->g;
	int ports = x->proto && !x->proto_inv && strcmp(x->proto, "icmp") && pct(g, 60);
	unsigned a = 1 + rnd(g, 254), b = 1 + rnd(g, 254);

	if (addr_needed || !ports || pct(g, 80)) {
		if (pct(g, 30)) {
			if (a > b) {
				unsigned t = a;
				a = b;
				b = t;
			}
			put(o, "198.51.100.%u-198.51.100.%u", a, b);
		} else {
			put(o, "203.0.113.%u", a);
		}
	}
	if (ports) {
		unsigned p = port(g), q = port(g);

		if (pct(g, 60))
			put(o, ":%u", p);
		else
			put(o, ":%u-%u", p < q ? p : q, p < q ? q : p);
	}
}

static void v_nat(struct ctx *x, struct out *o)
{
	nat_range(x, o, 1);
}

static void v_to_ports(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned p = port(g), q = port(g);

	if (pct(g, 60))
		put(o, "%u", p);
	else
		put(o, "%u-%u", p < q ? p : q, p < q ? q : p);
}

static void v_netmap(struct ctx *x, struct out *o)
{
	static const int masks[] = { 24, 25, 28, 30, 32, 16 };
	struct rng *g = &x->m->g;

	put(o, "198.51.100.%u/%d", pct(g, 50) ? 0 : rnd(g, 256), PICK(g, masks));
}

static void v_shift(struct ctx *x, struct out *o)
{
	put(o, "%u", rnd(&x->m->g, 32));
}

static void v_log_level(struct ctx *x, struct out *o)
{
	static const char *const l[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info",
		"debug", "0", "4", "7", "warn", "panic", "err",
	};

	put(o, "%s", PICK(&x->m->g, l));
}

static void v_log_prefix(struct ctx *x, struct out *o)
{
	/* at most 29 characters (log-prefix: deliberate) */
	v_text(&x->m->g, o, 2, 12);
}

static void v_small(struct ctx *x, struct out *o)
{
	put(o, "%u", rnd(&x->m->g, 65536));
}

static void v_nflog_prefix(struct ctx *x, struct out *o)
{
	v_text(&x->m->g, o, 3, 16);
}

static void v_addrtype(struct ctx *x, struct out *o)
{
	static const char *const t[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
		"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	};
	struct rng *g = &x->m->g;
	unsigned n = 1 + (pct(g, 30) ? rnd(g, 3) : 0), i;

	for (i = 0; i < n; i++)
		put(o, "%s%s", i ? "," : "", PICK(g, t));
}

static void flag_list(struct rng *g, struct out *o, const char *const *t, unsigned nt)
{
	unsigned n = 1 + rnd(g, 3), i;

	for (i = 0; i < n; i++)
		put(o, "%s%s", i ? "," : "", t[rnd(g, nt)]);
}

/* SNAT and DNAT alone: xt_conntrack ORs the NAT status bits with the
 * state bits, nft has no single test for that and natc refuses it
 * (deliberate, diff/matches-b.corpus) */
static void v_ctstate(struct ctx *x, struct out *o)
{
	static const char *const t[] = {
		"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED",
	};
	struct rng *g = &x->m->g;

	if (pct(g, 15))
		put(o, "%s", pct(g, 50) ? "SNAT" : "DNAT");
	else
		flag_list(g, o, t, 5);
}

static void v_state(struct ctx *x, struct out *o)
{
	static const char *const t[] = {
		"INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED",
	};
	flag_list(&x->m->g, o, t, 5);
}

static void v_ctstatus(struct ctx *x, struct out *o)
{
	static const char *const t[] = {
		"NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED",
	};
	flag_list(&x->m->g, o, t, 5);
}

static void v_ctproto(struct ctx *x, struct out *o)
{
	static const char *const t[] = { "tcp", "udp", "icmp", "sctp", "6", "17", "47" };

	put(o, "%s", PICK(&x->m->g, t));
}

static void v_ctexpire(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned a = rnd(g, 100000), b = rnd(g, 100000);

	if (pct(g, 50))
		put(o, "%u", a);
	else
		put(o, "%u:%u", a < b ? a : b, a < b ? b : a);
}

static void v_ctport(struct ctx *x, struct out *o)
{
	struct rng *g = &x->m->g;
	unsigned a = port(g), b = port(g);

	if (pct(g, 70))
		put(o, "%u", a);
	else
		put(o, "%u:%u", a < b ? a : b, a < b ? b : a);
}

static void v_ctdir(struct ctx *x, struct out *o)
{
	put(o, "%s", pct(&x->m->g, 50) ? "ORIGINAL" : "REPLY");
}

static void v_probability(struct ctx *x, struct out *o)
{
	static const char *const p[] = { "0.5", "0.25", "0.1", "0.01", "1", "0", "0.33333", "0.999" };

	put(o, "%s", PICK(&x->m->g, p));
}

static void v_limit(struct ctx *x, struct out *o)
{
	static const char *const u[] = { "second", "minute", "hour", "day", "s", "m", "h", "d", "sec", "min" };
	struct rng *g = &x->m->g;

	put(o, "%u/%s", 1 + rnd(g, 1000), PICK(g, u));
}

static void v_burst(struct ctx *x, struct out *o)
{
	put(o, "%u", 1 + rnd(&x->m->g, 10000));
}

/* ---------------------------------------------------- option table -- */

typedef void value_fn(struct ctx *x, struct out *o);

/*
 * Every option of every kind in natc's registry, with its value.  `group`:
 * options of one group exclude each other (at most one is picked, unless
 * the command is wrong on purpose); 0 for none.
 */
static const struct gen_opt {
	const char *kind, *opt;
	value_fn *val;
	int group;
} gen_opts[] = {
	{ "tcp", "source-port", v_port, 1 }, { "tcp", "sport", v_port, 1 },
	{ "tcp", "destination-port", v_port, 2 }, { "tcp", "dport", v_port, 2 },
	{ "tcp", "tcp-flags", v_tcp_flags, 3 }, { "tcp", "syn", v_none, 3 },
	{ "udp", "source-port", v_port, 1 }, { "udp", "sport", v_port, 1 },
	{ "udp", "destination-port", v_port, 2 }, { "udp", "dport", v_port, 2 },
	{ "sctp", "source-port", v_port, 1 }, { "sctp", "sport", v_port, 1 },
	{ "sctp", "destination-port", v_port, 2 }, { "sctp", "dport", v_port, 2 },
	{ "comment", "comment", v_comment, 0 },
	{ "mark", "mark", v_mark, 0 },
	{ "multiport", "source-ports", v_port_list, 1 }, { "multiport", "sports", v_port_list, 1 },
	{ "multiport", "destination-ports", v_port_list, 1 }, { "multiport", "dports", v_port_list, 1 },
	{ "multiport", "ports", v_port_list, 1 },
	{ "iprange", "src-range", v_range, 0 }, { "iprange", "dst-range", v_range, 0 },
	{ "pkttype", "pkt-type", v_pkttype, 0 },
	{ "ttl", "ttl-eq", v_ttl, 1 }, { "ttl", "ttl-lt", v_ttl, 1 }, { "ttl", "ttl-gt", v_ttl, 1 },
	{ "icmp", "icmp-type", v_icmp, 0 },
	{ "length", "length", v_length, 0 },
	{ "owner", "uid-owner", v_owner, 0 }, { "owner", "gid-owner", v_owner, 0 },
	{ "DNAT", "to-destination", v_nat, 0 }, { "DNAT", "random", v_none, 0 },
	{ "DNAT", "persistent", v_none, 0 },
	{ "SNAT", "to-source", v_nat, 0 }, { "SNAT", "random", v_none, 1 },
	{ "SNAT", "random-fully", v_none, 1 }, { "SNAT", "persistent", v_none, 0 },
	{ "MASQUERADE", "to-ports", v_to_ports, 0 }, { "MASQUERADE", "random", v_none, 1 },
	{ "MASQUERADE", "random-fully", v_none, 1 },
	{ "REDIRECT", "to-ports", v_to_ports, 0 }, { "REDIRECT", "random", v_none, 0 },
	{ "MARK", "set-xmark", v_mark, 1 }, { "MARK", "set-mark", v_mark, 1 },
	{ "MARK", "and-mark", v_mark_plain, 1 }, { "MARK", "or-mark", v_mark_plain, 1 },
	{ "MARK", "xor-mark", v_mark_plain, 1 },
	{ "NETMAP", "to", v_netmap, 0 },
	{ "CONNMARK", "set-xmark", v_mark, 1 }, { "CONNMARK", "set-mark", v_mark, 1 },
	{ "CONNMARK", "and-mark", v_mark_plain, 1 }, { "CONNMARK", "or-mark", v_mark_plain, 1 },
	{ "CONNMARK", "xor-mark", v_mark_plain, 1 }, { "CONNMARK", "save-mark", v_none, 1 },
	{ "CONNMARK", "restore-mark", v_none, 1 },
	{ "CONNMARK", "left-shift-mark", v_shift, 2 }, { "CONNMARK", "right-shift-mark", v_shift, 2 },
	{ "CONNMARK", "ctmask", v_mark_plain, 3 }, { "CONNMARK", "nfmask", v_mark_plain, 4 },
	{ "CONNMARK", "mask", v_mark_plain, 3 },
	{ "LOG", "log-level", v_log_level, 0 }, { "LOG", "log-prefix", v_log_prefix, 0 },
	{ "LOG", "log-tcp-sequence", v_none, 0 }, { "LOG", "log-tcp-options", v_none, 0 },
	{ "LOG", "log-ip-options", v_none, 0 }, { "LOG", "log-uid", v_none, 0 },
	{ "LOG", "log-macdecode", v_none, 0 },
	{ "NFLOG", "nflog-group", v_small, 0 }, { "NFLOG", "nflog-prefix", v_nflog_prefix, 0 },
	{ "NFLOG", "nflog-range", v_small, 1 }, { "NFLOG", "nflog-size", v_small, 1 },
	{ "NFLOG", "nflog-threshold", v_small, 0 },
	{ "addrtype", "src-type", v_addrtype, 0 }, { "addrtype", "dst-type", v_addrtype, 0 },
	{ "addrtype", "limit-iface-in", v_none, 1 }, { "addrtype", "limit-iface-out", v_none, 1 },
	{ "conntrack", "ctstate", v_ctstate, 0 }, { "conntrack", "ctproto", v_ctproto, 0 },
	{ "conntrack", "ctorigsrc", v_ct_addr, 0 }, { "conntrack", "ctorigdst", v_ct_addr, 0 },
	{ "conntrack", "ctreplsrc", v_ct_addr, 0 }, { "conntrack", "ctrepldst", v_ct_addr, 0 },
	{ "conntrack", "ctstatus", v_ctstatus, 0 }, { "conntrack", "ctexpire", v_ctexpire, 0 },
	{ "conntrack", "ctorigsrcport", v_ctport, 0 }, { "conntrack", "ctorigdstport", v_ctport, 0 },
	{ "conntrack", "ctreplsrcport", v_ctport, 0 }, { "conntrack", "ctrepldstport", v_ctport, 0 },
	{ "conntrack", "ctdir", v_ctdir, 0 },
	{ "state", "state", v_state, 0 },
	{ "statistic", "mode", v_none, 0 }, { "statistic", "probability", v_probability, 0 },
	{ "statistic", "every", v_small, 0 }, { "statistic", "packet", v_small, 0 },
	{ "limit", "limit", v_limit, 0 }, { "limit", "limit-burst", v_burst, 0 },
};

static const struct gen_opt *gen_opt_of(const char *kind, const char *opt)
{
	for (size_t i = 0; i < sizeof(gen_opts) / sizeof(gen_opts[0]); i++)
		if (!strcmp(gen_opts[i].kind, kind) && !strcmp(gen_opts[i].opt, opt))
			return &gen_opts[i];
	return NULL;
}

/* Kinds the generator uses: those of the registry with a name (not the
 * standard target and not libxtables' generic kinds, whose options are
 * those of whatever extension is named). */
static const struct nc_ext_ops *matches[64], *targets[64];
static size_t nmatches, ntargets;

static int load_kinds(void)
{
	int bad = 0;

	for (size_t i = 0; nc_ext_all[i]; i++) {
		const struct nc_ext_ops *k = nc_ext_all[i];

		if (!k->name[0] || k == &nc_ext_standard)
			continue;
		if (k->kind == NC_EXT_MATCH)
			matches[nmatches++] = k;
		else
			targets[ntargets++] = k;
		for (const struct nc_ext_opt *o = k->opts; o && o->name; o++)
			if (!gen_opt_of(k->name, o->name)) {
				fprintf(stderr, "randdiff-gen: no value for %s --%s (add it to gen_opts)\n",
					k->name, o->name);
				bad = 1;
			}
	}
	return bad ? -1 : 0;
}

/* ---------------------------------------------------------- kinds -- */

/*
 * tcp's and udp's ports: iptables-nft 1.8.9 writes --sport A --dport B as
 * one 4-byte compare (natc reads it back), and ! --sport A ! --dport B
 * as one 4-byte != too, which means "not both": another rule, which natc
 * does not read as this one (deliberate: names.t, translate list).  So
 * at most one of them is negated in a rule.
 */
static int merged_port(const struct gen_opt *go)
{
	return go->val == v_port && (!strcmp(go->kind, "tcp") || !strcmp(go->kind, "udp"));
}

static void opt_word(struct ctx *x, struct out *o, const struct nc_ext_opt *op,
		     const struct gen_opt *go, int may_inv)
{
	int port = merged_port(go);

	if (may_inv && (op->flags & NC_EXTOPT_INV) && !(port && x->port_inv) &&
	    pct(&x->m->g, 15)) {
		put(o, " !");
		x->port_inv |= port;
	}
	put(o, " --%s", op->name);
	if (op->flags & NC_EXTOPT_ARG) {
		put(o, " ");
		go->val(x, o);
	}
}

static const struct nc_ext_opt *opt_named(const struct nc_ext_ops *k, const char *name)
{
	for (const struct nc_ext_opt *o = k->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	fprintf(stderr, "randdiff-gen: %s has no option --%s\n", k->name, name);
	exit(2);
}

static void one_opt(struct ctx *x, struct out *o, const struct nc_ext_ops *k,
		    const char *name)
{
	const struct nc_ext_opt *op = opt_named(k, name);

	opt_word(x, o, op, gen_opt_of(k->name, name), k->kind == NC_EXT_MATCH);
}

/* The options of one kind, picked from its ops table: each at most once
 * (aliases share an id), at most one of a group, at least one unless the
 * kind needs none; once in 30 picks anything (wrong on purpose). */
static void generic_opts(struct ctx *x, struct out *o, const struct nc_ext_ops *k,
			 int need_one)
{
	struct rng *g = &x->m->g;
	const struct nc_ext_opt *all[32];
	int ids[32], groups[32], nids = 0, ngroups = 0, n = 0, picked = 0;
	int wild = pct(g, 3);

	for (const struct nc_ext_opt *op = k->opts; op && op->name; op++)
		all[n++] = op;
	for (int tries = 0; tries < 2 * n && (picked < 1 || pct(g, 40)); tries++) {
		const struct nc_ext_opt *op = all[rnd(g, (unsigned)n)];
		const struct gen_opt *go = gen_opt_of(k->name, op->name);
		int dup = 0;

		for (int i = 0; i < nids; i++)
			dup |= ids[i] == op->id;
		for (int i = 0; go->group && i < ngroups; i++)
			dup |= groups[i] == go->group;
		if (dup && !wild)
			continue;
		/* addrtype's interface limits in a user chain: natc's native
		 * fib test is refused by the kernel (4) once a jump from a
		 * hook that has no such interface makes it reachable, where
		 * iptables-nft's xt match is checked only in the chain it is
		 * added to (deliberate: natc's rule could never work there) */
		if (x->ch->builtin == 0 && !strncmp(op->name, "limit-iface", 11))
			continue;
		ids[nids++] = op->id;
		if (go->group)
			groups[ngroups++] = go->group;
		opt_word(x, o, op, go, k->kind == NC_EXT_MATCH);
		picked++;
		if (!need_one && pct(g, 50))
			break;
	}
}

static void statistic_opts(struct ctx *x, struct out *o, const struct nc_ext_ops *k)
{
	struct rng *g = &x->m->g;

	if (pct(g, 50)) {
		put(o, " --mode random");
		one_opt(x, o, k, "probability");
	} else {
		unsigned every = 1 + rnd(g, 20);

		put(o, " --mode nth --every %u", every);
		if (pct(g, 50))
			put(o, " --packet %u", rnd(g, every));
	}
	if (pct(g, 3))
		generic_opts(x, o, k, 0);
}

static void connmark_opts(struct ctx *x, struct out *o, const struct nc_ext_ops *k)
{
	static const char *const act[] = {
		"set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark",
		"save-mark", "restore-mark",
	};
	struct rng *g = &x->m->g;
	const char *a = PICK(g, act);

	one_opt(x, o, k, a);
	if (!strcmp(a, "save-mark") || !strcmp(a, "restore-mark")) {
		if (pct(g, 30)) {
			one_opt(x, o, k, "mask");
		} else {
			if (pct(g, 40))
				one_opt(x, o, k, "nfmask");
			if (pct(g, 40))
				one_opt(x, o, k, "ctmask");
		}
		/* shifts with save and restore only: with a set, the kernel
		 * ignores them, natc drops them and iptables-nft lists them
		 * (deliberate, ir/ext/connmark_tg.c) */
		if (pct(g, 10))
			one_opt(x, o, k, pct(g, 50) ? "left-shift-mark" : "right-shift-mark");
	} else if (pct(g, 3)) {
		/* a second operation, or a mask where it has none: wrong on
		 * purpose (not a shift: see above) */
		one_opt(x, o, k, PICK(g, act));
	}
}

/* kinds that need -p: the protocol, or NULL */
static const char *proto_of(const struct nc_ext_ops *k)
{
	static const char *const p[] = { "tcp", "udp", "sctp", "icmp" };

	for (size_t i = 0; i < 4; i++)
		if (!strcmp(k->name, p[i]))
			return p[i];
	return NULL;
}

static int hook_of(const struct chain *ch)
{
	return ch->builtin ? builtin_hook[ch->builtin - 1] : -1;
}

static void match(struct ctx *x, struct out *o, const struct nc_ext_ops *k)
{
	struct rng *g = &x->m->g;
	const char *p = proto_of(k);

	if (p) {
		/* after -p PROTO, -m PROTO may be left out */
		if (pct(g, 60))
			put(o, " -m %s", k->name);
	} else {
		put(o, " -m %s", k->name);
	}
	if (!strcmp(k->name, "statistic"))
		statistic_opts(x, o, k);
	else
		generic_opts(x, o, k, 1);
}

/* ---------------------------------------------------------- rules -- */

static struct chain *user_chain(struct model *m)
{
	int n = m->n - 4;

	return n > 0 ? &m->c[4 + rnd(&m->g, (unsigned)n)] : NULL;
}

static void iface(struct rng *g, struct out *o, const char *opt)
{
	/* "+": any interface (iptables-nft 1.8.9 writes a lone load of the
	 * name), "! +" none */
	static const char *const n[] = { "eth0", "eth1", "eth+", "wlan0", "veth1", "br-lan", "lo", "ens3", "+" };

	put(o, "%s %s %s", pct(g, 15) ? " !" : "", opt, PICK(g, n));
}

/* The tcp/udp tests an instance's words [a, b) of @o name: 1 source
 * port, 2 destination port, 4 flags (--syn, --tcp-flags). */
static unsigned port_fields(const struct out *o, size_t a, size_t b)
{
	unsigned f = 0;

	for (size_t i = a; i + 3 < b; i++) {
		const char *w = o->s + i + 3;

		if (o->s[i] != ' ' || o->s[i + 1] != '-' || o->s[i + 2] != '-')
			continue;
		if (!strncmp(w, "sy", 2) || *w == 't')
			f |= 4;
		else if (*w == 's')
			f |= 1;
		else if (*w == 'd')
			f |= 2;
	}
	return f;
}

/*
 * A tcp (udp) match testing what an earlier one of its kind tests:
 * iptables-nft 1.8.9 reads the second test over the first (it lists
 * `-m tcp --dport 1 -m tcp ! --dport 2` as `-m tcp ! --dport 2`), natc
 * lists both: a deliberate difference (diff/twice.corpus), left out.
 */
static int port_overlap(const struct out *o, const struct nc_ext_ops *k,
			const struct nc_ext_ops *const *used, const size_t *from,
			const size_t *to, int nused)
{
	unsigned mine;

	if (strcmp(k->name, "tcp") && strcmp(k->name, "udp"))
		return 0;
	mine = port_fields(o, from[nused], to[nused]);
	for (int j = 0; j < nused; j++)
		if (used[j] == k && (port_fields(o, from[j], to[j]) & mine))
			return 1;
	return 0;
}

static int allowed_in(const struct nc_ext_ops *k, const struct chain *ch)
{
	int h = hook_of(ch);

	return !k->hooks || h < 0 || (k->hooks & NC_HOOK(h));
}

/* a rule specification for CH (the words after the chain) */
static void rule(struct model *m, struct chain *ch, struct out *o)
{
	struct rng *g = &m->g;
	struct ctx x = { .m = m, .ch = ch };
	int h = hook_of(ch), wild = pct(g, 3);
	const struct nc_ext_ops *used[4];
	size_t from[4], to[4];	/* each match's words in o */
	int nused = 0;

	if (pct(g, 30)) {
		put(o, "%s -s ", pct(g, 15) ? " !" : "");
		v_addr(&x, o);
		if (pct(g, 5)) {
			put(o, ",");
			v_addr(&x, o);
		}
	}
	if (pct(g, 30)) {
		put(o, "%s -d ", pct(g, 15) ? " !" : "");
		v_addr(&x, o);
	}
	if ((h < 0 || h == 0 || h == 1 || wild) && pct(g, 20))
		iface(g, o, "-i");
	if ((h < 0 || h == 3 || h == 4 || wild) && pct(g, 20))
		iface(g, o, "-o");
	if (pct(g, 50)) {
		static const char *const p[] = { "tcp", "tcp", "udp", "udp", "icmp", "sctp", "all", "47", "6", "TCP" };

		x.proto = PICK(g, p);
		x.proto_inv = pct(g, 10);
		put(o, "%s -p %s", x.proto_inv ? " !" : "", x.proto);
		if (!strcmp(x.proto, "6") || !strcmp(x.proto, "TCP"))
			x.proto = "tcp";
		else if (!strcmp(x.proto, "all") || !strcmp(x.proto, "47"))
			x.proto = NULL;
	}
	if (pct(g, 5))
		put(o, "%s -f", pct(g, 30) ? " !" : "");

	/* the protocol's own match first (a port option may follow -p) */
	for (int i = rnd(g, 4); i > 0; i--) {
		const struct nc_ext_ops *k = matches[rnd(g, (unsigned)nmatches)];
		const char *p = proto_of(k);
		int dup = 0;

		/* a kind may come twice (state beside conntrack too): a new
		 * match each -m, as in iptables; but never two comments, a
		 * deliberate difference (nft's rule userdata holds one
		 * comment, natc refuses the second: diff/twice.corpus) */
		for (int j = 0; j < nused; j++)
			dup |= used[j] == k && !strcmp(k->name, "comment");
		if (dup)
			continue;
		/* never without its protocol: natc refuses ports without a
		 * positive protocol test before the kernel would
		 * (kernel-early, deliberate) */
		if (p && (!x.proto || x.proto_inv || strcmp(p, x.proto)))
			continue;
		if (!strcmp(k->name, "multiport") &&
		    (!x.proto || x.proto_inv || !strcmp(x.proto, "icmp")))
			continue;
		/* owner in a user chain would be refused by natc before
		 * the kernel, where a jump from PREROUTING makes it wrong
		 * (kernel-early, deliberate): builtin chains only */
		if (!strcmp(k->name, "owner") && (h < 0 || !allowed_in(k, ch)))
			continue;
		if (!wild && !allowed_in(k, ch))
			continue;
		from[nused] = o->n;
		match(&x, o, k);
		to[nused] = o->n;
		if (port_overlap(o, k, used, from, to, nused)) {
			o->n = from[nused];
			o->s[o->n] = '\0';
			continue;
		}
		used[nused++] = k;
	}

	/* the target */
	unsigned t = rnd(g, 100);
	if (t < 10)
		return;		/* none */
	if (t < 18) {
		put(o, " -j %s", pct(g, 50) ? "ACCEPT" : "RETURN");
		return;
	}
	if (t < 30) {
		struct chain *u = user_chain(m);

		if (u) {
			put(o, " -%c %s", pct(g, 75) ? 'j' : 'g', u->name);
			return;
		}
	}
	for (int tries = 0; tries < 20; tries++) {
		const struct nc_ext_ops *k = targets[rnd(g, (unsigned)ntargets)];

		if (!wild && !allowed_in(k, ch))
			continue;
		/* no --to-ports after ! -p tcp: natc refuses ports there
		 * (they would be taken from packets of every other
		 * protocol), iptables-nft 1.8.9 takes them (deliberate,
		 * ir/ext/lib/nat.c); without -p both refuse them */
		if (x.proto_inv && x.proto && (!strcmp(k->name, "REDIRECT") ||
					       !strcmp(k->name, "MASQUERADE")))
			continue;
		put(o, " -j %s", k->name);
		if (!strcmp(k->name, "CONNMARK"))
			connmark_opts(&x, o, k);
		else if (!strcmp(k->name, "DNAT") || !strcmp(k->name, "SNAT") ||
			 !strcmp(k->name, "NETMAP") || !strcmp(k->name, "MARK"))
			generic_opts(&x, o, k, 1);
		else if (pct(g, 70))
			generic_opts(&x, o, k, 0);
		return;
	}
	put(o, " -j ACCEPT");
}

/* ------------------------------------------------------- commands -- */

static void model_reset(struct model *m, uint64_t seed, unsigned seq)
{
	for (int i = 0; i < m->n; i++)
		for (int j = 0; j < m->c[i].nrules; j++)
			free(m->c[i].rules[j]);
	memset(m, 0, sizeof(*m));
	m->g.s = seed * 0x100000001b3ULL ^ (uint64_t)seq * 0x9e3779b97f4a7c15ULL;
	next(&m->g);
	for (int i = 0; i < 4; i++) {
		snprintf(m->c[i].name, sizeof(m->c[i].name), "%s", builtins[i]);
		m->c[i].builtin = i + 1;
	}
	m->n = 4;
}

static struct chain *any_chain(struct model *m)
{
	return &m->c[rnd(&m->g, (unsigned)m->n)];
}

static void rule_add(struct chain *ch, int at, const char *spec)
{
	if (ch->nrules >= MAX_RULES)
		return;
	if (at < 0 || at > ch->nrules)
		at = ch->nrules;
	memmove(&ch->rules[at + 1], &ch->rules[at],
		(size_t)(ch->nrules - at) * sizeof(ch->rules[0]));
	ch->rules[at] = strdup(spec);
	if (!ch->rules[at]) {
		perror("randdiff-gen");
		exit(2);
	}
	ch->nrules++;
}

static void rule_del(struct chain *ch, int at)
{
	if (at < 0 || at >= ch->nrules)
		return;
	free(ch->rules[at]);
	memmove(&ch->rules[at], &ch->rules[at + 1],
		(size_t)(ch->nrules - at - 1) * sizeof(ch->rules[0]));
	ch->nrules--;
}

static int in_use(struct model *m, const char *name)
{
	char j[48], gt[48];

	snprintf(j, sizeof(j), " -j %s", name);
	snprintf(gt, sizeof(gt), " -g %s", name);
	for (int i = 0; i < m->n; i++)
		for (int k = 0; k < m->c[i].nrules; k++) {
			const char *r = m->c[i].rules[k];
			size_t lj = strlen(j);
			const char *p = strstr(r, j);

			if (!p)
				p = strstr(r, gt);
			if (p && (p[lj] == ' ' || !p[lj]))
				return 1;
		}
	return 0;
}

static void listing(struct model *m, struct out *o)
{
	struct rng *g = &m->g;
	struct chain *ch = pct(g, 50) ? any_chain(m) : NULL;

	if (pct(g, 50)) {
		put(o, "-S");
		if (ch) {
			put(o, " %s", ch->name);
			if (pct(g, 30))
				put(o, " %d", rnd(g, (unsigned)ch->nrules + 2));
		}
		return;
	}
	/* always -n: without it addresses would be looked up */
	put(o, "-L");
	if (ch)
		put(o, " %s", ch->name);
	put(o, " -n");
	if (pct(g, 50))
		put(o, " -v");
	if (pct(g, 30))
		put(o, " -x");
	if (pct(g, 30))
		put(o, " --line-numbers");
}

static void new_name(struct model *m, char *buf, size_t len)
{
	static const char *const stem[] = { "USER", "u", "DOCKER-X", "KUBE_SVC", "a.b", "c9" };

	snprintf(buf, len, "%s%d", PICK(&m->g, stem), m->next_user++);
}

/* -X without a chain: every user chain, in one transaction, and the
 * empty builtins (policy ACCEPT: the only one -P is given here); the
 * kernel refuses it all when a user chain holds rules or a builtin jumps
 * to one */
static void delete_user_chains(struct model *m, struct out *o)
{
	put(o, "-X");
	for (int i = 4; i < m->n; i++)
		if (m->c[i].nrules || in_use(m, m->c[i].name))
			return;
	m->n = 4;
}

/* one command into O; the model follows it as if it worked */
static void command(struct model *m, struct out *o)
{
	struct rng *g = &m->g;
	unsigned w = rnd(g, 100);
	struct chain *ch = any_chain(m);
	char spec[4096];
	struct out r = { .n = 0 };

	if (m->x_next) {			/* -F, then -X */
		m->x_next = 0;
		delete_user_chains(m, o);
	} else if (w < 34) {			/* -A */
		rule(m, ch, &r);
		put(o, "-A %s%s", ch->name, r.s);
		rule_add(ch, -1, r.s);
	} else if (w < 44) {			/* -I [N] */
		int at = pct(g, 40) ? 1 : 1 + (int)rnd(g, (unsigned)ch->nrules + 2);

		rule(m, ch, &r);
		if (pct(g, 40))
			put(o, "-I %s%s", ch->name, r.s);
		else
			put(o, "-I %s %d%s", ch->name, at, r.s);
		if (at <= ch->nrules + 1)
			rule_add(ch, at - 1, r.s);
	} else if (w < 50) {			/* -D N */
		int at = 1 + (int)rnd(g, (unsigned)ch->nrules + 1);

		put(o, "-D %s %d", ch->name, at);
		rule_del(ch, at - 1);
	} else if (w < 57) {			/* -D by specification */
		if (ch->nrules && pct(g, 85)) {
			int at = (int)rnd(g, (unsigned)ch->nrules);

			snprintf(spec, sizeof(spec), "%s", ch->rules[at]);
			put(o, "-D %s%s", ch->name, spec);
			rule_del(ch, at);
		} else {
			rule(m, ch, &r);
			put(o, "-D %s%s", ch->name, r.s);
		}
	} else if (w < 62) {			/* -R N */
		int at = 1 + (int)rnd(g, (unsigned)ch->nrules + 1);

		rule(m, ch, &r);
		put(o, "-R %s %d%s", ch->name, at, r.s);
		if (at <= ch->nrules) {
			rule_del(ch, at - 1);
			rule_add(ch, at - 1, r.s);
		}
	} else if (w < 67) {			/* -C */
		if (ch->nrules && pct(g, 60))
			put(o, "-C %s%s", ch->name, ch->rules[rnd(g, (unsigned)ch->nrules)]);
		else {
			rule(m, ch, &r);
			put(o, "-C %s%s", ch->name, r.s);
		}
	} else if (w < 75) {			/* -N */
		char name[32];

		if (m->n > 4 && pct(g, 10)) {
			put(o, "-N %s", m->c[4 + rnd(g, (unsigned)m->n - 4)].name);
		} else if (m->n < MAX_CHAINS) {
			new_name(m, name, sizeof(name));
			put(o, "-N %s", name);
			snprintf(m->c[m->n].name, sizeof(m->c[m->n].name), "%s", name);
			m->c[m->n++].nrules = 0;
		} else {
			put(o, "-N %s", m->c[4].name);
		}
	} else if (w < 80) {			/* -X [CHAIN] */
		struct chain *u = user_chain(m);

		if (pct(g, 20)) {
			delete_user_chains(m, o);
		} else if (!u) {
			put(o, "-X NOSUCH");
		} else {
			put(o, "-X %s", u->name);
			if (!u->nrules && !in_use(m, u->name)) {
				int i = (int)(u - m->c);

				m->c[i] = m->c[m->n - 1];
				m->n--;
			}
		}
	} else if (w < 84) {			/* -E */
		struct chain *u = user_chain(m);
		char name[32];

		if (!u) {
			put(o, "-E NOSUCH other");
		} else if (pct(g, 15) && m->n > 5) {
			put(o, "-E %s %s", u->name, m->c[4 + rnd(g, (unsigned)m->n - 4)].name);
		} else {
			/* a chain in use too: the jumps follow it, the
			 * model's rule specs keep the old name (a -D of one
			 * of them later fails in both tools) */
			new_name(m, name, sizeof(name));
			put(o, "-E %s %s", u->name, name);
			snprintf(u->name, sizeof(u->name), "%s", name);
		}
	} else if (w < 86) {			/* -F [CHAIN] */
		if (pct(g, 30)) {
			put(o, "-F");
			for (int i = 0; i < m->n; i++)
				while (m->c[i].nrules)
					rule_del(&m->c[i], 0);
			m->x_next = pct(g, 50);
		} else {
			put(o, "-F %s", ch->name);
			while (ch->nrules)
				rule_del(ch, 0);
		}
	} else if (w < 88) {			/* -Z [CHAIN [N]] */
		if (pct(g, 40))
			put(o, "-Z");
		else if (pct(g, 50) || !ch->nrules)
			put(o, "-Z %s", ch->name);
		else
			put(o, "-Z %s %d", ch->name, 1 + rnd(g, (unsigned)ch->nrules));
	} else if (w < 90) {			/* -P */
		put(o, "-P %s ACCEPT", builtins[rnd(g, 4)]);
	} else {				/* listings */
		listing(m, o);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed;
	unsigned long count, seqlen = 100, first = 0, last = ~0UL, done = 0, seq;
	struct model *m;

	if (argc == 2 && !strcmp(argv[1], "--kinds")) {
		/* for randdiff.t: which kinds iptables-nft writes natively */
		if (load_kinds())
			return 2;
		for (size_t i = 0; i < nmatches; i++)
			printf("m %s %d\n", matches[i]->name, matches[i]->iptables_native);
		for (size_t i = 0; i < ntargets; i++)
			printf("j %s %d\n", targets[i]->name, targets[i]->iptables_native);
		return fflush(stdout) ? 2 : 0;
	}
	if (argc < 3 || argc > 6) {
		fprintf(stderr, "usage: randdiff-gen SEED COUNT [SEQLEN [FIRST_SEQ [LAST_SEQ]]]\n");
		return 2;
	}
	seed = strtoull(argv[1], NULL, 0);
	count = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		seqlen = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		first = last = strtoul(argv[4], NULL, 0);
	if (argc > 5)
		last = strtoul(argv[5], NULL, 0);
	if (!seqlen || load_kinds())
		return 2;
	m = calloc(1, sizeof(*m));
	if (!m) {
		perror("randdiff-gen");
		return 2;
	}
	for (seq = 0; done < count; seq++) {
		unsigned long n = count - done < seqlen ? count - done : seqlen;

		done += n;
		if (seq < first)
			continue;
		if (seq > last)
			break;
		model_reset(m, seed, (unsigned)seq);
		printf("%%seq %lu\n", seq);
		for (unsigned long i = 0; i < n; i++) {
			struct out o = { .n = 0 };

			command(m, &o);
			puts(o.s);
		}
	}
	model_reset(m, 0, 0);
	free(m);
	return fflush(stdout) ? 2 : 0;
}
