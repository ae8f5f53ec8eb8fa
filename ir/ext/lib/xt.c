// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The only file that calls libxtables: see ir/ext/lib/xt.h for the state it
 * keeps and how this file confines it.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include "ir/ext/lib/xt.h"
#include "ir/lock.h"

/* libxtables' global state, and the little natc adds to catch its
 * errors: all of it here. */
static bool xt_ready;
static jmp_buf *xt_jmp;		/* the call to return to on an error */
static char xt_msg[512];	/* the extension's message */

static void xt_exit_err(enum xtables_exittype status, const char *msg, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static int xt_compat_rev(const char *name, uint8_t rev, int opt)
{
	return 1;	/* take the newest revision (see xt.h) */
}

static struct option xt_no_opts[] = { { 0 } };

static struct xtables_globals xt_globals = {
	.option_offset = 0,
	.program_name = "iptables",
	.program_version = "1.8.9",
	.orig_opts = xt_no_opts,
	.exit_err = xt_exit_err,
	.compat_rev = xt_compat_rev,
};

static void xt_exit_err(enum xtables_exittype status, const char *msg, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, msg);
	vsnprintf(xt_msg, sizeof(xt_msg), msg, ap);
	va_end(ap);
	/* a message ending in a newline is printed with a blank line after
	 * it, as iptables does (struct nc_err keeps it) */
	n = strlen(xt_msg);
	while (n > 1 && xt_msg[n - 1] == '\n' && xt_msg[n - 2] == '\n')
		xt_msg[--n] = '\0';
	if (xt_jmp)
		longjmp(*xt_jmp, 1);
	/*
	 * Not reached: every call into libxtables sets xt_jmp, and the call
	 * it returns to records the message in its struct nc_err (xt_fail()).
	 * Should libxtables call this from elsewhere, there is no record to
	 * fill: no natc caller is waiting, and libxtables declares exit_err
	 * noreturn, so its code after the call assumes it never comes back.
	 * The process has to end here, and this print is the only way left
	 * to say why: the one place outside cli/ that writes a message.
	 */
	fprintf(stderr, "iptables v1.8.9 (nf_tables): %s\n", xt_msg);
	exit(status);
}

#ifndef NC_XTLIBDIR
#define NC_XTLIBDIR "/usr/lib/x86_64-linux-gnu/xtables"
#endif

void nc_xt_system_libdir(void)
{
	/* libxtables' xtables_init() takes the first of these it finds */
	setenv("XTABLES_LIBDIR", NC_XTLIBDIR, 1);
	unsetenv("IPTABLES_LIB_DIR");
	unsetenv("IP6TABLES_LIB_DIR");
}

static void xt_setup(uint8_t family)
{
	if (!xt_ready) {
		xtables_init_all(&xt_globals, NFPROTO_IPV4);
		xt_ready = true;
	}
	xtables_set_nfproto(family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
}

/* A match or a target, seen through the fields they share. */
struct xe {
	bool target;
	struct xtables_match *m;
	struct xtables_target *t;
};

#define XE(e, f) ((e)->target ? (e)->t->f : (e)->m->f)
/* for the callbacks, whose types differ */
#define XEHAS(e, f) ((e)->target ? (e)->t->f != NULL : (e)->m->f != NULL)

/* Find a loaded (or loadable) extension by user name, or by kernel name
 * and revision (@rev >= 0). */
static bool xe_find(struct xe *e, enum nc_ext_kind kind, const char *name,
		    int rev)
{
	e->target = kind == NC_EXT_TARGET;
	e->m = NULL;
	e->t = NULL;
	/* a name is a file name in libxtables' directory, never a path */
	if (strlen(name) >= XT_EXTENSION_MAXNAMELEN || strchr(name, '/'))
		return false;
	if (e->target) {
		e->t = rev < 0 ? xtables_find_target(name, XTF_TRY_LOAD) :
			xtables_find_target_revision(name, XTF_TRY_LOAD, NULL, rev);
		/* the standard target is natc's own */
		if (e->t && (!strcmp(e->t->name, "standard") ||
			     !strcmp(e->t->name, XT_STANDARD_TARGET)))
			e->t = NULL;
		return e->t;
	}
	e->m = rev < 0 ? xtables_find_match(name, XTF_TRY_LOAD, NULL) :
		xtables_find_match_revision(name, XTF_TRY_LOAD, NULL, rev);
	return e->m;
}

/* Scratch data some extensions keep between their option calls
 * (udata_size): fresh for each new instance (@fresh), as iptables does
 * at -m/-j; it lives in libxtables' extension structure. */
static void xe_udata(struct xe *e, bool fresh)
{
	size_t size = XE(e, udata_size);
	void **u = e->target ? &e->t->udata : &e->m->udata;

	if (!size || (*u && !fresh))
		return;
	free(*u);
	*u = xtables_calloc(1, size);	/* exits through xt_exit_err */
}

/* The extension an instance belongs to. */
static bool xe_of(struct xe *e, const struct nc_xt *x, enum nc_ext_kind kind,
		  uint8_t family)
{
	xt_setup(family);
	if (!xe_find(e, kind, x->name, -1))
		return false;
	if (XE(e, revision) != x->rev) {
		/* an instance of an older revision: find that one */
		struct xe o;

		if (!xe_find(&o, kind, x->name, (int)x->rev) ||
		    strcmp(XE(&o, name), x->name))
			return false;
		*e = o;
	}
	xe_udata(e, false);
	return true;
}

/* The kernel-format entry (struct xt_entry_match/target) of an instance,
 * heap-allocated: extensions may reallocate it. */
static void *entry_new(const struct xe *e, const struct nc_xt *x)
{
	size_t hdr = XT_ALIGN(sizeof(struct xt_entry_match));
	size_t size = XE(e, size);
	const char *real = XE(e, real_name) ? XE(e, real_name) : XE(e, name);
	struct xt_entry_match *m = calloc(1, hdr + (size > x->len ? size : x->len));

	if (!m)
		return NULL;
	m->u.match_size = (uint16_t)(hdr + size);
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", real);
	m->u.user.revision = (uint8_t)x->rev;
	memcpy(m->data, x->info, x->len);
	return m;
}

static void entry_back(struct nc_xt *x, const void *ent)
{
	const struct xt_entry_match *m = ent;
	size_t hdr = XT_ALIGN(sizeof(struct xt_entry_match));
	size_t len = m->u.match_size > hdr ? m->u.match_size - hdr : 0;

	if (len > sizeof(x->info))
		len = sizeof(x->info);
	memcpy(x->info, m->data, len);
	if (len < x->len)
		memset(x->info + len, 0, x->len - len);
	x->len = (uint32_t)len;
}

/* The generic part iptables gives print()/save()/parse as "ip". */
union fw_entry {
	struct ipt_entry e4;
	struct ip6t_entry e6;
};

static void fw_of(union fw_entry *fw, const struct nc_rule *r)
{
	memset(fw, 0, sizeof(*fw));
	if (!r)
		return;
	if (r->family == AF_INET6) {
		fw->e6.ipv6.proto = r->proto;
		if (r->proto)
			fw->e6.ipv6.flags |= IP6T_F_PROTO;
		if (r->invflags & NC_INV_PROTO)
			fw->e6.ipv6.invflags |= XT_INV_PROTO;
	} else {
		fw->e4.ip.proto = r->proto;
		if (r->invflags & NC_INV_PROTO)
			fw->e4.ip.invflags |= XT_INV_PROTO;
	}
}

static const void *fw_ip(const union fw_entry *fw, const struct nc_rule *r)
{
	return r && r->family == AF_INET6 ? (const void *)&fw->e6.ipv6 :
		(const void *)&fw->e4.ip;
}

/* Report a libxtables error as iptables does (parameter problem unless
 * the extension said otherwise). */
static int xt_fail(struct nc_err *err, const struct nc_loc *loc)
{
	return nc_err_param(err, loc, "%s", xt_msg);
}

static int xt_load_unlocked(struct nc_xt *x, enum nc_ext_kind kind, const char *name,
	       uint8_t family, const struct nc_loc *loc, struct nc_err *err)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	struct xe e;
	void *ent;

	if (setjmp(jb)) {
		xt_jmp = prev;
		return xt_fail(err, loc);
	}
	xt_jmp = &jb;
	xt_setup(family);
	if (!xe_find(&e, kind, name, -1) || XE(&e, size) > sizeof(x->info)) {
		xt_jmp = prev;
		return 1;
	}
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", XE(&e, name));
	x->rev = XE(&e, revision);
	x->len = (uint32_t)XE(&e, size);
	ent = entry_new(&e, x);
	if (!ent) {
		xt_jmp = prev;
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	xe_udata(&e, true);
	if (e.target && e.t->init)
		e.t->init(ent);
	else if (!e.target && e.m->init)
		e.m->init(ent);
	entry_back(x, ent);
	free(ent);
	xt_jmp = prev;
	return 0;
}

enum out_kind { OUT_SAVE, OUT_PRINT, OUT_ALIAS };
static void xt_output(const struct nc_xt *x, enum nc_ext_kind kind,
		      const struct nc_rule *r, struct nc_buf *b,
		      enum out_kind what, bool numeric);

static bool xt_is_target_unlocked(const char *name, uint8_t family)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	struct xe e;
	bool found;

	if (setjmp(jb)) {
		xt_jmp = prev;
		return false;
	}
	xt_jmp = &jb;
	xt_setup(family);
	found = xe_find(&e, NC_EXT_TARGET, name, -1);
	xt_jmp = prev;
	return found;
}

/* The bytes of an instance that are the rule's: userspacesize, or all of
 * it for extensions that leave userspacesize 0 (libxt_helper: the name
 * is then the rule's, the kernel keeps nothing of its own). */
static size_t user_size(const struct xe *e)
{
	size_t user = XE(e, userspacesize);

	return user ? user : XE(e, size);
}

static int xt_from_kernel_unlocked(struct nc_xt *x, enum nc_ext_kind kind,
		      const char *kname, uint32_t rev, const void *info,
		      size_t len, uint8_t family)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	struct xe e;
	size_t size, user;

	if (setjmp(jb)) {
		xt_jmp = prev;
		return 1;
	}
	xt_jmp = &jb;
	xt_setup(family);
	if (rev > 255 || !xe_find(&e, kind, kname, (int)rev)) {
		xt_jmp = prev;
		return 1;
	}
	xt_jmp = prev;
	size = XE(&e, size);
	user = user_size(&e);
	if (size > sizeof(x->info) || len < user)
		return 1;
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", XE(&e, name));
	x->rev = rev;
	x->len = (uint32_t)size;
	/* what the kernel keeps for itself past userspacesize is not the
	 * rule's */
	memcpy(x->info, info, user < size ? user : size);
	/* an alias (conntrack rev 1 that is -m state) is known by the name
	 * the user types */
	if (XEHAS(&e, alias)) {
		struct nc_buf b = { 0 };

		xt_output(x, kind, NULL, &b, OUT_ALIAS, false);
		if (!nc_buf_failed(&b) && b.len && b.len < sizeof(x->name) &&
		    strcmp(b.s, x->name)) {
			struct nc_xt y = *x;
			struct xe a;

			memset(y.name, 0, sizeof(y.name));	/* memcmp'd */
			snprintf(y.name, sizeof(y.name), "%s", b.s);
			if (xe_of(&a, &y, kind, family))
				memcpy(x->name, y.name, sizeof(x->name));
		}
		nc_buf_free(&b);
	}
	return 0;
}

/* Options whose parser takes a second word from argv itself (getopt
 * cannot say so): -m set --match-set NAME FLAGS, -j SET --add-set ... */
static bool two_words(const struct xe *e, const char *opt)
{
	static const char *const names[] = {
		"match-set", "set", "add-set", "del-set", "map-set",
	};

	if (strcmp(XE(e, name), "set") && strcmp(XE(e, name), "SET"))
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(opt, names[i]))
			return true;
	return false;
}

/* Option tables: libxtables' own (x6_options) or getopt's (extra_opts). */
static int opt_lookup(const struct xe *e, const char *name,
		      struct nc_ext_opt *out)
{
	const struct xt_option_entry *x6 = XE(e, x6_options);
	const struct option *old = XE(e, extra_opts);
	size_t len = strlen(name);
	int hits = 0;

	for (int pass = 0; pass < 2 && !hits; pass++) {
		for (size_t i = 0; x6 && x6[i].name; i++) {
			if (pass ? strncmp(x6[i].name, name, len) :
				   strcmp(x6[i].name, name))
				continue;
			out->name = x6[i].name;
			out->id = (int)i;
			out->flags = (x6[i].type != XTTYPE_NONE ? NC_EXTOPT_ARG : 0) |
				     (x6[i].flags & XTOPT_INVERT ? NC_EXTOPT_INV : 0);
			hits++;
		}
		for (size_t i = 0; !x6 && old && old[i].name; i++) {
			if (pass ? strncmp(old[i].name, name, len) :
				   strcmp(old[i].name, name))
				continue;
			out->name = old[i].name;
			out->id = (int)i;
			/* old parsers check inversion themselves */
			out->flags = (old[i].has_arg == required_argument ?
				      NC_EXTOPT_ARG : 0) | NC_EXTOPT_INV;
			if (two_words(e, old[i].name))
				out->flags |= NC_EXTOPT_ARG2;
			hits++;
		}
	}
	return hits == 1 ? 0 : -1;
}

static int xt_opt_find_unlocked(const struct nc_xt *x, enum nc_ext_kind kind,
		   const char *name, uint8_t family, struct nc_ext_opt *out)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	struct xe e;
	int rc = -1;

	if (setjmp(jb)) {
		xt_jmp = prev;
		return -1;
	}
	xt_jmp = &jb;
	if (xe_of(&e, x, kind, family))
		rc = opt_lookup(&e, name, out);
	xt_jmp = prev;
	return rc;
}

static int xt_opt_takes_arg_unlocked(const char *const *names, size_t n, const char *name)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	char opt[64];
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int volatile rc = -1;

	if (len >= sizeof(opt))
		return -1;
	memcpy(opt, name, len);
	opt[len] = '\0';
	if (setjmp(jb)) {
		xt_jmp = prev;
		return rc;
	}
	xt_jmp = &jb;
	/* the scanner does not know the family: IPv4's extensions first,
	 * then IPv6's (hl, icmp6, frag, ...: names IPv4 has not, so an
	 * IPv4 command naming one fails when it is loaded; an extension
	 * both have takes the same arguments in both) */
	for (int f = 0; f < 2 && rc < 0; f++) {
		xt_setup(f ? AF_INET6 : AF_INET);
		for (size_t i = n; i-- > 0 && rc < 0;) {
			struct nc_ext_opt o;
			struct xe e;

			/* the target's options first, as iptables looks
			 * them up */
			for (int k = 1; k >= 0 && rc < 0; k--)
				if (xe_find(&e, k ? NC_EXT_TARGET : NC_EXT_MATCH,
					    names[i], -1) &&
				    opt_lookup(&e, opt, &o) == 0)
					rc = (o.flags & NC_EXTOPT_ARG2) == NC_EXTOPT_ARG2 ? 2 :
					     o.flags & NC_EXTOPT_ARG ? 1 : 0;
		}
	}
	xt_jmp = prev;
	return rc;
}

static int xt_parse_unlocked(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const char *opt, bool inv,
		const char *arg, const struct nc_loc *loc, struct nc_err *err)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	void *volatile ent = NULL;
	union fw_entry fw;
	struct nc_ext_opt o;
	struct xe e;

	if (setjmp(jb)) {
		xt_jmp = prev;
		free(ent);
		return xt_fail(err, loc);
	}
	xt_jmp = &jb;
	if (!xe_of(&e, x, kind, r->family) || opt_lookup(&e, opt, &o) < 0) {
		xt_jmp = prev;
		return nc_err_param(err, loc, "unknown option \"--%s\"", opt);
	}
	ent = entry_new(&e, x);
	if (!ent) {
		xt_jmp = prev;
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	fw_of(&fw, r);
	if (XE(&e, x6_parse)) {
		struct xt_option_call cb = {
			.arg = arg, .ext_name = XE(&e, name),
			.entry = &XE(&e, x6_options)[o.id],
			.data = ((struct xt_entry_match *)ent)->data,
			.xflags = x->xflags, .invert = inv,
			.xt_entry = &fw, .udata = XE(&e, udata),
		};
		void *ptr = ent;

		cb.match = (struct xt_entry_match **)&ptr;
		optarg = (char *)arg;	/* xtables_option_parse() reads it */
		XE(&e, x6_parse)(&cb);
		ent = ptr;
		x->xflags = cb.xflags;
	} else if (XEHAS(&e, parse)) {
		const struct option *old = &XE(&e, extra_opts)[o.id];
		char *argv[5] = { "iptables", NULL, NULL, NULL, NULL };
		char word[80], args[256], *sp;
		unsigned flags = x->oldflags;
		void *ptr = ent;

		snprintf(word, sizeof(word), "--%s", old->name);
		argv[1] = word;
		if (arg) {
			snprintf(args, sizeof(args), "%s", arg);
			argv[2] = args;
			/* a two-word option: the second is the parser's to take */
			if ((o.flags & NC_EXTOPT_ARG2) == NC_EXTOPT_ARG2 &&
			    (sp = strchr(args, ' '))) {
				*sp = '\0';
				argv[3] = sp + 1;
			}
		}
		optarg = argv[2];
		optind = arg ? 3 : 2;
		if (e.target)
			e.t->parse(old->val, argv, inv, &flags, &fw,
				   (struct xt_entry_target **)&ptr);
		else
			e.m->parse(old->val, argv, inv, &flags, &fw,
				   (struct xt_entry_match **)&ptr);
		ent = ptr;
		x->oldflags = flags;
		/* old parsers mark an option seen in flags: keep a bit in
		 * xflags too, so check knows options were given */
		x->xflags |= 1u << 31;
	}
	entry_back(x, ent);
	free(ent);
	xt_jmp = prev;
	return 0;
}

static int xt_check_unlocked(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const struct nc_loc *loc, struct nc_err *err)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	void *volatile ent = NULL;
	struct xe e;

	if (setjmp(jb)) {
		xt_jmp = prev;
		free(ent);
		return xt_fail(err, loc);
	}
	xt_jmp = &jb;
	if (!xe_of(&e, x, kind, r->family)) {
		xt_jmp = prev;
		return nc_err_param(err, loc, "Couldn't load %s `%s'",
				    kind == NC_EXT_TARGET ? "target" : "match",
				    x->name);
	}
	ent = entry_new(&e, x);
	if (!ent) {
		xt_jmp = prev;
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	if (XE(&e, x6_options))
		xtables_options_fcheck(XE(&e, name), x->xflags & ~(1u << 31),
				       XE(&e, x6_options));
	if (XE(&e, x6_fcheck)) {
		struct xt_fcheck_call cb = {
			.ext_name = XE(&e, name),
			.data = ((struct xt_entry_match *)ent)->data,
			.udata = XE(&e, udata),
			.xflags = x->xflags,
		};
		XE(&e, x6_fcheck)(&cb);
	} else if (XE(&e, final_check)) {
		XE(&e, final_check)(x->oldflags);
	}
	entry_back(x, ent);
	free(ent);
	/* what follows userspacesize is the kernel's own */
	if (user_size(&e) < x->len)
		memset(x->info + user_size(&e), 0, x->len - user_size(&e));
	x->xflags = 0;
	x->oldflags = 0;
	xt_jmp = prev;
	return 0;
}

/* An extension's save(), print() or alias(), with stdout going into @b. */
static void xt_output(const struct nc_xt *x, enum nc_ext_kind kind,
		      const struct nc_rule *r, struct nc_buf *b,
		      enum out_kind what, bool numeric)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	void *volatile ent = NULL;
	FILE *volatile saved = NULL;
	FILE *mem;
	char *text = NULL;
	size_t len = 0;
	union fw_entry fw;
	struct xe e;

	if (setjmp(jb)) {
		xt_jmp = prev;
		if (saved) {
			fflush(stdout);
			fclose(stdout);
			stdout = saved;
		}
		free(ent);
		free(text);
		nc_buf_printf(b, " [%s: %s]", x->name, xt_msg);
		return;
	}
	xt_jmp = &jb;
	if (!xe_of(&e, x, kind, r ? r->family : AF_INET) ||
	    !(ent = entry_new(&e, x))) {
		xt_jmp = prev;
		if (what == OUT_ALIAS)
			nc_buf_puts(b, x->name);
		else
			nc_buf_printf(b, " [%s: unsupported revision]", x->name);
		return;
	}
	if (what == OUT_ALIAS) {
		const char *name = x->name;

		if (e.target && e.t->alias)
			name = e.t->alias(ent);
		else if (!e.target && e.m->alias)
			name = e.m->alias(ent);
		nc_buf_puts(b, name);
		free(ent);
		xt_jmp = prev;
		return;
	}
	/* an alias (-m state) prints as iptables prints what the kernel
	 * holds: through the extension of the kernel's name */
	if (XE(&e, real_name)) {
		struct xe k;

		if (xe_find(&k, kind, XE(&e, real_name), (int)x->rev))
			e = k;
	}
	fw_of(&fw, r);
	if (fflush(stdout) != 0 || !(mem = open_memstream(&text, &len))) {
		free(ent);
		xt_jmp = prev;
		b->failed = true;
		return;
	}
	saved = stdout;
	stdout = mem;
	if (what == OUT_SAVE && XEHAS(&e, save)) {
		if (e.target)
			e.t->save(fw_ip(&fw, r), ent);
		else
			e.m->save(fw_ip(&fw, r), ent);
	} else if (what == OUT_PRINT && XEHAS(&e, print)) {
		if (e.target)
			e.t->print(fw_ip(&fw, r), ent, numeric);
		else
			e.m->print(fw_ip(&fw, r), ent, numeric);
	} else if (what == OUT_PRINT) {
		printf("%s ", x->name);
	}
	fclose(stdout);
	stdout = saved;
	saved = NULL;
	if (text)
		nc_buf_puts(b, text);
	free(text);
	free(ent);
	xt_jmp = prev;
}

static void xt_save_unlocked(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_buf *b)
{
	xt_output(x, kind, r, b, OUT_SAVE, false);
}

static void xt_print_unlocked(const struct nc_xt *x, enum nc_ext_kind kind,
		 const struct nc_rule *r, struct nc_buf *b, bool numeric)
{
	xt_output(x, kind, r, b, OUT_PRINT, numeric);
}

static void xt_kernel_name_unlocked(const struct nc_xt *x, enum nc_ext_kind kind,
		       uint8_t family, char name[NC_XT_NAMELEN])
{
	jmp_buf jb, *volatile prev = xt_jmp;
	struct xe e;

	snprintf(name, NC_XT_NAMELEN, "%s", x->name);
	if (setjmp(jb)) {
		xt_jmp = prev;
		return;
	}
	xt_jmp = &jb;
	if (xe_of(&e, x, kind, family) && XE(&e, real_name))
		snprintf(name, NC_XT_NAMELEN, "%s", XE(&e, real_name));
	xt_jmp = prev;
}

/* Append @s to @b word by word, each preceded by one space (what struct
 * nc_xlate wants), keeping double-quoted strings whole. */
static void put_words(struct nc_buf *b, const char *s)
{
	bool quoted = false, sep = true;

	for (; *s; s++) {
		if (!quoted && (*s == ' ' || *s == '\t' || *s == '\n')) {
			sep = true;
			continue;
		}
		if (sep)
			nc_buf_putc(b, ' ');
		sep = false;
		if (*s == '"')
			quoted = !quoted;
		nc_buf_putc(b, *s);
	}
}

static int xt_xlate_unlocked(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_xlate *out)
{
	jmp_buf jb, *volatile prev = xt_jmp;
	void *volatile ent = NULL;
	struct xt_xlate *volatile xl = NULL;
	const char *text, *set, *comment;
	union fw_entry fw;
	struct xe e;
	int ok;

	if (setjmp(jb)) {
		xt_jmp = prev;
		free(ent);
		if (xl)
			xt_xlate_free(xl);
		out->why = "the extension's translation failed";
		return -1;
	}
	xt_jmp = &jb;
	if (!xe_of(&e, x, kind, r->family)) {
		xt_jmp = prev;
		out->why = "unsupported revision";
		return -1;
	}
	if (!XEHAS(&e, xlate)) {
		xt_jmp = prev;
		out->why = "iptables' extension has no nft translation";
		return -1;
	}
	if (!(ent = entry_new(&e, x))) {
		xt_jmp = prev;
		out->b->failed = true;
		return -1;
	}
	fw_of(&fw, r);
	/* as iptables-translate: a longer text is an error (caught) */
	xl = xt_xlate_alloc(10240);
	xl_xlate_set_family(xl, r->family);
	if (e.target) {
		struct xt_xlate_tg_params p = {
			.ip = fw_ip(&fw, r), .target = ent, .numeric = 1,
		};

		ok = e.t->xlate(xl, &p);
	} else {
		struct xt_xlate_mt_params p = {
			.ip = fw_ip(&fw, r), .match = ent, .numeric = 1,
		};

		ok = e.m->xlate(xl, &p);
	}
	text = xt_xlate_get(xl);
	set = xt_xlate_set_get(xl);
	comment = xt_xlate_get_comment(xl);
	if (!ok) {
		out->why = "iptables' extension cannot translate this instance";
	} else if (set && *set) {
		/* iptables-translate writes an "add set" command first */
		out->why = "the translation needs a set of its own";
		ok = 0;
	} else {
		put_words(out->b, text);
		if (comment && *comment)
			nc_buf_printf(out->tail, " comment \"%s\"", comment);
	}
	xt_xlate_free(xl);
	free(ent);
	xt_jmp = prev;
	return ok ? 0 : -1;
}

/* --- the entry points: each under the lock (ir/lock.h) --- */

int nc_xt_load(struct nc_xt *x, enum nc_ext_kind kind, const char *name,
	       uint8_t family, const struct nc_loc *loc, struct nc_err *err)
{
	int rc;

	nc_lib_lock();
	rc = xt_load_unlocked(x, kind, name, family, loc, err);
	nc_lib_unlock();
	return rc;
}

bool nc_xt_is_target(const char *name, uint8_t family)
{
	bool rc;

	nc_lib_lock();
	rc = xt_is_target_unlocked(name, family);
	nc_lib_unlock();
	return rc;
}

int nc_xt_from_kernel(struct nc_xt *x, enum nc_ext_kind kind,
		      const char *kname, uint32_t rev, const void *info,
		      size_t len, uint8_t family)
{
	int rc;

	nc_lib_lock();
	rc = xt_from_kernel_unlocked(x, kind, kname, rev, info, len, family);
	nc_lib_unlock();
	return rc;
}

int nc_xt_opt_find(const struct nc_xt *x, enum nc_ext_kind kind,
		   const char *name, uint8_t family, struct nc_ext_opt *out)
{
	int rc;

	nc_lib_lock();
	rc = xt_opt_find_unlocked(x, kind, name, family, out);
	nc_lib_unlock();
	return rc;
}

int nc_xt_opt_takes_arg(const char *const *names, size_t n, const char *name)
{
	int rc;

	nc_lib_lock();
	rc = xt_opt_takes_arg_unlocked(names, n, name);
	nc_lib_unlock();
	return rc;
}

int nc_xt_parse(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const char *opt, bool inv,
		const char *arg, const struct nc_loc *loc, struct nc_err *err)
{
	int rc;

	nc_lib_lock();
	rc = xt_parse_unlocked(x, kind, r, opt, inv, arg, loc, err);
	nc_lib_unlock();
	return rc;
}

int nc_xt_check(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const struct nc_loc *loc, struct nc_err *err)
{
	int rc;

	nc_lib_lock();
	rc = xt_check_unlocked(x, kind, r, loc, err);
	nc_lib_unlock();
	return rc;
}

void nc_xt_save(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_buf *b)
{
	nc_lib_lock();
	xt_save_unlocked(x, kind, r, b);
	nc_lib_unlock();
}

void nc_xt_print(const struct nc_xt *x, enum nc_ext_kind kind,
		 const struct nc_rule *r, struct nc_buf *b, bool numeric)
{
	nc_lib_lock();
	xt_print_unlocked(x, kind, r, b, numeric);
	nc_lib_unlock();
}

void nc_xt_kernel_name(const struct nc_xt *x, enum nc_ext_kind kind,
		       uint8_t family, char name[NC_XT_NAMELEN])
{
	nc_lib_lock();
	xt_kernel_name_unlocked(x, kind, family, name);
	nc_lib_unlock();
}

int nc_xt_xlate(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_xlate *out)
{
	int rc;

	nc_lib_lock();
	rc = xt_xlate_unlocked(x, kind, r, out);
	nc_lib_unlock();
	return rc;
}
