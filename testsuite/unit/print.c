// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ir/print.c: rulesets built by hand, listed with -S and -L
 * in their variants.  Every expected text below is what iptables-nft 1.8.9
 * printed for the same rules (the setup commands are named above each
 * builder, the listing command above each text), run as root inside a
 * network namespace of its own; the only exceptions are marked "natc".
 * One deliberate difference throughout: in -L -n the prot column shows
 * the names of iptables' own protocol table (tcp, udp, all, ...) where
 * iptables 1.8.9 prints numbers, as iptables releases after 1.8.9 do.
 * Host and service names depend on the machine, so the expected texts
 * use -n wherever an address other than "anywhere" or a port shows.
 *
 * Output: TAP.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include "ir/ir.h"
#include "ir/ext.h"
#include "ir/print.h"

static unsigned ntests, nfailed;

static void bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(1);
}

/* ------------------------------------------------------------ building */

static struct nc_ruleset *rs_new(uint8_t family)
{
	struct nc_ruleset *rs = nc_ruleset_new(family, NC_TABLE_NAT);

	if (!rs || nc_ruleset_add_builtins(rs) < 0)
		bail("ruleset");
	return rs;
}

static struct nc_chain *chain(struct nc_ruleset *rs, const char *name)
{
	struct nc_chain *c = nc_ruleset_find_chain(rs, name);

	if (!c)
		bail(name);
	return c;
}

static void user(struct nc_ruleset *rs, const char *name)
{
	struct nc_chain *c = nc_chain_new(name);

	if (!c || nc_ruleset_add_chain(rs, c) < 0)
		bail(name);
	c->exists = true;
}

/* Append an empty rule to @name and return it. */
static struct nc_rule *add(struct nc_ruleset *rs, const char *name)
{
	struct nc_chain *c = chain(rs, name);
	struct nc_rule *r = nc_rule_new(rs->family);

	if (!r || nc_chain_insert(c, c->nrules, r) < 0)
		bail("rule");
	return r;
}

static void pton(uint8_t family, const char *s, union nc_addr *a)
{
	if (inet_pton(family, s, a->b) != 1)
		bail(s);
}

static void src(struct nc_rule *r, const char *a, const char *m, bool inv)
{
	pton(r->family, a, &r->src);
	pton(r->family, m, &r->smsk);
	if (inv)
		r->invflags |= NC_INV_SRC;
}

static void dst(struct nc_rule *r, const char *a, const char *m, bool inv)
{
	pton(r->family, a, &r->dst);
	pton(r->family, m, &r->dmsk);
	if (inv)
		r->invflags |= NC_INV_DST;
}

static void iface(struct nc_iface *i, const char *name)
{
	snprintf(i->name, sizeof(i->name), "%s", name);
}

static void verdict(struct nc_rule *r, int kind, const char *to)
{
	struct nc_standard *s;

	if (nc_rule_set_target(r, &nc_ext_standard) < 0)
		bail("target");
	s = r->target.data;
	s->kind = kind;
	if (to)
		snprintf(s->chain, sizeof(s->chain), "%s", to);
}

static void jump(struct nc_rule *r, const char *to)
{
	verdict(r, NC_VERDICT_JUMP, to);
}

/*
 * An extension instance, set up through its own parser as the command
 * line would: @opts is "name=value" or "!name=value" or "name", separated
 * by single spaces.
 */
static void ext_setup(struct nc_ext *e, struct nc_rule *r, const char *opts)
{
	char *copy = strdup(opts), *save = NULL;
	struct nc_loc loc = { 1, 1, 1 };
	struct nc_err err = { 0 };

	if (!copy)
		bail("strdup");
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		bool inv = *w == '!';
		char *name = w + inv, *arg = strchr(name, '=');
		const struct nc_ext_opt *o;

		if (arg)
			*arg++ = '\0';
		o = nc_ext_opt_find(e->ops, name);
		if (!o || e->ops->parse(e, r, o, inv, arg, &loc, &err) < 0)
			bail(err.msg[0] ? err.msg : name);
	}
	if (e->ops->check && e->ops->check(e, r, &err) < 0)
		bail(err.msg);
	free(copy);
}

static void match(struct nc_rule *r, const struct nc_ext_ops *ops,
		  const char *opts)
{
	struct nc_ext *e = nc_rule_add_match(r, ops);

	if (!e)
		bail("match");
	ext_setup(e, r, opts);
}

static void target(struct nc_rule *r, const struct nc_ext_ops *ops,
		   const char *opts)
{
	if (nc_rule_set_target(r, ops) < 0)
		bail("target");
	ext_setup(&r->target, r, opts);
}

/* -p PROTO (and its implicit match when @ops is given) */
static void proto(struct nc_rule *r, uint8_t p, const struct nc_ext_ops *ops,
		  const char *opts)
{
	r->proto = p;
	if (ops)
		match(r, ops, opts);
}

/* ------------------------------------------------------------ checking */

static void result(bool ok, const char *name, const char *got,
		   const char *want)
{
	ntests++;
	printf("%sok %u - %s\n", ok ? "" : "not ", ntests, name);
	if (ok)
		return;
	nfailed++;
	printf("# want:\n%s# got:\n%s", want, got);
}

/* A skipped test; with CI=true a failed one (CI must run them all). */
static void skip(const char *name, const char *why)
{
	const char *ci = getenv("CI");

	if (ci && !strcmp(ci, "true")) {
		nfailed++;
		printf("not ok %u - %s (skipped: %s; CI=true: no test may be "
		       "skipped)\n", ++ntests, name, why);
		return;
	}
	printf("ok %u - %s # SKIP %s\n", ++ntests, name, why);
}

static void check_S(const char *name, const struct nc_ruleset *rs,
		    const char *ch, size_t num, bool counters, const char *want)
{
	struct nc_buf b = { 0 };
	int rc = nc_print_S(rs, ch, num, counters, &b);

	result(rc == 0 && !nc_buf_failed(&b) && !strcmp(nc_buf_str(&b), want),
	       name, nc_buf_str(&b), want);
	nc_buf_free(&b);
}

static void check_L(const char *name, const struct nc_ruleset *rs,
		    const char *ch, size_t num, unsigned fmt, const char *want)
{
	struct nc_buf b = { 0 };
	int rc = nc_print_L(rs, ch, num, fmt, &b);

	result(rc == 0 && !nc_buf_failed(&b) && !strcmp(nc_buf_str(&b), want),
	       name, nc_buf_str(&b), want);
	nc_buf_free(&b);
}

/* One rule in -S form, without its newline. */
static void check_spec(const char *name, const struct nc_rule *r,
		       const char *ch, bool counters, const char *want)
{
	struct nc_buf b = { 0 };

	nc_print_rule_spec(r, ch, counters, &b);
	result(!strcmp(nc_buf_str(&b), want), name, nc_buf_str(&b), want);
	nc_buf_free(&b);
}

/* Both listings refuse what does not exist, and print nothing then. */
static void check_missing(const char *name, const struct nc_ruleset *rs,
			  const char *ch, size_t num)
{
	struct nc_buf b = { 0 };
	int s = nc_print_S(rs, ch, num, false, &b);
	int l = nc_print_L(rs, ch, num, 0, &b);

	result(s == -1 && l == -1 && !strcmp(nc_buf_str(&b), ""), name,
	       nc_buf_str(&b), "");
	nc_buf_free(&b);
}

/* /etc/protocols names 47 "gre" on the machines the texts came from. */
static bool have_gre(void)
{
	const struct protoent *p = getprotobynumber(47);

	return p && !strcmp(p->p_name, "gre");
}

#define N NC_FMT_NUMERIC
#define V NC_FMT_VERBOSE
#define X NC_FMT_EXACT
#define LN NC_FMT_LINENUM

/* ------------------------------------------------- generic rule parts */

/*
 * iptables-nft -t nat -N ZED; -N ALPHA; -N MID
 * -A PREROUTING -s 198.51.100.0/24 -j ZED
 * -A PREROUTING ! -s 198.51.100.1 -d 10.0.0.0/255.0.255.0 -i eth0 -j ALPHA
 * -A POSTROUTING -p 47 -j RETURN
 * -A POSTROUTING -p udp ! -f -g MID
 * -A POSTROUTING -f -p icmp
 * -A POSTROUTING ! -p esp ! -o veth+
 * -A OUTPUT -p ah -s 127.0.0.1 -d 0.0.0.0/0
 * -A OUTPUT -p sctp -s 0.0.0.0/1
 * -A OUTPUT -p udplite -s 1.2.3.4/0.0.0.0
 * -A ALPHA -p all -j ACCEPT; -A ALPHA -p 200; -p 132; -p 255
 */
static struct nc_ruleset *build_generic(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r;

	user(rs, "ZED");
	user(rs, "ALPHA");
	user(rs, "MID");
	r = add(rs, "PREROUTING");
	src(r, "198.51.100.0", "255.255.255.0", false);
	jump(r, "ZED");
	r = add(rs, "PREROUTING");
	src(r, "198.51.100.1", "255.255.255.255", true);
	dst(r, "10.0.0.0", "255.0.255.0", false);
	iface(&r->in, "eth0");
	jump(r, "ALPHA");
	r = add(rs, "POSTROUTING");
	proto(r, 47, NULL, NULL);
	verdict(r, NC_VERDICT_RETURN, NULL);
	r = add(rs, "POSTROUTING");
	proto(r, IPPROTO_UDP, NULL, NULL);
	r->flags |= NC_RF_FRAG;
	r->invflags |= NC_INV_FRAG;
	verdict(r, NC_VERDICT_GOTO, "MID");
	r = add(rs, "POSTROUTING");
	proto(r, IPPROTO_ICMP, NULL, NULL);
	r->flags |= NC_RF_FRAG;
	r = add(rs, "POSTROUTING");
	proto(r, IPPROTO_ESP, NULL, NULL);
	iface(&r->out, "veth+");
	r->invflags |= NC_INV_PROTO | NC_INV_OUT;
	r = add(rs, "OUTPUT");
	proto(r, IPPROTO_AH, NULL, NULL);
	src(r, "127.0.0.1", "255.255.255.255", false);
	r = add(rs, "OUTPUT");
	proto(r, IPPROTO_SCTP, NULL, NULL);
	src(r, "0.0.0.0", "128.0.0.0", false);
	r = add(rs, "OUTPUT");
	proto(r, IPPROTO_UDPLITE, NULL, NULL);
	verdict(add(rs, "ALPHA"), NC_VERDICT_ACCEPT, NULL);
	proto(add(rs, "ALPHA"), 200, NULL, NULL);
	proto(add(rs, "ALPHA"), 132, NULL, NULL);
	proto(add(rs, "ALPHA"), 255, NULL, NULL);
	return rs;
}

static void test_generic(void)
{
	struct nc_ruleset *rs = build_generic();
	bool gre = have_gre();
	static const char *S_all =
		/* iptables-nft -t nat -S */
		"-P PREROUTING ACCEPT\n"
		"-P INPUT ACCEPT\n"
		"-P OUTPUT ACCEPT\n"
		"-P POSTROUTING ACCEPT\n"
		"-N ALPHA\n"
		"-N MID\n"
		"-N ZED\n"
		"-A PREROUTING -s 198.51.100.0/24 -j ZED\n"
		"-A PREROUTING ! -s 198.51.100.1/32 -d 10.0.0.0/255.0.255.0 -i eth0 -j ALPHA\n"
		"-A OUTPUT -s 127.0.0.1/32 -p ah\n"
		"-A OUTPUT -s 0.0.0.0/1 -p sctp\n"
		"-A OUTPUT -p udplite\n"
		"-A POSTROUTING -p gre -j RETURN\n"
		"-A POSTROUTING -p udp ! -f -g MID\n"
		"-A POSTROUTING -p icmp -f\n"
		"-A POSTROUTING ! -o veth+ ! -p esp\n"
		"-A ALPHA -j ACCEPT\n"
		"-A ALPHA -p 200\n"
		"-A ALPHA -p sctp\n"
		"-A ALPHA -p 255\n";
	static const char *L_n =
		/* iptables-nft -t nat -L -n */
		"Chain PREROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"ZED        all  --  198.51.100.0/24      0.0.0.0/0           \n"
		"ALPHA      all  -- !198.51.100.1         10.0.0.0/255.0.255.0 \n"
		"\n"
		"Chain INPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"           ah   --  127.0.0.1            0.0.0.0/0           \n"
		"           sctp --  0.0.0.0/1            0.0.0.0/0           \n"
		"           udplite --  0.0.0.0/0            0.0.0.0/0           \n"
		"\n"
		"Chain POSTROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"RETURN     47   --  0.0.0.0/0            0.0.0.0/0           \n"
		"MID        udp  !f  0.0.0.0/0            0.0.0.0/0           [goto] \n"
		"           icmp -f  0.0.0.0/0            0.0.0.0/0           \n"
		"          !esp  --  0.0.0.0/0            0.0.0.0/0           \n"
		"\n"
		"Chain ALPHA (1 references)\n"
		"target     prot opt source               destination         \n"
		"ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"           200  --  0.0.0.0/0            0.0.0.0/0           \n"
		"           sctp --  0.0.0.0/0            0.0.0.0/0           \n"
		"           255  --  0.0.0.0/0            0.0.0.0/0           \n"
		"\n"
		"Chain MID (1 references)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain ZED (1 references)\n"
		"target     prot opt source               destination         \n";
	static const char *L_post =
		/* iptables-nft -t nat -L POSTROUTING */
		"Chain POSTROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"RETURN     gre  --  anywhere             anywhere            \n"
		"MID        udp  !f  anywhere             anywhere            [goto] \n"
		"           icmp -f  anywhere             anywhere            \n"
		"          !esp  --  anywhere             anywhere            \n";
	static const char *L_alpha =
		/* iptables-nft -t nat -L ALPHA */
		"Chain ALPHA (1 references)\n"
		"target     prot opt source               destination         \n"
		"ACCEPT     all  --  anywhere             anywhere            \n"
		"           200  --  anywhere             anywhere            \n"
		"           sctp --  anywhere             anywhere            \n"
		"           255  --  anywhere             anywhere            \n";
	static const char *S_pre2 =
		/* iptables-nft -t nat -S PREROUTING 2 */
		"-A PREROUTING ! -s 198.51.100.1/32 -d 10.0.0.0/255.0.255.0 -i eth0 -j ALPHA\n";
	static const char *L_alpha2 =
		/* iptables-nft -t nat -L ALPHA 2 -n */
		"           200  --  0.0.0.0/0            0.0.0.0/0           \n";
	static const char *S_zed =
		/* iptables-nft -t nat -S ZED */
		"-N ZED\n";
	static const char *S_input =
		/* iptables-nft -t nat -S INPUT */
		"-P INPUT ACCEPT\n";
	static const char *L_zed =
		/* iptables-nft -t nat -L ZED */
		"Chain ZED (1 references)\n"
		"target     prot opt source               destination         \n";
	static const char *L_out =
		/* iptables-nft -t nat -L OUTPUT -n -v */
		"Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0            ah   --  *      *       127.0.0.1            0.0.0.0/0           \n"
		"    0     0            sctp --  *      *       0.0.0.0/1            0.0.0.0/0           \n"
		"    0     0            udplite --  *      *       0.0.0.0/0            0.0.0.0/0           \n";
	static const char *L_post_v =
		/* iptables-nft -t nat -L POSTROUTING -v */
		"Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0 RETURN     gre  --  any    any     anywhere             anywhere            \n"
		"    0     0 MID        udp  !f  any    any     anywhere             anywhere            [goto] \n"
		"    0     0            icmp -f  any    any     anywhere             anywhere            \n"
		"    0     0           !esp  --  any    !veth+  anywhere             anywhere            \n";

	if (gre)
		check_S("-S: order, addresses, ifaces, protocols, -f, -g", rs,
			NULL, 0, false, S_all);
	else
		skip("-S: order, addresses, ifaces, protocols", "no gre");
	check_L("-L -n: prot names, opt column, [goto], refs", rs, NULL, 0,
		N, L_n);
	if (gre)
		check_L("-L POSTROUTING: names, !f, -f, !esp", rs,
			"POSTROUTING", 0, 0, L_post);
	else
		skip("-L POSTROUTING", "no gre in /etc/protocols");
	check_L("-L ALPHA: all, unnamed 200 and 255, sctp", rs, "ALPHA", 0, 0,
		L_alpha);
	check_S("-S PREROUTING 2: the rule alone", rs, "PREROUTING", 2, false,
		S_pre2);
	check_L("-L ALPHA 2 -n: the line alone, no header", rs, "ALPHA", 2, N,
		L_alpha2);
	check_S("-S ZED: -N line", rs, "ZED", 0, false, S_zed);
	check_S("-S INPUT: -P line of an empty builtin", rs, "INPUT", 0, false,
		S_input);
	check_L("-L ZED: empty user chain", rs, "ZED", 0, 0, L_zed);
	check_L("-L OUTPUT -n -v", rs, "OUTPUT", 0, N | V, L_out);
	if (gre)
		check_L("-L POSTROUTING -v: any, !veth+", rs, "POSTROUTING", 0,
			V, L_post_v);
	else
		skip("-L POSTROUTING -v", "no gre in /etc/protocols");
	/* iptables-nft prints nothing (status 0) for -S/-L PREROUTING 99 and
	 * fails for a missing chain: the printers return -1 for both */
	check_missing("rule number beyond the chain", rs, "PREROUTING", 99);
	check_missing("rule number 3 of 2", rs, "PREROUTING", 3);
	check_missing("no such chain", rs, "NOPE", 0);
	check_spec("rule spec", chain(rs, "PREROUTING")->rules[0],
		   "PREROUTING", false, "-A PREROUTING -s 198.51.100.0/24 -j ZED");
	nc_ruleset_free(rs);
}

/* ------------------------------------------------------------ counters */

/*
 * iptables-nft -t nat -A INPUT -c 999 99999
 * -A INPUT -c 100000 1000000
 * -A INPUT -c 99999999 9999999999 -j ACCEPT
 * -A INPUT -c 18446744073709551615 18446744073709551615 ! -i eth+ -j RETURN
 * -A INPUT -c 4294967296 1099511627776 -i eth0
 * -A INPUT -c 9999499 9999500
 */
static struct nc_ruleset *build_counters(void)
{
	static const uint64_t c[][2] = {
		{ 999, 99999 }, { 100000, 1000000 },
		{ 99999999, 9999999999ULL }, { UINT64_MAX, UINT64_MAX },
		{ 4294967296ULL, 1099511627776ULL }, { 9999499, 9999500 },
	};
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r[6];

	for (size_t i = 0; i < 6; i++) {
		r[i] = add(rs, "INPUT");
		r[i]->packets = c[i][0];
		r[i]->bytes = c[i][1];
	}
	chain(rs, "INPUT")->exists = true;
	verdict(r[2], NC_VERDICT_ACCEPT, NULL);
	iface(&r[3]->in, "eth+");
	r[3]->invflags |= NC_INV_IN;
	verdict(r[3], NC_VERDICT_RETURN, NULL);
	iface(&r[4]->in, "eth0");
	return rs;
}

static void test_counters(void)
{
	struct nc_ruleset *rs = build_counters();
	static const char *L_v =
		/* iptables-nft -t nat -L INPUT -v */
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"  999 99999            all  --  any    any     anywhere             anywhere            \n"
		" 100K 1000K            all  --  any    any     anywhere             anywhere            \n"
		" 100M   10G ACCEPT     all  --  any    any     anywhere             anywhere            \n"
		"   0K    0K RETURN     all  --  !eth+  any     anywhere             anywhere            \n"
		"4295M 1100G            all  --  eth0   any     anywhere             anywhere            \n"
		"9999K   10M            all  --  any    any     anywhere             anywhere            \n";
	static const char *L_vx =
		/* iptables-nft -t nat -L INPUT -v -x */
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"     999    99999            all  --  any    any     anywhere             anywhere            \n"
		"  100000  1000000            all  --  any    any     anywhere             anywhere            \n"
		"99999999 9999999999 ACCEPT     all  --  any    any     anywhere             anywhere            \n"
		"18446744073709551615 18446744073709551615 RETURN     all  --  !eth+  any     anywhere             anywhere            \n"
		"4294967296 1099511627776            all  --  eth0   any     anywhere             anywhere            \n"
		" 9999499  9999500            all  --  any    any     anywhere             anywhere            \n";
	static const char *L_vn_ln =
		/* iptables-nft -t nat -L INPUT -v -n --line-numbers */
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"1      999 99999            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"2     100K 1000K            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"3     100M   10G ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"4       0K    0K RETURN     all  --  !eth+  *       0.0.0.0/0            0.0.0.0/0           \n"
		"5    4295M 1100G            all  --  eth0   *       0.0.0.0/0            0.0.0.0/0           \n"
		"6    9999K   10M            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n";
	static const char *L_vxn_ln =
		/* iptables-nft -t nat -L INPUT -v -x -n --line-numbers */
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		"num      pkts      bytes target     prot opt in     out     source               destination         \n"
		"1         999    99999            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"2      100000  1000000            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"3    99999999 9999999999 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"4    18446744073709551615 18446744073709551615 RETURN     all  --  !eth+  *       0.0.0.0/0            0.0.0.0/0           \n"
		"5    4294967296 1099511627776            all  --  eth0   *       0.0.0.0/0            0.0.0.0/0           \n"
		"6     9999499  9999500            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n";
	static const char *S_v =
		/* iptables-nft -t nat -S INPUT -v */
		"-P INPUT ACCEPT -c 0 0\n"
		"-A INPUT -c 999 99999\n"
		"-A INPUT -c 100000 1000000\n"
		"-A INPUT -c 99999999 9999999999 -j ACCEPT\n"
		"-A INPUT ! -i eth+ -c 18446744073709551615 18446744073709551615 -j RETURN\n"
		"-A INPUT -i eth0 -c 4294967296 1099511627776\n"
		"-A INPUT -c 9999499 9999500\n";
	static const char *L_ln =
		/* iptables-nft -t nat -L INPUT --line-numbers */
		"Chain INPUT (policy ACCEPT)\n"
		"num  target     prot opt source               destination         \n"
		"1               all  --  anywhere             anywhere            \n"
		"2               all  --  anywhere             anywhere            \n"
		"3    ACCEPT     all  --  anywhere             anywhere            \n"
		"4    RETURN     all  --  anywhere             anywhere            \n"
		"5               all  --  anywhere             anywhere            \n"
		"6               all  --  anywhere             anywhere            \n";
	static const char *L_x =
		/* iptables-nft -t nat -L INPUT -x */
		"Chain INPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"           all  --  anywhere             anywhere            \n"
		"           all  --  anywhere             anywhere            \n"
		"ACCEPT     all  --  anywhere             anywhere            \n"
		"RETURN     all  --  anywhere             anywhere            \n"
		"           all  --  anywhere             anywhere            \n"
		"           all  --  anywhere             anywhere            \n";
	static const char *S_4v =
		/* iptables-nft -t nat -S INPUT 4 -v */
		"-A INPUT ! -i eth+ -c 18446744073709551615 18446744073709551615 -j RETURN\n";

	check_L("-L -v: K/M/G, rounding, 2^64-1 wraps to 0K", rs, "INPUT", 0,
		V, L_v);
	check_L("-L -v -x: exact, bytes column as wide as pkts", rs, "INPUT",
		0, V | X, L_vx);
	check_L("-L -v -n --line-numbers", rs, "INPUT", 0, V | N | LN,
		L_vn_ln);
	check_L("-L -v -x -n --line-numbers", rs, "INPUT", 0, V | X | N | LN,
		L_vxn_ln);
	check_S("-S -v: -c after the matches, before -j", rs, "INPUT", 0, true,
		S_v);
	check_L("-L --line-numbers", rs, "INPUT", 0, LN, L_ln);
	check_L("-L -x without -v: no counters", rs, "INPUT", 0, X, L_x);
	check_S("-S INPUT 4 -v", rs, "INPUT", 4, true, S_4v);
	nc_ruleset_free(rs);
}

/*
 * printf '*nat\n:PREROUTING ACCEPT [123456:78901234567]\n
 *   :INPUT ACCEPT [99999:100000]\n:OUTPUT ACCEPT [5:6]\n
 *   :POSTROUTING DROP [0:0]\n:USR - [7:8]\n[1:2] -A PREROUTING -j USR\n
 *   COMMIT\n' | iptables-nft-restore -c
 */
static struct nc_ruleset *build_policy(void)
{
	static const uint64_t c[][2] = {
		{ 123456, 78901234567ULL }, { 99999, 100000 }, { 5, 6 },
		{ 0, 0 },
	};
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r;

	for (size_t i = 0; i < 4; i++) {
		struct nc_chain *ch = chain(rs, nc_nat_builtins[i].name);

		ch->exists = true;
		ch->packets = c[i][0];
		ch->bytes = c[i][1];
	}
	chain(rs, "POSTROUTING")->policy = NF_DROP;
	user(rs, "USR");
	chain(rs, "USR")->packets = 7;	/* not shown for user chains */
	chain(rs, "USR")->bytes = 8;
	r = add(rs, "PREROUTING");
	r->packets = 1;
	r->bytes = 2;
	jump(r, "USR");
	return rs;
}

static void test_policy(void)
{
	struct nc_ruleset *rs = build_policy();
	static const char *L_v =
		/* iptables-nft -t nat -L -v */
		"Chain PREROUTING (policy ACCEPT 123K packets, 79G bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    1     2 USR        all  --  any    any     anywhere             anywhere            \n"
		"\n"
		"Chain INPUT (policy ACCEPT 99999 packets, 100K bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT 5 packets, 6 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy DROP 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain USR (1 references)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n";
	static const char *L_vx =
		/* iptables-nft -t nat -L -v -x */
		"Chain PREROUTING (policy ACCEPT 123456 packets, 78901234567 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"       1        2 USR        all  --  any    any     anywhere             anywhere            \n"
		"\n"
		"Chain INPUT (policy ACCEPT 99999 packets, 100000 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT 5 packets, 6 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy DROP 0 packets, 0 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain USR (1 references)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n";
	static const char *S_v =
		/* iptables-nft -t nat -S -v */
		"-P PREROUTING ACCEPT -c 123456 78901234567\n"
		"-P INPUT ACCEPT -c 99999 100000\n"
		"-P OUTPUT ACCEPT -c 5 6\n"
		"-P POSTROUTING DROP -c 0 0\n"
		"-N USR\n"
		"-A PREROUTING -c 1 2 -j USR\n";
	static const char *S =
		/* iptables-nft -t nat -S */
		"-P PREROUTING ACCEPT\n"
		"-P INPUT ACCEPT\n"
		"-P OUTPUT ACCEPT\n"
		"-P POSTROUTING DROP\n"
		"-N USR\n"
		"-A PREROUTING -j USR\n";
	static const char *L =
		/* iptables-nft -t nat -L */
		"Chain PREROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"USR        all  --  anywhere             anywhere            \n"
		"\n"
		"Chain INPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy DROP)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain USR (1 references)\n"
		"target     prot opt source               destination         \n";
	static const char *L_vn_ln =
		/* iptables-nft -t nat -L -v -n --line-numbers */
		"Chain PREROUTING (policy ACCEPT 123K packets, 79G bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"1        1     2 USR        all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"\n"
		"Chain INPUT (policy ACCEPT 99999 packets, 100K bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT 5 packets, 6 bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy DROP 0 packets, 0 bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain USR (1 references)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n";
	static const char *S_post =
		/* iptables-nft -t nat -S POSTROUTING */
		"-P POSTROUTING DROP\n";

	check_L("-L -v: policy counters, K and G", rs, NULL, 0, V, L_v);
	check_L("-L -v -x: policy counters exact", rs, NULL, 0, V | X, L_vx);
	check_S("-S -v: -P ... -c", rs, NULL, 0, true, S_v);
	check_S("-S: DROP policy", rs, NULL, 0, false, S);
	check_L("-L: DROP policy", rs, NULL, 0, 0, L);
	check_L("-L -v -n --line-numbers", rs, NULL, 0, V | N | LN, L_vn_ln);
	check_S("-S POSTROUTING", rs, "POSTROUTING", 0, false, S_post);
	nc_ruleset_free(rs);
}

/* ---------------------------------------------------------- extensions */

/*
 * iptables-nft -t nat -N N; -N MID; -N E
 * -A N -i abcdefghijklmno -p tcp --dport 22 -j RETURN
 * -A N ! -i eth0 -s 10.0.0.0/8 ! -d 192.168.1.0/24 -j MID
 * -A N -i eth+ -j MID
 * -A N -i eth1 -j ACCEPT
 * -A N -f
 * -A N -j N
 * -A E -p tcp --dport 80 -g MID
 * -A E -p udp --dport 53 -j DNAT --to-destination 1.2.3.4
 * -A E -p tcp --sport 22 --dport 443
 * -A E -p tcp ! --sport 1024:65535
 * -A E -p udp --sport 67:68 ! --dport 5353
 * -A E -p sctp ! --sport 5000:6000 --dport 9
 * -A E -p tcp --dport :2000
 */
static struct nc_ruleset *build_ext(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r;

	user(rs, "N");
	user(rs, "MID");
	user(rs, "E");
	r = add(rs, "N");
	iface(&r->in, "abcdefghijklmno");
	proto(r, IPPROTO_TCP, &nc_ext_tcp, "dport=22");
	verdict(r, NC_VERDICT_RETURN, NULL);
	r = add(rs, "N");
	iface(&r->in, "eth0");
	r->invflags |= NC_INV_IN;
	src(r, "10.0.0.0", "255.0.0.0", false);
	dst(r, "192.168.1.0", "255.255.255.0", true);
	jump(r, "MID");
	r = add(rs, "N");
	iface(&r->in, "eth+");
	jump(r, "MID");
	r = add(rs, "N");
	iface(&r->in, "eth1");
	verdict(r, NC_VERDICT_ACCEPT, NULL);
	add(rs, "N")->flags |= NC_RF_FRAG;
	jump(add(rs, "N"), "N");
	r = add(rs, "E");
	proto(r, IPPROTO_TCP, &nc_ext_tcp, "dport=80");
	verdict(r, NC_VERDICT_GOTO, "MID");
	r = add(rs, "E");
	proto(r, IPPROTO_UDP, &nc_ext_udp, "dport=53");
	target(r, &nc_ext_dnat, "to-destination=1.2.3.4");
	proto(add(rs, "E"), IPPROTO_TCP, &nc_ext_tcp, "sport=22 dport=443");
	proto(add(rs, "E"), IPPROTO_TCP, &nc_ext_tcp, "!sport=1024:65535");
	proto(add(rs, "E"), IPPROTO_UDP, &nc_ext_udp,
	      "sport=67:68 !dport=5353");
	proto(add(rs, "E"), IPPROTO_SCTP, &nc_ext_sctp,
	      "!sport=5000:6000 dport=9");
	proto(add(rs, "E"), IPPROTO_TCP, &nc_ext_tcp, "dport=:2000");
	return rs;
}

static void test_ext(void)
{
	struct nc_ruleset *rs = build_ext();
	static const char *S_n =
		/* iptables-nft -t nat -S N */
		"-N N\n"
		"-A N -i abcdefghijklmno -p tcp -m tcp --dport 22 -j RETURN\n"
		"-A N -s 10.0.0.0/8 ! -d 192.168.1.0/24 ! -i eth0 -j MID\n"
		"-A N -i eth+ -j MID\n"
		"-A N -i eth1 -j ACCEPT\n"
		"-A N -f\n"
		"-A N -j N\n";
	static const char *L_n_vn =
		/* iptables-nft -t nat -L N -v -n */
		"Chain N (1 references)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0 RETURN     tcp  --  abcdefghijklmno *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22\n"
		"    0     0 MID        all  --  !eth0  *       10.0.0.0/8          !192.168.1.0/24      \n"
		"    0     0 MID        all  --  eth+   *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0 ACCEPT     all  --  eth1   *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            all  -f  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0 N          all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n";
	static const char *S_e_v =
		/* iptables-nft -t nat -S E -v */
		"-N E\n"
		"-A E -p tcp -m tcp --dport 80 -c 0 0 -g MID\n"
		"-A E -p udp -m udp --dport 53 -c 0 0 -j DNAT --to-destination 1.2.3.4\n"
		"-A E -p tcp -m tcp --sport 22 --dport 443 -c 0 0\n"
		"-A E -p tcp -m tcp ! --sport 1024:65535 -c 0 0\n"
		"-A E -p udp -m udp --sport 67:68 ! --dport 5353 -c 0 0\n"
		"-A E -p sctp -m sctp ! --sport 5000:6000 --dport 9 -c 0 0\n"
		"-A E -p tcp -m tcp --dport 0:2000 -c 0 0\n";
	static const char *L_e1 =
		/* iptables-nft -t nat -L E 1 -n -v --line-numbers */
		"1        0     0 MID        tcp  --  *      *       0.0.0.0/0            0.0.0.0/0           [goto]  tcp dpt:80\n";
	static const char *L_e2 =
		/* iptables-nft -t nat -L E 2 -n --line-numbers */
		"2    DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 to:1.2.3.4\n";
	static const char *L_e =
		/* iptables-nft -t nat -L E -n */
		"Chain E (0 references)\n"
		"target     prot opt source               destination         \n"
		"MID        tcp  --  0.0.0.0/0            0.0.0.0/0           [goto]  tcp dpt:80\n"
		"DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 to:1.2.3.4\n"
		"           tcp  --  0.0.0.0/0            0.0.0.0/0            tcp spt:22 dpt:443\n"
		"           tcp  --  0.0.0.0/0            0.0.0.0/0            tcp spts:!1024:65535\n"
		"           udp  --  0.0.0.0/0            0.0.0.0/0            udp spts:67:68 dpt:!5353\n"
		"           sctp --  0.0.0.0/0            0.0.0.0/0            sctp spts:!5000:6000 dpt:9\n"
		"           tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpts:0:2000\n";
	static const char *S_e =
		/* iptables-nft -t nat -S E */
		"-N E\n"
		"-A E -p tcp -m tcp --dport 80 -g MID\n"
		"-A E -p udp -m udp --dport 53 -j DNAT --to-destination 1.2.3.4\n"
		"-A E -p tcp -m tcp --sport 22 --dport 443\n"
		"-A E -p tcp -m tcp ! --sport 1024:65535\n"
		"-A E -p udp -m udp --sport 67:68 ! --dport 5353\n"
		"-A E -p sctp -m sctp ! --sport 5000:6000 --dport 9\n"
		"-A E -p tcp -m tcp --dport 0:2000\n";
	static const char *L_mid =
		/* iptables-nft -t nat -L MID */
		"Chain MID (3 references)\n"
		"target     prot opt source               destination         \n";

	check_S("-S N: -i before -p, -m tcp", rs, "N", 0, false, S_n);
	check_L("-L N -v -n: long iface, !eth0, self reference", rs, "N", 0,
		V | N, L_n_vn);
	check_S("-S E -v: -c between matches and -g/-j", rs, "E", 0, true,
		S_e_v);
	check_L("-L E 1 -n -v --line-numbers: [goto] then the match", rs, "E",
		1, N | V | LN, L_e1);
	check_L("-L E 2 -n --line-numbers: match then target", rs, "E", 2,
		N | LN, L_e2);
	check_L("-L E -n: tcp, udp, sctp ports", rs, "E", 0, N, L_e);
	check_S("-S E: tcp, udp, sctp ports", rs, "E", 0, false, S_e);
	check_L("-L MID: jumps and gotos counted", rs, "MID", 0, 0, L_mid);
	nc_ruleset_free(rs);
}

/*
 * iptables-nft -t nat -N E
 * -A E -s 1.2.3.4/0
 * -A E ! -i +
 * -A E -p 58
 * -A E -p mh
 * -A E -p 0
 * -A E -s 255.255.255.255
 * -A E -s 10.0.0.0/255.255.255.0 -d 10.0.0.0/255.255.0.255
 * -A E ! -d 10.0.0.0/31 ! -o abcdefghijklmno
 * -A E -s 10.1.2.3/8
 * -A E -p tcp -j ACCEPT
 * -A E ! -p udp -j RETURN
 */
static struct nc_ruleset *build_edge(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r;

	user(rs, "E");
	add(rs, "E");			/* 1.2.3.4/0 tests nothing */
	r = add(rs, "E");
	iface(&r->in, "+");
	r->invflags |= NC_INV_IN;
	proto(add(rs, "E"), 58, NULL, NULL);
	proto(add(rs, "E"), 135, NULL, NULL);
	add(rs, "E");			/* -p 0 */
	src(add(rs, "E"), "255.255.255.255", "255.255.255.255", false);
	r = add(rs, "E");
	src(r, "10.0.0.0", "255.255.255.0", false);
	dst(r, "10.0.0.0", "255.255.0.255", false);
	r = add(rs, "E");
	dst(r, "10.0.0.0", "255.255.255.254", true);
	iface(&r->out, "abcdefghijklmno");
	r->invflags |= NC_INV_OUT;
	src(add(rs, "E"), "10.0.0.0", "255.0.0.0", false);
	r = add(rs, "E");
	proto(r, IPPROTO_TCP, NULL, NULL);
	verdict(r, NC_VERDICT_ACCEPT, NULL);
	r = add(rs, "E");
	proto(r, IPPROTO_UDP, NULL, NULL);
	r->invflags |= NC_INV_PROTO;
	verdict(r, NC_VERDICT_RETURN, NULL);
	return rs;
}

static void test_edge(void)
{
	struct nc_ruleset *rs = build_edge();
	static const char *S =
		/* iptables-nft -t nat -S E */
		"-N E\n"
		"-A E\n"
		"-A E ! -i +\n"
		"-A E -p ipv6-icmp\n"
		"-A E -p mobility-header\n"
		"-A E\n"
		"-A E -s 255.255.255.255/32\n"
		"-A E -s 10.0.0.0/24 -d 10.0.0.0/255.255.0.255\n"
		"-A E ! -d 10.0.0.0/31 ! -o abcdefghijklmno\n"
		"-A E -s 10.0.0.0/8\n"
		"-A E -p tcp -j ACCEPT\n"
		"-A E ! -p udp -j RETURN\n";
	static const char *L_nv =
		/* iptables-nft -t nat -L E -n -v */
		"Chain E (0 references)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            all  --  !+     *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            ipv6-icmp --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            mobility-header --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0            all  --  *      *       255.255.255.255      0.0.0.0/0           \n"
		"    0     0            all  --  *      *       10.0.0.0/24          10.0.0.0/255.255.0.255 \n"
		"    0     0            all  --  *      !abcdefghijklmno  0.0.0.0/0           !10.0.0.0/31         \n"
		"    0     0            all  --  *      *       10.0.0.0/8           0.0.0.0/0           \n"
		"    0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"    0     0 RETURN    !udp  --  *      *       0.0.0.0/0            0.0.0.0/0           \n";
	static const char *L_n =
		/* iptables-nft -t nat -L E -n */
		"Chain E (0 references)\n"
		"target     prot opt source               destination         \n"
		"           all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"           all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"           ipv6-icmp --  0.0.0.0/0            0.0.0.0/0           \n"
		"           mobility-header --  0.0.0.0/0            0.0.0.0/0           \n"
		"           all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"           all  --  255.255.255.255      0.0.0.0/0           \n"
		"           all  --  10.0.0.0/24          10.0.0.0/255.255.0.255 \n"
		"           all  --  0.0.0.0/0           !10.0.0.0/31         \n"
		"           all  --  10.0.0.0/8           0.0.0.0/0           \n"
		"ACCEPT     tcp  --  0.0.0.0/0            0.0.0.0/0           \n"
		"RETURN    !udp  --  0.0.0.0/0            0.0.0.0/0           \n";

	check_S("-S: /32, dotted masks, ipv6-icmp, mobility-header, ! -i +",
		rs, "E", 0, false, S);
	check_L("-L -n -v: out column overflow, !17", rs, "E", 0, N | V, L_nv);
	check_L("-L -n", rs, "E", 0, N, L_n);
	nc_ruleset_free(rs);
}

/*
 * iptables-nft -t nat
 * -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 198.51.100.1:8080
 * -A PREROUTING -j DNAT --to-destination 198.51.100.1
 * -A PREROUTING -j DNAT --to-destination 198.51.100.1-198.51.100.9
 * -A PREROUTING -p tcp -j DNAT
 *	--to-destination 198.51.100.1-198.51.100.9:1000-2000
 * -A PREROUTING -p udp -j DNAT --to-destination :53
 * -A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1:80-80
 * -A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1
 *	--random --persistent
 * -A PREROUTING -p tcp -j REDIRECT
 * -A PREROUTING -p tcp -j REDIRECT --to-ports 8080
 * -A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8090
 * -A PREROUTING -p tcp -j REDIRECT --to-ports 8080 --random
 * -A PREROUTING -p tcp -j REDIRECT --random
 * -A POSTROUTING -j SNAT --to-source 203.0.113.5
 * -A POSTROUTING -p tcp -j SNAT --to-source 203.0.113.5:1024-65535
 * -A POSTROUTING -p tcp -j SNAT
 *	--to-source 203.0.113.5-203.0.113.10:1024-65535
 *	--random --random-fully --persistent
 * -A POSTROUTING -j MASQUERADE
 * -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-65535
 * -A POSTROUTING -p udp -j MASQUERADE --to-ports 5000
 * -A POSTROUTING -j MASQUERADE --random-fully
 * -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000
 *	--random --random-fully
 * -A POSTROUTING -o eth0 -s 10.0.0.0/8 -j MASQUERADE
 */
static void nat_rule(struct nc_ruleset *rs, const char *ch, uint8_t p,
		     const struct nc_ext_ops *ops, const char *opts)
{
	struct nc_rule *r = add(rs, ch);

	proto(r, p, NULL, NULL);
	target(r, ops, opts);
}

static struct nc_ruleset *build_nat(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r = add(rs, "PREROUTING");
	const char *pre = "PREROUTING", *post = "POSTROUTING";

	proto(r, IPPROTO_TCP, &nc_ext_tcp, "dport=80");
	target(r, &nc_ext_dnat, "to-destination=198.51.100.1:8080");
	nat_rule(rs, pre, 0, &nc_ext_dnat, "to-destination=198.51.100.1");
	nat_rule(rs, pre, 0, &nc_ext_dnat,
		 "to-destination=198.51.100.1-198.51.100.9");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_dnat,
		 "to-destination=198.51.100.1-198.51.100.9:1000-2000");
	nat_rule(rs, pre, IPPROTO_UDP, &nc_ext_dnat, "to-destination=:53");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_dnat,
		 "to-destination=198.51.100.1:80-80");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_dnat,
		 "to-destination=198.51.100.1 random persistent");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_redirect, "");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_redirect, "to-ports=8080");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_redirect, "to-ports=8080-8090");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_redirect,
		 "to-ports=8080 random");
	nat_rule(rs, pre, IPPROTO_TCP, &nc_ext_redirect, "random");
	nat_rule(rs, post, 0, &nc_ext_snat, "to-source=203.0.113.5");
	nat_rule(rs, post, IPPROTO_TCP, &nc_ext_snat,
		 "to-source=203.0.113.5:1024-65535");
	nat_rule(rs, post, IPPROTO_TCP, &nc_ext_snat,
		 "to-source=203.0.113.5-203.0.113.10:1024-65535"
		 " random random-fully persistent");
	nat_rule(rs, post, 0, &nc_ext_masquerade, "");
	nat_rule(rs, post, IPPROTO_TCP, &nc_ext_masquerade,
		 "to-ports=1024-65535");
	nat_rule(rs, post, IPPROTO_UDP, &nc_ext_masquerade, "to-ports=5000");
	nat_rule(rs, post, 0, &nc_ext_masquerade, "random-fully");
	nat_rule(rs, post, IPPROTO_TCP, &nc_ext_masquerade,
		 "to-ports=1000-2000 random random-fully");
	r = add(rs, post);
	iface(&r->out, "eth0");
	src(r, "10.0.0.0", "255.0.0.0", false);
	target(r, &nc_ext_masquerade, "");
	return rs;
}

static void test_nat(void)
{
	struct nc_ruleset *rs = build_nat();
	static const char *S_pre =
		/* iptables-nft -t nat -S PREROUTING */
		"-P PREROUTING ACCEPT\n"
		"-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 198.51.100.1:8080\n"
		"-A PREROUTING -j DNAT --to-destination 198.51.100.1\n"
		"-A PREROUTING -j DNAT --to-destination 198.51.100.1-198.51.100.9\n"
		"-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1-198.51.100.9:1000-2000\n"
		"-A PREROUTING -p udp -j DNAT --to-destination :53\n"
		"-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1:80\n"
		"-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1 --random --persistent\n"
		"-A PREROUTING -p tcp -j REDIRECT\n"
		"-A PREROUTING -p tcp -j REDIRECT --to-ports 8080\n"
		"-A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8090\n"
		"-A PREROUTING -p tcp -j REDIRECT --to-ports 8080 --random\n"
		"-A PREROUTING -p tcp -j REDIRECT --random\n";
	static const char *L_pre =
		/* iptables-nft -t nat -L PREROUTING -n */
		"Chain PREROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80 to:198.51.100.1:8080\n"
		"DNAT       all  --  0.0.0.0/0            0.0.0.0/0            to:198.51.100.1\n"
		"DNAT       all  --  0.0.0.0/0            0.0.0.0/0            to:198.51.100.1-198.51.100.9\n"
		"DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            to:198.51.100.1-198.51.100.9:1000-2000\n"
		"DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            to::53\n"
		"DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            to:198.51.100.1:80\n"
		"DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            to:198.51.100.1 random persistent\n"
		"REDIRECT   tcp  --  0.0.0.0/0            0.0.0.0/0           \n"
		"REDIRECT   tcp  --  0.0.0.0/0            0.0.0.0/0            redir ports 8080\n"
		"REDIRECT   tcp  --  0.0.0.0/0            0.0.0.0/0            redir ports 8080-8090\n"
		"REDIRECT   tcp  --  0.0.0.0/0            0.0.0.0/0            redir ports 8080 random\n"
		"REDIRECT   tcp  --  0.0.0.0/0            0.0.0.0/0            random\n";
	static const char *S_post =
		/* iptables-nft -t nat -S POSTROUTING */
		"-P POSTROUTING ACCEPT\n"
		"-A POSTROUTING -j SNAT --to-source 203.0.113.5\n"
		"-A POSTROUTING -p tcp -j SNAT --to-source 203.0.113.5:1024-65535\n"
		"-A POSTROUTING -p tcp -j SNAT --to-source 203.0.113.5-203.0.113.10:1024-65535 --random --random-fully --persistent\n"
		"-A POSTROUTING -j MASQUERADE\n"
		"-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-65535\n"
		"-A POSTROUTING -p udp -j MASQUERADE --to-ports 5000\n"
		"-A POSTROUTING -j MASQUERADE --random-fully\n"
		"-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000 --random --random-fully\n"
		"-A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE\n";
	static const char *L_post =
		/* iptables-nft -t nat -L POSTROUTING -n */
		"Chain POSTROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"SNAT       all  --  0.0.0.0/0            0.0.0.0/0            to:203.0.113.5\n"
		"SNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            to:203.0.113.5:1024-65535\n"
		"SNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            to:203.0.113.5-203.0.113.10:1024-65535 random random-fully persistent\n"
		"MASQUERADE  all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"MASQUERADE  tcp  --  0.0.0.0/0            0.0.0.0/0            masq ports: 1024-65535\n"
		"MASQUERADE  udp  --  0.0.0.0/0            0.0.0.0/0            masq ports: 5000\n"
		"MASQUERADE  all  --  0.0.0.0/0            0.0.0.0/0            random-fully\n"
		"MASQUERADE  tcp  --  0.0.0.0/0            0.0.0.0/0            masq ports: 1000-2000 random random-fully\n"
		"MASQUERADE  all  --  10.0.0.0/8           0.0.0.0/0           \n";
	static const char *L_post_v =
		/* iptables-nft -t nat -L POSTROUTING -n -v --line-numbers */
		"Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"1        0     0 SNAT       all  --  *      *       0.0.0.0/0            0.0.0.0/0            to:203.0.113.5\n"
		"2        0     0 SNAT       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            to:203.0.113.5:1024-65535\n"
		"3        0     0 SNAT       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            to:203.0.113.5-203.0.113.10:1024-65535 random random-fully persistent\n"
		"4        0     0 MASQUERADE  all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
		"5        0     0 MASQUERADE  tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            masq ports: 1024-65535\n"
		"6        0     0 MASQUERADE  udp  --  *      *       0.0.0.0/0            0.0.0.0/0            masq ports: 5000\n"
		"7        0     0 MASQUERADE  all  --  *      *       0.0.0.0/0            0.0.0.0/0            random-fully\n"
		"8        0     0 MASQUERADE  tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            masq ports: 1000-2000 random random-fully\n"
		"9        0     0 MASQUERADE  all  --  *      eth0    10.0.0.0/8           0.0.0.0/0           \n";

	check_S("-S PREROUTING: DNAT, REDIRECT", rs, "PREROUTING", 0, false,
		S_pre);
	check_L("-L PREROUTING -n: DNAT, REDIRECT", rs, "PREROUTING", 0, N,
		L_pre);
	check_S("-S POSTROUTING: SNAT, MASQUERADE", rs, "POSTROUTING", 0,
		false, S_post);
	check_L("-L POSTROUTING -n: MASQUERADE overflows its column", rs,
		"POSTROUTING", 0, N, L_post);
	check_L("-L POSTROUTING -n -v --line-numbers", rs, "POSTROUTING", 0,
		N | V | LN, L_post_v);
	nc_ruleset_free(rs);
}

/* ---------------------------------------------------------------- IPv6 */

/*
 * ip6tables-nft -t nat -N U6
 * -A PREROUTING -s 2001:db8::/32 ! -d 2001:db8::1 -p tcp --dport 80
 *	-j DNAT --to-destination [2001:db8::2]:8080
 * -A PREROUTING -s 2001:db8::/ffff:0:ffff:: -j RETURN
 * -A POSTROUTING -d ::1 -p ipv6-icmp -j MASQUERADE
 * -A POSTROUTING ! -s 2001:db8::/64 -o eth0 -g U6
 * -A U6 -p udp -j SNAT --to-source 2001:db8::5-2001:db8::9
 */
static struct nc_ruleset *build_v6(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET6);
	struct nc_rule *r;

	user(rs, "U6");
	r = add(rs, "PREROUTING");
	src(r, "2001:db8::", "ffff:ffff::", false);
	dst(r, "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true);
	proto(r, IPPROTO_TCP, &nc_ext_tcp, "dport=80");
	target(r, &nc_ext_dnat, "to-destination=[2001:db8::2]:8080");
	r = add(rs, "PREROUTING");
	src(r, "2001::", "ffff:0:ffff::", false);
	verdict(r, NC_VERDICT_RETURN, NULL);
	r = add(rs, "POSTROUTING");
	dst(r, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false);
	proto(r, IPPROTO_ICMPV6, NULL, NULL);
	target(r, &nc_ext_masquerade, "");
	r = add(rs, "POSTROUTING");
	src(r, "2001:db8::", "ffff:ffff:ffff:ffff::", true);
	iface(&r->out, "eth0");
	verdict(r, NC_VERDICT_GOTO, "U6");
	r = add(rs, "U6");
	proto(r, IPPROTO_UDP, NULL, NULL);
	target(r, &nc_ext_snat, "to-source=2001:db8::5-2001:db8::9");
	return rs;
}

static void test_v6(void)
{
	struct nc_ruleset *rs = build_v6();
	static const char *S =
		/* ip6tables-nft -t nat -S */
		"-P PREROUTING ACCEPT\n"
		"-P INPUT ACCEPT\n"
		"-P OUTPUT ACCEPT\n"
		"-P POSTROUTING ACCEPT\n"
		"-N U6\n"
		"-A PREROUTING -s 2001:db8::/32 ! -d 2001:db8::1/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [2001:db8::2]:8080\n"
		"-A PREROUTING -s 2001::/ffff:0:ffff:: -j RETURN\n"
		"-A POSTROUTING -d ::1/128 -p ipv6-icmp -j MASQUERADE\n"
		"-A POSTROUTING ! -s 2001:db8::/64 -o eth0 -g U6\n"
		"-A U6 -p udp -j SNAT --to-source 2001:db8::5-2001:db8::9\n";
	static const char *L_nv =
		/* ip6tables-nft -t nat -L -n -v */
		"Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0 DNAT       tcp  --  *      *       2001:db8::/32       !2001:db8::1          tcp dpt:80 to:[2001:db8::2]:8080\n"
		"    0     0 RETURN     all  --  *      *       2001::/ffff:0:ffff::  ::/0                \n"
		"\n"
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0 MASQUERADE  ipv6-icmp --  *      *       ::/0                 ::1                 \n"
		"    0     0 U6         all  --  *      eth0   !2001:db8::/64        ::/0                [goto] \n"
		"\n"
		"Chain U6 (1 references)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    0     0 SNAT       udp  --  *      *       ::/0                 ::/0                 to:2001:db8::5-2001:db8::9\n";
	static const char *L_n =
		/* ip6tables-nft -t nat -L -n */
		"Chain PREROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"DNAT       tcp  --  2001:db8::/32       !2001:db8::1          tcp dpt:80 to:[2001:db8::2]:8080\n"
		"RETURN     all  --  2001::/ffff:0:ffff::  ::/0                \n"
		"\n"
		"Chain INPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain POSTROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"MASQUERADE  ipv6-icmp --  ::/0                 ::1                 \n"
		"U6         all  -- !2001:db8::/64        ::/0                [goto] \n"
		"\n"
		"Chain U6 (1 references)\n"
		"target     prot opt source               destination         \n"
		"SNAT       udp  --  ::/0                 ::/0                 to:2001:db8::5-2001:db8::9\n";

	check_S("ip6tables -S", rs, NULL, 0, false, S);
	check_L("ip6tables -L -n -v", rs, NULL, 0, N | V, L_nv);
	check_L("ip6tables -L -n", rs, NULL, 0, N, L_n);
	nc_ruleset_free(rs);
}

/* ------------------------------------------------------ natc's own */

/* natc: a kernel rule natc cannot express lists as a comment. */
static void test_unknown(void)
{
	struct nc_ruleset *rs = rs_new(AF_INET);
	struct nc_rule *r = add(rs, "OUTPUT");

	r->unknown = strdup("ip dscp 5 counter");
	r->packets = 3;
	r->bytes = 180;
	if (!r->unknown)
		bail("strdup");
	verdict(add(rs, "OUTPUT"), NC_VERDICT_ACCEPT, NULL);
	check_S("natc: unknown rule in -S", rs, "OUTPUT", 0, true,
		"-P OUTPUT ACCEPT -c 0 0\n"
		"# ip dscp 5 counter\n"
		"-A OUTPUT -c 0 0 -j ACCEPT\n");
	check_L("natc: unknown rule in -L keeps num and counters", rs,
		"OUTPUT", 0, V | LN,
		"Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"1        3   180 # ip dscp 5 counter\n"
		"2        0     0 ACCEPT     all  --  any    any     anywhere             anywhere            \n");
	nc_ruleset_free(rs);
}

int main(void)
{
	test_generic();
	test_counters();
	test_policy();
	test_ext();
	test_edge();
	test_nat();
	test_v6();
	test_unknown();
	printf("1..%u\n", ntests);
	return nfailed ? 1 : 0;
}
