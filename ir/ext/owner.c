// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The owner match (OUTPUT and POSTROUTING): -m owner [!] --uid-owner
 * USER|UID[-UID] [!] --gid-owner GROUP|GID[-GID].
 *
 * Kernel form, as nft writes `meta skuid 5`, `meta skgid != 0-5` (see
 * metarange.h): uid test, then gid test.  A packet without a socket
 * matches neither form of the nft test; the xt match that iptables-nft
 * 1.8.9 writes (struct xt_owner_match_info, revision 1, read back) lets
 * an inverted test match it.  --socket-exists and --suppl-groups have no
 * native form and are not taken.
 */
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include "ir/ext/lib/metarange.h"
#include "ir/ext/lib/xtnum.h"

enum { OWN_UID = 1, OWN_GID = 2 };	/* XT_OWNER_UID, XT_OWNER_GID */

struct nc_owner {
	uint32_t uid[2], gid[2];
	uint8_t match, inv;	/* OWN_* bits */
};

enum { OPT_UID = 1, OPT_GID };

static const struct nc_ext_opt own_opts[] = {
	{ "uid-owner", OPT_UID, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "gid-owner", OPT_GID, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

/* "N", "N-M" or "N:M", each at most 2^32 - 2 */
static bool parse_range(const char *s, uint32_t r[2])
{
	const char *end;
	uint64_t a, b;

	if (!nc_xt_uint_prefix(s, 0, UINT32_MAX - 1, &a, &end))
		return false;
	b = a;
	if ((*end == '-' || *end == ':') &&
	    !nc_xt_uint_prefix(end + 1, 0, UINT32_MAX - 1, &b, &end))
		return false;
	if (*end)
		return false;
	r[0] = (uint32_t)a;
	r[1] = (uint32_t)b;
	return true;
}

static int own_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_owner *o = e->data;
	uint8_t bit = opt->id == OPT_UID ? OWN_UID : OWN_GID;
	uint32_t *v = bit == OWN_UID ? o->uid : o->gid;
	const struct passwd *pw;
	const struct group *gr;

	if (o->match & bit)
		return nc_err_param(err, loc,
			"owner: option \"--%s\" can only be used once.\n", opt->name);
	if (bit == OWN_UID && (pw = getpwnam(arg)) != NULL) {
		v[0] = v[1] = pw->pw_uid;
	} else if (bit == OWN_GID && (gr = getgrnam(arg)) != NULL) {
		v[0] = v[1] = gr->gr_gid;
	} else if (!parse_range(arg, v)) {
		return nc_err_param(err, loc,
			"owner: Bad value for \"--%s\" option: \"%s\"", opt->name, arg);
	}
	/* iptables-nft 1.8.9 sends it and the kernel refuses it (exit 4) */
	if (v[0] > v[1])
		return nc_err_param(err, loc,
			"owner: range %s is reversed and will never match", arg);
	o->match |= bit;
	if (inv)
		o->inv |= bit;
	return 0;
}

static int own_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	if (!((const struct nc_owner *)e->data)->match)
		return nc_err_param(err, &e->loc,
			"owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
	return 0;
}

static void put_item(struct nc_buf *b, const struct nc_owner *o, uint8_t bit,
		     const char *label, bool numeric)
{
	const uint32_t *v = bit == OWN_UID ? o->uid : o->gid;
	const struct passwd *pw;
	const struct group *gr;

	if (!(o->match & bit))
		return;
	nc_buf_printf(b, "%s %s", o->inv & bit ? " !" : "", label);
	if (v[0] != v[1]) {
		nc_buf_printf(b, " %u-%u", v[0], v[1]);
		return;
	}
	if (!numeric && bit == OWN_UID && (pw = getpwuid(v[0])) && pw->pw_name) {
		nc_buf_printf(b, " %s", pw->pw_name);
		return;
	}
	if (!numeric && bit == OWN_GID && (gr = getgrgid(v[0])) && gr->gr_name) {
		nc_buf_printf(b, " %s", gr->gr_name);
		return;
	}
	nc_buf_printf(b, " %u", v[0]);
}

static void own_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	put_item(b, e->data, OWN_UID, "--uid-owner", true);
	put_item(b, e->data, OWN_GID, "--gid-owner", true);
}

static void own_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	put_item(b, e->data, OWN_UID, "owner UID match", fmt & NC_FMT_NUMERIC);
	put_item(b, e->data, OWN_GID, "owner GID match", fmt & NC_FMT_NUMERIC);
}

static int own_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_owner *o = e->data;

	if ((o->match & OWN_UID) &&
	    nc_metarange_linearize(out, NFT_META_SKUID, o->uid[0], o->uid[1],
				   o->inv & OWN_UID) < 0)
		return -1;
	if ((o->match & OWN_GID) &&
	    nc_metarange_linearize(out, NFT_META_SKGID, o->gid[0], o->gid[1],
				   o->inv & OWN_GID) < 0)
		return -1;
	return 0;
}

/* struct xt_owner_match_info: uid_min, uid_max, gid_min, gid_max (u32),
 * match, invert (u8) */
#define XT_OWNER_LEN 18

static int own_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nc_owner o, *p;
	struct nc_ext *e;
	uint32_t min, max;
	size_t used;
	bool inv;

	memset(&o, 0, sizeof(o));
	if ((used = nc_metarange_delinearize(c, NFT_META_SKUID, &min, &max, &inv))) {
		o.match = OWN_UID;
		o.uid[0] = min;
		o.uid[1] = max;
	} else if ((used = nc_metarange_delinearize(c, NFT_META_SKGID, &min, &max, &inv))) {
		o.match = OWN_GID;
		o.gid[0] = min;
		o.gid[1] = max;
	} else if (x && x->type == NC_E_MATCH && !strcmp(x->u.xt.name, "owner") &&
		   x->u.xt.rev == 1 && x->u.xt.info_len >= XT_OWNER_LEN) {
		const uint8_t *info = nc_exprs_bytes(c->l, x->u.xt.info_off);

		memcpy(o.uid, info, 8);
		memcpy(o.gid, info + 8, 8);
		o.match = info[16];
		o.inv = info[17];
		if (!o.match || (o.match & ~(OWN_UID | OWN_GID)) ||
		    (o.inv & ~o.match))
			return 0;	/* --socket-exists, --suppl-groups */
		if (!(o.match & OWN_UID))
			o.uid[0] = o.uid[1] = 0;
		if (!(o.match & OWN_GID))
			o.gid[0] = o.gid[1] = 0;
		used = 1;
		inv = false;
	} else {
		return 0;
	}
	if (inv)
		o.inv = o.match;
	/* a gid test right after a uid test is the same match */
	e = r->nmatches ? &r->matches[r->nmatches - 1] : NULL;
	if (used > 1 && o.match == OWN_GID && e && e->ops == &nc_ext_owner &&
	    ((struct nc_owner *)e->data)->match == OWN_UID) {
		p = e->data;
		p->gid[0] = o.gid[0];
		p->gid[1] = o.gid[1];
		p->match |= OWN_GID;
		p->inv |= o.inv;
	} else {
		if (!(e = nc_rule_add_match(r, &nc_ext_owner)))
			return -1;
		memcpy(e->data, &o, sizeof(o));	/* no padding */
	}
	c->pos += used;
	return 1;
}

/* nft text: `meta skuid 7 meta skgid != 1-3` */
static int own_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	const struct nc_owner *o = e->data;

	if (o->match & ~(OWN_UID | OWN_GID)) {
		x->why = "--socket-exists has no nft text";
		return -1;
	}
	if (o->match & OWN_UID)
		nc_metarange_xlate(x->b, "skuid", o->uid[0], o->uid[1], o->inv & OWN_UID);
	if (o->match & OWN_GID)
		nc_metarange_xlate(x->b, "skgid", o->gid[0], o->gid[1], o->inv & OWN_GID);
	return 0;
}

static void own_item_describe(struct nc_buf *b, const struct nc_owner *o,
			      uint8_t bit, const char *what)
{
	const uint32_t *v = bit == OWN_UID ? o->uid : o->gid;

	if (!(o->match & bit))
		return;
	nc_buf_printf(b, ", sent by a local program %s %s ", o->inv & bit ? "not of" : "of",
		      what);
	if (v[0] != v[1])
		nc_buf_printf(b, "%u-%u", v[0], v[1]);
	else
		nc_buf_printf(b, "%u", v[0]);
}

static void own_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	(void)r;
	own_item_describe(b, e->data, OWN_UID, "user");
	own_item_describe(b, e->data, OWN_GID, "group");
}

/* A packet that arrived has no local socket: the native test fails for
 * it (an inverted xt test would match it: MAYBE).  For this host's own
 * packets the owner is not in the model. */
static int own_packet(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p)
{
	const struct nc_owner *o = e->data;

	(void)r;
	if ((p->known & NC_PK_IIF) && p->iif[0] && !o->inv)
		return NC_PKT_NO;
	return NC_PKT_MAYBE;
}

const struct nc_ext_ops nc_ext_owner = {
	.name = "owner",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_owner),
	.opts = own_opts,
	.hooks = NC_HOOK(NF_INET_LOCAL_OUT) | NC_HOOK(NF_INET_POST_ROUTING),
	.parse = own_parse,
	.check = own_check,
	.save = own_save,
	.print = own_print,
	.linearize = own_linearize,
	.delinearize = own_delinearize,
	.xlate = own_xlate,
	.describe = own_describe,
	.packet = own_packet,
};
