// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netlink backend against the running kernel, in a network namespace
 * of its own (unshare(CLONE_NEWNET): the host's ruleset is never seen or
 * touched).  Needs root; without it the whole program is skipped, or
 * fails when CI=true.
 *
 * Usage: nl_kernel [N]   N rules for the large-batch checks (100000).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include "testsuite/unit/tap.h"
#include "backend/netlink/internal.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/ext.h"
#include "ir/ext/lib/nat.h"
#include "ir/ext/lib/ports.h"

/* tap.h's OK() evaluates its condition twice; ours have side effects */
#define OK(cond, ...) do {			\
	int c_ = !!(cond);			\
	ok(c_, __VA_ARGS__);			\
} while (0)

/* --- helpers ---------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first rule an iptables command line builds, or NULL. */
static struct nc_rule *rule_of(const char *line, uint8_t family)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, family, &err) : NULL;
	struct nc_rule *r = job && job->nrules ? nc_rule_clone(job->rules[0]) : NULL;

	if (!r)
		printf("# cannot build '%s': %s\n", line, err.msg);
	nc_job_free(job);
	nc_cmd_free(cmd);
	return r;
}

/* Queue the rule of @line (appended unless @pos says otherwise). */
static int queue(struct nc_nl *nl, const char *chain, const char *line,
		 enum nc_rule_pos pos, uint64_t handle)
{
	struct nc_rule *r = rule_of(line, AF_INET);
	int ret;

	if (!r)
		return -1;
	ret = nc_nl_add_rule(nl, chain, r, pos, handle, NULL);
	nc_rule_free(r);
	return ret;
}

static int commit(struct nc_nl *nl, struct nc_err *err)
{
	int ret;

	nc_err_clear(err);
	ret = nc_nl_commit(nl, err);
	if (ret == -1)
		printf("# commit: %s\n", err->msg);
	return ret;
}

static struct nc_ruleset *dump(struct nc_nl *nl, const char *chain)
{
	struct nc_err err = { 0 };
	struct nc_ruleset *rs = NULL;

	if (nc_nl_dump(nl, chain, true, &rs, &err) < 0)
		printf("# dump: %s\n", err.msg);
	return rs;
}

/* The last octet of each rule's source address, as a string ("CEADB"
 * when sources are 10.0.0.'C' ...). */
static void order(struct nc_nl *nl, const char *chain, char *out, size_t len)
{
	struct nc_ruleset *rs = dump(nl, chain);
	struct nc_chain *c = rs ? nc_ruleset_find_chain(rs, chain) : NULL;
	size_t i;

	for (i = 0; c && i < c->nrules && i + 1 < len; i++)
		out[i] = (char)(ntohl(c->rules[i]->src.ip) & 0xff);
	out[i] = 0;
	nc_ruleset_free(rs);
}

static uint64_t handle_at(struct nc_nl *nl, const char *chain, size_t pos)
{
	struct nc_ruleset *rs = dump(nl, chain);
	struct nc_chain *c = rs ? nc_ruleset_find_chain(rs, chain) : NULL;
	uint64_t h = c && pos < c->nrules ? c->rules[pos]->handle : 0;

	nc_ruleset_free(rs);
	return h;
}

/* Rules of @chain as expression lists, straight from the kernel. */
struct collect {
	struct nc_exprs l[4];
	size_t n;
};

static int collect_cb(struct nftnl_rule *r, void *data)
{
	struct collect *c = data;

	if (c->n == 4)
		return 0;
	return nc_nl_rule_to_exprs(r, &c->l[c->n++], NULL);
}

/* The same, lookups resolved through the session's set cache. */
static struct nc_nl *collect_nl;

static int collect_sets_cb(struct nftnl_rule *r, void *data)
{
	struct collect *c = data;

	if (c->n == 4)
		return 0;
	return nc_nl_rule_to_exprs(r, &c->l[c->n++], &collect_nl->sets);
}

static bool same_exprs(const struct nc_exprs *a, const struct nc_exprs *b)
{
	if (a->n != b->n) {
		printf("# %zu expressions sent, %zu read back\n", a->n, b->n);
		return false;
	}
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(&a->v[i], &b->v[i], sizeof(a->v[i]))) {
			printf("# expression %zu (type %d) differs\n", i,
			       a->v[i].type);
			return false;
		}
	return true;
}


/* --- the kinds matches and targets beyond NAT use ---------------------- */

static int elem_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct nc_set_elem));
}

/* Same expressions, arena bytes and set elements compared by content. */
static bool same_rich(const struct nc_exprs *a, const struct nc_exprs *b)
{
	char ca[256], cb[256];
	const char *xa = nc_exprs_comment(a, ca, sizeof(ca)),
		   *xb = nc_exprs_comment(b, cb, sizeof(cb));

	if (a->n != b->n || a->nsets != b->nsets || a->compat != b->compat ||
	    a->compat_proto != b->compat_proto ||
	    a->compat_flags != b->compat_flags || !xa != !xb ||
	    (xa && strcmp(xa, xb))) {
		printf("# rule attributes differ (n %zu/%zu sets %zu/%zu)\n",
		       a->n, b->n, a->nsets, b->nsets);
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		struct nc_expr x = a->v[i], y = b->v[i];
		bool same;

		if (x.type == NC_E_LOG) {
			same = x.u.log.prefix_len == y.u.log.prefix_len &&
			       !memcmp(nc_exprs_bytes(a, x.u.log.prefix_off),
				       nc_exprs_bytes(b, y.u.log.prefix_off),
				       x.u.log.prefix_len);
			x.u.log.prefix_off = y.u.log.prefix_off = 0;
		} else if (x.type == NC_E_MATCH || x.type == NC_E_TARGET) {
			same = x.u.xt.info_len == y.u.xt.info_len &&
			       !memcmp(nc_exprs_bytes(a, x.u.xt.info_off),
				       nc_exprs_bytes(b, y.u.xt.info_off),
				       x.u.xt.info_len);
			x.u.xt.info_off = y.u.xt.info_off = 0;
		} else {
			same = true;
		}
		if (!same || memcmp(&x, &y, sizeof(x))) {
			printf("# expression %zu (type %d) differs\n", i, x.type);
			return false;
		}
	}
	for (size_t i = 0; i < a->nsets; i++) {
		struct nc_set *p = &a->sets[i], *q = &b->sets[i];

		if (p->flags != q->flags || p->key_type != q->key_type ||
		    p->key_len != q->key_len || p->data_len != q->data_len ||
		    p->nelems != q->nelems) {
			printf("# set %zu differs (flags %#x/%#x, %zu/%zu elements)\n",
			       i, p->flags, q->flags, p->nelems, q->nelems);
			return false;
		}
		/* the kernel dumps interval sets in its own order */
		qsort(p->elems, p->nelems, sizeof(*p->elems), elem_cmp);
		qsort(q->elems, q->nelems, sizeof(*q->elems), elem_cmp);
		if (memcmp(p->elems, q->elems, p->nelems * sizeof(*p->elems))) {
			printf("# elements of set %zu differ\n", i);
			return false;
		}
	}
	return true;
}

static void port_elem(struct nc_exprs *l, int set, uint16_t port, uint32_t flags)
{
	struct nc_set_elem *e = nc_set_add_elem(l, (uint32_t)set);
	uint16_t p = htons(port);

	memcpy(e->key, &p, 2);
	e->flags = flags;
}

/* A filter-ish rule: tcp dport { 80, 443, 1000-2000 }, meta mark & 0xff
 * == 1, ct state established,related, limit, numgen, fib, log, meta mark
 * set, ct mark set, comment. */
static void rich_rule(struct nc_exprs *l)
{
	static const uint8_t tcp = IPPROTO_TCP;
	uint32_t one = 1, zero = 0, st = 2 | 4, local = 2, mark = 0x4000;
	struct nc_expr *x;
	int set;

	nc_expr_meta(l, NFT_META_L4PROTO);
	nc_expr_cmp(l, NFT_CMP_EQ, &tcp, 1);
	nc_expr_payload(l, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	set = nc_exprs_add_set(l, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT |
			       NFT_SET_INTERVAL, 13, 2, 0, 0);
	port_elem(l, set, 0, NFT_SET_ELEM_INTERVAL_END);
	port_elem(l, set, 80, 0);
	port_elem(l, set, 81, NFT_SET_ELEM_INTERVAL_END);
	port_elem(l, set, 443, 0);
	port_elem(l, set, 444, NFT_SET_ELEM_INTERVAL_END);
	port_elem(l, set, 1000, 0);
	port_elem(l, set, 2001, NFT_SET_ELEM_INTERVAL_END);
	l->sets[set].size = 7;
	x = nc_exprs_add(l, NC_E_LOOKUP);
	x->u.lookup.sreg = NFT_REG_1;
	x->u.lookup.set = (uint32_t)set;
	nc_expr_meta(l, NFT_META_MARK);
	nc_expr_cmp(l, NFT_CMP_EQ, &one, 4);
	x = nc_exprs_add(l, NC_E_CT);
	x->u.ct.key = NFT_CT_STATE;
	x->u.ct.dreg = NFT_REG_1;
	x->u.ct.dir = -1;
	x = nc_exprs_add(l, NC_E_BITWISE);
	x->u.bitwise.sreg = x->u.bitwise.dreg = NFT_REG_1;
	x->u.bitwise.len = 4;
	memcpy(x->u.bitwise.mask, &st, 4);
	nc_expr_cmp(l, NFT_CMP_NEQ, &zero, 4);
	x = nc_exprs_add(l, NC_E_CT);
	x->u.ct.key = NFT_CT_SRC_IP;
	x->u.ct.dreg = NFT_REG_1;
	x->u.ct.dir = 0;
	nc_expr_cmp(l, NFT_CMP_NEQ, &zero, 4);
	x = nc_exprs_add(l, NC_E_LIMIT);
	x->u.limit.rate = 3;
	x->u.limit.unit = 60;
	x->u.limit.burst = 5;
	x->u.limit.type = NFT_LIMIT_PKTS;
	x = nc_exprs_add(l, NC_E_NUMGEN);
	x->u.numgen.dreg = NFT_REG_1;
	x->u.numgen.modulus = 3;
	x->u.numgen.type = NFT_NG_INCREMENTAL;
	nc_expr_cmp(l, NFT_CMP_EQ, &zero, 4);
	x = nc_exprs_add(l, NC_E_FIB);
	x->u.fib.dreg = NFT_REG_1;
	x->u.fib.result = NFT_FIB_RESULT_ADDRTYPE;
	x->u.fib.flags = NFTA_FIB_F_DADDR;
	nc_expr_cmp(l, NFT_CMP_EQ, &local, 4);
	x = nc_exprs_add(l, NC_E_COUNTER);
	x = nc_exprs_add(l, NC_E_LOG);
	x->u.log.has = NC_LOG_HAS_PREFIX | NC_LOG_HAS_LEVEL | NC_LOG_HAS_FLAGS;
	x->u.log.prefix_off = (uint32_t)nc_exprs_store(l, "natc: ", 6);
	x->u.log.prefix_len = 6;
	x->u.log.level = 4;
	x->u.log.flags = 1;
	nc_expr_imm_data(l, NFT_REG_1, &mark, 4);
	x = nc_exprs_add(l, NC_E_META);
	x->u.meta.key = NFT_META_MARK;
	x->u.meta.sreg = NFT_REG_1;
	x = nc_exprs_add(l, NC_E_CT);
	x->u.ct.key = NFT_CT_MARK;
	x->u.ct.sreg = NFT_REG_1;
	x->u.ct.dir = -1;
	nc_exprs_set_comment(l, "every kind");
}

/* What iptables-nft writes for -p tcp -m comment --comment x -j MASQUERADE:
 * an xt match and an xt target, with the rule's compat attribute. */
static void xt_rule(struct nc_exprs *l)
{
	uint8_t comment[256] = "by iptables-nft";
	uint8_t masq[4 + 20] = { 0 };	/* nf_nat_ipv4_multi_range_compat */

	masq[0] = 1;			/* rangesize */
	nc_expr_xt(l, NC_E_MATCH, "comment", 0, comment, sizeof(comment));
	nc_exprs_add(l, NC_E_COUNTER);
	nc_expr_xt(l, NC_E_TARGET, "MASQUERADE", 0, masq, sizeof(masq));
	l->compat = true;
	l->compat_proto = IPPROTO_TCP;
	l->compat_flags = 0;
}

static void test_rich(void)
{
	struct nc_err err = { 0 };
	struct nc_nl *nl = nc_nl_open(AF_INET, "nat", &err);
	struct nc_exprs rich = { 0 }, xt = { 0 };
	struct collect got = { 0 };
	int ret = -1;

	rich_rule(&rich);
	xt_rule(&xt);
	if (nl && nc_nl_add_table(nl) == 0 && nc_nl_add_chain(nl, "RICH") == 0 &&
	    nc_nl_queue_exprs(nl, "RICH", &rich, NC_POS_APPEND, 0, NULL) == 0 &&
	    nc_nl_queue_exprs(nl, "RICH", &rich, NC_POS_APPEND, 0, NULL) == 0 &&
	    nc_nl_queue_exprs(nl, "RICH", &xt, NC_POS_APPEND, 0, NULL) == 0)
		ret = commit(nl, &err);
	OK(ret == 0, "rules with anonymous sets, ct, limit, numgen, fib, log, "
	   "meta/ct set, userdata and xt compat are accepted");
	OK(nl && nc_nl_setcache_load(nl) == 0 && nl->sets.n == 2,
	   "the two anonymous sets are read back (%zu)", nl ? nl->sets.n : 0);
	got.n = 0;
	if (nl) {
		collect_nl = nl;
		ret = nc_nl_rules_foreach(nl, NFT_MSG_GETRULE, "RICH",
					  collect_sets_cb, &got);
	}
	OK(ret == 0 && got.n == 3 && same_rich(&rich, &got.l[0]) &&
	   same_rich(&rich, &got.l[1]),
	   "the native rule reads back identical, set elements included");
	/* the kernel uses NFTA_RULE_COMPAT to check the xt extensions and
	 * does not keep it: dumps never carry it */
	xt.compat = false;
	xt.compat_proto = 0;
	OK(got.n == 3 && same_rich(&xt, &got.l[2]),
	   "the xt rule reads back identical (names, revisions, blobs, compat)");
	for (size_t i = 0; i < 4; i++)
		nc_exprs_free(&got.l[i]);
	nc_exprs_free(&rich);
	nc_exprs_free(&xt);
	nc_nl_close(nl);
}

/* --- expression round trips ------------------------------------------- */

/* One rule holding every kind of expression (in a user chain no base
 * chain jumps to, so no hook refuses the NAT ones), in the form the kernel
 * dumps back: NAT maxima set, flags with MAP_IPS. */
static void every_kind(struct nc_exprs *l, uint8_t family)
{
	static const uint8_t tcp = IPPROTO_TCP, mask[4] = { 255, 255, 255, 0 },
		xor[4] = { 0, 0, 0, 1 }, net[4] = { 10, 1, 2, 1 };
	uint16_t lo = htons(1), hi = htons(100), port = htons(8080);
	uint8_t addr[16] = { 192, 0, 2, 7 };
	uint32_t alen = family == AF_INET6 ? 16 : 4;
	struct nc_expr *x;

	if (family == AF_INET6)
		inet_pton(AF_INET6, "2001:db8::7", addr);
	nc_expr_meta(l, NFT_META_L4PROTO);
	nc_expr_cmp(l, NFT_CMP_EQ, &tcp, 1);
	nc_expr_payload(l, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	nc_expr_range(l, NFT_RANGE_NEQ, &lo, &hi, 2);
	nc_expr_payload(l, NFT_PAYLOAD_NETWORK_HEADER, family == AF_INET6 ? 8 : 12, 4);
	x = nc_exprs_add(l, NC_E_BITWISE);
	x->u.bitwise.sreg = x->u.bitwise.dreg = NFT_REG_1;
	x->u.bitwise.len = 4;
	memcpy(x->u.bitwise.mask, mask, 4);
	memcpy(x->u.bitwise.xor, xor, 4);
	nc_expr_cmp(l, NFT_CMP_NEQ, net, 4);
	x = nc_exprs_add(l, NC_E_COUNTER);
	x->u.counter.packets = 7;
	x->u.counter.bytes = 700;
	nc_expr_imm_data(l, NFT_REG_1, addr, alen);
	nc_expr_imm_data(l, NFT_REG_2, &port, 2);
	x = nc_exprs_add(l, NC_E_NAT);
	x->u.nat.type = NFT_NAT_DNAT;
	x->u.nat.family = family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	x->u.nat.reg_addr_min = x->u.nat.reg_addr_max = NFT_REG_1;
	x->u.nat.reg_proto_min = x->u.nat.reg_proto_max = NFT_REG_2;
	x->u.nat.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	x = nc_exprs_add(l, NC_E_MASQ);
	x->u.masq.reg_proto_min = x->u.masq.reg_proto_max = NFT_REG_2;
	x->u.masq.flags = NF_NAT_RANGE_PROTO_SPECIFIED | NF_NAT_RANGE_PROTO_RANDOM;
	x = nc_exprs_add(l, NC_E_REDIR);
	x->u.masq.reg_proto_min = x->u.masq.reg_proto_max = NFT_REG_2;
	x->u.masq.flags = NF_NAT_RANGE_PROTO_SPECIFIED;
	nc_expr_imm_verdict(l, NFT_JUMP, "FOO");
}

static void test_roundtrip(uint8_t family)
{
	const char *fam = family == AF_INET6 ? "ip6" : "ip";
	struct nc_err err = { 0 };
	struct nc_nl *nl = nc_nl_open(family, "nat", &err);
	struct nc_exprs sent = { 0 };
	struct collect got = { 0 };
	int ret = -1;

	every_kind(&sent, family);
	if (nl && nc_nl_add_table(nl) == 0 && nc_nl_add_chain(nl, "FOO") == 0 &&
	    nc_nl_add_chain(nl, "ALL") == 0 &&
	    nc_nl_queue_exprs(nl, "ALL", &sent, NC_POS_APPEND, 0, NULL) == 0)
		ret = commit(nl, &err);
	OK(ret == 0, "%s: a rule of every expression kind is accepted", fam);
	OK(nl && nc_nl_rules_foreach(nl, NFT_MSG_GETRULE, "ALL", collect_cb,
				     &got) == 0 && got.n == 1 &&
	   same_exprs(&sent, &got.l[0]),
	   "%s: it reads back identical (meta cmp payload range bitwise counter "
	   "immediate nat masq redir verdict)", fam);
	for (size_t i = 0; i < 4; i++)
		nc_exprs_free(&got.l[i]);
	nc_exprs_free(&sent);
	nc_nl_close(nl);
}

/* nft 1.0.6's NFTA_RULE_EXPRESSIONS for "tcp dport 80 counter dnat to
 * 13.37.42.1:80" (nft --debug=mnl), as it sends it. */
static const uint8_t nft_dnat80[] = {
	0x58, 0x01, 0x04, 0x80, 0x24, 0x00, 0x01, 0x80, 0x09, 0x00, 0x01, 0x00,
	0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x80,
	0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x10, 0x08, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x63, 0x6d, 0x70, 0x00, 0x20, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x03, 0x80, 0x05, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00,
	0x34, 0x00, 0x01, 0x80, 0x0c, 0x00, 0x01, 0x00, 0x70, 0x61, 0x79, 0x6c,
	0x6f, 0x61, 0x64, 0x00, 0x24, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x2c, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x63, 0x6d, 0x70, 0x00, 0x20, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x03, 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x50, 0x00, 0x00,
	0x14, 0x00, 0x01, 0x80, 0x0c, 0x00, 0x01, 0x00, 0x63, 0x6f, 0x75, 0x6e,
	0x74, 0x65, 0x72, 0x00, 0x04, 0x00, 0x02, 0x80, 0x2c, 0x00, 0x01, 0x80,
	0x0e, 0x00, 0x01, 0x00, 0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74,
	0x65, 0x00, 0x00, 0x00, 0x18, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x0c, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x0d, 0x25, 0x2a, 0x01, 0x2c, 0x00, 0x01, 0x80, 0x0e, 0x00, 0x01, 0x00,
	0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, 0x65, 0x00, 0x00, 0x00,
	0x18, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x0c, 0x00, 0x02, 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x50, 0x00, 0x00,
	0x38, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00, 0x6e, 0x61, 0x74, 0x00,
	0x2c, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x03, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static void test_nft_bytes(void)
{
	static const uint8_t tcp = IPPROTO_TCP;
	uint16_t p80 = htons(80);
	uint32_t to = htonl(0x0d252a01);
	struct nc_exprs l = { 0 };
	union { struct nlmsghdr h; char b[4096]; } buf = { 0 };
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf.b, NFT_MSG_NEWRULE,
						     NFPROTO_IPV4, 0, 1);
	const struct nlattr *a, *found = NULL;
	struct nc_expr *x;

	nc_expr_meta(&l, NFT_META_L4PROTO);
	nc_expr_cmp(&l, NFT_CMP_EQ, &tcp, 1);
	nc_expr_payload(&l, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	nc_expr_cmp(&l, NFT_CMP_EQ, &p80, 2);
	nc_exprs_add(&l, NC_E_COUNTER);
	nc_expr_imm_data(&l, NFT_REG_1, &to, 4);
	nc_expr_imm_data(&l, NFT_REG_2, &p80, 2);
	x = nc_exprs_add(&l, NC_E_NAT);
	x->u.nat.type = NFT_NAT_DNAT;
	x->u.nat.family = NFPROTO_IPV4;
	x->u.nat.reg_addr_min = NFT_REG_1;
	x->u.nat.reg_proto_min = NFT_REG_2;
	x->u.nat.flags = NF_NAT_RANGE_PROTO_SPECIFIED;	/* what nft sends */
	if (nc_nl_put_exprs(nlh, &l, 0) == 0) {
		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_RULE_EXPRESSIONS)
				found = a;
	}
	OK(found && found->nla_len == sizeof(nft_dnat80) &&
	   !memcmp(found, nft_dnat80, sizeof(nft_dnat80)),
	   "encoding is byte for byte what nft 1.0.6 sends for the same rule");
	nc_exprs_free(&l);
}

/* --- chains, rules, errors ---------------------------------------------- */

static void test_chains(struct nc_nl *nl)
{
	struct nc_err err = { 0 };
	struct nc_ruleset *rs = dump(nl, NULL);
	struct nc_chain *c;
	size_t absent = 0;

	for (size_t i = 0; rs && i < rs->nchains; i++)
		absent += rs->chains[i]->builtin && !rs->chains[i]->exists;
	OK(rs && rs->nchains == 4 && absent == 4,
	   "no table: an empty ruleset listing the 4 builtins as absent");
	nc_ruleset_free(rs);

	OK(nc_nl_add_table(nl) == 0 && nc_nl_add_chain(nl, "PREROUTING") == 0 &&
	   nc_nl_add_chain(nl, "INPUT") == 0 && nc_nl_add_chain(nl, "OUTPUT") == 0 &&
	   nc_nl_add_chain(nl, "POSTROUTING") == 0 &&
	   nc_nl_new_chain(nl, "FOO") == 0 && commit(nl, &err) == 0,
	   "table, builtins and a user chain are created in one batch");
	rs = dump(nl, NULL);
	c = rs ? nc_ruleset_find_chain(rs, "PREROUTING") : NULL;
	OK(c && c->exists && c->builtin && c->hook == NF_INET_PRE_ROUTING &&
	   c->prio == -100 && c->policy == NF_ACCEPT && c->handle,
	   "PREROUTING: hook prerouting, priority -100, policy accept");
	c = rs ? nc_ruleset_find_chain(rs, "POSTROUTING") : NULL;
	OK(c && c->exists && c->hook == NF_INET_POST_ROUTING && c->prio == 100,
	   "POSTROUTING: hook postrouting, priority 100");
	c = rs ? nc_ruleset_find_chain(rs, "FOO") : NULL;
	OK(c && c->exists && !c->builtin && rs->nchains == 5 &&
	   rs->chains[4] == c, "FOO is a user chain, listed after the builtins");
	nc_ruleset_free(rs);

	OK(nc_nl_add_chain(nl, "PREROUTING") == 0 && nc_nl_add_chain(nl, "FOO") == 0 &&
	   commit(nl, &err) == 0, "adding existing chains again is not an error");
	OK(nc_nl_new_chain(nl, "FOO") == 0 && commit(nl, &err) == -1 &&
	   err.status == NC_ERESOURCE, "-N of an existing chain is refused");
	is_str(err.msg, " CHAIN_USER_ADD failed (File exists): chain FOO",
	       "... with iptables' message");
	OK(nc_nl_chain_exists(nl, "FOO", &err) == 1 &&
	   nc_nl_chain_exists(nl, "NOPE", &err) == 0, "chain_exists: 1 and 0");
	{
		/* replies nobody read are dropped before the next request */
		char req[64];
		struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETGEN,
							     AF_UNSPEC, NLM_F_ACK, 1);

		OK(mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) > 0 &&
		   mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) > 0 &&
		   nc_nl_chain_exists(nl, "FOO", &err) == 1,
		   "stale replies do not confuse the next request");
	}

	OK(nc_nl_set_policy(nl, "PREROUTING", NF_DROP) == 0 && commit(nl, &err) == 0,
	   "policy DROP is set");
	rs = dump(nl, "PREROUTING");
	c = rs ? nc_ruleset_find_chain(rs, "PREROUTING") : NULL;
	OK(c && c->policy == NF_DROP && rs->nchains == 1,
	   "... and read back (dump of one chain lists only it)");
	nc_ruleset_free(rs);
	OK(nc_nl_add_chain(nl, "PREROUTING") == 0 && commit(nl, &err) == 0 &&
	   (rs = dump(nl, "PREROUTING")) &&
	   rs->chains[0]->policy == NF_DROP,
	   "re-adding a builtin leaves its policy alone");
	nc_ruleset_free(rs);
	OK(nc_nl_set_policy(nl, "PREROUTING", NF_ACCEPT) == 0 &&
	   commit(nl, &err) == 0, "policy back to ACCEPT");

	OK(nc_nl_new_chain(nl, "REN1") == 0 && commit(nl, &err) == 0 &&
	   (rs = dump(nl, "REN1")) != NULL, "REN1 created");
	c = rs ? nc_ruleset_find_chain(rs, "REN1") : NULL;
	OK(c && nc_nl_rename_chain(nl, c->handle, "REN2") == 0 &&
	   commit(nl, &err) == 0 && nc_nl_chain_exists(nl, "REN2", &err) == 1 &&
	   nc_nl_chain_exists(nl, "REN1", &err) == 0, "renamed to REN2 by handle");
	nc_ruleset_free(rs);
	OK(nc_nl_del_chain(nl, "REN2") == 0 && commit(nl, &err) == 0 &&
	   nc_nl_chain_exists(nl, "REN2", &err) == 0, "REN2 deleted");
}

static void test_rules(struct nc_nl *nl)
{
	static const char *const lines[] = {
		"-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80",
		"-A PREROUTING -d 10.0.0.0/8 -p udp --dport 53 -j REDIRECT --to-ports 5353",
		"-A PREROUTING -i eth+ -j FOO",
		"-A POSTROUTING -o eth0 -s 192.168.0.0/16 -j MASQUERADE",
		"-A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4-1.2.3.9:1000-2000",
	};
	struct nc_err err = { 0 };
	struct nc_rule *want[5] = { 0 };
	struct nc_ruleset *rs;
	size_t same = 0;
	char got[16];
	uint64_t h;
	int ret = 0;

	for (size_t i = 0; i < 5; i++) {
		const char *chain = i < 3 ? "PREROUTING" : "POSTROUTING";

		want[i] = rule_of(lines[i], AF_INET);
		if (!want[i] || nc_nl_add_rule(nl, chain, want[i], NC_POS_APPEND, 0,
					       NULL) < 0)
			ret = -1;
	}
	OK(ret == 0 && commit(nl, &err) == 0, "DNAT, REDIRECT, jump, MASQUERADE, "
	   "SNAT rules are committed");
	rs = dump(nl, NULL);
	for (size_t i = 0; rs && i < 5; i++) {
		struct nc_chain *c = nc_ruleset_find_chain(rs, i < 3 ? "PREROUTING" :
							   "POSTROUTING");
		size_t pos = i < 3 ? i : i - 3;

		if (c && pos < c->nrules && want[i] &&
		    nc_rule_equal(c->rules[pos], want[i]) && c->rules[pos]->handle &&
		    !c->rules[pos]->unknown)
			same++;
	}
	OK(same == 5, "they read back equal, with handles");
	nc_ruleset_free(rs);
	for (size_t i = 0; i < 5; i++)
		nc_rule_free(want[i]);

	/* positions: sources 10.0.0.'A' ... identify the rules */
	OK(nc_nl_new_chain(nl, "POS") == 0 &&
	   queue(nl, "POS", "-A POS -s 10.0.0.65 -j ACCEPT", NC_POS_APPEND, 0) == 0 &&
	   queue(nl, "POS", "-A POS -s 10.0.0.66 -j ACCEPT", NC_POS_APPEND, 0) == 0 &&
	   queue(nl, "POS", "-A POS -s 10.0.0.67 -j ACCEPT", NC_POS_FIRST, 0) == 0 &&
	   commit(nl, &err) == 0, "append A, append B, insert C first");
	order(nl, "POS", got, sizeof(got));
	is_str(got, "CAB", "... gives C A B");
	h = handle_at(nl, "POS", 2);
	OK(h && queue(nl, "POS", "-A POS -s 10.0.0.68 -j ACCEPT", NC_POS_BEFORE, h) == 0 &&
	   commit(nl, &err) == 0, "insert D before B's handle");
	h = handle_at(nl, "POS", 0);
	OK(h && queue(nl, "POS", "-A POS -s 10.0.0.69 -j ACCEPT", NC_POS_AFTER, h) == 0 &&
	   commit(nl, &err) == 0, "insert E after C's handle");
	order(nl, "POS", got, sizeof(got));
	is_str(got, "CEADB", "... gives C E A D B");
	h = handle_at(nl, "POS", 2);
	{
		struct nc_rule *f = rule_of("-A POS -s 10.0.0.70 -j ACCEPT", AF_INET);

		OK(f && h && nc_nl_replace_rule(nl, "POS", h, f) == 0 &&
		   commit(nl, &err) == 0, "replace A by F");
		nc_rule_free(f);
	}
	h = handle_at(nl, "POS", 3);
	OK(h && nc_nl_del_rule(nl, "POS", h) == 0 && commit(nl, &err) == 0,
	   "delete D by handle");
	order(nl, "POS", got, sizeof(got));
	is_str(got, "CEFB", "... gives C E F B");
	OK(nc_nl_flush_chain(nl, "POS") == 0 && commit(nl, &err) == 0, "flush POS");
	order(nl, "POS", got, sizeof(got));
	is_str(got, "", "... leaves it empty");

	/* counters */
	{
		struct nc_rule *r = rule_of("-A POS -j ACCEPT", AF_INET);
		struct nc_chain *c;

		if (r) {
			r->packets = 5;
			r->bytes = 100;
		}
		OK(r && nc_nl_add_rule(nl, "POS", r, NC_POS_APPEND, 0, NULL) == 0 &&
		   commit(nl, &err) == 0, "a rule with counters 5/100");
		nc_rule_free(r);
		rs = dump(nl, "POS");
		c = rs ? nc_ruleset_find_chain(rs, "POS") : NULL;
		OK(c && c->nrules == 1 && c->rules[0]->packets == 5 &&
		   c->rules[0]->bytes == 100, "... reads back 5/100");
		nc_ruleset_free(rs);
		OK(nc_nl_reset_counters(nl, "POS", &err) == 0, "reset counters of POS");
		rs = dump(nl, "POS");
		c = rs ? nc_ruleset_find_chain(rs, "POS") : NULL;
		OK(c && c->nrules == 1 && c->rules[0]->packets == 0 &&
		   c->rules[0]->bytes == 0, "... reads back 0/0");
		nc_ruleset_free(rs);
		OK(nc_nl_reset_counters(nl, NULL, &err) == 0, "reset counters of the table");
	}

	OK(nc_nl_del_chain(nl, "FOO") == 0 && commit(nl, &err) == -1,
	   "deleting a referenced chain is refused");
	is_str(err.msg, " CHAIN_DEL failed (Device or resource busy): chain FOO",
	       "... as CHAIN_DEL, busy");
}

static void test_refused(struct nc_nl *nl)
{
	struct nc_err err = { 0 };
	struct nc_ruleset *rs = dump(nl, "PREROUTING");
	size_t before = rs && rs->nchains ? rs->chains[0]->nrules : 0;
	struct nc_rule *masq = rule_of("-A POSTROUTING -j MASQUERADE", AF_INET);
	int ret;

	nc_ruleset_free(rs);
	ret = nc_nl_new_chain(nl, "X1") == 0 &&
	      queue(nl, "PREROUTING", "-A PREROUTING -p tcp --dport 81 -j DNAT "
		    "--to-destination 1.1.1.1", NC_POS_APPEND, 0) == 0 &&
	      masq && nc_nl_add_rule(nl, "PREROUTING", masq, NC_POS_APPEND, 0,
				     "RULE_APPEND") == 0 ? commit(nl, &err) : 0;
	nc_rule_free(masq);
	OK(ret == -1 && err.status == NC_ERESOURCE,
	   "a batch whose last rule is a masq in PREROUTING is refused");
	is_str(err.msg, " RULE_APPEND failed (Operation not supported): rule in chain "
	       "PREROUTING", "... and the error names that operation");
	rs = dump(nl, "PREROUTING");
	OK(rs && rs->chains[0]->nrules == before &&
	   nc_nl_chain_exists(nl, "X1", &err) == 0, "... nothing of it was applied");
	nc_ruleset_free(rs);

	ret = queue(nl, "POSTROUTING", "-A POSTROUTING -p tcp -j DNAT "
		    "--to-destination 1.1.1.1", NC_POS_APPEND, 0) == 0 ?
	      commit(nl, &err) : 0;
	is_str(ret == -1 ? err.msg : "", " RULE_APPEND failed (Operation not "
	       "supported): rule in chain POSTROUTING", "a dnat in POSTROUTING too");
	ret = queue(nl, "NOPE", "-A NOPE -j ACCEPT", NC_POS_FIRST, 0) == 0 ?
	      commit(nl, &err) : 0;
	is_str(ret == -1 ? err.msg : "", " RULE_INSERT failed (No such file or "
	       "directory): rule in chain NOPE", "a rule into a missing chain");
}

static void test_genid(void)
{
	struct nc_err err = { 0 }, err2 = { 0 };
	struct nc_nl *a = nc_nl_open(AF_INET, "nat", &err);
	struct nc_nl *b = nc_nl_open(AF_INET, "nat", &err);
	struct nc_ruleset *rs = a ? dump(a, NULL) : NULL;
	int ret;

	nc_ruleset_free(rs);
	OK(b && nc_nl_new_chain(b, "G1") == 0 && commit(b, &err) == 0,
	   "another session commits after our dump");
	nc_err_clear(&err2);
	ret = a && nc_nl_new_chain(a, "G2") == 0 ? nc_nl_commit(a, &err2) : 0;
	OK(ret == -2 && err2.status == NC_OK,
	   "our commit then returns -2 (ERESTART), err untouched");
	OK(a && nc_nl_chain_exists(a, "G2", &err) == 0, "... and applied nothing");
	rs = a ? dump(a, NULL) : NULL;
	nc_ruleset_free(rs);
	OK(rs && nc_nl_new_chain(a, "G2") == 0 && commit(a, &err) == 0,
	   "after a new dump the retry commits");
	OK(a && nc_nl_new_chain(a, "G3") == 0 && commit(a, &err) == 0,
	   "a commit without a dump before it is not checked");
	nc_err_clear(&err2);
	ret = a && nc_nl_chain_exists(a, "G3", &err) == 1 && b &&
	      nc_nl_new_chain(b, "G4") == 0 && commit(b, &err) == 0 &&
	      nc_nl_new_chain(a, "G5") == 0 ? nc_nl_commit(a, &err2) : 0;
	OK(ret == -2 && err2.status == NC_OK,
	   "a chain look-up pins the generation too: a commit after another's is -2");
	nc_err_clear(&err2);
	rs = NULL;
	ret = a && nc_nl_chain_exists(a, "G3", &err) == 1 && b &&
	      nc_nl_new_chain(b, "S1") == 0 && commit(b, &err) == 0 ?
	      nc_nl_dump(a, NULL, true, &rs, &err2) : 0;
	OK(ret == -1 && !rs && nc_nl_stale(a) && err2.status == NC_OK,
	   "a dump after another's commit, the generation pinned before it: "
	   "stale, err untouched");
	nc_nl_abort(a);
	OK(a && !nc_nl_stale(a), "... which nc_nl_abort() forgets");
	ret = -2;
	/* refused again and again: -1 once NC_NL_TRIES came in a row */
	for (int i = 1; a && b && i <= NC_NL_TRIES && ret == -2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "T%d", i);
		ret = nc_nl_chain_exists(a, "G3", &err) == 1 &&
		      nc_nl_new_chain(b, name) == 0 && commit(b, &err) == 0 &&
		      nc_nl_new_chain(a, "G5") == 0 ? nc_nl_commit(a, &err2) : 0;
		if (i < NC_NL_TRIES - 1 && ret != -2)
			break;
	}
	OK(ret == -1 && err2.status == NC_ERESOURCE &&
	   strstr(err2.msg, "128 times in a row") != NULL,
	   "after %d refusals in a row the commit fails: %s", NC_NL_TRIES, err2.msg);
	nc_err_clear(&err2);
	ret = a && nc_nl_new_chain(a, "G5") == 0 && commit(a, &err) == 0 &&
	      nc_nl_chain_exists(a, "G3", &err) == 1 && nc_nl_new_chain(b, "G6") == 0 &&
	      commit(b, &err) == 0 && nc_nl_new_chain(a, "G7") == 0 ?
	      nc_nl_commit(a, &err2) : 0;
	OK(ret == -2, "... and the count starts again once a commit goes through");
	nc_nl_close(a);
	nc_nl_close(b);
}

/* Rules nft writes that natc cannot express read as unknown. */
static void test_foreign(struct nc_nl *nl)
{
	struct collect got = { 0 };
	struct nc_ruleset *rs;
	bool unknown = false;

	if (access("/usr/sbin/nft", X_OK) != 0) {
		tap_skip("nft not installed", "meta set and quota read as expressions");
		tap_skip("nft not installed", "... and the rule as one natc cannot express");
		return;
	}
	if (system("/usr/sbin/nft add chain ip nat NFT '{ }' && "
		   "/usr/sbin/nft add rule ip nat NFT meta mark set 1 quota 100 bytes") != 0)
		printf("# nft failed\n");
	OK(nc_nl_rules_foreach(nl, NFT_MSG_GETRULE, "NFT", collect_cb, &got) == 0 &&
	   got.n == 1 && got.l[0].n == 3 && got.l[0].v[1].type == NC_E_META &&
	   got.l[0].v[1].u.meta.sreg == NFT_REG_1 &&
	   got.l[0].v[2].type == NC_E_UNKNOWN &&
	   !strcmp(got.l[0].v[2].u.unknown.name, "quota"),
	   "meta set reads as a store, quota as an unknown expression, by name");
	rs = dump(nl, "NFT");
	unknown = rs && rs->nchains == 1 && rs->chains[0]->nrules == 1 &&
		  rs->chains[0]->rules[0]->unknown;
	OK(unknown, "... and the rule as one natc cannot express");
	nc_ruleset_free(rs);
	for (size_t i = 0; i < 4; i++)
		nc_exprs_free(&got.l[i]);
}

/* --- a large batch ------------------------------------------------------ */

struct stop_at {
	size_t seen, at;
};

/* Fails at the at-th rule, as a callback that ran out of memory would. */
static int stop_cb(struct nftnl_rule *r, void *data)
{
	struct stop_at *s = data;

	(void)r;
	if (++s->seen == s->at) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void test_large(size_t n)
{
	struct nc_err err = { 0 };
	struct nc_nl *nl = nc_nl_open(AF_INET, "nat", &err);
	struct nc_rule *r = rule_of("-A PREROUTING -d 10.0.0.1 -p tcp --dport 1 "
				    "-j DNAT --to-destination 10.1.0.1:8080", AF_INET);
	struct nc_ports *p = r ? r->matches[0].data : NULL;
	struct nc_nat *t = r ? r->target.data : NULL;
	struct nc_rule *first = NULL, *last = NULL;
	struct nc_ruleset *rs;
	struct nc_chain *c;
	double t0, t1, t2, t3;
	size_t bytes = 0, i;
	int ret = -1;

	if (!nl || !r || r->nmatches != 1 || r->target.ops != &nc_ext_dnat) {
		OK(0, "large batch: setup");
		goto out;
	}
	t0 = now();
	if (nc_nl_add_table(nl) < 0 || nc_nl_add_chain(nl, "PREROUTING") < 0) {
		OK(0, "large batch: table and chain queued");
		goto out;
	}
	for (i = 0; i < n; i++) {
		r->dst.ip = htonl(0x0a000000 + (uint32_t)(i % 65536) + 1);
		p->dpts[0] = p->dpts[1] = (uint16_t)(i / 65536 + 1);
		t->min_addr.ip = t->max_addr.ip = htonl(0x0a010000 + (uint32_t)i);
		if (i == 0)
			first = nc_rule_clone(r);
		if (i == n - 1)
			last = nc_rule_clone(r);
		if (nc_nl_add_rule(nl, "PREROUTING", r, NC_POS_APPEND, 0, NULL) < 0)
			break;
	}
	bytes = nl->batch.len + 2 * 20 + 8;
	t1 = now();
	if (i == n)
		ret = commit(nl, &err);
	t2 = now();
	OK(ret == 0, "%zu rules commit in one batch", n);
	printf("# queue %.3f s, commit %.3f s, batch %zu bytes (%.0f a rule)\n",
	       t1 - t0, t2 - t1, bytes, (double)bytes / (double)n);
	rs = dump(nl, "PREROUTING");
	t3 = now();
	c = rs ? nc_ruleset_find_chain(rs, "PREROUTING") : NULL;
	OK(c && c->nrules == n && first && last &&
	   nc_rule_equal(c->rules[0], first) && nc_rule_equal(c->rules[n - 1], last),
	   "... and read back, in order");
	printf("# dump and delinearize %.3f s\n", t3 - t2);
	nc_ruleset_free(rs);

	/* a dump read ahead whose parsing fails half way: the rest of the
	 * replies is received and dropped, the failure reported, and the
	 * next dump is whole */
	{
		struct stop_at s = { 0, n / 2 ? n / 2 : 1 };

		errno = 0;
		ret = nc_nl_rules_foreach(nl, NFT_MSG_GETRULE, "PREROUTING", stop_cb, &s);
		OK(ret == -1 && errno == ENOMEM && s.seen == s.at,
		   "a dump whose callback fails at rule %zu: -1, its errno, no rule after",
		   s.at);
		s = (struct stop_at){ 0, 0 };
		ret = nc_nl_rules_foreach(nl, NFT_MSG_GETRULE, "PREROUTING", stop_cb, &s);
		OK(ret == 0 && s.seen == n, "... and the next dump reads all %zu rules (%zu)",
		   n, s.seen);
	}

	/* every one of them refused: a flood of errors, the first reported */
	for (i = 0; i < n; i++)
		if (nc_nl_add_rule(nl, "NOPE", r, NC_POS_APPEND, 0, NULL) < 0)
			break;
	t0 = now();
	ret = commit(nl, &err);
	t1 = now();
	OK(ret == -1 && !strcmp(err.msg, " RULE_APPEND failed (No such file or "
				"directory): rule in chain NOPE"),
	   "%zu refused rules: the first error is reported (%.3f s)", n, t1 - t0);
	OK(nc_nl_chain_exists(nl, "PREROUTING", &err) == 1,
	   "... and the session still works");
out:
	nc_rule_free(r);
	nc_rule_free(first);
	nc_rule_free(last);
	nc_nl_close(nl);
}

int main(int argc, char **argv)
{
	size_t large = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	struct nc_err err = { 0 };
	struct nc_nl *nl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0)
		return tap_skip_all("needs root");
	if (unshare(CLONE_NEWNET) < 0) {
		printf("Bail out! unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	nl = nc_nl_open(AF_INET, "nat", &err);
	OK(nl != NULL, "session opened in a fresh network namespace");
	if (!nl) {
		printf("# %s\n", err.msg);
		return tap_done();
	}
	test_nft_bytes();
	test_chains(nl);
	test_rules(nl);
	test_refused(nl);
	test_genid();
	test_foreign(nl);
	nc_nl_close(nl);
	test_roundtrip(AF_INET);
	test_roundtrip(AF_INET6);
	/* each in a namespace of its own: a failure to make one fails */
	if (unshare(CLONE_NEWNET) == 0)
		test_rich();
	else
		ok(0, "rich rules: unshare(CLONE_NEWNET): %s", strerror(errno));
	if (large && unshare(CLONE_NEWNET) == 0)
		test_large(large);
	else if (large)
		ok(0, "large batch: unshare(CLONE_NEWNET): %s", strerror(errno));
	return tap_done();
}
