/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for the unit tests. */
#ifndef NATC_TAP_H
#define NATC_TAP_H

#include <stdio.h>
#include <stdlib.h>
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

/* CI=true: the machine has everything, so no test may be skipped. */
static inline int tap_ci(void)
{
	const char *ci = getenv("CI");

	return ci && !strcmp(ci, "true");
}

/* A skipped test, or a failed one when CI=true. */
#define tap_skip(why, ...) do {					\
	tap_n++;						\
	if (tap_ci())						\
		tap_failed++;					\
	printf("%sok %d - ", tap_ci() ? "not " : "", tap_n);	\
	printf(__VA_ARGS__);					\
	if (tap_ci())						\
		printf(" (skipped: %s; CI=true: no test may be skipped)\n", why); \
	else							\
		printf(" # SKIP %s\n", why);			\
} while (0)

/* The whole program skipped (its exit status), or failed when CI=true. */
static inline int tap_skip_all(const char *why)
{
	if (tap_ci()) {
		printf("1..1\nnot ok 1 - %s (CI=true: no test may be skipped)\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 0;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
