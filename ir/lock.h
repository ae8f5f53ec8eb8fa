/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libxtables and libc's netdb lookups (getservbyname, getprotobyname...)
 * keep state of their own; natc holds this one lock around every call into
 * them, so that its threads (natc-restore-translate's readers) may share
 * them.  It is recursive: a locked call may call another.  User and
 * group names need no lock: ir/ext/owner.c looks them up with the
 * reentrant getpwnam_r() family.
 */
#ifndef NATC_LOCK_H
#define NATC_LOCK_H

void nc_lib_lock(void);
void nc_lib_unlock(void);

#endif
