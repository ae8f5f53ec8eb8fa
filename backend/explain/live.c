// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live facts of the current network namespace, read only: sysctls from
 * /proc, addresses and routes over rtnetlink, every nf_tables base chain
 * (and how many rules each chain has) over nfnetlink, the legacy tables
 * from /proc/net.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include "backend/explain/live.h"

static int read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int nc_xp_live_sysctl_iface(const char *ifname, const char *key)
{
	char path[128];

	if (strchr(ifname, '/') || snprintf(path, sizeof(path),
		"/proc/sys/net/ipv4/conf/%s/%s", ifname, key) >= (int)sizeof(path))
		return -1;
	return read_int(path);
}

static void read_names(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[64];
	size_t n = 0;

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", line);
		if (n >= len)
			break;
	}
	fclose(f);
}

/* --- netlink requests --------------------------------------------------- */

struct nl {
	struct mnl_socket *s;
	unsigned portid, seq;
};

static int nl_open(struct nl *n, int bus)
{
	n->s = mnl_socket_open(bus);
	if (!n->s)
		return -1;
	if (mnl_socket_bind(n->s, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(n->s);
		n->s = NULL;
		return -1;
	}
	n->portid = mnl_socket_get_portid(n->s);
	n->seq = (unsigned)time(NULL);
	return 0;
}

static int nl_talk(struct nl *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t got;
	int rc;

	nlh->nlmsg_seq = ++n->seq;
	if (mnl_socket_sendto(n->s, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while ((got = mnl_socket_recvfrom(n->s, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, (size_t)got, n->seq, n->portid, cb, data);
		if (rc <= MNL_CB_STOP || !(nlh->nlmsg_flags & NLM_F_DUMP))
			return rc;
	}
	return got < 0 ? -1 : 0;
}

/* --- addresses ---------------------------------------------------------- */

struct attrs {
	const struct nlattr *tb[64];
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_xp_live *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct attrs t = { .max = IFA_MAX < 63 ? IFA_MAX : 63 };
	struct nc_xp_addr *v, *x;
	const struct nlattr *a;
	uint32_t flags = ifa->ifa_flags;
	size_t alen = ifa->ifa_family == AF_INET6 ? 16 : 4;

	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &t);
	a = t.tb[IFA_LOCAL] ? t.tb[IFA_LOCAL] : t.tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != alen)
		return MNL_CB_OK;
	if (t.tb[IFA_FLAGS])
		flags = mnl_attr_get_u32(t.tb[IFA_FLAGS]);
	v = realloc(l->addrs, (l->naddrs + 1) * sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->addrs = v;
	x = &v[l->naddrs++];
	memset(x, 0, sizeof(*x));
	x->ifindex = (int)ifa->ifa_index;
	if (!if_indextoname(ifa->ifa_index, x->ifname))
		snprintf(x->ifname, sizeof(x->ifname), "if%u", ifa->ifa_index);
	x->family = ifa->ifa_family;
	memcpy(x->a.b, mnl_attr_get_payload(a), alen);
	x->plen = ifa->ifa_prefixlen;
	x->scope = ifa->ifa_scope;
	x->permanent = flags & IFA_F_PERMANENT;
	return MNL_CB_OK;
}

static int read_addrs(struct nc_xp_live *l)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct nl n;
	int rc;

	if (nl_open(&n, NETLINK_ROUTE) < 0)
		return 0;	/* unknown, not fatal */
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	rc = nl_talk(&n, nlh, addr_cb, l);
	mnl_socket_close(n.s);
	return rc < 0 && errno == ENOMEM ? -1 : 0;
}

/* --- routes ------------------------------------------------------------- */

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_xp_route *rt = data;
	const struct rtmsg *rm = mnl_nlmsg_get_payload(nlh);
	struct attrs t = { .max = RTA_MAX < 63 ? RTA_MAX : 63 };
	size_t alen = rm->rtm_family == AF_INET6 ? 16 : 4;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rm), attr_cb, &t);
	rt->ok = true;
	rt->local = rm->rtm_type == RTN_LOCAL;
	if (t.tb[RTA_OIF] && !if_indextoname(mnl_attr_get_u32(t.tb[RTA_OIF]), rt->oif))
		rt->oif[0] = '\0';
	if (t.tb[RTA_GATEWAY] && mnl_attr_get_payload_len(t.tb[RTA_GATEWAY]) == alen) {
		rt->gateway = true;
		memcpy(rt->via.b, mnl_attr_get_payload(t.tb[RTA_GATEWAY]), alen);
	}
	if (t.tb[RTA_PREFSRC] && mnl_attr_get_payload_len(t.tb[RTA_PREFSRC]) == alen) {
		rt->have_prefsrc = true;
		memcpy(rt->prefsrc.b, mnl_attr_get_payload(t.tb[RTA_PREFSRC]), alen);
	}
	return MNL_CB_OK;
}

int nc_xp_route_get(uint8_t family, const union nc_addr *dst,
		    struct nc_xp_route *rt)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t alen = family == AF_INET6 ? 16 : 4;
	struct rtmsg *rm;
	struct nl n;
	int rc;

	memset(rt, 0, sizeof(*rt));
	if (nl_open(&n, NETLINK_ROUTE) < 0)
		return -1;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = family;
	rm->rtm_dst_len = (unsigned char)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, dst->b);
	rc = nl_talk(&n, nlh, route_cb, rt);
	mnl_socket_close(n.s);
	return rc < 0 || !rt->ok ? -1 : 0;
}

/* --- nf_tables chains --------------------------------------------------- */

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_xp_live *l = data;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	struct attrs t = { .max = NFTA_CHAIN_MAX < 63 ? NFTA_CHAIN_MAX : 63 };
	struct nc_xp_chain *v, *c;

	mnl_attr_parse(nlh, sizeof(*g), attr_cb, &t);
	if (!t.tb[NFTA_CHAIN_TABLE] || !t.tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	v = realloc(l->chains, (l->nchains + 1) * sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->chains = v;
	c = &v[l->nchains++];
	memset(c, 0, sizeof(*c));
	c->family = g->nfgen_family;
	c->policy = NF_ACCEPT;
	snprintf(c->table, sizeof(c->table), "%s", mnl_attr_get_str(t.tb[NFTA_CHAIN_TABLE]));
	snprintf(c->name, sizeof(c->name), "%s", mnl_attr_get_str(t.tb[NFTA_CHAIN_NAME]));
	if (t.tb[NFTA_CHAIN_TYPE])
		snprintf(c->type, sizeof(c->type), "%s", mnl_attr_get_str(t.tb[NFTA_CHAIN_TYPE]));
	if (t.tb[NFTA_CHAIN_POLICY])
		c->policy = (int)ntohl(mnl_attr_get_u32(t.tb[NFTA_CHAIN_POLICY]));
	if (t.tb[NFTA_CHAIN_HOOK]) {
		struct attrs h = { .max = NFTA_HOOK_MAX };

		mnl_attr_parse_nested(t.tb[NFTA_CHAIN_HOOK], attr_cb, &h);
		c->base = true;
		if (h.tb[NFTA_HOOK_HOOKNUM])
			c->hook = (int)ntohl(mnl_attr_get_u32(h.tb[NFTA_HOOK_HOOKNUM]));
		if (h.tb[NFTA_HOOK_PRIORITY])
			c->prio = (int)ntohl(mnl_attr_get_u32(h.tb[NFTA_HOOK_PRIORITY]));
	}
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nc_xp_live *l = data;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	struct attrs t = { .max = NFTA_RULE_MAX < 63 ? NFTA_RULE_MAX : 63 };
	const char *table, *chain;

	mnl_attr_parse(nlh, sizeof(*g), attr_cb, &t);
	if (!t.tb[NFTA_RULE_TABLE] || !t.tb[NFTA_RULE_CHAIN])
		return MNL_CB_OK;
	table = mnl_attr_get_str(t.tb[NFTA_RULE_TABLE]);
	chain = mnl_attr_get_str(t.tb[NFTA_RULE_CHAIN]);
	for (size_t i = 0; i < l->nchains; i++)
		if (l->chains[i].family == g->nfgen_family &&
		    !strcmp(l->chains[i].table, table) &&
		    !strcmp(l->chains[i].name, chain))
			l->chains[i].nrules++;
	return MNL_CB_OK;
}

static int nft_dump(struct nl *n, uint16_t type, mnl_cb_t cb, void *data)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_UNSPEC;
	g->version = NFNETLINK_V0;
	return nl_talk(n, nlh, cb, data);
}

static int read_chains(struct nc_xp_live *l)
{
	struct nl n;

	if (nl_open(&n, NETLINK_NETFILTER) < 0)
		return 0;
	if (nft_dump(&n, NFT_MSG_GETCHAIN, chain_cb, l) >= 0)
		nft_dump(&n, NFT_MSG_GETRULE, rule_cb, l);
	mnl_socket_close(n.s);
	return 0;
}

int nc_xp_live_read(struct nc_xp_live *l)
{
	memset(l, 0, sizeof(*l));
	l->ip_forward = read_int("/proc/sys/net/ipv4/ip_forward");
	l->route_localnet_all = read_int("/proc/sys/net/ipv4/conf/all/route_localnet");
	read_names("/proc/net/ip_tables_names", l->legacy, sizeof(l->legacy));
	read_names("/proc/net/ip6_tables_names", l->legacy6, sizeof(l->legacy6));
	if (read_addrs(l) < 0 || read_chains(l) < 0)
		return -1;
	return 0;
}

void nc_xp_live_free(struct nc_xp_live *l)
{
	free(l->addrs);
	free(l->chains);
	memset(l, 0, sizeof(*l));
}

size_t nc_xp_live_addrs_of(const struct nc_xp_live *l, const char *ifname,
			   const struct nc_xp_addr **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < l->naddrs; i++)
		if (l->addrs[i].family == AF_INET && !strcmp(l->addrs[i].ifname, ifname)) {
			if (n < max)
				out[n] = &l->addrs[i];
			n++;
		}
	return n;
}

bool nc_xp_live_is_local(const struct nc_xp_live *l, const union nc_addr *a)
{
	if ((ntohl(a->ip) >> 24) == 127)
		return true;
	for (size_t i = 0; i < l->naddrs; i++)
		if (l->addrs[i].family == AF_INET && l->addrs[i].a.ip == a->ip)
			return true;
	return false;
}
