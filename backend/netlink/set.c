// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Anonymous sets: a rule's "{ 80, 443 }" or NETMAP's map is a set created
 * in the same transaction as the rule (NEWSET, NEWSETELEM, then NEWRULE
 * whose lookup names the set by its batch id), as nft does.  The kernel
 * numbers the name "__set%d" and frees the set with its rule.
 *
 * Reading: before a table's rules, its anonymous sets and their elements
 * are read once into nl->sets (one GETSET dump, one GETSETELEM dump per
 * anonymous set, none at all in a table without sets), so that lookups
 * are raised with their elements.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include "backend/netlink/internal.h"

/* A NEWSET (bytes: header, names, key, data, desc, userdata) */
#define SET_ROOM(l, s) (512 + (size_t)(s)->udata_len)
/* A NEWSETELEM: about 64 bytes an element at most (key, data, flags) */
#define ELEMS_ROOM(s) (256 + 96 * (s)->nelems)

static struct nftnl_set *set_request(struct nc_nl *nl, const char *name, uint32_t id)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		return NULL;
	if (nftnl_set_set_str(s, NFTNL_SET_TABLE, nl->table) < 0 ||
	    nftnl_set_set_str(s, NFTNL_SET_NAME, name) < 0) {
		nftnl_set_free(s);
		return NULL;
	}
	if (id)
		nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	return s;
}

static int add_elems(struct nftnl_set *s, const struct nc_set *cs)
{
	for (size_t i = 0; i < cs->nelems; i++) {
		const struct nc_set_elem *el = &cs->elems[i];
		struct nftnl_set_elem *e = nftnl_set_elem_alloc();

		if (!e)
			return -1;
		if (nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, el->key, cs->key_len) < 0 ||
		    (cs->data_len && !(el->flags & NFT_SET_ELEM_INTERVAL_END) &&
		     nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, el->data,
					cs->data_len) < 0)) {
			nftnl_set_elem_free(e);
			return -1;
		}
		if (el->flags)
			nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS, el->flags);
		nftnl_set_elem_add(s, e);
	}
	return 0;
}

static int queue_one(struct nc_nl *nl, const struct nc_exprs *l,
		     const struct nc_set *cs, uint32_t id)
{
	struct nftnl_set *s = set_request(nl, NC_NL_ANON_SET, id);
	struct nlmsghdr *nlh;
	int saved;

	if (!s)
		return -1;
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, cs->flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, cs->key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, cs->key_len);
	if (cs->flags & NFT_SET_MAP) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, cs->data_type);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, cs->data_len);
	}
	if (cs->size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, cs->size);
	if (cs->udata_len &&
	    nftnl_set_set_data(s, NFTNL_SET_USERDATA,
			       nc_exprs_bytes(l, cs->udata_off), cs->udata_len) < 0)
		goto fail;
	nlh = nc_nl_batch_start(nl, NFT_MSG_NEWSET, NLM_F_CREATE, SET_ROOM(l, cs),
				"SET_ADD");
	if (!nlh)
		goto fail;
	nftnl_set_nlmsg_build_payload(nlh, s);
	nc_nl_batch_push(nl, nlh);

	if (cs->nelems) {
		if (add_elems(s, cs) < 0)
			goto fail;
		nlh = nc_nl_batch_start(nl, NFT_MSG_NEWSETELEM, NLM_F_CREATE,
					ELEMS_ROOM(cs), "SET_ELEM_ADD");
		if (!nlh)
			goto fail;
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nc_nl_batch_push(nl, nlh);
	}
	nftnl_set_free(s);
	return 0;
fail:
	saved = errno;
	nftnl_set_free(s);
	errno = saved;
	return -1;
}

int nc_nl_queue_sets(struct nc_nl *nl, const struct nc_exprs *l,
		     uint32_t *set_id0)
{
	/* ids only need to be unique within a batch; never 0 */
	if (nl->next_set_id == 0 || nl->next_set_id > UINT32_MAX - l->nsets - 1)
		nl->next_set_id = 1;
	*set_id0 = nl->next_set_id;
	for (size_t i = 0; i < l->nsets; i++)
		if (queue_one(nl, l, &l->sets[i], nl->next_set_id + (uint32_t)i) < 0)
			return -1;
	nl->next_set_id += (uint32_t)l->nsets;
	return 0;
}

/* --- reading ---------------------------------------------------------- */

void nc_nl_setcache_clear(struct nc_nl_setcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].set.elems);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int cset_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nc_nl_cset *)a)->name,
		      ((const struct nc_nl_cset *)b)->name);
}

const struct nc_set *nc_nl_setcache_find(const struct nc_nl_setcache *c,
					 const char *name)
{
	struct nc_nl_cset key;
	const struct nc_nl_cset *hit;

	if (!c->n || strlen(name) >= sizeof(key.name))
		return NULL;
	strcpy(key.name, name);
	hit = bsearch(&key, c->v, c->n, sizeof(*c->v), cset_cmp);
	return hit ? &hit->set : NULL;
}

static int set_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_nl *nl = data;
	struct nc_nl_setcache *c = &nl->sets;
	struct nftnl_set *s = nftnl_set_alloc();
	struct nc_nl_cset *cs;
	const char *name, *table;
	uint32_t flags;
	int ret = MNL_CB_OK;

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_nlmsg_parse(nlh, s) < 0)
		goto out;	/* not one natc can read: its lookups stay unknown */
	name = nftnl_set_get_str(s, NFTNL_SET_NAME);
	table = nftnl_set_get_str(s, NFTNL_SET_TABLE);
	flags = nftnl_set_get_u32(s, NFTNL_SET_FLAGS);
	if (!name || !table || strcmp(table, nl->table) ||
	    !(flags & NFT_SET_ANONYMOUS) || strlen(name) >= sizeof(cs->name) ||
	    nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN) > NC_EXPR_MAXLEN ||
	    nftnl_set_get_u32(s, NFTNL_SET_DATA_LEN) > NC_EXPR_MAXLEN)
		goto out;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nc_nl_cset *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			ret = MNL_CB_ERROR;
			goto out;
		}
		c->v = v;
		c->cap = cap;
	}
	cs = &c->v[c->n++];
	memset(cs, 0, sizeof(*cs));
	strcpy(cs->name, name);
	cs->set.flags = flags;
	cs->set.key_type = nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE);
	cs->set.key_len = nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN);
	cs->set.data_type = nftnl_set_get_u32(s, NFTNL_SET_DATA_TYPE);
	cs->set.data_len = nftnl_set_get_u32(s, NFTNL_SET_DATA_LEN);
	cs->set.size = nftnl_set_get_u32(s, NFTNL_SET_DESC_SIZE);
out:
	nftnl_set_free(s);
	return ret;
}

static int elem_cb(struct nftnl_set_elem *e, void *data)
{
	struct nc_set *cs = data;
	struct nc_set_elem *el;
	const void *p;
	uint32_t len = 0;

	if (cs->nelems == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 8;
		struct nc_set_elem *v = realloc(cs->elems, cap * sizeof(*v));

		if (!v)
			return -1;
		cs->elems = v;
		cs->cap = cap;
	}
	el = &cs->elems[cs->nelems];
	memset(el, 0, sizeof(*el));
	p = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	if (p && len == cs->key_len)
		memcpy(el->key, p, len);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS))
		el->flags = nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS);
	p = nftnl_set_elem_get(e, NFTNL_SET_ELEM_DATA, &len);
	if (p && len == cs->data_len)
		memcpy(el->data, p, len);
	cs->nelems++;
	return 0;
}

static int elems_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_set *cs = data;
	struct nftnl_set *s = nftnl_set_alloc();
	int ret = MNL_CB_OK;

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_elems_nlmsg_parse(nlh, s) < 0 ||
	    nftnl_set_elem_foreach(s, elem_cb, cs) < 0)
		ret = MNL_CB_ERROR;
	nftnl_set_free(s);
	return ret;
}

int nc_nl_setcache_load(struct nc_nl *nl)
{
	struct nc_nl_setcache *c = &nl->sets;
	struct nftnl_set *req;
	struct nlmsghdr *nlh;

	nc_nl_setcache_clear(c);
	req = set_request(nl, "", 0);
	if (!req)
		return -1;
	nftnl_set_unset(req, NFTNL_SET_NAME);
	nlh = nftnl_nlmsg_build_hdr(nl->rx, NFT_MSG_GETSET, nl->family,
				    NLM_F_DUMP, nl->seq++);
	nftnl_set_nlmsg_build_payload(nlh, req);
	nftnl_set_free(req);
	if (nc_nl_talk(nl, nlh, set_msg_cb, nl) < 0 && errno != ENOENT)
		return -1;
	if (c->n)	/* qsort(NULL, 0) is undefined (UBSan) */
		qsort(c->v, c->n, sizeof(*c->v), cset_cmp);
	for (size_t i = 0; i < c->n; i++) {
		req = set_request(nl, c->v[i].name, 0);
		if (!req)
			return -1;
		nlh = nftnl_nlmsg_build_hdr(nl->rx, NFT_MSG_GETSETELEM, nl->family,
					    NLM_F_DUMP, nl->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, req);
		nftnl_set_free(req);
		if (nc_nl_talk(nl, nlh, elems_msg_cb, &c->v[i].set) < 0)
			return -1;
	}
	return 0;
}
