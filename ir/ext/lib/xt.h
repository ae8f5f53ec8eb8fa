/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iptables' own extensions (libxtables), behind one small interface.
 *
 * Every call natc makes into libxtables is in ir/ext/lib/xt.c, and nowhere
 * else.  libxtables keeps process-wide state: the list of loaded
 * extensions, the protocol family it was initialised for, each
 * extension's option flags and scratch data, and an error callback that
 * may not return.  xt.c confines it: it initialises libxtables once (for
 * IPv4, then switches the family per call), copies an instance's bytes
 * into the extension before each call and back after it (so nothing of a
 * rule lives in libxtables between calls), catches the error callback
 * with a longjmp back into the call that was running, and reads the text
 * the extensions print on stdout through a memory stream put in stdout's
 * place for the duration of the call.
 *
 * All of that is process-wide, and natc is not single-threaded:
 * natc-restore-translate's reader threads run nc_build() and
 * nc_nft_texts_of() at the same time, and with them the extensions'
 * parse, check and xlate.  So every entry point of xt.c holds the library
 * lock (ir/lock.h) for the whole call, and nothing reaches libxtables any
 * other way: one thread at a time is inside it (docs/architecture.md:
 * threads share nothing but read-only tables and what ir/lock.h guards).
 * The lock does not cover stdout for the threads that do not take it;
 * that is safe because natc writes its own output to stdout only when no
 * reader thread runs (natc-restore-translate writes its script after
 * joining them).
 *
 * Revisions: natc has no kernel at hand when it parses, so it takes the
 * newest revision the installed extension offers (iptables-nft asks the
 * kernel; on kernels as recent as the ones natc targets the answer is the
 * same).
 */
#ifndef NATC_EXT_XT_H
#define NATC_EXT_XT_H

#include <stdbool.h>
#include <stdint.h>
#include "ir/ext.h"

/*
 * Load extensions only from the system's libxtables directory (the one
 * libxtables was built with, NC_XTLIBDIR), whatever XTABLES_LIBDIR or the
 * older IPTABLES_LIB_DIR and IP6TABLES_LIB_DIR say: reading a file that
 * may come from anyone (the translations, --explain) must not run code
 * from a directory the environment chose.  Call it before anything uses
 * libxtables, while the process has one thread (it sets the environment
 * libxtables reads when it starts).  natc itself, which programs the
 * kernel, keeps iptables' behaviour.
 */
void nc_xt_system_libdir(void);

#define NC_XT_NAMELEN 32
/* the widest info blob a generic instance holds (struct xt_u32 is 1.8 KiB) */
#define NC_XT_MAXINFO 2048

/*
 * One libxtables match or target instance: the extension's name as the
 * user types it (-m state, not the kernel's "conntrack"), its revision
 * and the info blob it sends.  Fixed size, zeroed, so instances compare
 * with memcmp() like every other extension's data.
 */
struct nc_xt {
	char name[NC_XT_NAMELEN];
	uint32_t rev;
	uint32_t len;		/* bytes of info used */
	uint32_t xflags;	/* options given so far; 0 once checked */
	uint32_t oldflags;	/* the same for old-style parsers */
	uint8_t info[NC_XT_MAXINFO];
};

/* Load extension @name (-m NAME / -j NAME) and start an instance: its
 * init() fills the defaults.  0; 1 when libxtables has no such
 * extension; -1 with @err set. */
int nc_xt_load(struct nc_xt *x, enum nc_ext_kind kind, const char *name,
	       uint8_t family, const struct nc_loc *loc, struct nc_err *err);

/* Whether libxtables has a target named @name (chains may not be). */
bool nc_xt_is_target(const char *name, uint8_t family);

/* An instance from a kernel match/target (@kname is the kernel's name):
 * 0; 1 when no installed extension has that name and revision. */
int nc_xt_from_kernel(struct nc_xt *x, enum nc_ext_kind kind,
		      const char *kname, uint32_t rev, const void *info,
		      size_t len, uint8_t family);

/* Option @name (without dashes, maybe abbreviated) of the instance: fills
 * @out (flags NC_EXTOPT_ARG / NC_EXTOPT_INV, name the full name) and
 * returns 0, or -1 when the extension has no such option. */
int nc_xt_opt_find(const struct nc_xt *x, enum nc_ext_kind kind,
		   const char *name, uint8_t family, struct nc_ext_opt *out);

/* For the scanner: does option @name of one of the extensions @names
 * (the words after -m and -j so far in the command) take an argument?
 * 1 or 0, -1 when none of them has it. */
int nc_xt_opt_takes_arg(const char *const *names, size_t n, const char *name);

/* Give one option to the extension's own parser; -1 with @err set (the
 * extension's own message). */
int nc_xt_parse(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const char *opt, bool inv,
		const char *arg, const struct nc_loc *loc, struct nc_err *err);
/* After the last option: the extension's final check; its message is
 * put at @loc (the -m or -j, or NULL). */
int nc_xt_check(struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, const struct nc_loc *loc, struct nc_err *err);

/* The extension's save() (-S) and print() (-L) output. */
void nc_xt_save(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_buf *b);
void nc_xt_print(const struct nc_xt *x, enum nc_ext_kind kind,
		 const struct nc_rule *r, struct nc_buf *b, bool numeric);
/* The name and revision the kernel gets (the real name of an alias). */
void nc_xt_kernel_name(const struct nc_xt *x, enum nc_ext_kind kind,
		       uint8_t family, char name[NC_XT_NAMELEN]);

/* nft text from the extension's own xlate() (as iptables-translate
 * writes it), word by word into @out->b: 0, or -1 with @out->why when the
 * extension has none for the instance or needs a set of its own. */
int nc_xt_xlate(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_xlate *out);

/* The generic kinds (ir/ext/xtkind.c), and their data */
extern const struct nc_ext_ops nc_ext_xt_match, nc_ext_xt_target;

/* Lower @r's instance @e as iptables-nft does: an xt match or target
 * built by the libxtables extension of the same name from @e's own -S
 * text, read by @parse.  0, 1 when there is no such extension, -1 with
 * errno (EINVAL: the extension refused the text, or no @parse). */
int nc_xt_lower_native(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_exprs *out, nc_parse_line_fn *parse);

#endif
