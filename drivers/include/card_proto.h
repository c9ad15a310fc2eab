/*
 * card_proto.h - the byte protocol between the dialback line card and its host
 *
 * One header for both sides: the host (drivers/, host/, sim/) includes it, and the
 * card's RTL (rtl/card_msg_*.v) implements the same constants; docs/card-protocol.md
 * shows the layouts as ASCII tables.
 *
 * The FT232H synchronous FIFO is a plain byte stream in each direction, so every
 * message is self-delimiting and the receiver resynchronises after garbage:
 *
 *   +------+------+-------+---------+---------+-----+-- LEN bytes --+--------+--------+
 *   | SYNC | TYPE | FLAGS | CHAN lo | CHAN hi | LEN |    payload    | CRC lo | CRC hi |
 *   +------+------+-------+---------+---------+-----+---------------+--------+--------+
 *      0      1       2       3         4        5     6 .. 5+LEN
 *
 * - SYNC is 0xA5.  The CRC covers TYPE .. the last payload byte (not SYNC).
 * - The CRC is the RFC 1662 FCS-16 (reflected polynomial 0x8408, init 0xFFFF,
 *   ones' complement of the remainder, sent low byte first), so the card's one
 *   FCS-16 block serves both HDLC and this protocol and is checked against the
 *   RFC's good-FCS value 0xF0B8.
 * - Multi-byte fields are little endian, everywhere.
 * - LEN is 0..255 (CARD_MSG_MAX_PAYLOAD); a message is at most 263 bytes.
 *
 * Why sync + length + CRC rather than COBS or byte stuffing: the card emits
 * receive data cut-through from a per-channel buffer whose fill it knows, so it
 * can write the header before the payload without buffering a whole message;
 * byte stuffing (like HDLC itself) would need a second escaper in the FIFO path
 * and makes the worst-case bandwidth data dependent.  A receiver that loses
 * sync scans for 0xA5, checks TYPE is known and LEN is legal for it, and then
 * the CRC; on any failure it restarts the scan one byte after the false SYNC,
 * re-using the bytes it already holds, so no good message after the garbage is
 * lost.  A false match needs a 1-in-65536 CRC accident on top of a plausible
 * header.
 *
 * Protocol version: CARD_PROTO_VERSION, reported in CARD_MSG_VERSION.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_PROTO_H
#define DIALBACK_CARD_PROTO_H

#include <stdint.h>

#define CARD_PROTO_VERSION	1	/*!< bumped on any incompatible change */

#define CARD_MSG_SYNC		0xA5	/*!< first byte of every message */
#define CARD_MSG_HDR_LEN	6	/*!< SYNC TYPE FLAGS CHAN(2) LEN */
#define CARD_MSG_CRC_LEN	2	/*!< FCS-16, little endian */
#define CARD_MSG_MAX_PAYLOAD	255	/*!< LEN is one byte */
#define CARD_MSG_MAX_LEN	(CARD_MSG_HDR_LEN + CARD_MSG_MAX_PAYLOAD + CARD_MSG_CRC_LEN)

#define CARD_CHANS_PER_SPAN	24	/*!< DS0 timeslots per T1 span */
#define CARD_MAX_SPANS		28	/*!< SPANS parameter range of the RTL: 1..28 */
#define CARD_MAX_CHANS		(CARD_MAX_SPANS * CARD_CHANS_PER_SPAN)	/*!< 672 */
#define CARD_CHAN_NONE		0xFFFF	/*!< "no channel" in the timeslot map */

/*
 * Message types.  Bit 7 clear: card -> host ("upstream"); bit 7 set: host -> card.
 * CHAN is the channel number (0 .. channels-1) unless the type says it is a span.
 */
enum card_msg_type {
	/* card -> host */
	CARD_MSG_RX_DATA	= 0x01,	/*!< CHAN: channel; payload: received octets, in order
					 *   (HDLC modes: frame content without flags,
					 *   escapes or FCS; raw mode: line octets) */
	CARD_MSG_RX_EOF		= 0x02,	/*!< CHAN: channel; struct card_rx_eof: the frame whose
					 *   data went before has ended, with its status */
	CARD_MSG_TX_CREDIT	= 0x03,	/*!< CHAN: channel; struct card_tx_credit */
	CARD_MSG_SPAN_STATUS	= 0x04,	/*!< CHAN: span; struct card_span_status; sent on any
					 *   alarm change and in answer to SPAN_QUERY */
	CARD_MSG_REG_VALUE	= 0x05,	/*!< CHAN: 0; struct card_reg: answer to REG_READ */
	CARD_MSG_ECHO_REPLY	= 0x06,	/*!< CHAN: as in the ECHO; payload: the ECHO's payload */
	CARD_MSG_VERSION	= 0x07,	/*!< CHAN: 0; struct card_version */
	CARD_MSG_CHAN_EVENT	= 0x08,	/*!< CHAN: channel; struct card_chan_event */
	CARD_MSG_HOST_ERROR	= 0x09,	/*!< CHAN: 0; struct card_host_error: the card dropped
					 *   a host message (bad CRC, unknown type, bad LEN) */

	/* host -> card */
	CARD_MSG_TX_DATA	= 0x81,	/*!< CHAN: channel; FLAGS: enum card_tx_flags;
					 *   payload: octets to send (0..255) */
	CARD_MSG_CHAN_CONFIG	= 0x82,	/*!< CHAN: channel; struct card_chan_config */
	CARD_MSG_SPAN_CONFIG	= 0x83,	/*!< CHAN: span; struct card_span_config */
	CARD_MSG_TS_MAP		= 0x84,	/*!< CHAN: span; struct card_ts_map */
	CARD_MSG_REG_WRITE	= 0x85,	/*!< CHAN: 0; struct card_reg */
	CARD_MSG_REG_READ	= 0x86,	/*!< CHAN: 0; payload: uint16 register address */
	CARD_MSG_ECHO		= 0x87,	/*!< CHAN: any; payload: any; answered by ECHO_REPLY */
	CARD_MSG_GET_VERSION	= 0x88,	/*!< CHAN: 0; no payload; answered by VERSION */
	CARD_MSG_SPAN_QUERY	= 0x89,	/*!< CHAN: span; no payload; answered by SPAN_STATUS */
	CARD_MSG_CREDIT_POLL	= 0x8A,	/*!< CHAN: channel; no payload; answered by TX_CREDIT */
};

/* FLAGS of CARD_MSG_TX_DATA.  Other types send FLAGS = 0 and receivers ignore it. */
enum card_tx_flags {
	CARD_TX_EOF		= 0x01,	/*!< this chunk ends the frame: the card appends the
					 *   FCS and a closing flag (HDLC modes) */
	CARD_TX_FULL_ACCM	= 0x02,	/*!< send this whole frame with ACCM 0xFFFFFFFF
					 *   (RFC 1662 7.1: LCP Configure/Terminate/Code-Reject);
					 *   only looked at on a frame's first chunk */
	CARD_TX_ABORT		= 0x04,	/*!< abort the frame in progress (0x7D 0x7E async,
					 *   seven ones sync); payload must be empty */
};

/* Status byte of CARD_MSG_RX_EOF. */
enum card_rx_status {
	CARD_RX_OK		= 0,	/*!< FCS good; frame delivered */
	CARD_RX_BAD_FCS		= 1,	/*!< FCS check failed: discard the frame */
	CARD_RX_ABORT		= 2,	/*!< 0x7D 0x7E (async) or 7 ones (sync) from the line */
	CARD_RX_OVERRUN		= 3,	/*!< card's receive buffer or output FIFO overflowed */
	CARD_RX_TOO_LONG	= 4,	/*!< more than MRU + FCS octets: rest discarded */
	CARD_RX_RUNT		= 5,	/*!< shorter than the FCS: no data chunks were sent */
};

/* Channel modes (struct card_chan_config.mode). */
enum card_chan_mode {
	CARD_MODE_OFF		= 0,	/*!< idle code out, nothing in */
	CARD_MODE_RAW		= 1,	/*!< octets both ways, no framing (modem AT phase) */
	CARD_MODE_ASYNC_HDLC	= 2,	/*!< RFC 1662 octet-stuffed: flags, 0x7D escapes, ACCM */
	CARD_MODE_SYNC_HDLC	= 3,	/*!< bit-stuffed HDLC (ISDN digital calls, D-channel) */
};

/* struct card_chan_config.options bits */
enum card_chan_options {
	CARD_OPT_FCS32		= 0x01,	/*!< FCS-32 instead of FCS-16 (HDLC modes) */
	CARD_OPT_IDLE_ONES	= 0x02,	/*!< sync HDLC: idle with ones instead of flags */
	CARD_OPT_UPDATE		= 0x04,	/*!< change ACCMs, MRU and FCS size in place: no
					 *   flush, no abort (the mode must stay the same);
					 *   frames marked CARD_TX_FULL_ACCM are unaffected */
};

/* Channel events (struct card_chan_event.event). */
enum card_chan_event_code {
	CARD_EV_TX_UNDERRUN	= 1,	/*!< a frame ran dry before its EOF: it was aborted */
	CARD_EV_TX_OVERFLOW	= 2,	/*!< host sent more than its credit: octets dropped */
};

/* Span framing, line code and clock source (struct card_span_config). */
enum card_framing   { CARD_FRAMING_ESF = 0, CARD_FRAMING_SF = 1 };
enum card_linecode  { CARD_LINECODE_B8ZS = 0, CARD_LINECODE_AMI = 1 };
enum card_clocksrc  {
	CARD_CLK_INTERNAL	= 0,	/*!< free-running transmit clock */
	CARD_CLK_LINE_PRIMARY	= 1,	/*!< loop timed from this span's receive clock */
	CARD_CLK_LINE_SECONDARY	= 2,	/*!< loop timed when the primary span is in alarm */
};

/* struct card_span_config.flags bits */
enum card_span_flags {
	CARD_SPAN_ENABLE	= 0x01,	/*!< clear = `shutdown`: transmit AIS-free idle, no alarms */
	CARD_SPAN_TX_AIS	= 0x02,	/*!< send AIS (unframed all ones) */
	CARD_SPAN_LOOP_LOCAL	= 0x04,	/*!< local loopback: transmit fed back to receive */
};

/* struct card_span_status.alarms bits */
enum card_span_alarms {
	CARD_ALARM_LOS		= 0x01,	/*!< loss of signal (175 zeros) */
	CARD_ALARM_LOF		= 0x02,	/*!< loss of frame, "red" */
	CARD_ALARM_AIS		= 0x04,	/*!< alarm indication signal, "blue" (all ones) */
	CARD_ALARM_RAI		= 0x08,	/*!< remote alarm indication, "yellow" */
};

/*
 * Payload layouts.  Each is packed, little endian; host code converts with
 * le16toh()/le32toh() through the helpers in card_msg.h, never by casting.
 */
struct card_rx_eof {
	uint8_t  status;	/*!< enum card_rx_status */
	uint16_t length;	/*!< octets delivered for this frame in RX_DATA */
} __attribute__((packed));

struct card_tx_credit {
	uint16_t consumed;	/*!< count (mod 2^16) of TX_DATA payload octets the channel
				 *   has taken out of its buffer since card reset, including
				 *   octets flushed by CHAN_CONFIG: absolute, so a lost
				 *   message is repaired by the next one */
} __attribute__((packed));

struct card_chan_config {
	uint8_t  mode;		/*!< enum card_chan_mode */
	uint8_t  options;	/*!< enum card_chan_options */
	uint32_t rx_accm;	/*!< async: receive ACCM, bit n set = drop octet n (n < 32) */
	uint32_t tx_accm;	/*!< async: transmit ACCM, bit n set = escape octet n */
	uint16_t mru;		/*!< longest frame content accepted (octets, without FCS) */
} __attribute__((packed));	/* a CHAN_CONFIG also flushes the channel's transmit
				 * buffer and aborts any frame in progress, unless
				 * options has CARD_OPT_UPDATE */

struct card_span_config {
	uint8_t  framing;	/*!< enum card_framing */
	uint8_t  linecode;	/*!< enum card_linecode */
	uint8_t  clock_source;	/*!< enum card_clocksrc */
	uint8_t  flags;		/*!< enum card_span_flags */
} __attribute__((packed));

struct card_span_status {
	uint8_t  alarms;	/*!< enum card_span_alarms */
	uint8_t  in_frame;	/*!< 1 when the receive framer is aligned */
	uint32_t bpv;		/*!< bipolar violations (not counting B8ZS substitutions) */
	uint32_t excess_zeros;	/*!< runs of more than 7 (B8ZS) or 15 (AMI) zeros */
	uint32_t crc6_errors;	/*!< ESF CRC-6 mismatches */
	uint32_t fbit_errors;	/*!< framing bit errors while in frame */
	uint32_t slips;		/*!< elastic store slips (either direction) */
	uint32_t lof_count;	/*!< times the framer lost alignment */
} __attribute__((packed));

struct card_ts_map {
	uint16_t chan[CARD_CHANS_PER_SPAN];	/*!< channel of timeslot 1..24, or CARD_CHAN_NONE
						 *   (idle code out, receive ignored) */
} __attribute__((packed));

struct card_reg {
	uint16_t addr;		/*!< register address (docs/card-registers.md) */
	uint32_t value;		/*!< value written / read */
} __attribute__((packed));

struct card_version {
	uint8_t  proto_version;	/*!< CARD_PROTO_VERSION of the card */
	uint8_t  spans;		/*!< SPANS parameter the bitstream was built with */
	uint16_t channels;	/*!< number of channels */
	uint16_t tx_buffer;	/*!< per-channel transmit buffer, octets = initial credit */
	uint16_t rx_chunk;	/*!< largest RX_DATA payload the card sends */
	uint32_t build_id;	/*!< bitstream build identifier */
} __attribute__((packed));

struct card_chan_event {
	uint8_t  event;		/*!< enum card_chan_event_code */
} __attribute__((packed));

struct card_host_error {
	uint8_t  reason;	/*!< 1 bad CRC, 2 unknown type, 3 bad length, 4 channel or
				 *   span out of range */
	uint32_t count;		/*!< host messages dropped since reset */
} __attribute__((packed));

#endif /* DIALBACK_CARD_PROTO_H */
