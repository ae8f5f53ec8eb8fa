/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for the unit tests. */
#ifndef NATC_TAP_H
#define NATC_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {					\
	int tap_cond_ = !!(cond);	/* evaluated once */		\
	tap_n++;						\
	if (!tap_cond_)						\
		tap_failed++;					\
	printf("%sok %d - ", tap_cond_ ? "" : "not ", tap_n);		\
	printf(__VA_ARGS__);					\
	printf("\n");						\
} while (0)

#define is_str(got, want, ...) do {				\
	const char *g_ = (got), *w_ = (want);			\
	int same_ = g_ && w_ && !strcmp(g_, w_);		\
	ok(same_, __VA_ARGS__);					\
	if (!same_)						\
		printf("#   got:  '%s'\n#   want: '%s'\n",	\
		       g_ ? g_ : "(null)", w_ ? w_ : "(null)");	\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
