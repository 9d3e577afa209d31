// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The PITCH message log, one JSON line per message in packet order, from the bytes as sent and,
 * for what the bytes do not say (the symbol of an order named by its ID, whether it stays open),
 * the generator's note of each message:
 *   {"group":"239.1.1.1:30001","lines":"AB","unit":2,"seq":17,"msg":0,"type":35,
 *    "order_id":68719476740,"symbol":"AAPL","open":false}
 * "seq" is HdrSequence + msg; in an unsequenced packet (HdrSequence 0) it is 0 and the line has
 * "unsequenced":true. "type" is the message type as an integer. "order_id" where the type has one
 * (adds, executions, reduce, modify, delete, trades). "symbol": inline (adds, trades, status), or
 * that of the order the message names. "open" for adds and the messages that name an order on
 * the book: whether the order is still open after this message (trades name orders that are not
 * on the book, and have no "open"). A unit without messages (heartbeat) is one line without
 * "msg" and "type", "seq" its HdrSequence.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <feedsieve/parse.h>
#include <feedsieve/wire_pitch.h>

#include "pitch_log.h"

struct pkt_ctx {
	struct msglog *l;
	const char *group;
	const char *lines;
	__u8 unit;
	__u32 seq;
};

static int head(const struct pkt_ctx *c, __u32 seq)
{
	return msglog__printf(c->l,
			      "{\"group\":\"%s\",\"lines\":\"%s\",\"unit\":%u,\"seq\":%" PRIu32,
			      c->group, c->lines, c->unit, seq);
}

/* Types with an Order ID at PITCH_OFF_ORDER_ID. */
static bool has_order_id(__u8 type)
{
	return (type >= PITCH_T_ADD_LONG && type <= PITCH_T_TRADE_SHORT) ||
	       type == PITCH_T_ADD_EXPANDED || type == PITCH_T_TRADE_EXPANDED;
}

static int log_message(const struct pkt_ctx *c, unsigned int i, const __u8 *m, size_t size,
		       const struct pitch_note *n)
{
	const struct symtab *syms = msglog__syms(c->l);
	struct pitch_type_info t = pitch_type_info(m[PITCH_OFF_MSG_TYPE]);
	__u8 type = m[PITCH_OFF_MSG_TYPE];
	char sym[PITCH_SYMBOL_LEN_LONG + 1] = "";
	bool oid = has_order_id(type);
	int err;

	if (size < t.min_len || (oid && size < PITCH_OFF_ORDER_ID + 8))
		return -EINVAL;
	if (t.kind == PITCH_KEY_ADD || t.kind == PITCH_KEY_SYMBOL) {
		memcpy(sym, m + t.sym_off, t.sym_len);
		sym[strcspn(sym, " ")] = '\0';
		/* The note must name the symbol the bytes carry. */
		if (!n->key || strcmp(sym, symtab__str(syms, n->key)) != 0)
			return -EINVAL;
	}
	if (n->key && !msglog__wants(c->l, n->key))
		return 0;
	err = head(c, c->seq ? c->seq + i : 0);
	if (!err && !c->seq)
		err = msglog__printf(c->l, ",\"unsequenced\":true");
	if (!err)
		err = msglog__printf(c->l, ",\"msg\":%u,\"type\":%u", i, type);
	if (!err && oid)
		err = msglog__printf(c->l, ",\"order_id\":%" PRIu64,
				     (uint64_t)fs_le64(m + PITCH_OFF_ORDER_ID));
	if (!err && n->key)
		err = msglog__put_symbol(c->l, symtab__str(syms, n->key), PITCH_SYMBOL_LEN_LONG);
	if (!err && n->order != PITCH_NOTE_NONE)
		err = msglog__printf(c->l, ",\"open\":%s",
				     n->order == PITCH_NOTE_OPEN ? "true" : "false");
	return err ? err : msglog__printf(c->l, "}\n");
}

int pitch_log_packet(struct msglog *l, const void *payload, size_t len,
		     const struct pitch_note *notes, const char *group, const char *lines)
{
	struct pkt_ctx c = {.l = l, .group = group, .lines = lines};
	const __u8 *p = payload;
	size_t off = PITCH_HDR_LEN, size;
	unsigned int i, n;
	int err;

	if (len < PITCH_HDR_LEN || fs_le16(p + PITCH_OFF_HDR_LENGTH) != len)
		return -EINVAL;
	c.unit = p[PITCH_OFF_HDR_UNIT];
	c.seq = fs_le32(p + PITCH_OFF_HDR_SEQ);
	n = p[PITCH_OFF_HDR_COUNT];
	if (n == 0) {
		err = head(&c, c.seq);
		return err ? err : msglog__printf(l, "}\n");
	}
	for (i = 0; i < n; i++, off += size) {
		if (len - off < PITCH_MSG_HDR_LEN)
			return -EINVAL;
		size = p[off + PITCH_OFF_MSG_LENGTH];
		if (size < PITCH_MSG_HDR_LEN || size > len - off)
			return -EINVAL;
		err = log_message(&c, i, p + off, size, &notes[i]);
		if (err)
			return err;
	}
	return off == len ? 0 : -EINVAL;
}
