// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct nc_expr <-> kernel expressions, one to one: written straight into
 * a rule message, read back through libnftnl.
 *
 * Encoding sets exactly the attributes nft 1.0.6 sets for the same
 * statement, so the messages are the same bytes: registers, flags and
 * counter values only when non-zero, bitwise always with its op.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include "backend/netlink/internal.h"

/* --- encoding: straight into the message ------------------------------
 * Each expression is written as libnftnl 1.2 writes it (the same
 * attributes in the same order), without building libnftnl objects first:
 * a 100,000-rule load made 1.3 million of them, each found by its name. */

static void put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(nlh, type, htonl(v));
}

static void put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put_u64(nlh, type, htobe64(v));
}

static void put_nonzero(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	if (v)
		put_u32(nlh, type, v);
}

/* @type { NFTA_DATA_VALUE @data } */
static int put_data(struct nlmsghdr *nlh, uint16_t type, const void *data,
		    uint32_t len)
{
	struct nlattr *nest;

	if (len == 0 || len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, len, data);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int put_imm(struct nlmsghdr *nlh, const struct nc_expr *x)
{
	struct nlattr *data, *verdict;

	put_u32(nlh, NFTA_IMMEDIATE_DREG, x->u.imm.dreg);
	if (x->u.imm.dreg != NFT_REG_VERDICT)
		return put_data(nlh, NFTA_IMMEDIATE_DATA, x->u.imm.data, x->u.imm.len);
	data = mnl_attr_nest_start(nlh, NFTA_IMMEDIATE_DATA);
	verdict = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
	put_u32(nlh, NFTA_VERDICT_CODE, (uint32_t)x->u.imm.verdict);
	if (x->u.imm.chain[0]) {
		if (strnlen(x->u.imm.chain, sizeof(x->u.imm.chain)) ==
		    sizeof(x->u.imm.chain)) {
			errno = EINVAL;
			return -1;
		}
		mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, x->u.imm.chain);
	}
	mnl_attr_nest_end(nlh, verdict);
	mnl_attr_nest_end(nlh, data);
	return 0;
}

static int put_log(struct nlmsghdr *nlh, const struct nc_exprs *l,
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
		mnl_attr_put_strz(nlh, NFTA_LOG_PREFIX, prefix);
	}
	if (has & NC_LOG_HAS_GROUP)
		mnl_attr_put_u16(nlh, NFTA_LOG_GROUP, htons(x->u.log.group));
	if (has & NC_LOG_HAS_SNAPLEN)
		put_u32(nlh, NFTA_LOG_SNAPLEN, x->u.log.snaplen);
	if (has & NC_LOG_HAS_QTHRESHOLD)
		mnl_attr_put_u16(nlh, NFTA_LOG_QTHRESHOLD, htons(x->u.log.qthreshold));
	if (has & NC_LOG_HAS_LEVEL)
		put_u32(nlh, NFTA_LOG_LEVEL, x->u.log.level);
	if (has & NC_LOG_HAS_FLAGS)
		put_u32(nlh, NFTA_LOG_FLAGS, x->u.log.flags);
	return 0;
}

static int put_xt(struct nlmsghdr *nlh, const struct nc_exprs *l,
		  const struct nc_expr *x)
{
	bool tg = x->type == NC_E_TARGET;

	if (strnlen(x->u.xt.name, sizeof(x->u.xt.name)) == sizeof(x->u.xt.name)) {
		errno = EINVAL;
		return -1;
	}
	mnl_attr_put_strz(nlh, tg ? NFTA_TARGET_NAME : NFTA_MATCH_NAME, x->u.xt.name);
	put_u32(nlh, tg ? NFTA_TARGET_REV : NFTA_MATCH_REV, x->u.xt.rev);
	mnl_attr_put(nlh, tg ? NFTA_TARGET_INFO : NFTA_MATCH_INFO, x->u.xt.info_len,
		     x->u.xt.info_len ? nc_exprs_bytes(l, x->u.xt.info_off) : NULL);
	return 0;
}

/* The attributes of @x, in its NFTA_EXPR_DATA; lookups name the set of @l
 * they use through @set_id0 (see nc_nl_queue_sets). */
static int put_expr(struct nlmsghdr *nlh, const struct nc_exprs *l,
		    const struct nc_expr *x, uint32_t set_id0)
{
	switch (x->type) {
	case NC_E_META:
		put_u32(nlh, NFTA_META_KEY, x->u.meta.key);
		if (x->u.meta.sreg)
			put_u32(nlh, NFTA_META_SREG, x->u.meta.sreg);
		else
			put_u32(nlh, NFTA_META_DREG, x->u.meta.dreg);
		return 0;
	case NC_E_CMP:
		put_u32(nlh, NFTA_CMP_SREG, x->u.cmp.sreg);
		put_u32(nlh, NFTA_CMP_OP, x->u.cmp.op);
		return put_data(nlh, NFTA_CMP_DATA, x->u.cmp.data, x->u.cmp.len);
	case NC_E_PAYLOAD:
		put_u32(nlh, NFTA_PAYLOAD_DREG, x->u.payload.dreg);
		put_u32(nlh, NFTA_PAYLOAD_BASE, x->u.payload.base);
		put_u32(nlh, NFTA_PAYLOAD_OFFSET, x->u.payload.offset);
		put_u32(nlh, NFTA_PAYLOAD_LEN, x->u.payload.len);
		return 0;
	case NC_E_BITWISE:
		put_u32(nlh, NFTA_BITWISE_SREG, x->u.bitwise.sreg);
		put_u32(nlh, NFTA_BITWISE_DREG, x->u.bitwise.dreg);
		put_u32(nlh, NFTA_BITWISE_OP, NFT_BITWISE_BOOL);
		put_u32(nlh, NFTA_BITWISE_LEN, x->u.bitwise.len);
		if (put_data(nlh, NFTA_BITWISE_MASK, x->u.bitwise.mask,
			     x->u.bitwise.len) < 0)
			return -1;
		return put_data(nlh, NFTA_BITWISE_XOR, x->u.bitwise.xor,
				x->u.bitwise.len);
	case NC_E_BYTEORDER:
		put_u32(nlh, NFTA_BYTEORDER_SREG, x->u.byteorder.sreg);
		put_u32(nlh, NFTA_BYTEORDER_DREG, x->u.byteorder.dreg);
		put_u32(nlh, NFTA_BYTEORDER_OP, x->u.byteorder.op);
		put_u32(nlh, NFTA_BYTEORDER_LEN, x->u.byteorder.len);
		put_u32(nlh, NFTA_BYTEORDER_SIZE, x->u.byteorder.size);
		return 0;
	case NC_E_RANGE:
		put_u32(nlh, NFTA_RANGE_SREG, x->u.range.sreg);
		put_u32(nlh, NFTA_RANGE_OP, x->u.range.op);
		if (put_data(nlh, NFTA_RANGE_FROM_DATA, x->u.range.from,
			     x->u.range.len) < 0)
			return -1;
		return put_data(nlh, NFTA_RANGE_TO_DATA, x->u.range.to,
				x->u.range.len);
	case NC_E_COUNTER:
		if (x->u.counter.packets || x->u.counter.bytes) {
			put_u64(nlh, NFTA_COUNTER_BYTES, x->u.counter.bytes);
			put_u64(nlh, NFTA_COUNTER_PACKETS, x->u.counter.packets);
		}
		return 0;
	case NC_E_IMMEDIATE:
		return put_imm(nlh, x);
	case NC_E_NAT:
		put_u32(nlh, NFTA_NAT_TYPE, x->u.nat.type);
		put_u32(nlh, NFTA_NAT_FAMILY, x->u.nat.family);
		put_nonzero(nlh, NFTA_NAT_REG_ADDR_MIN, x->u.nat.reg_addr_min);
		put_nonzero(nlh, NFTA_NAT_REG_ADDR_MAX, x->u.nat.reg_addr_max);
		put_nonzero(nlh, NFTA_NAT_REG_PROTO_MIN, x->u.nat.reg_proto_min);
		put_nonzero(nlh, NFTA_NAT_REG_PROTO_MAX, x->u.nat.reg_proto_max);
		put_nonzero(nlh, NFTA_NAT_FLAGS, x->u.nat.flags);
		return 0;
	case NC_E_MASQ:
		put_nonzero(nlh, NFTA_MASQ_FLAGS, x->u.masq.flags);
		put_nonzero(nlh, NFTA_MASQ_REG_PROTO_MIN, x->u.masq.reg_proto_min);
		put_nonzero(nlh, NFTA_MASQ_REG_PROTO_MAX, x->u.masq.reg_proto_max);
		return 0;
	case NC_E_REDIR:
		put_nonzero(nlh, NFTA_REDIR_REG_PROTO_MIN, x->u.masq.reg_proto_min);
		put_nonzero(nlh, NFTA_REDIR_REG_PROTO_MAX, x->u.masq.reg_proto_max);
		put_nonzero(nlh, NFTA_REDIR_FLAGS, x->u.masq.flags);
		return 0;
	case NC_E_LOOKUP:
		if (x->u.lookup.set >= l->nsets) {
			errno = EINVAL;
			return -1;
		}
		put_u32(nlh, NFTA_LOOKUP_SREG, x->u.lookup.sreg);
		put_nonzero(nlh, NFTA_LOOKUP_DREG, x->u.lookup.dreg);
		mnl_attr_put_strz(nlh, NFTA_LOOKUP_SET, NC_NL_ANON_SET);
		put_u32(nlh, NFTA_LOOKUP_SET_ID, set_id0 + x->u.lookup.set);
		put_nonzero(nlh, NFTA_LOOKUP_FLAGS, x->u.lookup.flags);
		return 0;
	case NC_E_CT:
		put_u32(nlh, NFTA_CT_KEY, x->u.ct.key);
		if (!x->u.ct.sreg)
			put_u32(nlh, NFTA_CT_DREG, x->u.ct.dreg);
		if (x->u.ct.dir >= 0)
			mnl_attr_put_u8(nlh, NFTA_CT_DIRECTION, (uint8_t)x->u.ct.dir);
		if (x->u.ct.sreg)
			put_u32(nlh, NFTA_CT_SREG, x->u.ct.sreg);
		return 0;
	case NC_E_LIMIT:
		put_u64(nlh, NFTA_LIMIT_RATE, x->u.limit.rate);
		put_u64(nlh, NFTA_LIMIT_UNIT, x->u.limit.unit);
		put_u32(nlh, NFTA_LIMIT_BURST, x->u.limit.burst);
		put_u32(nlh, NFTA_LIMIT_TYPE, x->u.limit.type);
		put_u32(nlh, NFTA_LIMIT_FLAGS, x->u.limit.flags);
		return 0;
	case NC_E_NUMGEN:
		put_u32(nlh, NFTA_NG_DREG, x->u.numgen.dreg);
		put_u32(nlh, NFTA_NG_MODULUS, x->u.numgen.modulus);
		put_u32(nlh, NFTA_NG_TYPE, x->u.numgen.type);
		put_nonzero(nlh, NFTA_NG_OFFSET, x->u.numgen.offset);
		return 0;
	case NC_E_LOG:
		return put_log(nlh, l, x);
	case NC_E_FIB:
		put_u32(nlh, NFTA_FIB_FLAGS, x->u.fib.flags);
		put_u32(nlh, NFTA_FIB_RESULT, x->u.fib.result);
		put_u32(nlh, NFTA_FIB_DREG, x->u.fib.dreg);
		return 0;
	case NC_E_MATCH:
	case NC_E_TARGET:
		return put_xt(nlh, l, x);
	case NC_E_UNKNOWN:
		break;
	}
	errno = EOPNOTSUPP;
	return -1;
}

int nc_nl_put_exprs(struct nlmsghdr *nlh, const struct nc_exprs *l,
		    uint32_t set_id0)
{
	if (l->udata_len)
		mnl_attr_put(nlh, NFTA_RULE_USERDATA, l->udata_len,
			     nc_exprs_bytes(l, l->udata_off));
	if (l->n) {
		struct nlattr *list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);

		for (size_t i = 0; i < l->n; i++) {
			const struct nc_expr *x = &l->v[i];
			const char *name = nc_expr_kind_name(x->type);
			struct nlattr *elem, *data;

			if (!name) {
				errno = EOPNOTSUPP;
				return -1;
			}
			elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
			mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
			data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
			if (put_expr(nlh, l, x, set_id0) < 0)
				return -1;
			mnl_attr_nest_end(nlh, data);
			mnl_attr_nest_end(nlh, elem);
		}
		mnl_attr_nest_end(nlh, list);
	}
	if (l->compat) {
		struct nlattr *compat = mnl_attr_nest_start(nlh, NFTA_RULE_COMPAT);

		put_u32(nlh, NFTA_RULE_COMPAT_PROTO, l->compat_proto);
		put_u32(nlh, NFTA_RULE_COMPAT_FLAGS, l->compat_flags);
		mnl_attr_nest_end(nlh, compat);
	}
	return 0;
}

/* --- decoding: through libnftnl --------------------------------------- */

/* Copy a data attribute of at most NC_EXPR_MAXLEN bytes; 0 when it is
 * missing or wider (the caller then calls the expression unknown). */
static uint32_t get_data(const struct nftnl_expr *e, uint16_t attr, uint8_t *to)
{
	uint32_t len = 0;
	const void *p = nftnl_expr_get(e, attr, &len);

	if (!p || len == 0 || len > NC_EXPR_MAXLEN)
		return 0;
	memcpy(to, p, len);
	return len;
}

static uint32_t u32(const struct nftnl_expr *e, uint16_t attr)
{
	return nftnl_expr_get_u32(e, attr);
}

struct decode_ctx {
	struct nc_exprs *l;
	const struct nc_nl_setcache *sets;	/* may be NULL */
};

/* Copy the anonymous set named @name into the list; -1 when unknown. */
static int64_t take_set(struct decode_ctx *d, const char *name)
{
	const struct nc_set *src = d->sets ? nc_nl_setcache_find(d->sets, name) : NULL;
	int idx;

	if (!src)
		return -1;
	idx = nc_exprs_add_set(d->l, src->flags, src->key_type, src->key_len,
			       src->data_type, src->data_len);
	if (idx < 0)
		return -2;
	d->l->sets[idx].size = src->size;
	for (size_t i = 0; i < src->nelems; i++) {
		struct nc_set_elem *el = nc_set_add_elem(d->l, (uint32_t)idx);

		if (!el)
			return -2;
		*el = src->elems[i];
	}
	return idx;
}

static bool decode_xt(const struct nftnl_expr *e, struct decode_ctx *d,
		      bool tg, struct nc_expr *x)
{
	const char *name = nftnl_expr_get_str(e, tg ? NFTNL_EXPR_TG_NAME :
						    NFTNL_EXPR_MT_NAME);
	uint32_t len = 0;
	const void *info = nftnl_expr_get(e, tg ? NFTNL_EXPR_TG_INFO :
						   NFTNL_EXPR_MT_INFO, &len);
	int64_t off;

	if (!name || strlen(name) >= sizeof(x->u.xt.name))
		return false;
	off = nc_exprs_store(d->l, info, info ? len : 0);
	if (off < 0)
		return false;
	x->type = tg ? NC_E_TARGET : NC_E_MATCH;
	strcpy(x->u.xt.name, name);
	x->u.xt.rev = u32(e, tg ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV);
	x->u.xt.info_off = (uint32_t)off;
	x->u.xt.info_len = info ? len : 0;
	return true;
}

static bool decode_log(const struct nftnl_expr *e, struct decode_ctx *d,
		       struct nc_expr *x)
{
	x->type = NC_E_LOG;
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_PREFIX)) {
		const char *p = nftnl_expr_get_str(e, NFTNL_EXPR_LOG_PREFIX);
		int64_t off = nc_exprs_store(d->l, p, strlen(p));

		if (off < 0)
			return false;
		x->u.log.has |= NC_LOG_HAS_PREFIX;
		x->u.log.prefix_off = (uint32_t)off;
		x->u.log.prefix_len = (uint32_t)strlen(p);
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_GROUP)) {
		x->u.log.has |= NC_LOG_HAS_GROUP;
		x->u.log.group = nftnl_expr_get_u16(e, NFTNL_EXPR_LOG_GROUP);
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_SNAPLEN)) {
		x->u.log.has |= NC_LOG_HAS_SNAPLEN;
		x->u.log.snaplen = u32(e, NFTNL_EXPR_LOG_SNAPLEN);
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_QTHRESHOLD)) {
		x->u.log.has |= NC_LOG_HAS_QTHRESHOLD;
		x->u.log.qthreshold = nftnl_expr_get_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD);
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_LEVEL)) {
		x->u.log.has |= NC_LOG_HAS_LEVEL;
		x->u.log.level = u32(e, NFTNL_EXPR_LOG_LEVEL);
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_FLAGS)) {
		x->u.log.has |= NC_LOG_HAS_FLAGS;
		x->u.log.flags = u32(e, NFTNL_EXPR_LOG_FLAGS);
	}
	return true;
}

/* Fill @x from @e; returns false when @x cannot hold it. */
static bool decode(const struct nftnl_expr *e, const char *name,
		   struct decode_ctx *d, struct nc_expr *x)
{
	if (!strcmp(name, "meta")) {
		x->type = NC_E_META;
		x->u.meta.key = u32(e, NFTNL_EXPR_META_KEY);
		x->u.meta.dreg = u32(e, NFTNL_EXPR_META_DREG);
		x->u.meta.sreg = u32(e, NFTNL_EXPR_META_SREG);
	} else if (!strcmp(name, "ct")) {
		x->type = NC_E_CT;
		x->u.ct.key = u32(e, NFTNL_EXPR_CT_KEY);
		x->u.ct.dreg = u32(e, NFTNL_EXPR_CT_DREG);
		x->u.ct.sreg = u32(e, NFTNL_EXPR_CT_SREG);
		x->u.ct.dir = nftnl_expr_is_set(e, NFTNL_EXPR_CT_DIR) ?
			      nftnl_expr_get_u8(e, NFTNL_EXPR_CT_DIR) : -1;
	} else if (!strcmp(name, "lookup")) {
		const char *set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
		int64_t idx = set ? take_set(d, set) : -1;

		if (idx < 0)
			return false;
		x->type = NC_E_LOOKUP;
		x->u.lookup.set = (uint32_t)idx;
		x->u.lookup.sreg = u32(e, NFTNL_EXPR_LOOKUP_SREG);
		x->u.lookup.dreg = u32(e, NFTNL_EXPR_LOOKUP_DREG);
		x->u.lookup.flags = u32(e, NFTNL_EXPR_LOOKUP_FLAGS);
	} else if (!strcmp(name, "limit")) {
		x->type = NC_E_LIMIT;
		x->u.limit.rate = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_RATE);
		x->u.limit.unit = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_UNIT);
		x->u.limit.burst = u32(e, NFTNL_EXPR_LIMIT_BURST);
		x->u.limit.type = u32(e, NFTNL_EXPR_LIMIT_TYPE);
		x->u.limit.flags = u32(e, NFTNL_EXPR_LIMIT_FLAGS);
	} else if (!strcmp(name, "numgen")) {
		x->type = NC_E_NUMGEN;
		x->u.numgen.dreg = u32(e, NFTNL_EXPR_NG_DREG);
		x->u.numgen.modulus = u32(e, NFTNL_EXPR_NG_MODULUS);
		x->u.numgen.type = u32(e, NFTNL_EXPR_NG_TYPE);
		x->u.numgen.offset = u32(e, NFTNL_EXPR_NG_OFFSET);
	} else if (!strcmp(name, "fib")) {
		x->type = NC_E_FIB;
		x->u.fib.dreg = u32(e, NFTNL_EXPR_FIB_DREG);
		x->u.fib.result = u32(e, NFTNL_EXPR_FIB_RESULT);
		x->u.fib.flags = u32(e, NFTNL_EXPR_FIB_FLAGS);
	} else if (!strcmp(name, "log")) {
		return decode_log(e, d, x);
	} else if (!strcmp(name, "match")) {
		return decode_xt(e, d, false, x);
	} else if (!strcmp(name, "target")) {
		return decode_xt(e, d, true, x);
	} else if (!strcmp(name, "cmp")) {
		x->type = NC_E_CMP;
		x->u.cmp.sreg = u32(e, NFTNL_EXPR_CMP_SREG);
		x->u.cmp.op = u32(e, NFTNL_EXPR_CMP_OP);
		x->u.cmp.len = get_data(e, NFTNL_EXPR_CMP_DATA, x->u.cmp.data);
		return x->u.cmp.len != 0;
	} else if (!strcmp(name, "payload")) {
		if (nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_SREG))
			return false;	/* payload write */
		x->type = NC_E_PAYLOAD;
		x->u.payload.base = u32(e, NFTNL_EXPR_PAYLOAD_BASE);
		x->u.payload.offset = u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
		x->u.payload.len = u32(e, NFTNL_EXPR_PAYLOAD_LEN);
		x->u.payload.dreg = u32(e, NFTNL_EXPR_PAYLOAD_DREG);
	} else if (!strcmp(name, "bitwise")) {
		uint32_t len;

		if (nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) &&
		    u32(e, NFTNL_EXPR_BITWISE_OP) != NFT_BITWISE_BOOL)
			return false;	/* shifts */
		x->type = NC_E_BITWISE;
		x->u.bitwise.sreg = u32(e, NFTNL_EXPR_BITWISE_SREG);
		x->u.bitwise.dreg = u32(e, NFTNL_EXPR_BITWISE_DREG);
		len = u32(e, NFTNL_EXPR_BITWISE_LEN);
		x->u.bitwise.len = len;
		return len && get_data(e, NFTNL_EXPR_BITWISE_MASK,
				       x->u.bitwise.mask) == len &&
		       get_data(e, NFTNL_EXPR_BITWISE_XOR, x->u.bitwise.xor) == len;
	} else if (!strcmp(name, "range")) {
		uint32_t len;

		x->type = NC_E_RANGE;
		x->u.range.sreg = u32(e, NFTNL_EXPR_RANGE_SREG);
		x->u.range.op = u32(e, NFTNL_EXPR_RANGE_OP);
		len = get_data(e, NFTNL_EXPR_RANGE_FROM_DATA, x->u.range.from);
		x->u.range.len = len;
		return len && get_data(e, NFTNL_EXPR_RANGE_TO_DATA,
				       x->u.range.to) == len;
	} else if (!strcmp(name, "byteorder")) {
		x->type = NC_E_BYTEORDER;
		x->u.byteorder.sreg = u32(e, NFTNL_EXPR_BYTEORDER_SREG);
		x->u.byteorder.dreg = u32(e, NFTNL_EXPR_BYTEORDER_DREG);
		x->u.byteorder.op = u32(e, NFTNL_EXPR_BYTEORDER_OP);
		x->u.byteorder.len = u32(e, NFTNL_EXPR_BYTEORDER_LEN);
		x->u.byteorder.size = u32(e, NFTNL_EXPR_BYTEORDER_SIZE);
	} else if (!strcmp(name, "counter")) {
		x->type = NC_E_COUNTER;
		x->u.counter.packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		x->u.counter.bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
	} else if (!strcmp(name, "immediate")) {
		x->type = NC_E_IMMEDIATE;
		x->u.imm.dreg = u32(e, NFTNL_EXPR_IMM_DREG);
		if (nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
			const char *c = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);

			x->u.imm.verdict = (int32_t)u32(e, NFTNL_EXPR_IMM_VERDICT);
			if (c) {
				if (strlen(c) >= sizeof(x->u.imm.chain))
					return false;
				strcpy(x->u.imm.chain, c);
			}
			return true;
		}
		x->u.imm.len = get_data(e, NFTNL_EXPR_IMM_DATA, x->u.imm.data);
		return x->u.imm.len != 0;
	} else if (!strcmp(name, "nat")) {
		x->type = NC_E_NAT;
		x->u.nat.type = u32(e, NFTNL_EXPR_NAT_TYPE);
		x->u.nat.family = u32(e, NFTNL_EXPR_NAT_FAMILY);
		x->u.nat.reg_addr_min = u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN);
		x->u.nat.reg_addr_max = u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX);
		x->u.nat.reg_proto_min = u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN);
		x->u.nat.reg_proto_max = u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX);
		x->u.nat.flags = u32(e, NFTNL_EXPR_NAT_FLAGS);
	} else if (!strcmp(name, "masq")) {
		x->type = NC_E_MASQ;
		x->u.masq.flags = u32(e, NFTNL_EXPR_MASQ_FLAGS);
		x->u.masq.reg_proto_min = u32(e, NFTNL_EXPR_MASQ_REG_PROTO_MIN);
		x->u.masq.reg_proto_max = u32(e, NFTNL_EXPR_MASQ_REG_PROTO_MAX);
	} else if (!strcmp(name, "redir")) {
		x->type = NC_E_REDIR;
		x->u.masq.flags = u32(e, NFTNL_EXPR_REDIR_FLAGS);
		x->u.masq.reg_proto_min = u32(e, NFTNL_EXPR_REDIR_REG_PROTO_MIN);
		x->u.masq.reg_proto_max = u32(e, NFTNL_EXPR_REDIR_REG_PROTO_MAX);
	} else {
		return false;
	}
	return true;
}

static int decode_cb(struct nftnl_expr *e, void *data)
{
	struct decode_ctx *d = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	struct nc_expr tmp = { .type = NC_E_UNKNOWN }, *x;

	if (!name)
		name = "";
	/* decoding may add to the arena and sets, not to the list itself */
	errno = 0;
	if (!decode(e, name, d, &tmp)) {
		if (errno == ENOMEM)
			return -1;
		memset(&tmp, 0, sizeof(tmp));
		tmp.type = NC_E_UNKNOWN;
		snprintf(tmp.u.unknown.name, sizeof(tmp.u.unknown.name), "%s", name);
	}
	x = nc_exprs_add(d->l, NC_E_UNKNOWN);
	if (!x)
		return -1;
	*x = tmp;
	return 0;
}

/* Append one struct nc_expr per expression of @r to @l, with the rule's
 * userdata and compat attribute; lookups find their sets in @sets. */
int nc_nl_rule_to_exprs(struct nftnl_rule *r, struct nc_exprs *l,
			const struct nc_nl_setcache *sets)
{
	struct decode_ctx d = { l, sets };

	if (nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) {
		uint32_t len = 0;
		const void *ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
		int64_t off = ud ? nc_exprs_store(l, ud, len) : -1;

		if (ud && off < 0)
			return -1;
		if (ud) {
			l->udata_off = (uint32_t)off;
			l->udata_len = len;
		}
	}
	if (nftnl_rule_is_set(r, NFTNL_RULE_COMPAT_PROTO) ||
	    nftnl_rule_is_set(r, NFTNL_RULE_COMPAT_FLAGS)) {
		l->compat = true;
		l->compat_proto = nftnl_rule_get_u32(r, NFTNL_RULE_COMPAT_PROTO);
		l->compat_flags = nftnl_rule_get_u32(r, NFTNL_RULE_COMPAT_FLAGS);
	}
	errno = 0;
	if (nftnl_expr_foreach(r, decode_cb, &d) < 0) {
		if (!errno)
			errno = ENOMEM;
		return -1;
	}
	return 0;
}
