// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --explain without the kernel: each kind's sentence, and the packet
 * walker with known and unknown fields (jumps, gotos, RETURN, ACCEPT,
 * the packet mark set by MARK and tested by -m mark, NETMAP, the
 * matches that decide only some packets).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "backend/explain/explain.h"

/*
 * A ruleset from save-file lines (the builtins are added), or NULL after
 * a "not ok" naming the test, the line and why it was not taken: a line
 * that does not parse or build, a command that is neither -N nor -A, a
 * chain not found, a chain or rule not added.  A broken line must fail
 * its test, not leave it a smaller ruleset that may still pass.
 */
static struct nc_ruleset *rs_of(const char *const *lines, const char *name)
{
	struct nc_ruleset *rs = nc_ruleset_new(AF_INET, NC_TABLE_NAT);

	if (!rs || nc_ruleset_add_builtins(rs) < 0) {
		ok(0, "%s (no ruleset: out of memory)", name);
		nc_ruleset_free(rs);
		return NULL;
	}
	for (size_t i = 0; lines[i]; i++) {
		struct nc_err err = { 0 };
		struct nc_cmd *cmd = nc_parse_line(lines[i], (uint32_t)i + 1, &err);
		struct nc_job *j = cmd ? nc_build(cmd, AF_INET, &err) : NULL;
		const char *why = NULL;
		struct nc_chain *c;

		if (!j) {
			why = err.msg[0] ? err.msg : "does not build";
		} else if (j->kind == NC_CMD_NEW_CHAIN) {
			c = nc_chain_new(j->chain);
			if (!c || nc_ruleset_add_chain(rs, c) < 0)
				why = "chain not added";
		} else if (j->kind != NC_CMD_APPEND) {
			why = "neither -N nor -A";
		} else if (!(c = nc_ruleset_find_chain(rs, j->chain))) {
			why = "no such chain";
		} else {
			for (size_t k = 0; k < j->nrules && !why; k++) {
				if (nc_chain_insert(c, c->nrules, j->rules[k]) < 0)
					why = "rule not added";
				j->rules[k] = NULL;	/* taken, even on failure */
			}
		}
		nc_job_free(j);
		nc_cmd_free(cmd);
		if (why) {
			ok(0, "%s (line %zu `%s`: %s)", name, i + 1, lines[i], why);
			nc_ruleset_free(rs);
			return NULL;
		}
	}
	return rs;
}

static void sentence(const char *line, const char *want)
{
	const char *lines[] = { line, NULL };
	struct nc_ruleset *rs = rs_of(lines, line);
	struct nc_xp xp;

	if (!rs)
		return;
	if (nc_xp_init(&xp, rs, NULL) < 0 || !xp.nrules) {
		ok(0, "sentence of %s (could not build)", line);
		nc_ruleset_free(rs);
		return;
	}
	is_str(xp.rules[0].sentence, want, "sentence of %s", line);
	nc_xp_free(&xp);
	nc_ruleset_free(rs);
}

static struct nc_pkt pkt(const char *src, uint16_t sport, const char *dst,
			 uint16_t dport, const char *iif)
{
	struct nc_pkt p = { .family = AF_INET, .proto = IPPROTO_TCP,
			    .sport = sport, .dport = dport,
			    .known = NC_PK_PROTO | NC_PK_SPORT | NC_PK_DPORT |
				     NC_PK_IIF | NC_PK_FRAG };

	if (src && inet_pton(AF_INET, src, p.src.b) == 1)
		p.known |= NC_PK_SRC;
	if (dst && inet_pton(AF_INET, dst, p.dst.b) == 1)
		p.known |= NC_PK_DST;
	snprintf(p.iif, sizeof(p.iif), "%s", iif);
	return p;
}

/* Walk PREROUTING; "dnat A:P", "maybe", "none" */
static void walk(const char *const *lines, struct nc_pkt p, const char *want,
		 const char *name)
{
	struct nc_ruleset *rs = rs_of(lines, name);
	struct nc_xp xp;
	struct nc_xp_walk w;
	char got[64] = "none", a[INET_ADDRSTRLEN];

	if (!rs)
		return;
	if (nc_xp_init(&xp, rs, NULL) < 0) {
		ok(0, "%s (could not build)", name);
		nc_ruleset_free(rs);
		return;
	}
	nc_xp_walk_hook(&xp, NF_INET_PRE_ROUTING, &p, &w);
	if (w.nat) {
		inet_ntop(AF_INET, w.act.amin.b, a, sizeof(a));
		snprintf(got, sizeof(got), "dnat %s:%u", a, w.act.map_port ? w.act.pmin : 0);
	} else if (w.maybe_dnat) {
		strcpy(got, "maybe");
	}
	is_str(got, want, "%s", name);
	nc_xp_walk_free(&w);
	nc_xp_free(&xp);
	nc_ruleset_free(rs);
}

/*
 * The index (backend/explain/index.c) leaves out only rules that certainly
 * do not match: PREROUTING holds rules testing every field it files, some
 * inverted, wildcard or with prefixes; for packets whose fields are known
 * or not in every combination, each rule left out must answer no, and the
 * rules left in must come in chain order.
 */
static void index_sound(void)
{
	static const char *const lines[] = {
		"-A PREROUTING -i eth0 -j RETURN",
		"-A PREROUTING ! -i eth0 -j RETURN",
		"-A PREROUTING -i eth+ -j RETURN",
		"-A PREROUTING -i eth1 -p udp -j RETURN",
		"-A PREROUTING -s 10.0.0.0/8 -j RETURN",
		"-A PREROUTING -s 10.0.1.0/24 -d 192.0.2.1 -j RETURN",
		"-A PREROUTING ! -s 10.0.1.0/24 -j RETURN",
		"-A PREROUTING -d 192.0.2.0/25 -p tcp --dport 80 -j RETURN",
		"-A PREROUTING -d 192.0.2.1 -p tcp --dport 80 -j DNAT --to-destination 198.51.100.1",
		"-A PREROUTING -d 192.0.2.2 -p tcp --dport 80 -j DNAT --to-destination 198.51.100.1",
		"-A PREROUTING -d 192.0.2.1 -p udp --dport 80 -j DNAT --to-destination 198.51.100.1",
		"-A PREROUTING -d 192.0.2.1 -p tcp ! --dport 80 -j RETURN",
		"-A PREROUTING -p tcp --dport 1000:2000 -j RETURN",
		"-A PREROUTING -p tcp -m multiport --dports 80,443 -j RETURN",
		"-A PREROUTING ! -p tcp -j RETURN",
		"-A PREROUTING -p icmp -j RETURN",
		"-A PREROUTING -m mark --mark 0x1 -j RETURN",
		"-A PREROUTING -p sctp --dport 80 -j RETURN",
		"-A PREROUTING -j RETURN",
		NULL,
	};
	static const char *const srcs[] = { "10.0.1.5", "10.9.0.1", "192.0.2.1" };
	static const char *const dsts[] = { "192.0.2.1", "192.0.2.2", "192.0.2.200" };
	static const char *const ifs[] = { "eth0", "eth1", "wlan0", "" };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
					  IPPROTO_SCTP };
	static const uint16_t ports[] = { 80, 443, 1500 };
	struct nc_ruleset *rs = rs_of(lines, "index");
	const struct nc_chain *c;
	struct nc_xp xp;
	size_t checked = 0, bad = 0, unsorted = 0;

	if (!rs)
		return;
	if (nc_xp_init(&xp, rs, NULL) < 0) {
		ok(0, "index: could not build the model");
		nc_ruleset_free(rs);
		return;
	}
	c = nc_ruleset_find_chain(rs, "PREROUTING");
	for (unsigned k = 0; k < (1u << 5) * 3 * 3 * 4 * 4 * 3; k++) {
		unsigned v = k >> 5;
		struct nc_pkt p = { .family = AF_INET, .known = NC_PK_FRAG | NC_PK_SPORT,
				    .sport = 4000 };
		uint32_t *cand = NULL;
		ssize_t n;
		size_t ci = 0, at = 0;

		inet_pton(AF_INET, srcs[v % 3], p.src.b);
		v /= 3;
		inet_pton(AF_INET, dsts[v % 3], p.dst.b);
		v /= 3;
		snprintf(p.iif, sizeof(p.iif), "%s", ifs[v % 4]);
		v /= 4;
		p.proto = protos[v % 4];
		v /= 4;
		p.dport = ports[v % 3];
		p.known |= ((k & 1) ? NC_PK_SRC : 0) | ((k & 2) ? NC_PK_DST : 0) |
			   ((k & 4) ? NC_PK_IIF : 0) | ((k & 8) ? NC_PK_PROTO : 0) |
			   ((k & 16) ? NC_PK_DPORT : 0);
		for (size_t i = 0; i < rs->nchains; i++)
			if (rs->chains[i] == c)
				ci = i;
		n = nc_xp_index_packet(xp.index[ci], &p, &cand);
		for (size_t i = 0; n >= 0 && i < c->nrules; i++) {
			bool in = at < (size_t)n && cand[at] == i;

			if (in) {
				at++;
				continue;
			}
			if (nc_xp_rule_match(c->rules[i], &p) != NC_PKT_NO)
				bad++;
			checked++;
		}
		if (n >= 0 && at != (size_t)n)
			unsorted++;
		free(cand);
	}
	ok(bad == 0 && checked > 0, "index: of %zu rules left out for a packet, %zu could match",
	   checked, bad);
	ok(unsorted == 0, "index: the rules left in come in chain order (%zu walks out of order)",
	   unsorted);
	nc_xp_free(&xp);
	nc_ruleset_free(rs);
}

int main(void)
{
	static const char *const chains[] = {
		"-N WEB", "-N GO",
		"-A PREROUTING -p tcp --dport 80:90 -j WEB",
		"-A WEB -p tcp --dport 83 -j RETURN",
		"-A WEB -s 10.0.0.0/8 -p tcp -j ACCEPT",
		"-A WEB -p tcp -j DNAT --to-destination 192.0.2.3:8080",
		"-A PREROUTING -p tcp --dport 91 -g GO",
		"-A PREROUTING -p tcp --dport 91 -j DNAT --to-destination 192.0.2.9:1",
		"-A GO -i eth1 -p tcp -j DNAT --to-destination 192.0.2.4:2",
		NULL,
	};

	sentence("-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80",
		 "TCP packets to port 80, arriving on any interface, for any destination address: destination rewritten to 13.37.42.1 port 80");
	sentence("-A POSTROUTING -o eth0 -j MASQUERADE",
		 "All packets leaving through eth0, from any source address: source rewritten to the address of the interface the packet leaves through, port kept unless another connection uses it");
	sentence("-A POSTROUTING -s 10.0.0.0/8 ! -d 10.1.2.3 -p udp -j SNAT --to-source 192.0.2.1-192.0.2.9:1000-2000",
		 "UDP packets from 10.0.0.0/8, to any address except 10.1.2.3, leaving through any interface: source rewritten to an address in 192.0.2.1-192.0.2.9 a port in 1000-2000 (the original one when it is in that range)");
	sentence("-A PREROUTING -i eth+ -p tcp ! --sport 1024:65535 -j REDIRECT --to-ports 8080",
		 "TCP packets from any port outside 1024-65535, arriving on any interface whose name starts with eth, for any destination address: destination rewritten to this host itself (the incoming interface's address; 127.0.0.1 for its own traffic) port 8080");
	sentence("-A PREROUTING -p tcp --syn -j RETURN",
		 "TCP packets opening a connection (SYN only): back to the chain that jumped here (the policy, in a builtin chain)");
	sentence("-A OUTPUT ! -o lo -j ACCEPT",
		 "All packets leaving through any interface but lo: left as they are (no later nat rule of this hook sees them)");

	walk(chains, pkt("192.0.2.2", 4000, "192.0.2.1", 80, "eth0"),
	     "dnat 192.0.2.3:8080", "walk: -j WEB, DNAT at its end");
	walk(chains, pkt("192.0.2.2", 4000, "192.0.2.1", 83, "eth0"),
	     "none", "walk: RETURN in WEB, nothing after it in PREROUTING matches");
	walk(chains, pkt("10.9.9.9", 4000, "192.0.2.1", 84, "eth0"),
	     "none", "walk: ACCEPT in WEB ends the hook");
	walk(chains, pkt(NULL, 4000, "192.0.2.1", 84, "eth0"),
	     "maybe", "walk: unknown source: the ACCEPT may match, so the DNAT after it is only maybe");
	walk(chains, pkt("192.0.2.2", 4000, "192.0.2.1", 91, "eth0"),
	     "none", "walk: -g GO falls off GO's end: back to PREROUTING's caller, next rule skipped");
	walk(chains, pkt("192.0.2.2", 4000, "192.0.2.1", 91, "eth1"),
	     "dnat 192.0.2.4:2", "walk: -g GO, DNAT there");
	walk(chains, pkt("192.0.2.2", 4000, "192.0.2.1", 99, "eth0"),
	     "none", "walk: no rule matches");

	/* the mark: MARK sets it, -m mark tests the new value */
	static const char *const marks[] = {
		"-N MARKIT",
		"-A PREROUTING -p tcp --dport 80 -j MARKIT",
		"-A MARKIT -j MARK --or-mark 0x4000",
		"-A PREROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
		"-A PREROUTING -j DNAT --to-destination 192.0.2.7",
		NULL,
	};
	struct nc_pkt m = pkt("192.0.2.2", 4000, "192.0.2.1", 80, "eth0");

	m.known |= NC_PK_MARK;
	walk(marks, m, "dnat 192.0.2.7:0", "walk: MARK in a chain, the mark test after it sees the bit");
	m.dport = 81;
	walk(marks, m, "none", "walk: unmarked: the mark test returns");
	m.known &= ~(unsigned)NC_PK_MARK;
	walk(marks, m, "maybe", "walk: the mark unknown (static checks): maybe");
	m.known |= NC_PK_MARK;
	m.mark = 0x4001;
	walk(marks, m, "dnat 192.0.2.7:0", "walk: a mark given with the packet");
	static const char *const maybe_mark[] = {
		"-A PREROUTING -m limit --limit 1/sec -j MARK --set-mark 0x4000",
		"-A PREROUTING -m mark --mark 0x4000 -j DNAT --to-destination 192.0.2.8",
		NULL,
	};
	m.mark = 0;
	walk(maybe_mark, m, "maybe", "walk: a MARK that only maybe matched makes the mark unknown");

	/* NETMAP: the network mapped, the host part kept (amin: the net) */
	static const char *const netmap[] = {
		"-A PREROUTING -d 203.0.113.0/24 -j NETMAP --to 198.51.100.0/24", NULL,
	};
	walk(netmap, pkt("192.0.2.2", 4000, "203.0.113.9", 80, "eth0"),
	     "dnat 198.51.100.0:0", "walk: NETMAP in PREROUTING is a DNAT of the prefix");

	/* matches that decide some packets only */
	static const char *const some[] = {
		"-A PREROUTING -m iprange --src-range 10.0.0.1-10.0.0.9 -j DNAT --to-destination 192.0.2.1",
		"-A PREROUTING -m statistic --mode random --probability 0 -j DNAT --to-destination 192.0.2.2",
		"-A PREROUTING -m statistic --mode nth --every 1 --packet 0 -j DNAT --to-destination 192.0.2.3",
		NULL,
	};
	walk(some, pkt("10.0.0.5", 4000, "192.0.2.1", 80, "eth0"),
	     "dnat 192.0.2.1:0", "walk: -m iprange, inside the range");
	walk(some, pkt("10.0.0.10", 4000, "192.0.2.1", 80, "eth0"),
	     "dnat 192.0.2.3:0", "walk: outside the range; probability 0 never; every 1 always");
	static const char *const chance[] = {
		"-A PREROUTING -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.0.2.2",
		NULL,
	};
	walk(chance, pkt("10.0.0.10", 4000, "192.0.2.1", 80, "eth0"),
	     "maybe", "walk: probability 0.5: maybe");
	index_sound();
	return tap_done();
}
