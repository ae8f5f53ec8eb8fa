/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fresh memory (mem.c). */
#ifndef NATC_MEM_H
#define NATC_MEM_H

#include <stddef.h>

/* Fault in the whole pages of @n bytes at @p, memory about to be written,
 * in one system call instead of a fault per page (which virtual machines
 * make slow).  Only for ranges of 64 KiB or more; best effort (kernels
 * before 5.14 do nothing). */
void nc_populate(void *p, size_t n);

#endif
