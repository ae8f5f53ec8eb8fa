/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live facts --explain reads from the current network namespace:
 * sysctls, addresses, routes (rtnetlink), base chains of every nf_tables
 * table (the filter table's FORWARD policy, other NAT tables, IPv6) and
 * the iptables-legacy tables.  Read only; nothing is ever changed.
 */
#ifndef NATC_EXPLAIN_LIVE_H
#define NATC_EXPLAIN_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include "ir/ir.h"

struct nc_xp_addr {
	int ifindex;
	char ifname[IFNAMSIZ];
	uint8_t family;
	union nc_addr a;
	uint8_t plen, scope;
	bool permanent;		/* IFA_F_PERMANENT: not from DHCP/SLAAC */
};

struct nc_xp_chain {
	uint8_t family;		/* NFPROTO_* */
	char table[64], name[256], type[16];
	bool base;
	int hook, prio;
	int policy;		/* NF_ACCEPT / NF_DROP */
	size_t nrules;		/* -1 when not counted */
};

struct nc_xp_live {
	int ip_forward;			/* -1: unreadable */
	int route_localnet_all;
	struct nc_xp_addr *addrs;
	size_t naddrs;
	struct nc_xp_chain *chains;
	size_t nchains;
	char legacy[128];		/* /proc/net/ip_tables_names, one line */
	char legacy6[128];
};

/* Read everything; parts that cannot be read are left unknown (-1,
 * empty).  -1 only when out of memory. */
int nc_xp_live_read(struct nc_xp_live *l);
void nc_xp_live_free(struct nc_xp_live *l);

/* route_localnet of interface @ifname (-1 unreadable). */
int nc_xp_live_sysctl_iface(const char *ifname, const char *key);

struct nc_xp_route {
	bool ok;
	bool local;			/* RTN_LOCAL: this host's own */
	bool gateway;			/* via a gateway (not on-link) */
	char oif[IFNAMSIZ];
	union nc_addr via, prefsrc;
	bool have_prefsrc;
};
/* The kernel's routing decision for @dst (as `ip route get`). */
int nc_xp_route_get(uint8_t family, const union nc_addr *dst,
		    struct nc_xp_route *rt);

/* IPv4 addresses of @ifname in @l (the first is the primary). */
size_t nc_xp_live_addrs_of(const struct nc_xp_live *l, const char *ifname,
			   const struct nc_xp_addr **out, size_t max);
bool nc_xp_live_is_local(const struct nc_xp_live *l, const union nc_addr *a);

#endif
