// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session: the NETLINK_NETFILTER socket, its sequence numbers, and the
 * request/reply exchange used by every read.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include "backend/netlink/internal.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* "@what: reason" as a resource problem, with iptables' root hint. */
int nc_nl_syserr(struct nc_err *err, const char *what, int errnum)
{
	return nc_err_set(err, NC_ERESOURCE, NULL, "%s: %s%s", what,
			  strerror(errnum),
			  errnum == EPERM ? " (you must be root)" : "");
}

int nc_nl_again(struct nc_nl *nl, struct nc_err *err)
{
	if (++nl->tries < NC_NL_TRIES)
		return 0;
	nc_err_clear(err);	/* a read's own error, if any, says less */
	return nc_err_set(err, NC_ERESOURCE, NULL,
			  "the ruleset kept changing: other writers committed while "
			  "natc read it, %u times in a row",
			  nl->tries);
}

/* Socket bound, errors capped to headers; nothing is sent yet. */
struct nc_nl *nc_nl_open(uint8_t family, const char *table, struct nc_err *err)
{
	struct nc_nl *nl;
	int one = 1;

	if (family != AF_INET && family != AF_INET6) {
		nc_err_set(err, NC_EOTHER, NULL, "unsupported address family %u",
			   family);
		return NULL;
	}
	if (!table || !*table || strlen(table) >= sizeof(nl->table)) {
		nc_err_set(err, NC_EOTHER, NULL, "invalid table name");
		return NULL;
	}
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		goto nomem;
	nl->rx = calloc(1, NC_NL_RXSIZE);	/* requests are built here too */
	if (!nl->rx)
		goto nomem;
	nl->warn = err;
	nl->family = family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;
	strcpy(nl->table, table);
	nl->seq = (uint32_t)time(NULL);

	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sock) {
		nc_nl_syserr(err, "Could not open netlink socket", errno);
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		nc_nl_syserr(err, "Could not bind netlink socket", errno);
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Errors echo only the header of the failed message, not all of it:
	 * keeps the replies to a refused batch of 100,000 rules small. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0 && errno != ENOPROTOOPT) {
		nc_nl_syserr(err, "Could not set NETLINK_CAP_ACK", errno);
		goto fail;
	}
	return nl;
nomem:
	nc_nl_syserr(err, "Could not open session", ENOMEM);
fail:
	nc_nl_close(nl);
	return NULL;
}

/* Queued operations are dropped, not sent. */
void nc_nl_close(struct nc_nl *nl)
{
	if (!nl)
		return;
	nc_nl_abort(nl);
	nc_nl_batch_free(&nl->batch);
	nc_exprs_free(&nl->exprs);
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rx);
	nc_nl_setcache_clear(&nl->sets);
	free(nl);
}

/* One datagram from the kernel into @buf (NC_NL_RXSIZE bytes). */
static ssize_t recv_into(struct nc_nl *nl, char *buf, int flags)
{
	for (;;) {
		struct sockaddr_nl addr;
		struct iovec iov = { buf, NC_NL_RXSIZE };
		struct msghdr msg = {
			.msg_name = &addr, .msg_namelen = sizeof(addr),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n = recvmsg(mnl_socket_get_fd(nl->sock), &msg, flags);

		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = ENOSPC;
			return -1;
		}
		if (addr.nl_pid == 0)	/* from the kernel: others ignored */
			return n;
	}
}

/* One datagram from the kernel into nl->rx. */
ssize_t nc_nl_recv(struct nc_nl *nl, int flags)
{
	return recv_into(nl, nl->rx, flags);
}

/* Read and drop whatever is queued on the socket (into a small buffer of
 * its own: requests are built in nl->rx before this is called). */
void nc_nl_drain(struct nc_nl *nl)
{
	char sink[16];

	while (recv(mnl_socket_get_fd(nl->sock), sink, sizeof(sink),
		    MSG_DONTWAIT) >= 0 || errno == EINTR || errno == ENOBUFS)
		;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	int err;	/* errno of the callback that failed, 0 if none */
};

/* After a callback failed, the rest of the replies is still read (up to
 * NLMSG_DONE or the ack, which may share its datagram) but not parsed. */
static int talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (t->err)
		return MNL_CB_OK;
	errno = 0;
	if (t->cb(nlh, t->data) == MNL_CB_ERROR)
		t->err = errno ? errno : EINVAL;
	return MNL_CB_OK;
}

/* --- a dump read ahead ---------------------------------------------------
 * The kernel makes each reply of a dump inside the recvmsg() that takes
 * the one before, so reading and parsing in one thread adds the two up.
 * Here a thread of its own receives into a few buffers while the caller
 * parses what it received: at 100,000 rules the kernel's part is 94 % of a
 * save, and natc's parsing then costs no time of its own. */

#define AHEAD_BUFS 4

struct ahead {
	struct nc_nl *nl;
	uint32_t seq;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	char *buf[AHEAD_BUFS];
	ssize_t len[AHEAD_BUFS];
	unsigned head, count;	/* the filled ones, oldest first */
	bool done;		/* the reader received the last datagram */
	int err;		/* or failed: its errno */
};

/* Whether datagram @buf ends the replies to @seq (done, or an error or
 * ack for it). */
static bool is_last(const char *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_seq == seq &&
		    (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

static void *ahead_reader(void *arg)
{
	struct ahead *a = arg;
	bool last = false;

	pthread_mutex_lock(&a->lock);
	while (!last) {
		unsigned slot;
		ssize_t n;

		while (a->count == AHEAD_BUFS)
			pthread_cond_wait(&a->emptied, &a->lock);
		slot = (a->head + a->count) % AHEAD_BUFS;
		pthread_mutex_unlock(&a->lock);
		do
			n = recv_into(a->nl, a->buf[slot], 0);
		while (n < 0 && errno == EINTR);
		last = n < 0 || is_last(a->buf[slot], (size_t)n, a->seq);
		pthread_mutex_lock(&a->lock);
		if (n < 0) {
			a->err = errno;
		} else {
			a->len[slot] = n;
			a->count++;
		}
		pthread_cond_signal(&a->filled);
	}
	a->done = true;
	pthread_cond_signal(&a->filled);
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* The replies after the first, received by a reader thread and parsed
 * here: MNL_CB_STOP when all are, MNL_CB_ERROR with errno, MNL_CB_OK when
 * the thread could not start (a callback's failure is left in @t). */
static int talk_ahead(struct nc_nl *nl, uint32_t seq, struct talk *t)
{
	struct ahead a = { .nl = nl, .seq = seq };
	pthread_t th;
	int ret = MNL_CB_OK, kernel_err = 0;	/* the latter this thread's */
	unsigned k;

	for (k = 0; k < AHEAD_BUFS; k++)
		if (!(a.buf[k] = malloc(NC_NL_RXSIZE)))
			break;
	if (k < AHEAD_BUFS ||
	    pthread_mutex_init(&a.lock, NULL) != 0) {
		while (k-- > 0)
			free(a.buf[k]);
		return MNL_CB_OK;	/* not started: read on in this thread */
	}
	pthread_cond_init(&a.filled, NULL);
	pthread_cond_init(&a.emptied, NULL);
	if (pthread_create(&th, NULL, ahead_reader, &a) != 0) {
		ret = MNL_CB_OK;
		goto out;
	}
	pthread_mutex_lock(&a.lock);
	for (;;) {
		unsigned slot;

		while (!a.count && !a.done)
			pthread_cond_wait(&a.filled, &a.lock);
		if (!a.count)
			break;
		slot = a.head;
		pthread_mutex_unlock(&a.lock);
		if (ret != MNL_CB_STOP && ret != MNL_CB_ERROR)
			ret = mnl_cb_run(a.buf[slot], (size_t)a.len[slot], seq,
					 nl->portid, t->cb ? talk_cb : NULL, t);
		if (ret == MNL_CB_ERROR && !kernel_err)
			kernel_err = errno ? errno : EPROTO;	/* the kernel's */
		pthread_mutex_lock(&a.lock);
		a.head = (a.head + 1) % AHEAD_BUFS;
		a.count--;
		pthread_cond_signal(&a.emptied);
	}
	pthread_mutex_unlock(&a.lock);
	pthread_join(th, NULL);
	if (a.err || kernel_err) {
		errno = kernel_err ? kernel_err : a.err;
		ret = MNL_CB_ERROR;
	} else {
		ret = MNL_CB_STOP;
	}
out:
	pthread_cond_destroy(&a.filled);
	pthread_cond_destroy(&a.emptied);
	pthread_mutex_destroy(&a.lock);
	for (k = 0; k < AHEAD_BUFS; k++)
		free(a.buf[k]);
	return ret;
}

/* One datagram received and parsed: MNL_CB_OK for more to come,
 * MNL_CB_STOP at the end, MNL_CB_ERROR with errno (the kernel's); *@last
 * whether it was the last one of the replies. */
static int recv_run(struct nc_nl *nl, uint32_t seq, struct talk *t, bool *last)
{
	ssize_t n;

	*last = true;
	do
		n = nc_nl_recv(nl, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return MNL_CB_ERROR;
	*last = is_last(nl->rx, (size_t)n, seq);
	return mnl_cb_run(nl->rx, (size_t)n, seq, nl->portid,
			  t->cb ? talk_cb : NULL, t);
}

/* The rest of a dump, received and dropped.  A dump another writer
 * interrupted (NLM_F_DUMP_INTR, which libmnl reports as EINTR) is not
 * stopped by the kernel: read to its end, a reset dump has reset every
 * rule, and the next request does not find it still running. */
static void finish_dump(struct nc_nl *nl, uint32_t seq)
{
	ssize_t n;

	for (;;) {
		n = nc_nl_recv(nl, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || is_last(nl->rx, (size_t)n, seq))
			return;
	}
}

/* The request at @nlh, its replies parsed by @cb until the ack or
 * NLMSG_DONE; with @ahead, once the first reply is not the last, the rest
 * are read ahead by a thread of their own. */
static int talk(struct nc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		bool ahead)
{
	struct talk t = { cb, data, 0 };
	uint32_t seq = nlh->nlmsg_seq;
	bool last = false;
	int ret;

	nc_nl_drain(nl);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ret = recv_run(nl, seq, &t, &last);
		if (ret == MNL_CB_OK && ahead) {
			/* OK: not started; the thread reads to the end */
			ret = talk_ahead(nl, seq, &t);
			ahead = false;
			last = true;
		}
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR && errno == EINTR && !last) {
		finish_dump(nl, seq);
		errno = EINTR;
	}
	if (ret == MNL_CB_ERROR)
		return -1;
	if (t.err) {
		errno = t.err;
		return -1;
	}
	return 0;
}

int nc_nl_talk(struct nc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return talk(nl, nlh, cb, data, false);
}

int nc_nl_talk_dump(struct nc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return talk(nl, nlh, cb, data, true);
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_GEN_ID)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
		return MNL_CB_OK;
	}
	errno = EPROTO;
	return MNL_CB_ERROR;
}

/* NFT_MSG_GETGEN: the generation the next dump will see. */
int nc_nl_getgen(struct nc_nl *nl, uint32_t *genid)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(nl->rx, NFT_MSG_GETGEN, AF_UNSPEC,
				    NLM_F_ACK, nl->seq++);
	return nc_nl_talk(nl, nlh, gen_cb, genid);
}
