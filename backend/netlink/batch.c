// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The transaction: queued messages in one buffer, sent between BATCH_BEGIN
 * and BATCH_END in one sendmsg(), with an ack asked for the last message
 * only.  The kernel answers every failed message (errors carry the
 * sequence number of the message) and the acked one, all before sendmsg()
 * returns; a stale generation id fails the whole batch with ERESTART,
 * answered on BATCH_BEGIN.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include "backend/netlink/internal.h"
#include "ir/mem.h"

#define BATCH_MINCAP	(64 * 1024)
#define BATCH_KEEPCAP	(1024 * 1024)	/* larger buffers are freed after use */
#define BATCH_POPULATE	(2 * 1024 * 1024)	/* faulted in this much at a time */
#define REPLY_WAIT_MS	5000

static int intern_op(struct nc_nl_batch *b, const char *op)
{
	for (unsigned i = b->nnames; i-- > 0;)
		if (!strcmp(b->names[i], op))
			return (int)i;
	if (strlen(op) >= NC_NL_OPLEN || b->nnames == NC_NL_MAXOPS) {
		errno = EINVAL;
		return -1;
	}
	strcpy(b->names[b->nnames], op);
	return (int)b->nnames++;
}

/* The buffer is an anonymous mapping (BATCH_MINCAP times a power of two):
 * it comes zeroed from the kernel, and grows by mremap() without a copy.
 * What is about to be written is faulted in BATCH_POPULATE bytes at a time
 * (nc_populate): 100,000 rules are 60 MB, and a fault per page of them
 * cost as much as building the messages. */
static int reserve(struct nc_nl_batch *b, size_t room)
{
	size_t cap = b->cap ? b->cap : BATCH_MINCAP;
	void *p;

	if (b->cap - b->len < room) {
		while (cap - b->len < room) {
			if (cap > SIZE_MAX / 2) {
				errno = ENOMEM;
				return -1;
			}
			cap *= 2;
		}
		p = b->buf ? mremap(b->buf, b->cap, cap, MREMAP_MAYMOVE)
			   : mmap(NULL, cap, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		b->buf = p;
		b->cap = cap;
	}
	if (b->len + room > b->populated && b->populated < b->cap) {
		size_t n = room > BATCH_POPULATE ? room : BATCH_POPULATE;

		if (n > b->cap - b->populated)
			n = b->cap - b->populated;
		nc_populate(b->buf + b->populated, n);
		b->populated += n;
	}
	return 0;
}

/* Give the buffer back to the system. */
void nc_nl_batch_free(struct nc_nl_batch *b)
{
	if (b->buf)
		munmap(b->buf, b->cap);
	free(b->op);
	free(b->tag);
	b->buf = NULL;
	b->op = NULL;
	b->tag = NULL;
	b->cap = b->opcap = b->populated = 0;
}

/* Header of the next message, at the end of the batch buffer. */
struct nlmsghdr *nc_nl_batch_start(struct nc_nl *nl, uint16_t type,
				   uint16_t flags, size_t room, const char *op)
{
	struct nc_nl_batch *b = &nl->batch;
	int idx = intern_op(b, op);

	if (idx < 0 || reserve(b, room) < 0)
		return NULL;
	if (b->dirty > b->len) {	/* left by a batch or message given up */
		memset(b->buf + b->len, 0, b->dirty - b->len);
		b->dirty = b->len;
	}
	if (b->n == b->opcap) {
		size_t cap = b->opcap ? b->opcap * 2 : 1024;
		uint8_t *v = realloc(b->op, cap);
		uint32_t *t;

		if (!v)
			return NULL;
		b->op = v;
		t = realloc(b->tag, cap * sizeof(*t));
		if (!t)
			return NULL;
		b->tag = t;
		b->opcap = cap;
	}
	if (b->n == 0)
		b->seq0 = nl->seq++;
	b->op[b->n] = (uint8_t)idx;
	b->tag[b->n] = b->cur_tag;
	/* message i is seq0 + 1 + i whatever else the session sends in
	 * between (dumps while the batch is being built) */
	return nftnl_nlmsg_build_hdr(b->buf + b->len, type, nl->family, flags,
				     b->seq0 + 1 + b->n);
}

/* The message at @nlh becomes part of the batch. */
void nc_nl_batch_push(struct nc_nl *nl, const struct nlmsghdr *nlh)
{
	struct nc_nl_batch *b = &nl->batch;

	b->last = b->len;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->n++;
	if (b->len > b->cap)	/* a caller underestimated its room */
		abort();
}

/* The message at @nlh, started but not pushed, is given up: its bytes
 * are zeroed before the buffer is written again. */
void nc_nl_batch_drop(struct nc_nl *nl, const struct nlmsghdr *nlh)
{
	struct nc_nl_batch *b = &nl->batch;
	size_t end = (size_t)((const char *)nlh - b->buf) + nlh->nlmsg_len;

	if (end > b->cap)
		end = b->cap;
	if (end > b->dirty)
		b->dirty = end;
}

/* Forget the queued messages, and the generation they were based on;
 * large buffers go back to the system. */
void nc_nl_abort(struct nc_nl *nl)
{
	struct nc_nl_batch *b = &nl->batch;

	nl->have_genid = false;
	nl->stale = false;
	if (b->cap > BATCH_KEEPCAP)
		nc_nl_batch_free(b);
	b->dirty = !b->buf ? 0 : b->dirty > b->len ? b->dirty : b->len;
	b->len = b->last = 0;
	b->n = 0;
	b->nnames = 0;
}

/* BATCH_BEGIN or BATCH_END into @buf. */
static struct nlmsghdr *batch_ctl(void *buf, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	return nlh;
}

/* Make the send buffer hold @size bytes in one datagram. */
static int raise_sndbuf(struct nc_nl *nl, size_t size)
{
	int fd = mnl_socket_get_fd(nl->sock);
	socklen_t sl = sizeof(nl->sndbuf);
	int v;

	if (!nl->sndbuf &&
	    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &nl->sndbuf, &sl) < 0)
		return -1;
	/* netlink wants len <= sk_sndbuf - 32; the kernel doubles @v */
	if (size + 64 <= (size_t)nl->sndbuf)
		return 0;
	if (size > INT_MAX / 2 - 64) {
		errno = EMSGSIZE;
		return -1;
	}
	v = (int)size + 64;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0)
		return -1;
	sl = sizeof(nl->sndbuf);
	return getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &nl->sndbuf, &sl);
}

static const char *msg_str(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == type &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	return "?";
}

/* " RULE_APPEND failed (Invalid argument): rule in chain PREROUTING", with
 * the leading space iptables prints after its prefix */
static int describe(struct nc_nl *nl, uint32_t idx, int errnum,
		    struct nc_err *err)
{
	const struct nc_nl_batch *b = &nl->batch;
	const struct nlmsghdr *nlh = (const void *)b->buf;
	const char *what = b->names[b->op[idx]];
	struct nc_loc where = { .line = b->tag[idx] };
	const struct nc_loc *loc = where.line ? &where : NULL;
	int len = (int)b->len;

	for (uint32_t i = 0; i < idx && mnl_nlmsg_ok(nlh, len); i++)
		nlh = mnl_nlmsg_next(nlh, &len);
	switch (NFNL_MSG_TYPE(nlh->nlmsg_type)) {
	case NFT_MSG_NEWTABLE:
	case NFT_MSG_DELTABLE:
		return nc_err_set(err, NC_ERESOURCE, loc, " %s failed (%s): table %s",
				  what, strerror(errnum),
				  msg_str(nlh, NFTA_TABLE_NAME));
	case NFT_MSG_NEWCHAIN:
	case NFT_MSG_DELCHAIN:
		return nc_err_set(err, NC_ERESOURCE, loc, " %s failed (%s): chain %s",
				  what, strerror(errnum),
				  msg_str(nlh, NFTA_CHAIN_NAME));
	default:
		return nc_err_set(err, NC_ERESOURCE, loc,
				  " %s failed (%s): rule in chain %s", what,
				  strerror(errnum), msg_str(nlh, NFTA_RULE_CHAIN));
	}
}

struct replies {
	uint32_t seq0, n;	/* the batch */
	bool done;		/* the last message answered, or the batch */
	int err;		/* first error, errno value */
	uint32_t err_seq;
};

static void reply(struct replies *st, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	uint32_t idx;

	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	e = mnl_nlmsg_get_payload(nlh);
	idx = e->msg.nlmsg_seq - st->seq0 - 1;
	if (e->error && !st->err) {
		st->err = -e->error;
		st->err_seq = e->msg.nlmsg_seq;
	}
	if (idx == st->n - 1 || (e->error && idx >= st->n))
		st->done = true;
}

/*
 * Read the answers to the batch just sent; -1 when they cannot be read.
 * The kernel handles a batch inside sendmsg(), so its answers are queued
 * (or, past the receive buffer, dropped: ENOBUFS) when we get here; the
 * wait for more is only a safety net.
 */
static int read_replies(struct nc_nl *nl, struct replies *st)
{
	struct pollfd pfd = { mnl_socket_get_fd(nl->sock), POLLIN, 0 };
	bool overrun = false;

	while (!st->done) {
		ssize_t n = nc_nl_recv(nl, MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const void *)nl->rx;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* too many errors for the receive buffer:
				 * the first ones are queued, read them */
				overrun = true;
				continue;
			}
			if (errno != EAGAIN)
				return -1;
			if (overrun || st->err)
				break;
			n = poll(&pfd, 1, REPLY_WAIT_MS);
			if (n == 0)
				errno = ETIMEDOUT;
			if (n <= 0 && errno != EINTR)
				return -1;
			continue;
		}
		len = (int)n;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			reply(st, nlh);
	}
	if (st->done || st->err)
		return 0;
	errno = ENOBUFS;
	return -1;
}

/* With @check, BATCH_END is left out: the kernel checks every message,
 * validates the result, reports what it refuses and applies nothing. */
static int send_batch(struct nc_nl *nl, struct replies *st, bool check,
		      struct nc_err *err)
{
	struct nc_nl_batch *b = &nl->batch;
	union { struct nlmsghdr h; char buf[64]; } begin, end;
	struct nlmsghdr *bh, *eh;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct iovec iov[3];
	struct msghdr msg = {
		.msg_name = &kernel, .msg_namelen = sizeof(kernel),
		.msg_iov = iov, .msg_iovlen = check ? 2 : 3,
	};
	size_t total;

	bh = batch_ctl(begin.buf, NFNL_MSG_BATCH_BEGIN, b->seq0);
	if (nl->have_genid)
		mnl_attr_put_u32(bh, NFNL_BATCH_GENID, htonl(nl->genid));
	eh = batch_ctl(end.buf, NFNL_MSG_BATCH_END, b->seq0 + 1 + b->n);
	if (nl->seq <= b->seq0 + 1 + b->n)
		nl->seq = b->seq0 + 2 + b->n;
	((struct nlmsghdr *)(b->buf + b->last))->nlmsg_flags |= NLM_F_ACK;

	iov[0] = (struct iovec){ bh, bh->nlmsg_len };
	iov[1] = (struct iovec){ b->buf, b->len };
	iov[2] = (struct iovec){ eh, eh->nlmsg_len };
	total = bh->nlmsg_len + b->len + (check ? 0 : eh->nlmsg_len);

	if (raise_sndbuf(nl, total) < 0)
		return nc_nl_syserr(err, "Could not size the netlink send buffer",
				    errno);
	nc_nl_drain(nl);
	while (sendmsg(mnl_socket_get_fd(nl->sock), &msg, 0) < 0)
		if (errno != EINTR)
			return nc_nl_syserr(err, "Could not send the batch",
					    errno);
	st->seq0 = b->seq0;
	st->n = b->n;
	if (read_replies(nl, st) < 0)
		return nc_nl_syserr(err, "Could not read the batch replies",
				    errno);
	return 0;
}

static int commit(struct nc_nl *nl, bool check, struct nc_err *err)
{
	struct replies st = { 0 };
	int ret = 0;

	if (nl->batch.n) {
		ret = send_batch(nl, &st, check, err);
		if (ret == 0 && st.err) {
			uint32_t idx = st.err_seq - st.seq0 - 1;

			if (st.err == ERESTART && st.err_seq == st.seq0)
				/* err untouched: the caller reads again */
				ret = nc_nl_again(nl, err) < 0 ? -1 : -2;
			else if (idx < st.n)
				ret = describe(nl, idx, st.err, err);
			else
				ret = nc_nl_syserr(err, "Could not commit the batch",
						   st.err);
		}
	}
	if (ret == 0)
		nl->tries = 0;
	nc_nl_abort(nl);
	return ret;
}

/* Send the batch, map the first error back to its operation. */
int nc_nl_commit(struct nc_nl *nl, struct nc_err *err)
{
	return commit(nl, false, err);
}

/* As nc_nl_commit(), but the kernel only checks the batch. */
int nc_nl_check(struct nc_nl *nl, struct nc_err *err)
{
	return commit(nl, true, err);
}

/* Messages queued from now on carry @tag; an error about one of them is
 * located at line @tag (0: no location). */
void nc_nl_set_tag(struct nc_nl *nl, uint32_t tag)
{
	nl->batch.cur_tag = tag;
}
