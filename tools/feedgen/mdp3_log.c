// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The MDP3 message log, read back from the bytes of each packet as sent (not from the
 * generator's intentions), one JSON line per instrument key in the order the keys are counted
 * (docs/wire/mdp3.md): per entry of group 0 of a KEY_ENTRY template, one for a KEY_ROOT template,
 * and one line without "security_id" for a message about no instrument:
 *   {"group":"239.1.1.1:14310","lines":"AB","seq":17,"sending_time":N,"msg":0,"template":46,
 *    "entry":0,"security_id":123456,"rpt_seq":5,"symbol":"ESZ6"}
 * "lines" names the lines the packet went out on ("" when lost on both). "entry" is present for
 * entries, "rpt_seq" where the template has one, "symbol" when the instrument is in the table
 * (definitions: as on the wire). A SnapshotFullRefresh (52) line also has
 * "last_msg_seq_num_processed" and "md_entries" (the number of book entries it carries).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "byteorder.h"
#include "feedsieve/parse.h"
#include "mdp3_encode.h"
#include "mdp3_log.h"

struct pkt_ctx {
	struct msglog *l;
	const char *group;
	const char *lines;
	__u32 seq;
	__u64 sending_time;
	unsigned int msg;
	__u16 template_id;
};

/*
 * One line. ENTRY < 0: not an entry; KEY NULL: no instrument; RPT NULL: no RptSeq; WIRE_SYM: the
 * definition's Symbol field (else the table's name).
 */
static int line(const struct pkt_ctx *c, int entry, const __u8 *key, const __u8 *rpt,
		const __u8 *wire_sym)
{
	const struct symtab *syms = msglog__syms(c->l);
	__u32 k = key ? symtab__key_of_id(syms, fs_le32(key)) : 0;
	int err;

	if (key && !msglog__wants(c->l, k))
		return 0;
	err = msglog__printf(c->l,
			     "{\"group\":\"%s\",\"lines\":\"%s\",\"seq\":%" PRIu32
			     ",\"sending_time\":%" PRIu64 ",\"msg\":%u,\"template\":%u",
			     c->group, c->lines, c->seq, (uint64_t)c->sending_time, c->msg,
			     c->template_id);
	if (!err && entry >= 0)
		err = msglog__printf(c->l, ",\"entry\":%d", entry);
	if (!err && key)
		err = msglog__printf(c->l, ",\"security_id\":%" PRId32, (__s32)fs_le32(key));
	if (!err && rpt)
		err = msglog__printf(c->l, ",\"rpt_seq\":%" PRIu32, fs_le32(rpt));
	if (!err && wire_sym)
		err = msglog__put_symbol(c->l, (const char *)wire_sym, MDP3_SYMBOL_LEN);
	else if (!err && k)
		err = msglog__put_symbol(c->l, symtab__str(syms, k), MDP3_SYMBOL_LEN);
	return err ? err : msglog__printf(c->l, "}\n");
}

/* A snapshot's line: the root key line with what the snapshot says about the incrementals. */
static int snapshot_line(const struct pkt_ctx *c, const __u8 *m, size_t size, size_t root)
{
	const __u8 *r = m + MDP3_MSG_HDR_LEN, *g = r + root;
	const struct symtab *syms = msglog__syms(c->l);
	__u32 k;
	int err;

	if (root < MDP3_SNAP_MIN_ROOT || MDP3_MSG_HDR_LEN + root + MDP3_GROUP_HDR > size)
		return -EINVAL;
	k = symtab__key_of_id(syms, fs_le32(r + MDP3_SNAP_OFF_SECURITY_ID));
	if (!msglog__wants(c->l, k))
		return 0;
	err = msglog__printf(c->l,
			     "{\"group\":\"%s\",\"lines\":\"%s\",\"seq\":%" PRIu32
			     ",\"sending_time\":%" PRIu64 ",\"msg\":%u,\"template\":%u"
			     ",\"security_id\":%" PRId32 ",\"rpt_seq\":%" PRIu32
			     ",\"last_msg_seq_num_processed\":%" PRIu32 ",\"md_entries\":%u",
			     c->group, c->lines, c->seq, (uint64_t)c->sending_time, c->msg,
			     c->template_id, (__s32)fs_le32(r + MDP3_SNAP_OFF_SECURITY_ID),
			     fs_le32(r + MDP3_SNAP_OFF_RPT_SEQ), fs_le32(r + MDP3_SNAP_OFF_LAST_SEQ),
			     g[MDP3_GROUP_OFF_NUM]);
	if (!err && k)
		err = msglog__put_symbol(c->l, symtab__str(syms, k), MDP3_SYMBOL_LEN);
	return err ? err : msglog__printf(c->l, "}\n");
}

/* The lines of one message of SIZE bytes at M (header already bounds-checked by the caller). */
static int log_message(struct pkt_ctx *c, const __u8 *m, size_t size)
{
	const struct mdp3_template *t = mdp3_template(fs_le16(m + MDP3_OFF_TEMPLATE));
	size_t root = fs_le16(m + MDP3_OFF_BLOCK_LENGTH), off, blen;
	const __u8 *g;
	unsigned int n, i;
	int err;

	c->template_id = fs_le16(m + MDP3_OFF_TEMPLATE);
	if (MDP3_MSG_HDR_LEN + root > size)
		return -EINVAL;
	if (!t || t->key_place == MDP3_KEY_NONE)
		return line(c, -1, NULL, NULL, NULL);
	if (t->id == MDP3_T_SNAPSHOT)
		return snapshot_line(c, m, size, root);
	if (t->key_place == MDP3_KEY_ROOT) {
		if (t->key_off + 4u > root)
			return -EINVAL;
		return line(c, -1, m + MDP3_MSG_HDR_LEN + t->key_off, NULL,
			    t->definition ? m + MDP3_MSG_HDR_LEN + MDP3_DEF_OFF_SYMBOL : NULL);
	}
	off = MDP3_MSG_HDR_LEN + root;
	if (off + t->group_hdr[0] > size)
		return -EINVAL;
	g = m + off;
	blen = fs_le16(g + MDP3_GROUP_OFF_BLEN);
	n = g[t->group_hdr[0] == MDP3_GROUP_HDR_8 ? MDP3_GROUP8_OFF_NUM : MDP3_GROUP_OFF_NUM];
	if (off + t->group_hdr[0] + blen * n > size || t->key_off + 4u > blen ||
	    (t->rpt_seq_off != MDP3_NO_FIELD && t->rpt_seq_off + 4u > blen))
		return n ? -EINVAL : line(c, -1, NULL, NULL, NULL);
	if (!n)
		return line(c, -1, NULL, NULL, NULL);
	for (i = 0; i < n; i++) {
		const __u8 *e = g + t->group_hdr[0] + i * blen;

		err = line(c, (int)i, e + t->key_off,
			   t->rpt_seq_off == MDP3_NO_FIELD ? NULL : e + t->rpt_seq_off, NULL);
		if (err)
			return err;
	}
	return 0;
}

int mdp3_log_packet(struct msglog *l, const void *payload, size_t len, const char *group,
		    const char *lines)
{
	struct pkt_ctx c = {.l = l, .group = group, .lines = lines};
	const __u8 *p = payload;
	size_t off = MDP3_PKT_HDR_LEN, size;
	int err;

	if (len < MDP3_PKT_HDR_LEN)
		return -EINVAL;
	c.seq = fs_le32(p + MDP3_OFF_SEQ);
	c.sending_time = fs_le64(p + MDP3_OFF_SENDING_TIME);
	for (; off < len; off += size, c.msg++) {
		if (len - off < MDP3_MSG_HDR_LEN)
			return -EINVAL;
		size = fs_le16(p + off + MDP3_OFF_MSG_SIZE);
		if (size < MDP3_MSG_HDR_LEN || size > len - off)
			return -EINVAL;
		err = log_message(&c, p + off, size);
		if (err)
			return err;
	}
	return 0;
}
