// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzing the reading of rule dumps: the input is the payload of one
 * NFT_MSG_NEWRULE message as the kernel sends it in a dump (struct
 * nfgenmsg, then the rule's attributes: table, chain, handle,
 * expressions, userdata, compat), put behind a netlink header of its
 * exact size.  It goes through what every dump goes through
 * (backend/netlink/dump.c): libnftnl's parser behind nc_nl_rule_parse()'s
 * checks, or the raw reading of expression names when libnftnl refuses
 * the rule; the expressions into struct nc_expr (backend/netlink/expr.c,
 * lookups finding their sets in a set cache as a dump fills it), each
 * kind's recognition (nc_rule_delinearize), then the printers.  No kernel.
 *
 * libnftnl 1.2.4 ends the process on an attribute of the wrong size
 * ("nf_tables kernel ABI is broken, contact your vendor.", exit(1)): natc
 * trusts the kernel it reads and ends there, as iptables-nft does.  Here
 * such an input ends at that point without ending the run: exit() is
 * caught while libnftnl parses (what it had allocated is not counted as
 * leaked).
 *
 * Rules holding xt matches or targets (nft_compat: "match", "target")
 * are passed over: natc hands their bytes to the libxtables extension's
 * save(), which takes them as they are (CONNMARK's indexes a table with
 * one of them and crashes on a byte no kernel holds: the kernel checks
 * them when the rule is added).  Fuzzing them would fuzz libxtables.
 *
 * Seeds: testsuite/fuzz/gen-dump.c, the bytes natc's own encoder writes.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <sanitizer/lsan_interface.h>
#include "testsuite/fuzz/fuzz.h"

static struct nc_nl_setcache sets;
static struct nc_exprs exprs;
static jmp_buf *in_libnftnl;	/* set while libnftnl parses */

/* libnftnl's exit(), back to the parse in progress; any other, libc's */
void exit(int status)
{
	void (*libc_exit)(int);

	if (in_libnftnl)
		longjmp(*in_libnftnl, 1);
	libc_exit = (void (*)(int))dlsym(RTLD_NEXT, "exit");
	libc_exit(status);
	abort();
}

static bool named(const struct nlattr *b, const char *name)
{
	return mnl_attr_get_type(b) == NFTA_EXPR_NAME &&
	       !strncmp(mnl_attr_get_payload(b), name, mnl_attr_get_payload_len(b));
}

/* A jump or goto without its chain, which libnftnl 1.2.4 strdup()s all
 * the same (a NULL dereference; the kernel always sends the chain). */
static bool chainless_jump(const struct nlattr *data)
{
	const struct nlattr *d, *v, *c;

	mnl_attr_for_each_nested(d, data) {
		bool jump = false, chain = false;

		if (mnl_attr_get_type(d) != NFTA_IMMEDIATE_DATA)
			continue;
		mnl_attr_for_each_nested(v, d) {
			if (mnl_attr_get_type(v) != NFTA_DATA_VERDICT)
				continue;
			mnl_attr_for_each_nested(c, v) {
				if (mnl_attr_get_type(c) == NFTA_VERDICT_CHAIN)
					chain = true;
				if (mnl_attr_get_type(c) == NFTA_VERDICT_CODE &&
				    mnl_attr_get_payload_len(c) >= 4) {
					int32_t code = (int32_t)ntohl(mnl_attr_get_u32(c));

					jump |= code == NFT_JUMP || code == NFT_GOTO;
				}
			}
		}
		if (jump && !chain)
			return true;
	}
	return false;
}

/* A verdict (NFTA_DATA_VERDICT) in a data attribute of @data, an
 * expression other than immediate: the kernel never sends one (it holds
 * verdicts in immediates alone), and libnftnl 1.2.4 does not survive
 * some (a strdup() of a wild pointer: the fuzzer's 2026-12-07 finding,
 * seeds/dump/regress-dump-verdict-in-bitwise). */
static bool stray_verdict(const struct nlattr *data)
{
	const struct nlattr *d, *v;

	/* (mnl_attr_get_type() masks NLA_F_NESTED off: the raw type says
	 * whether an attribute is a nest, as the kernel marks verdicts) */
	mnl_attr_for_each_nested(d, data)
		mnl_attr_for_each_nested(v, d)
			if (mnl_attr_get_type(v) == NFTA_DATA_VERDICT &&
			    (v->nla_type & NLA_F_NESTED))
				return true;
	return false;
}

/* Whether the rule at @nlh is passed over: it has an xt match or target
 * (see above), or what libnftnl 1.2.4 itself does not survive. */
static bool pass_over(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *elem, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(elem, a) {
			bool imm = false;

			mnl_attr_for_each_nested(b, elem) {
				if (named(b, "match") || named(b, "target"))
					return true;
				imm |= named(b, "immediate");
			}
			mnl_attr_for_each_nested(b, elem) {
				if (imm && mnl_attr_get_type(b) == NFTA_EXPR_DATA &&
				    chainless_jump(b))
					return true;
				if (!imm && mnl_attr_get_type(b) == NFTA_EXPR_DATA &&
				    stray_verdict(b))
					return true;
			}
		}
	}
	return false;
}

/* nc_nl_rule_parse(), or -2 when libnftnl wanted to end the process */
static int parse(const struct nlmsghdr *nlh, struct nftnl_rule *nr)
{
	jmp_buf jb;
	int ret;

	if (setjmp(jb)) {
		in_libnftnl = NULL;
		__lsan_enable();
		return -2;
	}
	__lsan_disable();
	in_libnftnl = &jb;
	ret = nc_nl_rule_parse(nlh, nr);
	in_libnftnl = NULL;
	__lsan_enable();
	return ret;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setcache(&sets);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nfgenmsg *nfg = (const void *)data;
	struct nlmsghdr *nlh;
	struct nftnl_rule *nr;
	struct nc_rule *r;
	struct nc_buf b = { 0 };
	bool saw_xt = false;

	/* the kernel's messages always have their struct nfgenmsg (which
	 * libnftnl reads without looking at the length) */
	if (size < sizeof(*nfg) || size > 65536)
		return 0;
	/* libmnl reads attributes up to the message's length rounded up to
	 * 4 bytes (the kernel's always are): zeroes up to there; and one NUL
	 * byte after them: libnftnl copies string attributes (table, chain,
	 * names) with strdup() without checking that they end in the
	 * attribute; the kernel always terminates them, and in natc's
	 * receive buffer what follows a message is read instead */
	nlh = calloc(1, NLMSG_HDRLEN + MNL_ALIGN(size) + 1);
	if (!nlh)
		abort();
	*nlh = (struct nlmsghdr){
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + size),
		.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE,
		.nlmsg_flags = NLM_F_MULTI,
	};
	memcpy((char *)nlh + NLMSG_HDRLEN, data, size);

	if (pass_over(nlh)) {
		free(nlh);
		return 0;
	}
	/* as rule_msg_cb() */
	nr = nftnl_rule_alloc();
	if (!nr)
		abort();
	switch (parse(nlh, nr)) {
	case -2:		/* natc would have ended here */
		nftnl_rule_free(nr);
		free(nlh);
		return 0;
	case -1:
		nftnl_rule_free(nr);
		nr = NULL;
	}
	r = nc_nl_rule_read(nlh, nr, &exprs, &sets,
			    nfg->nfgen_family == NFPROTO_IPV6 ? AF_INET6 : AF_INET,
			    &saw_xt);
	if (r) {
		nc_print_rule_spec(r, "PREROUTING", false, &b);
		nc_buf_reset(&b);
		nc_print_rule_spec(r, "PREROUTING", true, &b);
		nc_buf_reset(&b);
		nc_print_rule_brief(r, &b);
	}
	nc_buf_free(&b);
	nc_rule_free(r);
	if (nr)		/* libnftnl's free takes no NULL */
		nftnl_rule_free(nr);
	free(nlh);
	return 0;
}
