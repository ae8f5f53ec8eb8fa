/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natc-restore's engine: a save file, streamed line by line into netlink
 * batches, one transaction per COMMIT, as iptables-restore applies it.
 */
#ifndef NATC_RESTORE_H
#define NATC_RESTORE_H

#include "ir/buf.h"
#include "ir/err.h"
#include "backend/netlink/nl.h"

struct nc_restore_opts {
	bool counters;		/* -c: take [packets:bytes] and -c */
	bool noflush;		/* -n: add to the table instead of replacing it */
	bool test;		/* -t: have the kernel check, apply nothing */
	bool verbose;		/* -v */
	const char *only_table;	/* -T: the one table to restore, or NULL */
	uint8_t family;
};

/*
 * Restore @len bytes of save-file @text (writable, with two NUL bytes
 * after it: the scanner works in place).  Transactions committed before
 * an error stay applied, as with iptables-restore; the one in which the
 * error happened is not.  0, or -1 with @err located at its line.
 */
int nc_restore(struct nc_nl *nl, char *text, size_t len,
	       const struct nc_restore_opts *opts, struct nc_buf *out,
	       struct nc_err *err);

#endif
