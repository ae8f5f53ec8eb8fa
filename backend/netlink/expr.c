// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct nc_expr <-> libnftnl expressions, one to one.
 *
 * Encoding sets exactly the attributes nft 1.0.6 sets for the same
 * statement, so the messages are the same bytes: registers, flags and
 * counter values only when non-zero, bitwise always with its op.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include "internal.h"

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

static const char *const kind_name[] = {
	[NC_E_META]	 = "meta",
	[NC_E_CMP]	 = "cmp",
	[NC_E_PAYLOAD]	 = "payload",
	[NC_E_BITWISE]	 = "bitwise",
	[NC_E_RANGE]	 = "range",
	[NC_E_COUNTER]	 = "counter",
	[NC_E_IMMEDIATE] = "immediate",
	[NC_E_NAT]	 = "nat",
	[NC_E_MASQ]	 = "masq",
	[NC_E_REDIR]	 = "redir",
};

/* Fill @e (already allocated as the right kind) from @x. */
static int encode(struct nftnl_expr *e, const struct nc_expr *x)
{
	switch (x->type) {
	case NC_E_META:
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, x->u.meta.key);
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
	case NC_E_UNKNOWN:
		break;
	}
	errno = EOPNOTSUPP;
	return -1;
}

/* Append one libnftnl expression per entry of @l to @r. */
int nc_nl_exprs_to_rule(const struct nc_exprs *l, struct nftnl_rule *r)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct nc_expr *x = &l->v[i];
		struct nftnl_expr *e;

		if ((unsigned)x->type >= sizeof(kind_name) / sizeof(kind_name[0]) ||
		    !kind_name[x->type]) {
			errno = EOPNOTSUPP;
			return -1;
		}
		e = nftnl_expr_alloc(kind_name[x->type]);
		if (!e)
			return -1;
		if (encode(e, x) < 0) {
			int saved = errno;

			nftnl_expr_free(e);
			errno = saved;
			return -1;
		}
		nftnl_rule_add_expr(r, e);
	}
	/* the rule's userdata (comment, natc's hints), as is */
	if (l->udata_len &&
	    nftnl_rule_set_data(r, NFTNL_RULE_USERDATA,
				nc_exprs_bytes(l, l->udata_off), l->udata_len) < 0)
		return -1;
	return 0;
}

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

/* Fill @x from @e; returns false when @x cannot hold it. */
static bool decode(const struct nftnl_expr *e, const char *name, struct nc_expr *x)
{
	if (!strcmp(name, "meta")) {
		if (nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG))
			return false;	/* meta set */
		x->type = NC_E_META;
		x->u.meta.key = u32(e, NFTNL_EXPR_META_KEY);
		x->u.meta.dreg = u32(e, NFTNL_EXPR_META_DREG);
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
	struct nc_exprs *l = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	struct nc_expr *x = nc_exprs_add(l, NC_E_UNKNOWN);

	if (!x)
		return -1;
	if (!name)
		name = "";
	if (!decode(e, name, x)) {
		memset(x, 0, sizeof(*x));
		x->type = NC_E_UNKNOWN;
		snprintf(x->u.unknown.name, sizeof(x->u.unknown.name), "%s", name);
	}
	return 0;
}

/* Append one struct nc_expr per expression of @r to @l. */
int nc_nl_rule_to_exprs(struct nftnl_rule *r, struct nc_exprs *l)
{
	errno = 0;
	if (nftnl_expr_foreach(r, decode_cb, l) < 0) {
		if (!errno)
			errno = ENOMEM;
		return -1;
	}
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
	return 0;
}
