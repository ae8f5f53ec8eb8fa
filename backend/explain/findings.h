/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checkers findings.c runs, one file each (or a small group). */
#ifndef NATC_EXPLAIN_FINDINGS_H
#define NATC_EXPLAIN_FINDINGS_H

#include "backend/explain/explain.h"

/* f_dnat.c: dnat-no-return-path, dnat-any-interface, hairpin-missing,
 * local-traffic-not-translated, dnat-to-loopback */
void nc_xp_check_dnat(struct nc_xp *xp);
/* f_masq.c: masquerade-all-interfaces, masquerade-static-address */
void nc_xp_check_masq(struct nc_xp *xp);
/* f_chains.c: wrong-chain, shadowed-rule, unreachable-chain */
void nc_xp_check_chains(struct nc_xp *xp);
/* f_live.c: ip-forward-disabled, forward-policy-drop, mixed-backends,
 * ipv6-not-covered (live only) */
void nc_xp_check_live(struct nc_xp *xp);

/* helpers */
bool nc_xp_is_kind(const struct nc_xp_rule *xr, const char *name);
const char *nc_xp_ntop(const union nc_addr *a, char buf[46]);
/* "-p tcp --dport 80" for the flow of a DNAT rule, for fixes */
void nc_xp_flow_args(const struct nc_pkt *p, struct nc_buf *b);

#endif
