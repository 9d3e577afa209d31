// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The NYSE XDP message log, read back from the bytes of each packet as sent, one JSON line per
 * message in packet order:
 *   {"group":"239.1.1.1:11000","lines":"AB","delivery_flag":11,"seq":17,"send_time":N,"msg":0,
 *    "type":100,"symbol_index":1003,"symbol":"BRK A","order_id":1000005}
 * "seq" is the packet's SeqNum + msg (also in retransmission and refresh packets, whose numbers
 * are not live), "send_time" the header's SendTime and SendTimeNS as ns since the Unix epoch.
 * "symbol_index" is present when the type has one (wire_nyse.h), "symbol" when it has one: the
 * mapping's own Symbol field for type 3 (NUL padding stripped, inner spaces kept), else the name
 * the symbol table gives the index. "order_id" for 100-104 and 106. A packet without messages
 * (heartbeat) is one line without "msg" and "type", "seq" its SeqNum.
 */
#include <errno.h>
#include <inttypes.h>

#include "feedsieve/parse.h"
#include "nyse_encode.h"
#include "nyse_log.h"

struct pkt_ctx {
	struct msglog *l;
	const char *group;
	const char *lines;
	__u8 flag;
	__u32 seq;
	__u64 send_time;
};

#define NS_PER_SEC 1000000000ULL

static int head(const struct pkt_ctx *c, __u32 seq)
{
	return msglog__printf(c->l,
			      "{\"group\":\"%s\",\"lines\":\"%s\",\"delivery_flag\":%u,\"seq\":%" PRIu32
			      ",\"send_time\":%" PRIu64,
			      c->group, c->lines, c->flag, seq, (uint64_t)c->send_time);
}

/* Where type TYPE keeps its Order ID, 0 when it has none. */
static size_t order_id_off(__u16 type)
{
	if (type >= NYSE_T_ADD_ORDER && type <= NYSE_T_REPLACE_ORDER)
		return NYSE_ORD_OFF_ORDER_ID;
	return type == NYSE_T_ADD_ORDER_REFRESH ? NYSE_AREF_OFF_ORDER_ID : 0;
}

static int log_message(const struct pkt_ctx *c, unsigned int i, const __u8 *m, size_t size)
{
	const struct symtab *syms = msglog__syms(c->l);
	__u16 type = fs_le16(m + NYSE_OFF_MSG_TYPE);
	size_t idx_off = nyse_symbol_index_off(type), oid_off = order_id_off(type);
	__u32 idx = 0, key = 0;
	int err;

	if ((idx_off && idx_off + 4 > size) || (oid_off && oid_off + 8 > size) ||
	    (type == NYSE_T_SYMBOL_MAPPING && size < NYSE_MAP_MIN_LEN))
		return -EINVAL;
	if (idx_off) {
		idx = fs_le32(m + idx_off);
		key = symtab__key_of_id(syms, idx);
		if (!msglog__wants(c->l, key))
			return 0;
	}
	err = head(c, c->seq + i);
	if (!err)
		err = msglog__printf(c->l, ",\"msg\":%u,\"type\":%u", i, type);
	if (!err && idx_off)
		err = msglog__printf(c->l, ",\"symbol_index\":%" PRIu32, idx);
	if (!err && type == NYSE_T_SYMBOL_MAPPING)
		err = msglog__put_symbol(c->l, (const char *)m + NYSE_MAP_OFF_SYMBOL,
					 NYSE_SYMBOL_LEN);
	else if (!err && key)
		err = msglog__put_symbol(c->l, symtab__str(syms, key), NYSE_SYMBOL_LEN);
	if (!err && oid_off)
		err = msglog__printf(c->l, ",\"order_id\":%" PRIu64, (uint64_t)fs_le64(m + oid_off));
	return err ? err : msglog__printf(c->l, "}\n");
}

int nyse_log_packet(struct msglog *l, const void *payload, size_t len, const char *group,
		    const char *lines)
{
	struct pkt_ctx c = {.l = l, .group = group, .lines = lines};
	const __u8 *p = payload;
	size_t off = NYSE_PKT_HDR_LEN, size;
	unsigned int i, n;
	int err;

	if (len < NYSE_PKT_HDR_LEN || fs_le16(p + NYSE_OFF_PKT_SIZE) != len)
		return -EINVAL;
	c.flag = p[NYSE_OFF_DELIVERY_FLAG];
	c.seq = fs_le32(p + NYSE_OFF_SEQ);
	c.send_time = fs_le32(p + NYSE_OFF_SEND_TIME) * NS_PER_SEC +
		      fs_le32(p + NYSE_OFF_SEND_TIME_NS);
	n = p[NYSE_OFF_NUM_MSGS];
	if (n == 0) {
		err = head(&c, c.seq);
		return err ? err : msglog__printf(l, "}\n");
	}
	for (i = 0; i < n; i++, off += size) {
		if (len - off < NYSE_MSG_HDR_LEN)
			return -EINVAL;
		size = fs_le16(p + off + NYSE_OFF_MSG_SIZE);
		if (size < NYSE_MSG_HDR_LEN || size > len - off)
			return -EINVAL;
		err = log_message(&c, i, p + off, size);
		if (err)
			return err;
	}
	return off == len ? 0 : -EINVAL;
}
