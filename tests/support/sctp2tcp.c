/*
 * sctp2tcp: LD_PRELOAD shim that runs Osmocom daemons on a kernel without SCTP.
 *
 * Why: the CI kernel is built without CONFIG_IP_SCTP, so
 * socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) fails with EPROTONOSUPPORT and
 * osmo-msc 1.9.0 exits at start-up ("Starting SGs server failed", exit 9): its
 * SGs server is always opened and cannot be disabled in the configuration.
 *
 * What it changes (only sockets created with protocol IPPROTO_SCTP; every other
 * socket and call goes straight to libc):
 *   socket(AF_INET|AF_INET6, *, IPPROTO_SCTP)   -> TCP socket of the same family
 *                                                  (SOCK_NONBLOCK/SOCK_CLOEXEC kept)
 *   sctp_bindx(fd, addrs, n, flags)             -> bind() to the first address
 *   sctp_connectx(fd, addrs, n, id)             -> connect() to the first address
 *   setsockopt(SOL_SCTP, ...)                   -> 0, no effect (SCTP_NODELAY is
 *                                                  mapped to TCP_NODELAY)
 *   getsockopt(SOL_SCTP, ...)                   -> 0, value zero-filled
 *   sctp_send / sctp_sendmsg                    -> writes one frame (below)
 *   sctp_recvmsg                                -> reads one frame, returns its
 *                                                  payload; sinfo has only the PPID
 *
 * Framing, so that SCTP's message boundaries and PPID survive TCP:
 *
 *   +----------------------+----------------------+-------------------+
 *   | length: u32 big-end. | ppid: u32 big-endian | payload (length)  |
 *   +----------------------+----------------------+-------------------+
 *
 * A peer of a shimmed port (tests/support/sgs_peer.py on osmo-msc's SGs port)
 * must speak the same framing. Addresses are never changed: what the daemon
 * is configured to bind (127.0.0.1 in the tests) is what gets bound.
 *
 * Build: CMake target simexit_sctp2tcp (tests only), or
 *   gcc -shared -fPIC -O2 -Wall -Wextra -o sctp2tcp.so sctp2tcp.c -ldl
 * Use:   LD_PRELOAD=/path/to/sctp2tcp.so osmo-msc -c osmo-msc.cfg
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef SOL_SCTP
#define SOL_SCTP 132
#endif

/* From <netinet/sctp.h> (lksctp-tools), which need not be installed. */
enum {
	kSctpNodelay = 3,                /* SCTP_NODELAY */
	kSndRcvInfoSize = 32,            /* sizeof(struct sctp_sndrcvinfo) on Linux */
	kSndRcvInfoPpidOffset = 8,       /* offsetof(struct sctp_sndrcvinfo, sinfo_ppid) */
	kFrameHeaderSize = 8,
	kPollMillis = 1000,
};

typedef int (*SocketFn)(int, int, int);
typedef int (*SetsockoptFn)(int, int, int, const void *, socklen_t);
typedef int (*GetsockoptFn)(int, int, int, void *, socklen_t *);

static SocketFn real_socket;
static SetsockoptFn real_setsockopt;
static GetsockoptFn real_getsockopt;

static void resolve(void)
{
	if (real_socket != NULL) {
		return;
	}
	/* dlsym returns void *; memcpy into the function pointer keeps -Wpedantic quiet. */
	void *sym = dlsym(RTLD_NEXT, "setsockopt");
	memcpy(&real_setsockopt, &sym, sizeof(sym));
	sym = dlsym(RTLD_NEXT, "getsockopt");
	memcpy(&real_getsockopt, &sym, sizeof(sym));
	sym = dlsym(RTLD_NEXT, "socket");
	memcpy(&real_socket, &sym, sizeof(sym));
}

int socket(int domain, int type, int protocol)
{
	resolve();
	if (protocol == IPPROTO_SCTP && (domain == AF_INET || domain == AF_INET6)) {
		int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
		return real_socket(domain, SOCK_STREAM | flags, IPPROTO_TCP);
	}
	return real_socket(domain, type, protocol);
}

int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	resolve();
	if (level == SOL_SCTP) {
		if (optname == kSctpNodelay && optval != NULL) {
			(void)real_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, optval, optlen);
		}
		return 0;
	}
	return real_setsockopt(fd, level, optname, optval, optlen);
}

int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
{
	resolve();
	if (level == SOL_SCTP) {
		if (optval != NULL && optlen != NULL) {
			memset(optval, 0, *optlen);
		}
		return 0;
	}
	return real_getsockopt(fd, level, optname, optval, optlen);
}

static socklen_t address_length(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6)
					 : (socklen_t)sizeof(struct sockaddr_in);
}

int sctp_bindx(int fd, struct sockaddr *addrs, int addrcnt, int flags)
{
	(void)flags;
	if (addrs == NULL || addrcnt < 1) {
		errno = EINVAL;
		return -1;
	}
	return bind(fd, addrs, address_length(addrs));
}

int sctp_connectx(int fd, struct sockaddr *addrs, int addrcnt, void *id)
{
	(void)id;
	if (addrs == NULL || addrcnt < 1) {
		errno = EINVAL;
		return -1;
	}
	return connect(fd, addrs, address_length(addrs));
}

/* Waits until fd is readable/writable (non-blocking sockets). Returns 0, or -1
 * with errno set when nothing happened within kPollMillis. */
static int wait_ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events, .revents = 0};
	int n = poll(&p, 1, kPollMillis);
	if (n < 0 && errno == EINTR) {
		return 0;
	}
	if (n <= 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Writes the whole frame: a partial frame would desynchronise the peer, so on
 * non-blocking sockets it waits instead of returning EAGAIN halfway. */
static int send_frame(int fd, const void *payload, size_t len, uint32_t ppid_be)
{
	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	uint32_t header[2] = {htonl((uint32_t)len), ppid_be};
	struct iovec iov[2] = {
		{.iov_base = header, .iov_len = sizeof(header)},
		{.iov_base = (void *)(uintptr_t)payload, .iov_len = len},
	};
	size_t remaining = sizeof(header) + len;
	size_t first = 0;
	while (remaining > 0) {
		struct msghdr mh;
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov[first];
		mh.msg_iovlen = 2 - first;
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
				if (wait_ready(fd, POLLOUT) < 0) {
					return -1;
				}
				continue;
			}
			return -1;
		}
		size_t sent = (size_t)n;
		remaining -= sent;
		while (sent > 0 && first < 2) {
			size_t step = sent < iov[first].iov_len ? sent : iov[first].iov_len;
			iov[first].iov_base = (char *)iov[first].iov_base + step;
			iov[first].iov_len -= step;
			sent -= step;
			if (iov[first].iov_len == 0) {
				++first;
			}
		}
	}
	return (int)len;
}

int sctp_send(int fd, const void *msg, size_t len, const void *sinfo, uint32_t flags)
{
	(void)flags;
	uint32_t ppid_be = 0;
	if (sinfo != NULL) {
		memcpy(&ppid_be, (const char *)sinfo + kSndRcvInfoPpidOffset, sizeof(ppid_be));
	}
	return send_frame(fd, msg, len, ppid_be);
}

/* The ppid argument is already in network byte order, as with real libsctp. */
int sctp_sendmsg(int fd, const void *msg, size_t len, struct sockaddr *to, socklen_t tolen,
		 uint32_t ppid, uint32_t flags, uint16_t stream_no, uint32_t timetolive,
		 uint32_t context)
{
	(void)to;
	(void)tolen;
	(void)flags;
	(void)stream_no;
	(void)timetolive;
	(void)context;
	return send_frame(fd, msg, len, ppid);
}

/* Reads exactly len bytes. Returns len, 0 on EOF before anything was read, or
 * -1 (errno set; EIO for EOF or a stall in the middle of a frame). At the start
 * of a frame (mid_frame 0) a non-blocking socket with nothing pending gives -1
 * with EAGAIN, as recv() would; inside a frame it waits for the rest. */
static ssize_t read_exact(int fd, void *buf, size_t len, int mid_frame)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = recv(fd, (char *)buf + got, len - got, 0);
		if (n == 0) {
			if (got == 0) {
				return 0;
			}
			errno = EIO;
			return -1;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
				if (!mid_frame && got == 0 && errno != EINTR) {
					return -1; /* nothing pending: let the caller's event loop wait */
				}
				if (wait_ready(fd, POLLIN) < 0) {
					return -1;
				}
				continue;
			}
			return -1;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int sctp_recvmsg(int fd, void *msg, size_t len, struct sockaddr *from, socklen_t *fromlen,
		 void *sinfo, int *msg_flags)
{
	uint32_t header[2];
	ssize_t n = read_exact(fd, header, sizeof(header), 0);
	if (n <= 0) {
		return (int)n;
	}
	uint32_t frame_len = ntohl(header[0]);
	if (frame_len > len) {
		errno = EMSGSIZE;
		return -1;
	}
	if (frame_len > 0) {
		n = read_exact(fd, msg, frame_len, 1);
		if (n <= 0) {
			if (n == 0) {
				errno = EIO;
			}
			return -1;
		}
	}
	if (sinfo != NULL) {
		memset(sinfo, 0, kSndRcvInfoSize);
		memcpy((char *)sinfo + kSndRcvInfoPpidOffset, &header[1], sizeof(header[1]));
	}
	if (msg_flags != NULL) {
		*msg_flags = MSG_EOR;
	}
	if (from != NULL && fromlen != NULL) {
		(void)getpeername(fd, from, fromlen);
	}
	return (int)frame_len;
}
