/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The messages libxtables' option parser prints for any extension
 * (xtables_option_parse / xtables_options_fcheck), for the kinds that
 * check their options themselves.  Each returns -1 with @err filled.
 * The trailing "\n" is the blank line iptables prints after them.
 */
#ifndef NATC_EXT_XTMSG_H
#define NATC_EXT_XTMSG_H

#include "ir/ext.h"

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
