/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing the IR the way iptables does: -S (and the save format's rule
 * lines) and -L in all its variants.  Output is appended to a caller-owned
 * buffer; nothing here writes to a file descriptor.
 */
#ifndef NATC_PRINT_H
#define NATC_PRINT_H

#include "ir/ir.h"
#include "ir/buf.h"

/* One rule in -S form: "-A CHAIN -s ... -j TARGET" (no newline).  With
 * @counters, iptables' "-c PACKETS BYTES" as iptables-nft -S -v prints it. */
void nc_print_rule_spec(const struct nc_rule *r, const char *chain,
			bool counters, struct nc_buf *b);

/*
 * -S: the policies ("-P CHAIN ACCEPT") of the builtin chains, "-N CHAIN" of
 * user chains, then every rule, newline-terminated.  @chain NULL: all
 * chains; else that chain only, and with @rulenum > 0 only that rule
 * (1-based).  Returns -1 when @chain or @rulenum does not exist.
 */
int nc_print_S(const struct nc_ruleset *rs, const char *chain, size_t rulenum,
	       bool counters, struct nc_buf *b);

/*
 * -L with enum nc_fmt flags.  Same selection as nc_print_S().
 */
int nc_print_L(const struct nc_ruleset *rs, const char *chain, size_t rulenum,
	       unsigned fmt, struct nc_buf *b);

/*
 * The save format (iptables-save): "*nat", the chain lines (with their
 * counters), every rule ("[packets:bytes] " before each with @counters),
 * "COMMIT".  The comment
 * lines around it are the caller's.
 */
void nc_print_save(const struct nc_ruleset *rs, bool counters, struct nc_buf *b);

/*
 * One rule as iptables -v echoes it for -A/-I/-D/-R/-C (numbers, no
 * columns): "DNAT  tcp opt -- in * out *  0.0.0.0/0  -> 0.0.0.0/0   ...".
 */
void nc_print_rule_brief(const struct nc_rule *r, struct nc_buf *b);

#endif
