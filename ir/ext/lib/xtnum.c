// SPDX-License-Identifier: GPL-2.0-or-later
/* Numbers as iptables' extensions read them (see xtnum.h). */
#include <errno.h>
#include <stdlib.h>
#include "ir/ext/lib/xtnum.h"

bool nc_xt_uint_prefix(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out, const char **end)
{
	char *e;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &e, 0);
	if (e == s || errno == ERANGE || v < min || v > max)
		return false;
	*out = v;
	*end = e;
	return true;
}

bool nc_xt_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;

	return nc_xt_uint_prefix(s, min, max, out, &end) && !*end;
}
