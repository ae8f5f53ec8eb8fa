// SPDX-License-Identifier: GPL-2.0-or-later
/* The lock around libxtables and netdb (see lock.h). */
#include <pthread.h>
#include "ir/lock.h"

static pthread_mutex_t lib_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void nc_lib_lock(void)
{
	pthread_mutex_lock(&lib_lock);
}

void nc_lib_unlock(void)
{
	pthread_mutex_unlock(&lib_lock);
}
