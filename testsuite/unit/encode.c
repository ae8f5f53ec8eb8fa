// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rule encoder (backend/netlink/expr.c, nc_nl_put_exprs) writes the
 * kernel's attributes straight into the message.  Its oracle is libnftnl:
 * for every rule of the unit corpus, lowered natively and as xt, the
 * bytes must be exactly those libnftnl writes for the same expressions set
 * on its objects (what natc did before, below), so nothing the kernel, nft
 * or iptables-nft reads changes.  nl_kernel.c checks one rule against the
 * bytes nft 1.0.6 itself sends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include "testsuite/unit/tap.h"
#include "testsuite/unit/rules.h"
#include "testsuite/unit/corpus.h"
#include "ir/ext.h"
#include "backend/netlink/internal.h"

static int set_data(struct nftnl_expr *e, uint16_t attr, const void *data,
		    uint32_t len)
{
	if (len == 0 || len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	if (nftnl_expr_set(e, attr, data, len) < 0) {
		if (!errno)
			errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void set_nonzero(struct nftnl_expr *e, uint16_t attr, uint32_t v)
{
	if (v)
		nftnl_expr_set_u32(e, attr, v);
}

static int enc_imm(struct nftnl_expr *e, const struct nc_expr *x)
{
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, x->u.imm.dreg);
	if (x->u.imm.dreg != NFT_REG_VERDICT)
		return set_data(e, NFTNL_EXPR_IMM_DATA, x->u.imm.data,
				x->u.imm.len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)x->u.imm.verdict);
	if (x->u.imm.chain[0] &&
	    nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, x->u.imm.chain) < 0)
		return -1;
	return 0;
}

static int enc_log(struct nftnl_expr *e, const struct nc_exprs *l,
		   const struct nc_expr *x)
{
	uint32_t has = x->u.log.has;

	if (has & NC_LOG_HAS_PREFIX) {
		char prefix[256];
		uint32_t n = x->u.log.prefix_len;

		if (n >= sizeof(prefix)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(prefix, nc_exprs_bytes(l, x->u.log.prefix_off), n);
		prefix[n] = '\0';
		if (nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, prefix) < 0)
			return -1;
	}
	if (has & NC_LOG_HAS_GROUP)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, x->u.log.group);
	if (has & NC_LOG_HAS_SNAPLEN)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, x->u.log.snaplen);
	if (has & NC_LOG_HAS_QTHRESHOLD)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, x->u.log.qthreshold);
	if (has & NC_LOG_HAS_LEVEL)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, x->u.log.level);
	if (has & NC_LOG_HAS_FLAGS)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_FLAGS, x->u.log.flags);
	return 0;
}

static int enc_xt(struct nftnl_expr *e, const struct nc_exprs *l,
		  const struct nc_expr *x)
{
	bool tg = x->type == NC_E_TARGET;
	void *info = NULL;

	if (nftnl_expr_set_str(e, tg ? NFTNL_EXPR_TG_NAME : NFTNL_EXPR_MT_NAME,
			       x->u.xt.name) < 0)
		return -1;
	nftnl_expr_set_u32(e, tg ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV,
			   x->u.xt.rev);
	/* libnftnl takes the blob without copying it and frees it */
	if (x->u.xt.info_len) {
		info = malloc(x->u.xt.info_len);
		if (!info)
			return -1;
		memcpy(info, nc_exprs_bytes(l, x->u.xt.info_off), x->u.xt.info_len);
	}
	if (nftnl_expr_set(e, tg ? NFTNL_EXPR_TG_INFO : NFTNL_EXPR_MT_INFO,
			   info, x->u.xt.info_len) < 0) {
		free(info);
		return -1;
	}
	return 0;
}

/* Fill @e (already allocated as the right kind) from @x of @l; lookups
 * name the set of @l they use through @set_id0 (see nc_nl_queue_sets). */
static int oracle_encode(struct nftnl_expr *e, const struct nc_exprs *l,
		  const struct nc_expr *x, uint32_t set_id0)
{
	switch (x->type) {
	case NC_E_META:
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, x->u.meta.key);
		if (x->u.meta.sreg)
			nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, x->u.meta.sreg);
		else
			nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, x->u.meta.dreg);
		return 0;
	case NC_E_CMP:
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, x->u.cmp.sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, x->u.cmp.op);
		return set_data(e, NFTNL_EXPR_CMP_DATA, x->u.cmp.data,
				x->u.cmp.len);
	case NC_E_PAYLOAD:
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, x->u.payload.dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, x->u.payload.base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET,
				   x->u.payload.offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, x->u.payload.len);
		return 0;
	case NC_E_BITWISE:
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, x->u.bitwise.sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, x->u.bitwise.dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, x->u.bitwise.len);
		if (set_data(e, NFTNL_EXPR_BITWISE_MASK, x->u.bitwise.mask,
			     x->u.bitwise.len) < 0)
			return -1;
		return set_data(e, NFTNL_EXPR_BITWISE_XOR, x->u.bitwise.xor,
				x->u.bitwise.len);
	case NC_E_BYTEORDER:
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, x->u.byteorder.sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, x->u.byteorder.dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, x->u.byteorder.op);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, x->u.byteorder.len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, x->u.byteorder.size);
		return 0;
	case NC_E_RANGE:
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, x->u.range.sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, x->u.range.op);
		if (set_data(e, NFTNL_EXPR_RANGE_FROM_DATA, x->u.range.from,
			     x->u.range.len) < 0)
			return -1;
		return set_data(e, NFTNL_EXPR_RANGE_TO_DATA, x->u.range.to,
				x->u.range.len);
	case NC_E_COUNTER:
		if (x->u.counter.packets || x->u.counter.bytes) {
			nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS,
					   x->u.counter.packets);
			nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES,
					   x->u.counter.bytes);
		}
		return 0;
	case NC_E_IMMEDIATE:
		return enc_imm(e, x);
	case NC_E_NAT:
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, x->u.nat.type);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, x->u.nat.family);
		set_nonzero(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, x->u.nat.reg_addr_min);
		set_nonzero(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, x->u.nat.reg_addr_max);
		set_nonzero(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, x->u.nat.reg_proto_min);
		set_nonzero(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, x->u.nat.reg_proto_max);
		set_nonzero(e, NFTNL_EXPR_NAT_FLAGS, x->u.nat.flags);
		return 0;
	case NC_E_MASQ:
		set_nonzero(e, NFTNL_EXPR_MASQ_FLAGS, x->u.masq.flags);
		set_nonzero(e, NFTNL_EXPR_MASQ_REG_PROTO_MIN, x->u.masq.reg_proto_min);
		set_nonzero(e, NFTNL_EXPR_MASQ_REG_PROTO_MAX, x->u.masq.reg_proto_max);
		return 0;
	case NC_E_REDIR:
		set_nonzero(e, NFTNL_EXPR_REDIR_REG_PROTO_MIN, x->u.masq.reg_proto_min);
		set_nonzero(e, NFTNL_EXPR_REDIR_REG_PROTO_MAX, x->u.masq.reg_proto_max);
		set_nonzero(e, NFTNL_EXPR_REDIR_FLAGS, x->u.masq.flags);
		return 0;
	case NC_E_LOOKUP:
		if (x->u.lookup.set >= l->nsets) {
			errno = EINVAL;
			return -1;
		}
		if (nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, NC_NL_ANON_SET) < 0)
			return -1;
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID,
				   set_id0 + x->u.lookup.set);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, x->u.lookup.sreg);
		set_nonzero(e, NFTNL_EXPR_LOOKUP_DREG, x->u.lookup.dreg);
		set_nonzero(e, NFTNL_EXPR_LOOKUP_FLAGS, x->u.lookup.flags);
		return 0;
	case NC_E_CT:
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, x->u.ct.key);
		if (x->u.ct.dir >= 0)
			nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, (uint8_t)x->u.ct.dir);
		if (x->u.ct.sreg)
			nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, x->u.ct.sreg);
		else
			nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, x->u.ct.dreg);
		return 0;
	case NC_E_LIMIT:
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, x->u.limit.rate);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, x->u.limit.unit);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, x->u.limit.burst);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, x->u.limit.type);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, x->u.limit.flags);
		return 0;
	case NC_E_NUMGEN:
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, x->u.numgen.dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, x->u.numgen.modulus);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, x->u.numgen.type);
		set_nonzero(e, NFTNL_EXPR_NG_OFFSET, x->u.numgen.offset);
		return 0;
	case NC_E_LOG:
		return enc_log(e, l, x);
	case NC_E_FIB:
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, x->u.fib.dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, x->u.fib.result);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, x->u.fib.flags);
		return 0;
	case NC_E_MATCH:
	case NC_E_TARGET:
		return enc_xt(e, l, x);
	case NC_E_UNKNOWN:
		break;
	}
	errno = EOPNOTSUPP;
	return -1;
}

/* The oracle: @l as libnftnl builds it, expression objects added to @r
 * (natc encoded this way up to 2026-12; see the header comment). */
static int oracle_rule(const struct nc_exprs *l, struct nftnl_rule *r,
		       uint32_t set_id0)
{
	if (l->udata_len &&
	    nftnl_rule_set_data(r, NFTNL_RULE_USERDATA,
				nc_exprs_bytes(l, l->udata_off), l->udata_len) < 0)
		return -1;
	if (l->compat) {
		nftnl_rule_set_u32(r, NFTNL_RULE_COMPAT_PROTO, l->compat_proto);
		nftnl_rule_set_u32(r, NFTNL_RULE_COMPAT_FLAGS, l->compat_flags);
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct nc_expr *x = &l->v[i];
		struct nftnl_expr *e;

		if (!nc_expr_kind_name(x->type)) {
			errno = EOPNOTSUPP;
			return -1;
		}
		e = nftnl_expr_alloc(nc_expr_kind_name(x->type));
		if (!e)
			return -1;
		if (oracle_encode(e, l, x, set_id0) < 0) {
			int saved = errno;

			nftnl_expr_free(e);
			errno = saved;
			return -1;
		}
		nftnl_rule_add_expr(r, e);
	}
	return 0;
}


union msg {
	struct nlmsghdr h;
	char b[16384];
};

/* @l both ways: whether the messages are the same bytes. */
static bool same_bytes(const struct nc_exprs *l, const char *what)
{
	static union msg a, b;
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *na, *nb;
	bool same;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	na = nftnl_nlmsg_build_hdr(a.b, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
	nb = nftnl_nlmsg_build_hdr(b.b, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
	if (!r || oracle_rule(l, r, 7) < 0) {
		printf("# %s: libnftnl refused it\n", what);
		nftnl_rule_free(r);
		return false;
	}
	nftnl_rule_nlmsg_build_payload(na, r);
	nftnl_rule_free(r);
	if (nc_nl_put_exprs(nb, l, 7) < 0) {
		printf("# %s: nc_nl_put_exprs: %s\n", what, strerror(errno));
		return false;
	}
	same = na->nlmsg_len == nb->nlmsg_len && !memcmp(a.b, b.b, na->nlmsg_len);
	for (uint32_t i = 0; !same && i < na->nlmsg_len && i < nb->nlmsg_len; i++)
		if (a.b[i] != b.b[i]) {
			printf("# %s: %u and %u bytes, first difference at %u\n",
			       what, na->nlmsg_len, nb->nlmsg_len, i);
			break;
		}
	return same;
}

int main(void)
{
	bool seen[NC_E_BYTEORDER + 1] = { 0 };
	size_t missing = 0;

	for (size_t i = 0; i < sizeof(unit_rules) / sizeof(unit_rules[0]); i++) {
		char chain[64];
		struct nc_rule *r = build_one(unit_rules[i], chain);

		for (int xt = 0; xt < 2; xt++) {
			struct nc_exprs l = { 0 };
			int rc = !r ? -1 : xt ? nc_rule_linearize_xt(r, &l, nc_parse_line)
					     : nc_rule_linearize(r, &l, nc_parse_line);

			for (size_t k = 0; rc == 0 && k < l.n; k++)
				if ((unsigned)l.v[k].type < sizeof(seen))
					seen[l.v[k].type] = true;
			ok(rc == 0 && same_bytes(&l, unit_rules[i]), "%s: %s",
			   xt ? "xt" : "native", unit_rules[i]);
			nc_exprs_free(&l);
		}
		nc_rule_free(r);
	}
	for (int k = NC_E_META; k <= NC_E_BYTEORDER; k++)
		if (k != NC_E_UNKNOWN && !seen[k]) {
			printf("# expression kind %d not in the corpus\n", k);
			missing++;
		}
	ok(missing == 0, "the corpus has every kind of expression");
	{
		struct nc_exprs l = { 0 };
		union msg m = { 0 };
		struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(m.b, NFT_MSG_NEWRULE,
							     NFPROTO_IPV4, 0, 1);

		nc_exprs_add(&l, NC_E_UNKNOWN);
		errno = 0;
		ok(nc_nl_put_exprs(nlh, &l, 0) == -1 && errno == EOPNOTSUPP,
		   "an expression natc cannot name is refused (EOPNOTSUPP)");
		nc_exprs_reset(&l);
		nc_expr_cmp(&l, NFT_CMP_EQ, "", 0);
		errno = 0;
		ok(nc_nl_put_exprs(nlh, &l, 0) == -1 && errno == EINVAL,
		   "a compare of no bytes is refused (EINVAL)");
		nc_exprs_free(&l);
	}
	return tap_done();
}
