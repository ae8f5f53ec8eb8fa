/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The messages libxtables' option parser prints for any extension
 * (xtables_option_parse / xtables_options_fcheck), for the kinds that
 * check their options themselves.  Each returns -1 with @err filled.
 * The trailing "\n" is the blank line iptables prints after them.
 */
#ifndef NATC_EXT_XTMSG_H
#define NATC_EXT_XTMSG_H

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "ir/ext.h"

/* An unsigned option value as libxtables reads it (strtoumax, base 0:
 * leading blanks, "+", "0x" and "0" prefixes): 0, or -1 when it is not a
 * number in [min, max]. */
static inline int nc_xt_uint(const char *s, uintmax_t min, uintmax_t max,
			     uintmax_t *out)
{
	char *end;
	uintmax_t v;

	errno = 0;
	v = strtoumax(s, &end, 0);
	if (end == s || *end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

#define nc_xt_once(err, loc, ext, opt) \
	nc_err_param(err, loc, "%s: option \"--%s\" can only be used once.\n", \
		     ext, opt)
#define nc_xt_noinv(err, loc, ext, opt) \
	nc_err_param(err, loc, "%s: option \"--%s\" cannot be inverted.\n", \
		     ext, opt)
#define nc_xt_excl(err, loc, ext, opt, other) \
	nc_err_param(err, loc, \
		     "%s: option \"--%s\" cannot be used together with \"--%s\".\n", \
		     ext, opt, other)
#define nc_xt_also(err, loc, ext, opt, other) \
	nc_err_param(err, loc, "%s: option \"--%s\" also requires \"--%s\".\n", \
		     ext, opt, other)
#define nc_xt_mand(err, loc, ext, opt) \
	nc_err_param(err, loc, "%s: option \"--%s\" must be specified\n", ext, opt)
/* range as text: "(0-1)", "(1-4294967295)" */
#define nc_xt_range(err, loc, ext, opt, range) \
	nc_err_param(err, loc, \
		     "%s: bad value for option \"--%s\", or out of range %s.\n", \
		     ext, opt, range)

#endif
