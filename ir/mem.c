// SPDX-License-Identifier: GPL-2.0-or-later
/* Fresh memory (see mem.h). */
#include <stdint.h>
#include <sys/mman.h>
#include "ir/mem.h"

#define PAGE 4096u

void nc_populate(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(PAGE - 1);

#ifdef MADV_POPULATE_WRITE
	if (n >= (64 << 10) && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)a;
	(void)e;
#endif
}
