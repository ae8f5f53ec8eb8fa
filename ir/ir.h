/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natc intermediate representation: ruleset, chain, rule, extension
 * instances (matches and targets) and source locations.
 *
 * Ownership rules (they hold for every type in this header):
 *  - A ruleset owns its chains, a chain owns its rules, a rule owns its
 *    extension instances and their private data.  Freeing the owner frees
 *    everything below it: nc_ruleset_free(), nc_chain_free(), nc_rule_free().
 *  - Functions that take a pointer and store it say "takes" in their
 *    comment: ownership passes to the callee, even when it fails.
 *    All others borrow their arguments for the duration of the call.
 *  - Strings inside IR objects are fixed-size arrays (chain names, interface
 *    names) or owned heap strings freed with their object.
 *  - Private extension data is allocated zeroed with the size the ops table
 *    states, so two instances can be compared with memcmp().
 *
 * Nothing here knows about netlink or libnftnl: the backends translate.
 */
#ifndef NATC_IR_H
#define NATC_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>	/* after netinet/in.h */

#define NC_CHAIN_MAXNAMELEN 29	/* iptables: "must be under 29 chars" */
#define NC_TABLE_NAT "nat"

struct nc_ext_ops;

/* Where something came from: 1-based line and columns of the source text. */
struct nc_loc {
	uint32_t line;
	uint16_t first_col;
	uint16_t last_col;
};

union nc_addr {
	struct in_addr in;
	struct in6_addr in6;
	uint32_t ip;		/* IPv4, network byte order */
	uint8_t b[16];
};

/* An instance of a match or target extension inside a rule. */
struct nc_ext {
	const struct nc_ext_ops *ops;
	struct nc_loc loc;
	void *data;		/* ops->size bytes, zeroed at creation */
};

/* The generic part of a rule, as iptables' struct ipt_ip. */
enum nc_inv {
	NC_INV_SRC   = 1 << 0,
	NC_INV_DST   = 1 << 1,
	NC_INV_IN    = 1 << 2,
	NC_INV_OUT   = 1 << 3,
	NC_INV_PROTO = 1 << 4,
	NC_INV_FRAG  = 1 << 5,
};

enum nc_rule_flags {
	NC_RF_FRAG  = 1 << 0,	/* -f given (see NC_INV_FRAG for its sign) */
};

struct nc_iface {
	char name[IFNAMSIZ];	/* as typed, '+' wildcard included */
};

struct nc_rule {
	struct nc_loc loc;
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t flags;		/* enum nc_rule_flags */
	uint8_t invflags;	/* enum nc_inv */
	uint8_t proto;		/* layer 4 protocol number, 0 = any */
	union nc_addr src, smsk, dst, dmsk;
	struct nc_iface in, out;
	struct nc_ext *matches;	/* array of nmatches, in command-line order */
	size_t nmatches;
	struct nc_ext target;	/* ops == NULL: no -j/-g at all */
	uint64_t packets, bytes;
	uint64_t handle;	/* kernel handle, 0 when not from the kernel */
	char *unknown;		/* owned: text of a kernel rule natc could not
				 * express, NULL for ordinary rules */
};

struct nc_chain {
	char name[256];		/* NFT_CHAIN_MAXNAMELEN: chains others made
				 * may have longer names than iptables allows */
	bool builtin;		/* a base chain (hook) */
	int hook;		/* NF_INET_* when builtin */
	int prio;
	int policy;		/* NF_ACCEPT / NF_DROP when builtin */
	bool exists;		/* present in the kernel (builtins are listed
				 * even when absent, like iptables-nft) */
	uint64_t packets, bytes;	/* policy counters */
	uint64_t handle;
	struct nc_rule **rules;
	size_t nrules, cap;
};

struct nc_ruleset {
	uint8_t family;
	char table[32];
	bool exists;			/* the table is in the kernel */
	struct nc_chain **chains;	/* builtins first, in hook order, then
					 * user chains in name order */
	size_t nchains, cap;
};

/* Rules */
struct nc_rule *nc_rule_new(uint8_t family);
void nc_rule_free(struct nc_rule *r);
/* Deep copy; NULL with errno on failure. */
struct nc_rule *nc_rule_clone(const struct nc_rule *r);
/* Add a match instance of @ops; returns it (data zeroed) or NULL. */
struct nc_ext *nc_rule_add_match(struct nc_rule *r, const struct nc_ext_ops *ops);
/* Find the first match of @ops in @r, NULL if none. */
struct nc_ext *nc_rule_find_match(const struct nc_rule *r, const struct nc_ext_ops *ops);
/* The last instance of @ops, or NULL. */
struct nc_ext *nc_rule_last_match(const struct nc_rule *r, const struct nc_ext_ops *ops);
/* Set the target; replaces any previous one.  -1 on ENOMEM. */
int nc_rule_set_target(struct nc_rule *r, const struct nc_ext_ops *ops);
/* Same packets matched and same action (counters, handle, loc ignored). */
bool nc_rule_equal(const struct nc_rule *a, const struct nc_rule *b);

/* Chains */
struct nc_chain *nc_chain_new(const char *name);
void nc_chain_free(struct nc_chain *c);
/* Take @r and put it at 0-based @pos (pos == nrules appends). -1 ENOMEM. */
int nc_chain_insert(struct nc_chain *c, size_t pos, struct nc_rule *r);
/* Remove and return the rule at @pos; the caller owns it. */
struct nc_rule *nc_chain_remove(struct nc_chain *c, size_t pos);

/* Rulesets */
struct nc_ruleset *nc_ruleset_new(uint8_t family, const char *table);
void nc_ruleset_free(struct nc_ruleset *rs);
/* Takes @c. -1 with errno on failure. Keeps the order documented above. */
int nc_ruleset_add_chain(struct nc_ruleset *rs, struct nc_chain *c);
struct nc_chain *nc_ruleset_find_chain(const struct nc_ruleset *rs, const char *name);
/* Add the absent builtin chains of the nat table (listed, not in kernel). */
int nc_ruleset_add_builtins(struct nc_ruleset *rs);

/* The nat table's builtin chains, in listing order. */
struct nc_builtin {
	const char *name;
	int hook;		/* NF_INET_PRE_ROUTING ... */
	int prio;
};
extern const struct nc_builtin nc_nat_builtins[4];
/* Builtin named @name, or NULL. */
const struct nc_builtin *nc_builtin_find(const char *name);

#endif
