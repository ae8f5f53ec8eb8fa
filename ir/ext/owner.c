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
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* @name into @out if it fits whole (a cut name would be someone else's). */
static bool name_copy(char *out, size_t outlen, const char *name)
{
	size_t n = name ? strlen(name) : outlen;

	if (n >= outlen)
		return false;
	memcpy(out, name, n + 1);
	return true;
}

/*
 * The user (@group false) or group named @name: its id into *@id; with
 * @name NULL, the name of id *@id into @out (@outlen bytes).  The
 * reentrant calls, with a buffer of our own: natc-restore-translate's
 * threads build commands at the same time, and getpwnam()'s result is
 * libc's one static record (ir/lock.h guards libxtables and netdb, not
 * these).  1: found; 0: no such entry; -1: the lookup failed (errno).
 */
static int lookup(bool group, const char *name, uint32_t *id, char *out,
		  size_t outlen)
{
	long max = sysconf(group ? _SC_GETGR_R_SIZE_MAX : _SC_GETPW_R_SIZE_MAX);
	size_t size = max > 0 && max < (1 << 20) ? (size_t)max : 1024;
	char *buf = NULL;
	int rc, found = 0;

	for (;;) {
		char *nb = realloc(buf, size);

		if (!nb) {
			rc = ENOMEM;
			break;
		}
		buf = nb;
		if (group) {
			struct group g, *res = NULL;

			rc = name ? getgrnam_r(name, &g, buf, size, &res) :
				    getgrgid_r(*id, &g, buf, size, &res);
			found = !rc && res &&
				(name ? (*id = res->gr_gid, 1) :
				 name_copy(out, outlen, res->gr_name));
		} else {
			struct passwd pw, *res = NULL;

			rc = name ? getpwnam_r(name, &pw, buf, size, &res) :
				    getpwuid_r(*id, &pw, buf, size, &res);
			found = !rc && res &&
				(name ? (*id = res->pw_uid, 1) :
				 name_copy(out, outlen, res->pw_name));
		}
		/* an entry bigger than the buffer: a bigger one (up to a
		 * limit no real entry comes near) */
		if (rc != ERANGE || size >= (1 << 24))
			break;
		size *= 2;
	}
	free(buf);
	/* "not found" as some NSS modules say it (getpwnam_r(3)) */
	if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		rc = 0;
	if (rc) {
		errno = rc;
		return -1;
	}
	return found;
}

static int own_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_owner *o = e->data;
	uint8_t bit = opt->id == OPT_UID ? OWN_UID : OWN_GID;
	uint32_t *v = bit == OWN_UID ? o->uid : o->gid;
	uint32_t id;
	int found, why;

	if (o->match & bit)
		return nc_err_param(err, loc,
			"owner: option \"--%s\" can only be used once.\n", opt->name);
	/* a name first, then a number, as iptables */
	found = lookup(bit == OWN_GID, arg, &id, NULL, 0);
	why = errno;	/* parse_range() may change it */
	if (found > 0) {
		v[0] = v[1] = id;
	} else if (!parse_range(arg, v)) {
		/* a number is taken even when the lookup failed, as iptables
		 * does (its getpwnam() returns NULL for both); else a failed
		 * lookup is said as such, not as a bad name */
		if (found < 0 && why == ENOMEM)
			return nc_err_set(err, NC_ERESOURCE, loc, "out of memory");
		if (found < 0)
			return nc_err_param(err, loc,
				"owner: cannot look up %s \"%s\": %s",
				bit == OWN_UID ? "user" : "group", arg, strerror(why));
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
	uint32_t id = v[0];
	char name[256];

	if (!(o->match & bit))
		return;
	nc_buf_printf(b, "%s %s", o->inv & bit ? " !" : "", label);
	if (v[0] != v[1]) {
		nc_buf_printf(b, " %u-%u", v[0], v[1]);
		return;
	}
	/* a name when there is one; the number when there is none or the
	 * lookup failed (-L has nowhere to report it, iptables neither) */
	if (!numeric && lookup(bit == OWN_GID, NULL, &id, name, sizeof(name)) > 0) {
		nc_buf_printf(b, " %s", name);
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
	    ((struct nc_owner *)e->data)->match == OWN_UID &&
	    nc_cursor_joins(c, r, e)) {
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
