/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Carrying out a checked job (ir/build.h) against the kernel: read what
 * the command needs, queue its changes, commit them as one transaction,
 * and retry from the start when another writer committed in between.
 */
#ifndef NATC_EXEC_H
#define NATC_EXEC_H

#include "ir/build.h"
#include "ir/buf.h"
#include "backend/netlink/nl.h"

/*
 * Run @job; listings are appended to @out.  0 on success, -1 with @err
 * (iptables' status and message) on failure; the kernel is unchanged then.
 */
int nc_exec(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
	    struct nc_err *err);

#endif
