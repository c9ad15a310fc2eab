/*
 * subscriber_attach.h - an outside program on a subscriber line's serial port
 *
 * `dialback-sim --attach NUMBER=SPEC` puts a real program (pppd with chat, minicom, a
 * test client) where the scripted PC would be: the octets it writes go into the
 * subscriber's Hayes modem (sim/subscriber_modem.c) as if typed on its serial port, and
 * the modem's result codes and data come back to it.  SPEC is one of
 *   unix:PATH          the simulator listens on a Unix stream socket at PATH (a stale
 *                      socket file is replaced) and takes one connection at a time,
 *                      as qemu's `-chardev socket,id=x,path=PATH` (client mode) wants
 *   unix-connect:PATH  the simulator connects to PATH, for qemu's
 *                      `-chardev socket,...,server=on,wait=on`
 *   pty[:LINK]         a pseudo-terminal; its slave (/dev/pts/N, raw mode) is what the
 *                      program opens; LINK, when given, is made a symlink to it
 * There is no DTR on a socket: the program closing its connection (or the last close
 * of the pty slave) is taken as DTR dropping, which hangs the modem up (&D2).  While
 * nothing is connected, the modem's output is dropped rather than queued, so a new
 * connection does not read stale result codes.
 *
 * Everything here is non-blocking and polled by the scenario once per simulated
 * millisecond or so; the wall clock is only used to say when a pty has stayed closed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SUBSCRIBER_ATTACH_H
#define DIALBACK_SIM_SUBSCRIBER_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUB_ATTACH_PATH_MAX	108
#define SUB_ATTACH_OUTQ		65536

enum sub_attach_kind { SUB_ATTACH_UNIX_LISTEN, SUB_ATTACH_UNIX_CONNECT, SUB_ATTACH_PTY };

struct sub_attach {
	enum sub_attach_kind kind;
	char path[SUB_ATTACH_PATH_MAX];	/*!< socket path, or the pty slave's name */
	char link[SUB_ATTACH_PATH_MAX];	/*!< pty: symlink made to the slave ("" none) */
	int  lfd;			/*!< listening socket, -1 */
	int  fd;			/*!< connection or pty master, -1 */
	bool connected;			/*!< a program is on the other end */
	bool ever_connected;
	bool ended;			/*!< unix-connect: the peer went away for good */
	unsigned connections;		/*!< connections (or pty opens) seen */
	double closed_since;		/*!< pty: wall time (s) the slave was seen closed */
	size_t out_head, out_len;
	uint8_t out[SUB_ATTACH_OUTQ];	/*!< toward the program, not yet written */
	uint64_t rx, tx, dropped;	/*!< octets from / to the program, dropped to it */
};

/* Parse SPEC and open it.  0, or -1 with a message in err. */
int  sub_attach_open(struct sub_attach *a, const char *spec, char *err, size_t errlen);
void sub_attach_close(struct sub_attach *a);
/* Accept / notice connections and flush pending output.  Returns +1 when a program
 * has just connected, -1 when it has just gone away (DTR drop), else 0. */
int  sub_attach_poll(struct sub_attach *a);
/* Up to max octets from the program (0: none now). */
size_t sub_attach_read(struct sub_attach *a, uint8_t *buf, size_t max);
/* Octets toward the program (queued if it is slow, dropped if nothing is connected). */
void sub_attach_write(struct sub_attach *a, const uint8_t *d, size_t n);
/* The descriptor to wait on when pacing to the wall clock (-1 none). */
int  sub_attach_wait_fd(const struct sub_attach *a);
/* Human-readable endpoint: "unix socket /tmp/x (listening)" / "pty /dev/pts/3". */
const char *sub_attach_describe(const struct sub_attach *a, char *buf, size_t size);

#endif /* DIALBACK_SIM_SUBSCRIBER_ATTACH_H */
