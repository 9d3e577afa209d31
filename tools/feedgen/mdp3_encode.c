// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CME MDP 3.0 message encoders and the packet builder; layouts in mdp3_encode.h and wire_mdp3.h. */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "feedsieve/parse.h"
#include "mdp3_encode.h"

/* One repeating group: its dimension header (3 or 8 bytes) and COUNT zeroed entries. */
static size_t group_len(size_t hdr, size_t blen, unsigned int count)
{
	return hdr + blen * count;
}

/* Where a message is being written, and how far it got. */
struct msg_w {
	__u8 *p;
	size_t off;
	const struct mdp3_template *t;
};

/* Check room, zero the message and write MsgSize and the SBE header; returns LEN or -errno. */
static int msg_begin(struct msg_w *w, void *buf, size_t cap, size_t len, __u16 template_id,
		     __u16 root_len)
{
	if (len > cap)
		return -ENOSPC;
	if (len > 0xFFFF)
		return -EINVAL;
	w->p = buf;
	w->t = mdp3_template(template_id);
	memset(w->p, 0, len);
	put_le16(w->p + MDP3_OFF_MSG_SIZE, (__u16)len);
	put_le16(w->p + MDP3_OFF_BLOCK_LENGTH, root_len);
	put_le16(w->p + MDP3_OFF_TEMPLATE, template_id);
	put_le16(w->p + MDP3_OFF_SCHEMA, MDP3_SCHEMA_ID);
	put_le16(w->p + MDP3_OFF_VERSION, MDP3_VERSION);
	w->off = MDP3_MSG_HDR_LEN + root_len;
	return (int)len;
}

/* Write group GROUP's dimension header (its size from the template table); returns the first
 * entry. */
static __u8 *group_begin(struct msg_w *w, unsigned int group, __u16 blen, unsigned int count)
{
	__u8 hdr = w->t->group_hdr[group];
	__u8 *g = w->p + w->off;

	put_le16(g + MDP3_GROUP_OFF_BLEN, blen);
	g[hdr == MDP3_GROUP_HDR_8 ? MDP3_GROUP8_OFF_NUM : MDP3_GROUP_OFF_NUM] = (__u8)count;
	w->off += group_len(hdr, blen, count);
	return g + hdr;
}

/* The key and RptSeq of an entry of group 0, where the template table puts them. */
static void put_key(const struct msg_w *w, __u8 *entry, const struct mdp3_entry *e)
{
	put_le32(entry + w->t->key_off, (__u32)e->security_id);
	if (w->t->rpt_seq_off != MDP3_NO_FIELD)
		put_le32(entry + w->t->rpt_seq_off, e->rpt_seq);
}

static void put_incr_root(struct msg_w *w, __u64 time, __u8 mei)
{
	__u8 *root = w->p + MDP3_MSG_HDR_LEN;

	put_le64(root + MDP3_ROOT_OFF_TRANSACT_TIME, time);
	root[MDP3_ROOT_OFF_MATCH_EVENT] = mei;
}

int mdp3_encode_channel_reset(void *buf, size_t cap, __u64 time, __u8 mei, __s16 appl_id)
{
	size_t len = MDP3_MSG_HDR_LEN + MDP3_CHANNEL_RESET_ROOT +
		     group_len(MDP3_GROUP_HDR, MDP3_RESET_ENTRY, 1);
	struct msg_w w;
	int ret;

	ret = msg_begin(&w, buf, cap, len, MDP3_T_CHANNEL_RESET, MDP3_CHANNEL_RESET_ROOT);
	if (ret < 0)
		return ret;
	put_incr_root(&w, time, mei);
	put_le16(group_begin(&w, 0, MDP3_RESET_ENTRY, 1), (__u16)appl_id);
	return ret;
}

int mdp3_encode_heartbeat(void *buf, size_t cap)
{
	struct msg_w w;

	return msg_begin(&w, buf, cap, MDP3_MSG_HDR_LEN, MDP3_T_HEARTBEAT, MDP3_HEARTBEAT_ROOT);
}

/* Fields of one entry of group 0 other than the key and RptSeq, per template. */
static void put_book_entry(__u8 *g, const struct mdp3_entry *e)
{
	put_le64(g + MDP3_BOOK_OFF_PX, (__u64)e->px);
	put_le32(g + MDP3_BOOK_OFF_SIZE, (__u32)e->size);
	put_le32(g + MDP3_BOOK_OFF_ORDERS, (__u32)e->orders);
	g[MDP3_BOOK_OFF_LEVEL] = e->level;
	g[MDP3_BOOK_OFF_ACTION] = e->action;
	g[MDP3_BOOK_OFF_ENTRY_TYPE] = (__u8)e->type;
	put_le32(g + MDP3_BOOK_OFF_TRADEABLE_SIZE, MDP3_INT32_NULL);
}

static void put_trade_entry(__u8 *g, const struct mdp3_entry *e)
{
	put_le64(g + MDP3_TRADE_OFF_PX, (__u64)e->px);
	put_le32(g + MDP3_TRADE_OFF_SIZE, (__u32)e->size);
	put_le32(g + MDP3_TRADE_OFF_ORDERS, (__u32)e->orders);
	g[MDP3_TRADE_OFF_AGGRESSOR] = (__u8)e->type;
	g[MDP3_TRADE_OFF_ACTION] = e->action;
	put_le32(g + MDP3_TRADE_OFF_ENTRY_ID, MDP3_UINT32_NULL);
}

static void put_volume_entry(__u8 *g, const struct mdp3_entry *e)
{
	put_le32(g + MDP3_VOLUME_OFF_SIZE, (__u32)e->size);
	g[MDP3_VOLUME_OFF_ACTION] = e->action;
}

static void put_book_order(__u8 *g, const struct mdp3_order *o)
{
	put_le64(g + MDP3_ORDER_OFF_ID, o->id);
	put_le64(g + MDP3_ORDER_OFF_PRIORITY, o->priority);
	put_le32(g + MDP3_ORDER_OFF_DISPLAY_QTY, (__u32)o->qty);
	g[MDP3_ORDER_OFF_REFERENCE_ID] = o->ref;
	g[MDP3_ORDER_OFF_ACTION] = o->action;
}

static void put_trade_order(__u8 *g, const struct mdp3_order *o)
{
	put_le64(g + MDP3_TRADE_ORDER_OFF_ID, o->id);
	put_le32(g + MDP3_TRADE_ORDER_OFF_QTY, (__u32)o->qty);
}

/* An incremental template: its entries, and its OrderID group if it has one (order_len 0). */
struct incr_shape {
	__u16 template_id;
	__u16 entry_len;
	__u16 order_len;
	void (*put_entry)(__u8 *g, const struct mdp3_entry *e);
	void (*put_order)(__u8 *g, const struct mdp3_order *o);
};

static const struct incr_shape book = {MDP3_T_BOOK, MDP3_BOOK_ENTRY, MDP3_BOOK_ORDER_ENTRY,
				       put_book_entry, put_book_order};
static const struct incr_shape trade = {MDP3_T_TRADE_SUMMARY, MDP3_TRADE_ENTRY,
					MDP3_TRADE_ORDER_ENTRY, put_trade_entry, put_trade_order};
static const struct incr_shape volume = {MDP3_T_VOLUME, MDP3_VOLUME_ENTRY, 0, put_volume_entry,
					 NULL};

static size_t incr_len(const struct incr_shape *sh, unsigned int n, unsigned int norders)
{
	size_t len =
	    MDP3_MSG_HDR_LEN + MDP3_INCR_ROOT + group_len(MDP3_GROUP_HDR, sh->entry_len, n);

	return sh->order_len ? len + group_len(MDP3_GROUP_HDR_8, sh->order_len, norders) : len;
}

static int encode_incr(const struct incr_shape *sh, void *buf, size_t cap, __u64 time, __u8 mei,
		       const struct mdp3_entry *e, unsigned int n, const struct mdp3_order *o,
		       unsigned int norders)
{
	struct msg_w w;
	unsigned int i;
	__u8 *g;
	int ret;

	if (n > 255 || norders > 255 || (norders && !sh->order_len))
		return -EINVAL;
	ret = msg_begin(&w, buf, cap, incr_len(sh, n, norders), sh->template_id, MDP3_INCR_ROOT);
	if (ret < 0)
		return ret;
	put_incr_root(&w, time, mei);
	g = group_begin(&w, 0, sh->entry_len, n);
	for (i = 0; i < n; i++, g += sh->entry_len) {
		sh->put_entry(g, &e[i]);
		put_key(&w, g, &e[i]);
	}
	if (!sh->order_len)
		return ret;
	g = group_begin(&w, 1, sh->order_len, norders);
	for (i = 0; i < norders; i++, g += sh->order_len)
		sh->put_order(g, &o[i]);
	return ret;
}

size_t mdp3_book_len(unsigned int n, unsigned int norders)
{
	return incr_len(&book, n, norders);
}

int mdp3_encode_book(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		     unsigned int n, const struct mdp3_order *o, unsigned int norders)
{
	return encode_incr(&book, buf, cap, time, mei, e, n, o, norders);
}

size_t mdp3_trade_len(unsigned int n, unsigned int norders)
{
	return incr_len(&trade, n, norders);
}

int mdp3_encode_trade(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		      unsigned int n, const struct mdp3_order *o, unsigned int norders)
{
	return encode_incr(&trade, buf, cap, time, mei, e, n, o, norders);
}

size_t mdp3_volume_len(unsigned int n)
{
	return incr_len(&volume, n, 0);
}

int mdp3_encode_volume(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		       unsigned int n)
{
	return encode_incr(&volume, buf, cap, time, mei, e, n, NULL, 0);
}

/*
 * Definition groups in schema order: Events, FeedTypes, InstAttrib, LotTypeRules (and Legs for
 * 56). feedgen fills Events (activation) and FeedTypes ("GBX", depth 10); the rest are empty.
 */
#define DEF_EVENT_ACTIVATION  5
#define DEF_FEED_DEPTH	      10
#define DEF_INST_ATTRIB_ENTRY 4
#define DEF_LOT_RULE_ENTRY    5

size_t mdp3_definition_len(__u16 template_id, bool legs)
{
	size_t len = MDP3_MSG_HDR_LEN + group_len(MDP3_GROUP_HDR, MDP3_DEF_EVENT_ENTRY, 1) +
		     group_len(MDP3_GROUP_HDR, MDP3_DEF_FEED_ENTRY, 1) + 2 * MDP3_GROUP_HDR;

	if (template_id == MDP3_T_DEF_SPREAD)
		return len + MDP3_DEF_SPREAD_ROOT +
		       group_len(MDP3_GROUP_HDR, MDP3_DEF_LEG_ENTRY, legs ? 2 : 0);
	return len + MDP3_DEF_FUTURE_ROOT;
}

/* A fixed-width text field: LEN bytes of SRC, which is not NUL-terminated on the wire. */
static void put_chars(__u8 *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = (__u8)src[i];
}

/* Root fields of 54 and 56 that sit at the same offsets in both. */
static void put_def_common(__u8 *root, const struct mdp3_definition *d)
{
	put_le32(root + MDP3_DEF_OFF_TOT_NUM_REPORTS, d->tot_num_reports);
	root[MDP3_DEF_OFF_UPDATE_ACTION] = 'A';
	put_le64(root + MDP3_DEF_OFF_LAST_UPDATE, d->last_update);
	root[MDP3_DEF_OFF_TRADING_STATUS] = 17; /* ReadyToTrade */
	put_le16(root + MDP3_DEF_OFF_APPL_ID, 310);
	put_chars(root + MDP3_DEF_OFF_EXCHANGE, "XCME", 4);
	memcpy(root + MDP3_DEF_OFF_GROUP, d->group, sizeof(d->group));
	memcpy(root + MDP3_DEF_OFF_ASSET, d->asset, sizeof(d->asset));
	memcpy(root + MDP3_DEF_OFF_SYMBOL, d->symbol, MDP3_SYMBOL_LEN);
	put_le32(root + MDP3_DEF_OFF_SECURITY_ID, (__u32)d->security_id);
	put_le16(root + MDP3_DEF_OFF_MATURITY, d->year);
	root[MDP3_DEF_OFF_MATURITY + 2] = d->month;
	root[MDP3_DEF_OFF_MATURITY + 3] = MDP3_UINT8_NULL; /* day */
	root[MDP3_DEF_OFF_MATURITY + 4] = MDP3_UINT8_NULL; /* week */
	put_chars(root + MDP3_DEF_OFF_CURRENCY, "USD", 3);
}

int mdp3_encode_definition(void *buf, size_t cap, const struct mdp3_definition *d)
{
	bool spread = d->template_id == MDP3_T_DEF_SPREAD, legs = spread && d->leg_ids[0];
	__u16 root_len = spread ? MDP3_DEF_SPREAD_ROOT : MDP3_DEF_FUTURE_ROOT;
	struct msg_w w;
	__u8 *root, *g;
	int ret, i;

	if (!spread && d->template_id != MDP3_T_DEF_FUTURE)
		return -EINVAL;
	ret = msg_begin(&w, buf, cap, mdp3_definition_len(d->template_id, legs), d->template_id,
			root_len);
	if (ret < 0)
		return ret;
	root = w.p + MDP3_MSG_HDR_LEN;
	put_def_common(root, d);
	/* Futures and futures spreads are both "FUT"; the CFI code tells them apart. */
	put_chars(root + MDP3_DEF_OFF_SECURITY_TYPE, "FUT", 3);
	put_chars(root + MDP3_DEF_OFF_CFI, spread ? "FMIXSX" : "FFIXSX", 6);
	g = group_begin(&w, 0, MDP3_DEF_EVENT_ENTRY, 1);
	g[0] = DEF_EVENT_ACTIVATION;
	put_le64(g + 1, d->last_update);
	g = group_begin(&w, 1, MDP3_DEF_FEED_ENTRY, 1);
	put_chars(g, "GBX", 3);
	g[3] = DEF_FEED_DEPTH;
	group_begin(&w, 2, DEF_INST_ATTRIB_ENTRY, 0);
	group_begin(&w, 3, DEF_LOT_RULE_ENTRY, 0);
	if (spread) {
		g = group_begin(&w, 4, MDP3_DEF_LEG_ENTRY, legs ? 2 : 0);
		for (i = 0; legs && i < 2; i++, g += MDP3_DEF_LEG_ENTRY) {
			put_le32(g, (__u32)d->leg_ids[i]);
			g[4] = i == 0 ? 1 : 2; /* LegSide: buy the first, sell the second */
			g[5] = 1;	       /* LegRatioQty */
		}
	}
	return ret;
}

size_t mdp3_snapshot_len(unsigned int n)
{
	return MDP3_MSG_HDR_LEN + MDP3_SNAPSHOT_ROOT +
	       group_len(MDP3_GROUP_HDR, MDP3_SNAPSHOT_ENTRY, n);
}

int mdp3_encode_snapshot(void *buf, size_t cap, const struct mdp3_snapshot *s)
{
	struct msg_w w;
	unsigned int i;
	__u8 *root, *g;
	int ret;

	if (s->n > 255)
		return -EINVAL;
	ret = msg_begin(&w, buf, cap, mdp3_snapshot_len(s->n), MDP3_T_SNAPSHOT,
			MDP3_SNAPSHOT_ROOT);
	if (ret < 0)
		return ret;
	root = w.p + MDP3_MSG_HDR_LEN;
	put_le32(root + MDP3_SNAP_OFF_LAST_SEQ, s->last_seq);
	put_le32(root + MDP3_SNAP_OFF_TOT_REPORTS, s->tot_reports);
	put_le32(root + w.t->key_off, (__u32)s->security_id);
	put_le32(root + w.t->rpt_seq_off, s->rpt_seq);
	put_le64(root + MDP3_SNAP_OFF_TRANSACT_TIME, s->time);
	put_le64(root + MDP3_SNAP_OFF_LAST_UPDATE, s->time);
	put_le16(root + MDP3_SNAP_OFF_TRADE_DATE, 0xFFFF); /* LocalMktDate null */
	root[MDP3_SNAP_OFF_TRADING_STATUS] = MDP3_UINT8_NULL;
	put_le64(root + MDP3_SNAP_OFF_HIGH_LIMIT, (__u64)MDP3_PRICE_NULL);
	put_le64(root + MDP3_SNAP_OFF_LOW_LIMIT, (__u64)MDP3_PRICE_NULL);
	put_le64(root + MDP3_SNAP_OFF_MAX_VARIATION, (__u64)MDP3_PRICE_NULL);
	g = group_begin(&w, 0, MDP3_SNAPSHOT_ENTRY, s->n);
	for (i = 0; i < s->n; i++, g += MDP3_SNAPSHOT_ENTRY) {
		const struct mdp3_entry *e = &s->entries[i];

		put_le64(g + MDP3_SNAP_ENTRY_OFF_PX, (__u64)e->px);
		put_le32(g + MDP3_SNAP_ENTRY_OFF_SIZE, (__u32)e->size);
		put_le32(g + MDP3_SNAP_ENTRY_OFF_ORDERS, (__u32)e->orders);
		g[MDP3_SNAP_ENTRY_OFF_LEVEL] = e->level;
		put_le16(g + MDP3_SNAP_ENTRY_OFF_REF_DATE, 0xFFFF);
		g[MDP3_SNAP_ENTRY_OFF_SETTL_FLAG] = MDP3_UINT8_NULL;
		g[MDP3_SNAP_ENTRY_OFF_TYPE] = (__u8)e->type;
	}
	return ret;
}

int mdp3_pkt__init(struct mdp3_pkt *p, __u32 seq, __u64 time, size_t cap)
{
	if (cap > FG_PAYLOAD_MAX || cap < MDP3_PKT_HDR_LEN + MDP3_MSG_HDR_LEN)
		return -EINVAL;
	p->cap = cap;
	p->seq = seq;
	p->count = 0;
	p->last_off = 0;
	put_le32(p->buf + MDP3_OFF_SEQ, seq);
	put_le64(p->buf + MDP3_OFF_SENDING_TIME, time);
	p->len = MDP3_PKT_HDR_LEN;
	return 0;
}

bool mdp3_pkt__fits(const struct mdp3_pkt *p, size_t len)
{
	return len <= p->cap - p->len;
}

int mdp3_pkt__append(struct mdp3_pkt *p, const void *msg, size_t len)
{
	if (len < MDP3_MSG_HDR_LEN)
		return -EINVAL;
	if (!mdp3_pkt__fits(p, len))
		return -ENOSPC;
	memcpy(p->buf + p->len, msg, len);
	p->last_off = p->len;
	p->len += len;
	p->count++;
	return 0;
}

int mdp3_pkt__mark_last(struct mdp3_pkt *p, size_t root_off, __u8 bits)
{
	__u8 *m = p->buf + p->last_off;
	__u16 root_len = fs_le16(m + MDP3_OFF_BLOCK_LENGTH);

	if (!p->count || root_off >= root_len)
		return -EINVAL;
	m[MDP3_MSG_HDR_LEN + root_off] |= bits;
	return 0;
}
