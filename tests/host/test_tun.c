/*
 * test_tun.c - the TUN interface: the peer-address table (thousands of sessions),
 * datagram checks, dispatch to sessions with per-session and interface counters, the
 * `show interfaces` counters text, clear errors without a device; and, where
 * /dev/net/tun and a fresh network namespace are available (root), the real device:
 * address, MTU, a /32 route, an ICMP echo request injected as if from a session and
 * the kernel's echo reply read back through the TUN, route removal.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>

#include "evloop.h"
#include "ippkt.h"
#include "log.h"
#include "tun.h"
#include "vj.h"

#define OUR_ADDR	0xac101934u	/* 172.16.25.52: ip unnumbered Ethernet0 */
#define PEER_A		0xac10193cu	/* 172.16.25.60 */
#define PEER_B		0xac10193du	/* 172.16.25.61 */

struct catcher {
	uint8_t last[2048];
	size_t len;
	unsigned calls;
	int rc;
};

static int catch_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct catcher *c = ctx;

	c->calls++;
	c->len = len < sizeof(c->last) ? len : sizeof(c->last);
	memcpy(c->last, pkt, c->len);
	return c->rc;
}

/* --- the address table ------------------------------------------------------------ */

static void test_table_thousands(void **state)
{
	(void)state;
	enum { N = 5000 };
	struct tun t;
	struct tun_peer *p = calloc(N, sizeof(*p));
	struct catcher c = { 0 };

	assert_non_null(p);
	tun_init(&t);
	assert_null(tun_peer_find(&t, PEER_A));
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(tun_peer_add(&t, &p[i], 0x0a000000u + i * 3 + 1, 1500, catch_send,
					      &c), 0);
	assert_int_equal(t.npeers, N);
	assert_true((1u << t.hbits) >= N);		/* the table grew */
	for (unsigned i = 0; i < N; i++)
		assert_ptr_equal(tun_peer_find(&t, 0x0a000000u + i * 3 + 1), &p[i]);
	assert_null(tun_peer_find(&t, 0x0a000000u + 2));
	/* duplicates, address 0, a peer already in the table */
	struct tun_peer dup = { 0 };
	assert_int_equal(tun_peer_add(&t, &dup, 0x0a000001u, 0, catch_send, &c), -EEXIST);
	assert_int_equal(tun_peer_add(&t, &dup, 0, 0, catch_send, &c), -EINVAL);
	assert_int_equal(tun_peer_add(&t, &p[0], 0x0b000001u, 0, catch_send, &c), -EINVAL);
	/* remove every other one; twice is harmless */
	for (unsigned i = 0; i < N; i += 2) {
		tun_peer_del(&t, &p[i]);
		tun_peer_del(&t, &p[i]);
	}
	assert_int_equal(t.npeers, N / 2);
	for (unsigned i = 0; i < N; i++) {
		struct tun_peer *f = tun_peer_find(&t, 0x0a000000u + i * 3 + 1);
		if (i % 2)
			assert_ptr_equal(f, &p[i]);
		else
			assert_null(f);
	}
	/* a freed address can be taken by another session */
	assert_int_equal(tun_peer_add(&t, &dup, 0x0a000001u, 0, catch_send, &c), 0);
	assert_ptr_equal(tun_peer_find(&t, 0x0a000001u), &dup);
	tun_fini(&t);
	assert_false(p[1].linked);
	assert_false(dup.linked);
	free(p);
}

/* --- datagram checks ---------------------------------------------------------------- */

static void test_check_ipv4(void **state)
{
	(void)state;
	uint8_t pkt[128];
	size_t len = pk_icmp_echo(pkt, 8, PEER_A, OUR_ADDR, 1, 1, 8);

	assert_int_equal(tun_check_ipv4(pkt, len), 0);
	assert_int_equal(tun_check_ipv4(pkt, len + 4), 0);	/* trailing octets */
	assert_int_equal(tun_check_ipv4(pkt, 0), -EPROTO);
	assert_int_equal(tun_check_ipv4(pkt, 19), -EINVAL);
	assert_int_equal(tun_check_ipv4(pkt, len - 1), -EINVAL);	/* total > packet */
	pkt[0] = 0x60;						/* IPv6 */
	assert_int_equal(tun_check_ipv4(pkt, len), -EPROTO);
	pkt[0] = 0x44;						/* IHL 4 */
	assert_int_equal(tun_check_ipv4(pkt, len), -EINVAL);
	pkt[0] = 0x4f;						/* 60 > 36 */
	assert_int_equal(tun_check_ipv4(pkt, len), -EINVAL);
	pkt[0] = 0x46;
	pkt[2] = 0; pkt[3] = 20;				/* total < header */
	assert_int_equal(tun_check_ipv4(pkt, len), -EINVAL);
}

static void test_dispatch_and_counters(void **state)
{
	(void)state;
	struct tun t;
	struct tun_peer a, b;
	struct catcher ca = { 0 }, cb = { 0 };
	uint8_t pkt[2048];
	size_t len;

	tun_init(&t);
	assert_int_equal(tun_peer_add(&t, &a, PEER_A, 1500, catch_send, &ca), 0);
	assert_int_equal(tun_peer_add(&t, &b, PEER_B, 296, catch_send, &cb), 0);

	/* to A, with 3 octets of padding after the datagram: only the datagram goes */
	len = pk_icmp_echo(pkt, 0, OUR_ADDR, PEER_A, 7, 1, 56);
	assert_int_equal(tun_dispatch(&t, pkt, len + 3), 0);
	assert_int_equal(ca.calls, 1);
	assert_int_equal(ca.len, len);
	assert_memory_equal(ca.last, pkt, len);
	assert_int_equal(cb.calls, 0);
	/* to B */
	len = pk_icmp_echo(pkt, 0, OUR_ADDR, PEER_B, 7, 2, 100);
	assert_int_equal(tun_dispatch(&t, pkt, len), 0);
	assert_int_equal(cb.calls, 1);
	/* bigger than B's MTU */
	len = pk_icmp_echo(pkt, 0, OUR_ADDR, PEER_B, 7, 3, 300);
	assert_int_equal(tun_dispatch(&t, pkt, len), -EMSGSIZE);
	assert_int_equal(cb.calls, 1);
	/* nobody there */
	len = pk_icmp_echo(pkt, 0, OUR_ADDR, 0xac10193eu, 7, 4, 8);
	assert_int_equal(tun_dispatch(&t, pkt, len), -EHOSTUNREACH);
	/* IPv6, a broken header */
	memset(pkt, 0, 40);
	pkt[0] = 0x60;
	assert_int_equal(tun_dispatch(&t, pkt, 40), -EPROTO);
	pkt[0] = 0x43;
	assert_int_equal(tun_dispatch(&t, pkt, 40), -EINVAL);
	/* the session cannot send */
	ca.rc = -ENOBUFS;
	len = pk_icmp_echo(pkt, 0, OUR_ADDR, PEER_A, 7, 5, 8);
	assert_int_equal(tun_dispatch(&t, pkt, len), -ENOBUFS);
	assert_int_equal(ca.calls, 2);

	assert_int_equal(t.drops.too_big, 1);
	assert_int_equal(t.drops.no_session, 1);
	assert_int_equal(t.drops.not_ipv4, 1);
	assert_int_equal(t.drops.bad_header, 1);
	assert_int_equal(t.drops.send_failed, 1);
	assert_int_equal(t.stats.out_drops, 5);
	assert_int_equal(t.stats.out_packets, 2);
	assert_int_equal(t.stats.out_bytes, 84 + 128);
	assert_int_equal(a.stats.out_packets, 1);
	assert_int_equal(a.stats.out_bytes, 84);
	assert_int_equal(a.stats.out_drops, 1);
	assert_int_equal(b.stats.out_packets, 1);
	assert_int_equal(b.stats.out_drops, 1);

	/* from a session, without a device: checked, counted, refused */
	len = pk_icmp_echo(pkt, 8, PEER_A, OUR_ADDR, 7, 6, 8);
	assert_int_equal(tun_write(&t, &a, pkt, len), -EBADF);
	assert_int_equal(a.stats.in_drops, 1);
	pkt[0] = 0x60;
	assert_int_equal(tun_write(&t, &a, pkt, len), -EPROTO);
	pkt[0] = 0x45;
	assert_int_equal(tun_write(&t, &a, pkt, 10), -EINVAL);
	assert_int_equal(a.stats.in_errors, 2);
	assert_int_equal(t.stats.in_errors, 2);
	assert_int_equal(t.stats.in_drops, 1);
	assert_int_equal(a.stats.in_packets, 0);
	tun_fini(&t);
}

static void test_counters_text(void **state)
{
	(void)state;
	struct tun_counters c = { .in_packets = 37, .in_bytes = 2616, .out_packets = 42,
				  .out_bytes = 2954, .in_errors = 2, .in_drops = 1,
				  .out_drops = 3 };
	char buf[1024];
	const char *want =
		"  Input queue: 0/75/1 (size/max/drops); Total output drops: 3\n"
		"  5 minute input rate 0 bits/sec, 0 packets/sec\n"
		"  5 minute output rate 0 bits/sec, 0 packets/sec\n"
		"     37 packets input, 2616 bytes, 0 no buffer\n"
		"     Received 0 broadcasts, 0 runts, 0 giants, 0 throttles\n"
		"     2 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort\n"
		"     42 packets output, 2954 bytes, 0 underruns\n"
		"     0 output errors, 0 collisions, 0 interface resets\n"
		"     0 output buffer failures, 0 output buffers swapped out\n";
	int n = tun_format_counters(&c, buf, sizeof(buf));

	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
	/* truncation is snprintf's */
	assert_int_equal(tun_format_counters(&c, buf, 10), n);
	assert_int_equal(strlen(buf), 9);

	/* rates: 1 MB in and 1000 packets over 300 s of simulated time, sampled every 5 s */
	struct tun_counters r = { 0 };
	tun_counters_sample(&r, 0);
	for (int i = 1; i <= 60; i++) {
		r.in_bytes += 1000000 / 60;
		r.in_packets += 1000 / 60;
		tun_counters_sample(&r, (ev_time_t)i * 5 * EV_SEC);
	}
	/* a steady 26.7 kbit/s approached with a 5-minute time constant: 63 % of it */
	assert_true(r.in_bps > 0.60 * 26666 && r.in_bps < 0.66 * 26666);
	assert_true(r.in_pps > 0.60 * 3.2 && r.in_pps < 0.66 * 3.2);
	assert_true(r.out_bps == 0);
	tun_counters_sample(&r, 300 * EV_SEC);		/* no time passed: unchanged */
	assert_true(r.in_bps > 0.60 * 26666);
	tun_format_counters(&r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "  5 minute input rate 16"));
}

/* --- errors without a device ----------------------------------------------------------- */

struct logcap {
	char text[2048];
};

static void log_sink(void *ctx, enum log_level lvl, const char *line)
{
	struct logcap *l = ctx;
	size_t n = strlen(l->text);

	(void)lvl;
	snprintf(l->text + n, sizeof(l->text) - n, "%s\n", line);
}

static void test_open_errors(void **state)
{
	(void)state;
	struct tun t;
	struct logcap lc = { { 0 } };
	int h = log_add_sink(log_sink, &lc);

	tun_init(&t);
	assert_int_equal(tun_open_dev(&t, NULL, "dialback0", "/nonexistent/net/tun"), -ENOENT);
	assert_non_null(strstr(lc.text, "tun: cannot open /nonexistent/net/tun"));
	assert_int_equal(t.fd, -1);
	assert_int_equal(tun_open(&t, NULL, "a-name-far-too-long-for-linux"), -EINVAL);
	assert_non_null(strstr(lc.text, "bad interface name"));
	assert_int_equal(tun_route_add(&t, PEER_A), -EBADF);
	assert_int_equal(tun_route_del(&t, PEER_A), -EBADF);
	assert_int_equal(tun_set_addr(&t, OUR_ADDR), -EBADF);
	assert_int_equal(tun_set_mtu(&t, 1500), -EBADF);
	assert_non_null(strstr(lc.text, "dialback0 is not open"));
	tun_fini(&t);
	log_remove_sink(h);
}

/* Without privileges (root drops to nobody in a child): a clear line and -EACCES. */
static int unprivileged_child(void)
{
	struct tun t;
	struct logcap lc = { { 0 } };
	int rc;

	if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
		return 1;
	log_add_sink(log_sink, &lc);
	tun_init(&t);
	rc = tun_open(&t, NULL, NULL);
	if (rc != -EACCES && rc != -EPERM && rc != -ENOENT)
		return 2;
	if (rc != -ENOENT && !strstr(lc.text, "(needs root or CAP_NET_ADMIN)"))
		return 3;
	if (rc == -ENOENT && !strstr(lc.text, "(no TUN support: modprobe tun)"))
		return 4;
	return t.fd == -1 ? 0 : 5;
}

static void test_unprivileged(void **state)
{
	(void)state;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unprivileged_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* --- the real device, in a network namespace of its own ----------------------------- */

#define SKIP_CODE 77

static int child_fail(int code, const char *what, int rc)
{
	fprintf(stderr, "test_tun child: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	return code;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int get_mtu(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

/* A fresh namespace with dialback0 up at OUR_ADDR, MTU 1400 (0 or an exit code). */
static int child_setup(struct ev_loop **loop, struct tun *t)
{
	int rc;

	if (unshare(CLONE_NEWNET) < 0)
		return child_fail(SKIP_CODE, "unshare(CLONE_NEWNET)", errno);
	*loop = ev_loop_new_manual(0);
	if (!*loop)
		return child_fail(1, "ev_loop_new_manual", ENOMEM);
	tun_init(t);
	rc = tun_open(t, *loop, NULL);
	if (rc == -ENOENT || rc == -ENODEV || rc == -EPERM || rc == -EACCES)
		return child_fail(SKIP_CODE, "tun_open", rc);
	if (rc < 0)
		return child_fail(2, "tun_open", rc);
	if (strcmp(t->name, "dialback0") != 0 || t->ifindex <= 0)
		return child_fail(3, "device name/index", EINVAL);
	if ((rc = tun_set_addr(t, OUR_ADDR)) < 0)
		return child_fail(4, "tun_set_addr", rc);
	if ((rc = tun_set_mtu(t, 1400)) < 0)
		return child_fail(5, "tun_set_mtu", rc);
	if (get_mtu("dialback0") != 1400)
		return child_fail(6, "SIOCGIFMTU != 1400", EINVAL);
	return 0;
}

/* Wait (bounded, not timed) for the TUN to have something, then run the loop once. */
static void pump(struct ev_loop *loop, const struct tun *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };

	poll(&pfd, 1, timeout_ms);
	ev_loop_step(loop, 0);
}

static int real_tun_child(void)
{
	struct ev_loop *loop;
	struct tun t;
	struct tun_peer peer;
	struct catcher c = { 0 };
	uint8_t pkt[256];
	size_t len;
	int rc;

	if ((rc = child_setup(&loop, &t)) != 0)
		return rc;
	if ((rc = tun_peer_add(&t, &peer, PEER_A, 1400, catch_send, &c)) < 0)
		return child_fail(7, "tun_peer_add", rc);
	if ((rc = tun_route_add(&t, PEER_A)) < 0)
		return child_fail(8, "tun_route_add", rc);
	if ((rc = tun_route_add(&t, PEER_A)) < 0)	/* replacing is fine */
		return child_fail(9, "tun_route_add again", rc);

	/* the peer pings our address */
	len = pk_icmp_echo(pkt, 8, PEER_A, OUR_ADDR, 0x4242, 1, 32);
	if ((rc = tun_write(&t, &peer, pkt, len)) < 0)
		return child_fail(10, "tun_write", rc);
	/* the kernel answers through its /32 route; other traffic (IPv6 solicitations)
	 * is dropped as not IPv4 */
	for (int i = 0; i < 20 && !(c.calls > 0 && c.last[9] == 1 && c.last[20] == 0); i++)
		pump(loop, &t, 1000);
	if (c.calls == 0)
		return child_fail(11, "no echo reply through the TUN", ETIMEDOUT);
	if (c.len != len || c.last[9] != 1 || c.last[20] != 0 ||
	    rd32(c.last + 12) != OUR_ADDR || rd32(c.last + 16) != PEER_A ||
	    c.last[24] != 0x42 || c.last[25] != 0x42 || c.last[26] != 0 || c.last[27] != 1 ||
	    !pk_ip_checksum_ok(c.last) || memcmp(c.last + 28, pkt + 28, 32) != 0)
		return child_fail(12, "echo reply contents", EBADMSG);
	if (peer.stats.in_packets != 1 || peer.stats.in_bytes != len ||
	    peer.stats.out_packets != 1 || t.stats.out_packets != 1)
		return child_fail(13, "counters", EINVAL);

	if ((rc = tun_route_del(&t, PEER_A)) < 0)
		return child_fail(14, "tun_route_del", rc);
	if ((rc = tun_route_del(&t, PEER_A)) != -ESRCH)
		return child_fail(15, "tun_route_del of a removed route", rc ? rc : EINVAL);
	/* a second open of the same object is refused */
	if (tun_open(&t, loop, NULL) != -EALREADY)
		return child_fail(16, "second tun_open", EINVAL);
	tun_peer_del(&t, &peer);
	tun_fini(&t);
	ev_loop_free(loop);
	return 0;
}

/*
 * A dial-up session with VJ both ways against the kernel's real TCP: the peer's
 * segments go peer compressor -> our decompressor -> tun_write; the kernel's come
 * TUN -> tun_dispatch -> our compressor -> the peer's decompressor.  The kernel
 * accepting our decompressed segments proves the rebuilt checksums.
 */
struct vj_link {
	struct vj_comp our_c, peer_c;
	struct vj_decomp our_d, peer_d;
	struct tun *t;
	struct tun_peer tp;
	unsigned rx, rx_comp, mismatches;
	bool got_synack;
	uint32_t srv_next;		/* next server sequence number expected */
	uint8_t data[4096];
	size_t data_len;
};

static int link_send(void *ctx, const uint8_t *pkt, size_t len)
{
	static uint8_t cbuf[TUN_MAX_PACKET], out[TUN_MAX_PACKET + VJ_DECOMP_EXTRA];
	struct vj_link *l = ctx;
	size_t clen, olen;
	int proto = vj_compress(&l->our_c, pkt, len, cbuf, sizeof(cbuf), &clen);

	if (proto < 0 || vj_decompress(&l->peer_d, (uint16_t)proto, cbuf, clen, out, sizeof(out),
				       &olen) != 0 || olen != len || memcmp(out, pkt, len) != 0) {
		l->mismatches++;
		return 0;
	}
	l->rx++;
	l->rx_comp += proto == VJ_PROTO_COMP;
	if (len < 40 || out[9] != 6)
		return 0;
	const uint8_t *tcp = out + (out[0] & 0x0f) * 4;
	size_t hl = (size_t)(out[0] & 0x0f) * 4 + (size_t)(tcp[12] >> 4) * 4;
	if ((tcp[13] & (PK_SYN | PK_ACK)) == (PK_SYN | PK_ACK) && !l->got_synack) {
		l->got_synack = true;
		l->srv_next = rd32(tcp + 4) + 1;
	} else if (l->got_synack && rd32(tcp + 4) == l->srv_next && len > hl &&
		   l->data_len + (len - hl) <= sizeof(l->data)) {
		memcpy(l->data + l->data_len, out + hl, len - hl);
		l->data_len += len - hl;
		l->srv_next += (uint32_t)(len - hl);
	}
	return 0;
}

static int peer_send(struct vj_link *l, const struct pk_tcp *s)
{
	static uint8_t pkt[2048], cbuf[2048], out[2048 + VJ_DECOMP_EXTRA];
	size_t len = pk_tcp_build(pkt, s), clen, olen;
	int proto = vj_compress(&l->peer_c, pkt, len, cbuf, sizeof(cbuf), &clen);

	if (proto < 0 || vj_decompress(&l->our_d, (uint16_t)proto, cbuf, clen, out, sizeof(out),
				       &olen) != 0 || olen != len || memcmp(out, pkt, len) != 0)
		return -EBADMSG;
	return tun_write(l->t, &l->tp, out, olen);
}

static int real_tcp_vj_child(void)
{
	static struct vj_link l;
	struct ev_loop *loop;
	struct tun t;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(2323),
				  .sin_addr.s_addr = htonl(OUR_ADDR) };
	uint8_t sent[500], got[500], reply[600];
	int rc, one = 1, lfd, cfd = -1;
	size_t n = 0;

	if ((rc = child_setup(&loop, &t)) != 0)
		return rc;
	l.t = &t;
	vj_comp_init(&l.our_c, 15, true);		/* the peer said CompressSlotID */
	vj_decomp_init(&l.our_d, 15);
	vj_comp_init(&l.peer_c, 15, false);		/* we said 15 slots, no cslot */
	vj_decomp_init(&l.peer_d, 15);
	if ((rc = tun_peer_add(&t, &l.tp, PEER_A, 1400, link_send, &l)) < 0 ||
	    (rc = tun_route_add(&t, PEER_A)) < 0)
		return child_fail(20, "peer/route", rc);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0)
		return child_fail(21, "listen", errno);

	struct pk_tcp s = { .src = PEER_A, .dst = OUR_ADDR, .sport = 40000, .dport = 2323,
			    .seq = 1000, .flags = PK_SYN, .win = 8760, .id = 1, .frag = 0x4000 };
	if ((rc = peer_send(&l, &s)) < 0)
		return child_fail(22, "SYN", rc);
	for (int i = 0; i < 20 && !l.got_synack; i++)
		pump(loop, &t, 1000);
	if (!l.got_synack)
		return child_fail(23, "no SYN-ACK", ETIMEDOUT);
	s.seq++; s.ack = l.srv_next; s.flags = PK_ACK; s.id++;
	if ((rc = peer_send(&l, &s)) < 0)
		return child_fail(24, "ACK", rc);
	/* five 100-octet segments: the first goes uncompressed, the rest as *S */
	for (int k = 0; k < 5; k++) {
		s.flags = PK_ACK | PK_PSH; s.datalen = 100; s.data_seed = (uint8_t)(k * 100);
		s.id++;
		uint8_t seg[2048];
		pk_tcp_build(seg, &s);
		memcpy(sent + k * 100, seg + 40, 100);
		if ((rc = peer_send(&l, &s)) < 0)
			return child_fail(25, "data", rc);
		s.seq += 100;
		pump(loop, &t, 0);
	}
	for (int i = 0; i < 20 && cfd < 0; i++) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		poll(&pfd, 1, 1000);
		cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	}
	if (cfd < 0)
		return child_fail(26, "accept", errno);
	for (int i = 0; i < 40 && n < sizeof(got); i++) {
		struct pollfd pfd = { .fd = cfd, .events = POLLIN };
		poll(&pfd, 1, 500);
		ssize_t r = recv(cfd, got + n, sizeof(got) - n, 0);
		if (r > 0)
			n += (size_t)r;
		pump(loop, &t, 0);
	}
	if (n != sizeof(sent) || memcmp(got, sent, n) != 0)
		return child_fail(27, "the server got other bytes", EBADMSG);

	/* the server answers in three writes; the peer acks what it gets */
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (size_t i = 0; i < sizeof(reply); i++)
		reply[i] = (uint8_t)(i * 13 + 5);
	for (int k = 0; k < 3; k++)
		if (send(cfd, reply + k * 200, 200, 0) != 200)
			return child_fail(28, "send", errno);
	uint32_t acked = 0;
	for (int i = 0; i < 40 && l.data_len < sizeof(reply); i++) {
		pump(loop, &t, 500);
		if (l.srv_next != acked) {
			s.flags = PK_ACK; s.datalen = 0; s.ack = acked = l.srv_next; s.id++;
			if ((rc = peer_send(&l, &s)) < 0)
				return child_fail(29, "ack", rc);
		}
	}
	if (l.data_len != sizeof(reply) || memcmp(l.data, reply, sizeof(reply)) != 0)
		return child_fail(30, "the peer got other bytes", EBADMSG);
	if (l.mismatches != 0)
		return child_fail(31, "a kernel datagram did not survive VJ", EBADMSG);
	fprintf(stderr, "test_tun child: kernel->peer %u datagrams (%u compressed); "
		"peer->kernel %llu compressed, %llu uncompressed\n", l.rx, l.rx_comp,
		(unsigned long long)l.our_d.stats.compressed,
		(unsigned long long)l.our_d.stats.uncompressed);
	if (l.rx_comp == 0 || l.our_d.stats.compressed < 4 || l.our_d.stats.errors != 0)
		return child_fail(32, "too little was compressed", EINVAL);
	close(cfd);
	close(lfd);
	tun_route_del(&t, PEER_A);
	tun_peer_del(&t, &l.tp);
	tun_fini(&t);
	ev_loop_free(loop);
	return 0;
}

static void run_child(int (*fn)(void))
{
	int status;
	pid_t pid;

	if (access(TUN_DEV_PATH, R_OK | W_OK) != 0) {
		print_message("skipping: %s: %s\n", TUN_DEV_PATH, strerror(errno));
		skip();
	}
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == SKIP_CODE) {
		print_message("skipping: no network namespace or TUN for this user\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_real_tun(void **state)
{
	(void)state;
	run_child(real_tun_child);
}

static void test_real_tun_tcp_vj(void **state)
{
	(void)state;
	run_child(real_tcp_vj_child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_thousands),
		cmocka_unit_test(test_check_ipv4),
		cmocka_unit_test(test_dispatch_and_counters),
		cmocka_unit_test(test_counters_text),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_real_tun),
		cmocka_unit_test(test_real_tun_tcp_vj),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
