/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure encoders: one TotalView-ITCH 5.0 message of each type the generator sends, and a MoldUDP64
 * packet builder. No I/O, no state beyond the caller's buffers, so the unit tests check them byte
 * by byte against the offsets in include/feedsieve/wire_itch.h.
 */
#ifndef FEEDGEN_ITCH_ENCODE_H
#define FEEDGEN_ITCH_ENCODE_H

#include <stddef.h>
#include <feedsieve/wire_itch.h>

#include "pkt.h"

/* Largest message the generator encodes ('P', 44 bytes), rounded up for scratch buffers. */
#define ITCH_MSG_MAX 64

/* Timestamps are 48-bit nanoseconds since midnight; a day fits with room to spare. */
#define ITCH_NS_PER_SEC 1000000000ULL
#define ITCH_TS_MAX	(86400ULL * ITCH_NS_PER_SEC - 1)

/* The fields every message starts with, after the type byte. */
struct itch_hdr {
	__u16 locate;
	__u16 tracking;
	__u64 timestamp; /* ns since midnight, < 2^48 */
};

struct itch_stock_directory {
	char stock[ITCH_SYMBOL_LEN]; /* space padded */
	char market_category;
	char financial_status;
	__u32 round_lot_size;
	char round_lots_only;
	char issue_classification;
	char issue_sub_type[2];
	char authenticity;
	char short_sale_threshold;
	char ipo_flag;
	char luld_tier;
	char etp_flag;
	__u32 etp_leverage;
	char inverse;
};

struct itch_add_order {
	__u64 order_ref;
	char side; /* 'B' or 'S' */
	__u32 shares;
	char stock[ITCH_SYMBOL_LEN];
	__u32 price; /* 4 implied decimals */
};

struct itch_trade {
	__u64 order_ref;
	char side;
	__u32 shares;
	char stock[ITCH_SYMBOL_LEN];
	__u32 price;
	__u64 match;
};

/*
 * Each encoder writes one message at BUF and returns its length, or -ENOSPC when CAP is too
 * small (nothing is written then), or -EINVAL for a value the field cannot hold.
 */
int itch_encode_system_event(void *buf, size_t cap, const struct itch_hdr *h, char event);
int itch_encode_stock_directory(void *buf, size_t cap, const struct itch_hdr *h,
				const struct itch_stock_directory *r);
int itch_encode_add_order(void *buf, size_t cap, const struct itch_hdr *h,
			  const struct itch_add_order *a);
int itch_encode_order_executed(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref,
			       __u32 shares, __u64 match);
int itch_encode_order_cancel(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref,
			     __u32 shares);
int itch_encode_order_delete(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref);
int itch_encode_trade(void *buf, size_t cap, const struct itch_hdr *h, const struct itch_trade *p);

/*
 * Space-pad NAME into an 8-byte wire symbol (or a 10-byte Mold session with LEN
 * MOLD_SESSION_LEN). NAME must be 1..LEN printable ASCII characters without spaces; -EINVAL
 * otherwise, so a padded field always strips back to the name it came from.
 */
int itch_pad_field(char *out, size_t len, const char *name);

/* Largest UDP payload of a MoldUDP64 packet: feedgen's for every protocol. */
#define MOLD_PAYLOAD_MAX FG_PAYLOAD_MAX

/*
 * A MoldUDP64 packet being built. The buffer is a valid packet at every step: the header is
 * written by init and the count updated by every append.
 */
struct mold_pkt {
	__u8 buf[MOLD_PAYLOAD_MAX];
	size_t len;
	size_t cap;
	__u16 count;
	__u64 seq;
};

/* Start an empty packet (a heartbeat as it stands) whose first message will have sequence SEQ. */
int mold_pkt__init(struct mold_pkt *p, const char session[MOLD_SESSION_LEN], __u64 seq, size_t cap);
/* Whether a message of LEN bytes still fits. */
bool mold_pkt__fits(const struct mold_pkt *p, size_t len);
/* Append one message block; -ENOSPC if it does not fit, -EINVAL for an empty message. */
int mold_pkt__append(struct mold_pkt *p, const void *msg, size_t len);
/* Turn an empty packet into the end-of-session marker; -EBUSY if it already carries messages. */
int mold_pkt__mark_end_of_session(struct mold_pkt *p);
/* Sequence number of the first message after this packet. */
__u64 mold_pkt__next_seq(const struct mold_pkt *p);

/*
 * Reading back a MoldUDP64 packet feedgen sent (its log, its re-request history): the message
 * blocks in order. OFF starts at MOLD_HDR_LEN. Returns 1 with *MSG and *LEN set and OFF moved
 * past the block, or -EINVAL when the block's length field or its message runs past LEN.
 */
int mold_next_block(const __u8 *payload, size_t len, size_t *off, const __u8 **msg, __u16 *mlen);

#endif /* FEEDGEN_ITCH_ENCODE_H */
