// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reference model of the XDP program's decision; see reference.h. Every rule below cites the
 * sentence of the documentation it implements. Offsets come from docs/wire/, written out here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "reference.h"
#include "reference_int.h"

#define N_LOCATES ((size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED)

enum { UNSEEN = 0, CLAIMED = 1, FILTERED = 2, DELIVERED = 3 };

static unsigned int be16(const __u8 *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static __u64 be64(const __u8 *p)
{
	__u64 v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void ref_symbol(struct fs_symbol *out, const char *sym)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->name, sym, strnlen(sym, FS_SYMBOL_LEN));
}

int ref_init(struct ref_state *s)
{
	memset(s, 0, sizeof(*s));
	s->locates = calloc(N_LOCATES, sizeof(*s->locates));
	s->channels = calloc(FS_MAX_CHANNELS, sizeof(*s->channels));
	s->group_stats = calloc(FS_MAX_GROUPS, sizeof(*s->group_stats));
	s->sym_stats = calloc(FS_MAX_SUBS, sizeof(*s->sym_stats));
	s->dirty = calloc(REF_MAX_DIRTY, sizeof(*s->dirty));
	if (!s->locates || !s->channels || !s->group_stats || !s->sym_stats || !s->dirty) {
		ref_free(s);
		return -ENOMEM;
	}
	return 0;
}

void ref_free(struct ref_state *s)
{
	free(s->locates);
	free(s->channels);
	free(s->group_stats);
	free(s->sym_stats);
	free(s->dirty);
	memset(s, 0, sizeof(*s));
}

/* Note that directory entry KEY is written, so ref_reset() clears only what was written. */
static struct ref_locate *dirty_locate(struct ref_state *s, size_t key)
{
	if (s->n_dirty < REF_MAX_DIRTY)
		s->dirty[s->n_dirty] = (__u32)key;
	if (s->n_dirty <= REF_MAX_DIRTY)
		s->n_dirty++;
	return &s->locates[key];
}

FZ_NO_COVERAGE void ref_reset(struct ref_state *s)
{
	struct ref_state keep = *s;

	/* Only a configured group's channel and the written directory entries can be other than
	 * zero: clearing just those keeps a reset cheap (the whole state is 30 MB). */
	for (size_t i = 0; i < s->n_groups; i++)
		for (unsigned int k = 0; k < s->groups[i].g.unit_count || k == 0; k++)
			if (s->groups[i].g.channel + k < FS_MAX_CHANNELS)
				memset(&s->channels[s->groups[i].g.channel + k], 0,
				       sizeof(*s->channels));
	if (s->n_dirty > REF_MAX_DIRTY)
		memset(s->locates, 0, N_LOCATES * sizeof(*s->locates));
	else
		for (size_t i = 0; i < s->n_dirty; i++)
			memset(&s->locates[s->dirty[i]], 0, sizeof(*s->locates));
	memset(s, 0, sizeof(*s));
	s->locates = keep.locates;
	s->dirty = keep.dirty;
	s->channels = keep.channels;
	s->group_stats = keep.group_stats;
	s->sym_stats = keep.sym_stats;
	memset(s->group_stats, 0, FS_MAX_GROUPS * sizeof(*s->group_stats));
	memset(s->sym_stats, 0, FS_MAX_SUBS * sizeof(*s->sym_stats));
}

int ref_add_group(struct ref_state *s, __u32 addr_host, __u16 port_host, const struct fs_group *g)
{
	for (size_t i = 0; i < s->n_groups; i++)
		if (s->groups[i].addr == addr_host && s->groups[i].port == port_host)
			return -EEXIST; /* fsx adds with BPF_NOEXIST */
	if (s->n_groups == REF_MAX_GROUPS)
		return -E2BIG;
	s->groups[s->n_groups++] = (struct ref_group){.addr = addr_host, .port = port_host, .g = *g};
	return 0;
}

const struct ref_sub *ref_find_sub(const struct ref_state *s, const struct fs_symbol *sym)
{
	for (size_t i = 0; i < s->n_subs; i++)
		if (!memcmp(s->subs[i].sym.name, sym->name, sizeof(sym->name)))
			return &s->subs[i];
	return NULL;
}

static const struct ref_id_sub *find_id_sub(const struct ref_state *s, __u32 id)
{
	for (size_t i = 0; i < s->n_id_subs; i++)
		if (s->id_subs[i].id == id)
			return &s->id_subs[i];
	return NULL;
}

/* docs/datapath.md: "a symbol subscribed after [its directory entry] takes effect at once: user space
 * marks the learned locates" (in every feed). */
FZ_NO_COVERAGE int ref_subscribe(struct ref_state *s, const char *sym, __u32 slot)
{
	struct fs_symbol k;
	struct ref_sub *sub;

	ref_symbol(&k, sym);
	sub = (struct ref_sub *)ref_find_sub(s, &k);
	if (!sub) {
		if (s->n_subs == REF_MAX_SUBS)
			return -E2BIG;
		sub = &s->subs[s->n_subs++];
		sub->sym = k;
	}
	sub->slot = slot;
	for (size_t i = 0; i < N_LOCATES; i++) {
		struct ref_locate *e = &s->locates[i];

		if (e->known && !memcmp(e->symbol.name, k.name, sizeof(k.name)))
			dirty_locate(s, i)->sub = slot + 1;
	}
	/* SEAM.md: an id entry's mark comes from its id subscription, else from its name's */
	for (size_t i = 0; i < s->n_ids; i++) {
		struct ref_id *e = &s->ids[i];

		if (e->known && !memcmp(e->symbol.name, k.name, sizeof(k.name)) &&
		    !find_id_sub(s, e->id))
			e->sub = slot + 1;
	}
	return 0;
}

/* "user space ... creates index entries for ids subscribed before any definition was seen" */
int ref_subscribe_id(struct ref_state *s, __u8 feed, __u32 id, __u32 slot)
{
	struct ref_id_sub *sub = (struct ref_id_sub *)find_id_sub(s, id);
	bool found = false;

	if (!sub) {
		if (s->n_id_subs == REF_MAX_SUBS)
			return -E2BIG;
		sub = &s->id_subs[s->n_id_subs++];
		sub->id = id;
	}
	sub->slot = slot;
	for (size_t i = 0; i < s->n_ids; i++) {
		if (s->ids[i].proto != FS_PROTO_MDP3 || s->ids[i].id != id)
			continue;
		s->ids[i].sub = slot + 1;
		found |= s->ids[i].feed == feed;
	}
	if (found)
		return 0;
	if (s->n_ids == REF_MAX_IDS)
		return -ENOSPC;
	s->ids[s->n_ids++] =
	    (struct ref_id){.proto = FS_PROTO_MDP3, .feed = feed, .id = id, .sub = slot + 1};
	return 0;
}

int ref_learn(struct ref_state *s, __u8 feed, __u16 locate, const char *sym)
{
	struct ref_locate *e;

	if (feed >= FS_MAX_FEEDS)
		return -EINVAL;
	e = dirty_locate(s, (size_t)feed * FS_LOCATES_PER_FEED + locate);
	memset(e, 0, sizeof(*e));
	ref_symbol(&e->symbol, sym);
	e->known = true;
	return 0;
}

void ref_set_xsk(struct ref_state *s, __u32 queue)
{
	if (queue < FS_MAX_QUEUES)
		s->xsk[queue] = true;
}

/* ---- Ethernet / VLAN / IPv4 / UDP (docs/datapath.md: "What the program decides, exactly") ---- */

enum kind { K_OTHER, K_UDP, K_FRAGMENT, K_BAD_LENGTH };

struct l4 {
	__u32 daddr;
	__u16 dport;
	size_t payload, end; /* offsets into the frame */
};

static enum kind parse_l4(const __u8 *f, size_t len, struct l4 *out)
{
	size_t off = 14, ip, udp, ip_end;
	unsigned int type = be16(f + 12), ihl, frag, ulen;

	/* "Up to two VLAN tags (0x8100, 0x88A8) are parsed." */
	for (int t = 0; t < 2 && (type == 0x8100 || type == 0x88A8); t++) {
		if (off + 4 > len)
			return K_OTHER;
		type = be16(f + off + 2);
		off += 4;
	}
	if (type != 0x0800)
		return K_OTHER;
	ip = off;
	if (ip + 20 > len)
		return K_OTHER;
	ihl = f[ip] & 0xf;
	/* "IHL < 5 is not IPv4 to us." */
	if (f[ip] >> 4 != 4 || ihl < 5 || f[ip + 9] != 17)
		return K_OTHER;
	frag = be16(f + ip + 6);
	/* "A non-first fragment is never read as UDP." */
	if (frag & 0x1fff)
		return K_OTHER;
	/* "IPv4 options are skipped by IHL" */
	udp = ip + ihl * 4;
	if (udp + 8 > len)
		return K_OTHER;
	out->daddr = (__u32)f[ip + 16] << 24 | (__u32)f[ip + 17] << 16 | (__u32)f[ip + 18] << 8 |
		     f[ip + 19];
	out->dport = (__u16)be16(f + udp + 2);
	if (frag & 0x2000)
		return K_FRAGMENT;
	/* "Payload bounds come from the UDP length, not the frame ... A UDP length below 8, past
	 * the IPv4 total length, or an IPv4 total length past the frame makes the frame
	 * malformed." */
	ip_end = ip + be16(f + ip + 2);
	ulen = be16(f + udp + 4);
	if (ip_end > len || ulen < 8 || udp + ulen > ip_end)
		return K_BAD_LENGTH;
	out->payload = udp + 8;
	out->end = udp + ulen;
	return K_UDP;
}

/* ---- MoldUDP64 framing (docs/datapath.md: "MoldUDP64 is malformed when: ...") ---- */

struct mold {
	__u8 session[10];
	__u64 seq;
	unsigned int count;
	unsigned int walked;	 /* blocks examined (<= FS_MAX_WALK) */
	size_t block[FS_MAX_WALK]; /* offset of each examined block's message (after its length) */
	bool malformed, overflow;
};

static void mold_frame(const __u8 *f, size_t pos, size_t end, struct mold *m)
{
	unsigned int limit;

	memset(m, 0, sizeof(*m));
	/* "the payload is shorter than the 20-byte header" */
	if (end - pos < 20) {
		m->malformed = true;
		return;
	}
	memcpy(m->session, f + pos, 10);
	m->seq = be64(f + pos + 10);
	m->count = be16(f + pos + 18);
	pos += 20;
	limit = m->count == 0 || m->count == 0xFFFF ? 0 : m->count;
	if (limit > FS_MAX_WALK)
		limit = FS_MAX_WALK;
	for (unsigned int i = 0; i < limit; i++) {
		unsigned int blen;

		/* "the count is larger than the blocks present" */
		if (pos + 2 > end) {
			m->malformed = true;
			return;
		}
		blen = be16(f + pos);
		/* "a block length is below 3 (zero included) or runs past the end" */
		if (blen < 3 || pos + 2 + blen > end) {
			m->malformed = true;
			return;
		}
		/* "an 'R' block is too short to hold its symbol" (Stock at 11, 8 bytes) */
		if (f[pos + 2] == 'R' && blen < 11 + 8) {
			m->malformed = true;
			return;
		}
		m->block[m->walked++] = pos + 2;
		pos += 2 + blen;
	}
	if (m->count > FS_MAX_WALK && m->count != 0xFFFF) {
		/* "more than 128 blocks announced but the payload ends after block 128" */
		if (pos >= end)
			m->malformed = true;
		else
			m->overflow = true;
		return;
	}
	/* "bytes follow the last block (MoldUDP64 has no padding)" */
	if (pos != end)
		m->malformed = true;
}

/* ---- Sessions and the sequence window (docs/integrity.md) ---- */

__u64 ref_session_hash(const __u8 *name, int len)
{
	__u64 h = 0xcbf29ce484222325ULL; /* FNV-1a, the low 48 bits */

	for (int i = 0; i < len; i++)
		h = (h ^ name[i]) * 0x100000001b3ULL;
	return h & ((1ULL << 48) - 1);
}

/*
 * "A different name starts a new generation ... only when the channel has no session yet, when
 * the current session sent end of session, or when the frame is at the start of a session
 * (sequence < window). A frame of any other session is dropped."
 */
static bool session_accept(struct ref_channel *c, const struct mold *m)
{
	__u64 id = ref_session_hash(m->session, 10);

	if (c->started && c->session == id)
		return true;
	if (c->started && c->ended_gen != (__u64)c->gen + 1 && m->seq >= WINDOW)
		return false;
	c->started = true;
	c->gen = (__u16)(c->gen + 1);
	c->session = id;
	return true;
}

/* The high-water mark is 48 bits wide in fs_windows: "one past the highest sequence number". */
void ref_raise_high(struct ref_channel *c, __u64 seq_end)
{
	__u64 cur = c->high_set && c->high_gen == c->gen ? c->high : 0;

	seq_end &= (1ULL << 48) - 1;
	if (cur >= seq_end)
		return;
	c->high_set = true;
	c->high_gen = c->gen;
	c->high = seq_end;
}

/* "A heartbeat raises it to its sequence number (the next one to be sent)" (ITCH, NYSE, PITCH). */
void ref_raise_heartbeat(struct ref_channel *c, __u64 seq)
{
#ifdef REFERENCE_MUTANT
	/* the self-test's deliberate mistake: a heartbeat counted as one more message */
	ref_raise_high(c, seq + 1);
#else
	ref_raise_high(c, seq);
#endif
}

/* A message-sequenced heartbeat without messages (NYSE NumberMsgs 0, PITCH HdrCount 0): the mark
 * raised to SEQ, counted, delivered. */
void ref_heartbeat(struct ref_state *s, const struct ref_group *g, struct ref_channel *c,
		   __u64 seq, __u8 flags, struct fs_counters *d, struct ref_result *r)
{
	r->why = "heartbeat";
	ref_raise_heartbeat(c, seq);
	d->heartbeats = 1;
	ref_deliver(s, g, 0, flags, d, r);
}

/* Block A newer than block B, both modulo 2^24 ("compared modulo 2^24"). */
static bool block_newer(__u32 a, __u32 b)
{
	__u32 d = (a - b) & 0xffffff;

	return d != 0 && d < (1U << 23);
}

/* "Claim": one sequence number at a time. */
enum claim ref_claim_one(struct ref_channel *c, __u64 seq)
{
	struct ref_word *w = &c->words[(seq / 16) % REF_WORDS];
	__u8 gen8 = (__u8)c->gen;
	__u32 block = (__u32)((seq / 16) & 0xffffff);

	if (w->gen != gen8 || w->block != block) {
		/* "A word tagged with a newer block means the message is too old to judge" */
		if (w->gen == gen8 && block_newer(w->block, block))
			return C_TOO_LATE;
		/* "A word tagged with an older block is re-tagged: the window slides", and a word
		 * of another generation is stale. */
		memset(w, 0, sizeof(*w));
		w->gen = gen8;
		w->block = block;
	}
	if (w->state[seq % 16] != UNSEEN)
		return C_DUPLICATE;
	w->state[seq % 16] = CLAIMED;
	return C_NEW;
}

/* Has a line brought SEQ and its frame been decided (FILTERED or DELIVERED)? A number slid out
 * of the window is long settled; one of another generation or an older block was never seen. */
bool ref_settled(const struct ref_channel *c, __u64 seq)
{
	const struct ref_word *w = &c->words[(seq / 16) % REF_WORDS];
	__u32 block = (__u32)((seq / 16) & 0xffffff);

	if (w->gen != (__u8)c->gen)
		return false;
	if (w->block != block)
		return block_newer(w->block, block);
	return w->state[seq % 16] == FILTERED || w->state[seq % 16] == DELIVERED;
}

void ref_finish_one(struct ref_channel *c, __u64 seq, bool delivered)
{
	struct ref_word *w = &c->words[(seq / 16) % REF_WORDS];

	w->state[seq % 16] = delivered ? DELIVERED : FILTERED;
}

void ref_window_head(const struct ref_state *s, __u8 channel, struct fs_channel_window *out)
{
	const struct ref_channel *c = &s->channels[channel];

	out->session = c->started ? (__u64)c->gen << 48 | c->session : 0;
	out->high = c->high_set ? (__u64)c->high_gen << 48 | c->high : 0;
	out->last_rx_ns = 0;
	out->ended_gen = c->ended_gen;
	out->unit = c->unit;
	out->orders_full_gen = c->orders_full_gen;
}

/* "bits 63..56 session generation (low 8 bits), bits 55..32 block number, bits 31..0 16 x 2-bit
 * state" */
FZ_NO_COVERAGE __u64 ref_window_word(const struct ref_state *s, __u8 channel, size_t word)
{
	const struct ref_word *w = &s->channels[channel].words[word % REF_WORDS];
	__u64 v = (__u64)w->gen << 56 | (__u64)w->block << 32;

	for (int k = 0; k < 16; k++)
		v |= (__u64)w->state[k] << (2 * k);
	return v;
}

FZ_NO_COVERAGE void ref_window(const struct ref_state *s, __u8 channel, struct fs_channel_window *out)
{
	ref_window_head(s, channel, out);
	for (size_t i = 0; i < REF_WORDS; i++)
		out->words[i] = ref_window_word(s, channel, i);
}

/* ---- The directory and the match (docs/datapath.md) ---- */

/* symbol.h: "the LEN bytes of SRC without their trailing padding, spaces (ITCH, NYSE) or NULs
 * (MDP3), and NUL up to the end. A NUL inside the field ends the name." */
void ref_wire_symbol(struct fs_symbol *sym, const __u8 *src, int len)
{
	int end = 0;

	memset(sym, 0, sizeof(*sym));
	for (int i = 0; i < len && src[i]; i++)
		if (src[i] != ' ')
			end = i + 1;
	memcpy(sym->name, src, (size_t)end);
}

static struct ref_locate *locate_entry(struct ref_state *s, __u8 feed, __u16 locate)
{
	size_t key = (size_t)feed * FS_LOCATES_PER_FEED + locate;

	return key < N_LOCATES ? &s->locates[key] : NULL;
}

/* "'R' Stock Directory -> learn fs_instruments[feed, locate] = symbol (+ subscription)" */
static void learn(struct ref_state *s, __u8 feed, __u16 locate, const __u8 *stock,
		  struct fs_counters *d)
{
	size_t key = (size_t)feed * FS_LOCATES_PER_FEED + locate;
	const struct ref_sub *sub;
	struct ref_locate *e;
	struct fs_symbol sym;

	if (key >= N_LOCATES)
		return; /* a feed past FS_MAX_FEEDS has no directory */
	e = dirty_locate(s, key);
	ref_wire_symbol(&sym, stock, 8);
	sub = ref_find_sub(s, &sym);
	/* dir_learned: "Stock Directory entries that were new or re-assigned a locate" */
	if (!e->known || memcmp(e->symbol.name, sym.name, sizeof(sym.name))) {
		e->symbol = sym;
		e->known = true;
		d->dir_learned++;
	}
	e->sub = sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED;
	if (sub && sub->slot < FS_MAX_SUBS)
		s->sym_stats[sub->slot].dir_seen++;
}

/* A key whose directory entry carries MARK: wanted when subscribed (counted for the
 * subscription) or on an all-symbols group. */
bool ref_want_mark(struct ref_state *s, const struct fs_group *g, __u32 mark)
{
	if (mark != FS_INST_NOT_SUBSCRIBED && mark - 1 < FS_MAX_SUBS)
		s->sym_stats[mark - 1].msgs_matched++;
	return mark != FS_INST_NOT_SUBSCRIBED || (g->flags & FS_GROUP_F_ALL_SYMBOLS);
}

/* "fs_instruments[feed, locate].sub != 0 ? -> mark message i in the match bitmap" */
static bool wanted(struct ref_state *s, const struct fs_group *g, __u16 locate)
{
	struct ref_locate *e = locate_entry(s, g->feed, locate);

	return ref_want_mark(s, g, e ? e->sub : FS_INST_NOT_SUBSCRIBED);
}

/* ---- One frame ---- */

static void add_counters(struct fs_counters *sum, const struct fs_counters *d)
{
#define ADD_(f, desc) sum->f += d->f;
	FS_COUNTER_FIELDS(ADD_)
#undef ADD_
}

/* "deliver: bpf_xdp_adjust_meta ... bpf_redirect_map(fs_xsks, q) (no socket on q -> XDP_PASS,
 * frames_no_socket)". BPF_PROG_TEST_RUN runs every frame on RX queue 0. */
void ref_deliver(struct ref_state *s, const struct ref_group *g, unsigned int walked, __u8 flags,
		 struct fs_counters *d, struct ref_result *r)
{
	r->meta = true;
	r->m.magic = FS_META_MAGIC;
	r->m.group_id = g->g.id;
	r->m.flags = flags;
	r->m.msgs_walked = (__u8)walked;
	r->m.channel = (__u8)r->channel; /* the group's, or its PITCH unit's */
	r->m.line = g->g.line;
	r->m.feed = g->g.feed;
	if (s->xsk[0]) {
		r->action = XDP_REDIRECT;
		d->frames_redirected++;
	} else {
		r->action = XDP_PASS;
		d->frames_no_socket++;
	}
}

/* "It is counted and delivered with FS_META_F_MALFORMED" (or dropped), "never matched,
 * learned from or claimed in the sequence window". */
void ref_malformed(struct ref_state *s, const struct ref_group *g, unsigned int walked, __u8 flags,
		   struct fs_counters *d, struct ref_result *r)
{
	r->why = "malformed";
	d->frames_malformed = 1;
	if (g->g.flags & FS_GROUP_F_DROP_MALFORMED) {
		r->action = XDP_DROP;
		d->frames_malformed_dropped = 1;
		return;
	}
	ref_deliver(s, g, walked, flags | FS_META_F_MALFORMED, d, r);
}

/* Message-sequenced frames: "Message i of the packet has sequence number Sequence + i." Claims
 * [SEQ, SEQ + WALKED) (FRESH[i]: brought first) and raises the mark to SEQ + COUNT; "none new ->
 * XDP_DROP (frames_duplicate)" unless the frame is past the walk bound (its unexamined tail
 * cannot be arbitrated). Returns whether the frame goes on to the match. */
bool ref_claim_messages(struct ref_channel *c, __u64 seq, unsigned int walked, __u64 count,
			bool overflow, bool *fresh, struct fs_counters *d, struct ref_result *r)
{
	unsigned int new_count = 0;

	for (unsigned int i = 0; i < walked; i++) {
		enum claim fate = ref_claim_one(c, seq + i);

		fresh[i] = fate == C_NEW;
		new_count += fresh[i];
		d->msgs_too_late += fate == C_TOO_LATE;
		d->msgs_duplicate += fate == C_DUPLICATE;
	}
	r->seq = seq;
	r->walked = walked;
	ref_raise_high(c, seq + count);
	d->msgs_walked = walked;
	d->msgs_new = new_count;
	if (!new_count && !overflow) {
		r->why = "duplicate";
		r->action = XDP_DROP;
		d->frames_duplicate = 1;
		return false;
	}
	d->frames_first = 1;
	return true;
}

/* After the match of a claimed frame: ">=1 new wanted message (or walk overflow) -> deliver,
 * window says DELIVERED; none -> XDP_DROP (frames_filtered), window says FILTERED". */
void ref_settle_messages(struct ref_state *s, const struct ref_group *g, struct ref_channel *c,
			 const bool *fresh, unsigned int matched, bool overflow, __u8 flags,
			 struct fs_counters *d, struct ref_result *r)
{
	/* A PITCH order message the program left to user space (FS_META_F_ORDERS_UNDECIDED) has
	 * no match bit, yet its frame is delivered. */
	bool deliver = matched || overflow || (flags & FS_META_F_ORDERS_UNDECIDED);

	d->msgs_matched = matched;
	for (unsigned int i = 0; i < r->walked; i++)
		if (fresh[i])
			ref_finish_one(c, r->seq + i, deliver);
	if (deliver) {
		r->why = overflow ? "walk overflow" : "wanted";
		d->msgs_delivered = d->msgs_new;
		if (overflow) {
			d->frames_walk_overflow = 1;
			flags |= FS_META_F_OVERFLOW;
		}
		ref_deliver(s, g, r->walked, flags, d, r);
		return;
	}
	r->why = "filtered";
	r->action = XDP_DROP;
	d->msgs_filtered = d->msgs_new;
	d->frames_filtered = 1;
}

/* "An FS_FRAME_OUT_OF_BAND frame is not arbitrated: every walked key gets its new bit, the match
 * pass runs, and the frame is delivered with FS_META_F_OUT_OF_BAND when w->deliver (else
 * dropped, frames_filtered)", counted frames_out_of_band; no window, nothing claimed. After the
 * match of its WALKED messages (MATCHED wanted, bits in R): */
void ref_settle_out_of_band(struct ref_state *s, const struct ref_group *g, unsigned int walked,
			    unsigned int matched, bool overflow, __u8 flags, struct fs_counters *d,
			    struct ref_result *r)
{
	d->frames_out_of_band = 1;
	d->msgs_matched = matched;
	if (matched || overflow) {
		r->why = overflow ? "out of band: walk overflow" : "out of band: wanted";
		if (overflow) {
			d->frames_walk_overflow = 1;
			flags |= FS_META_F_OVERFLOW;
		}
		ref_deliver(s, g, walked, flags | FS_META_F_OUT_OF_BAND, d, r);
		return;
	}
	r->why = "out of band: filtered";
	r->action = XDP_DROP;
	d->frames_filtered = 1;
}

/* ---- CME MDP 3.0 (docs/wire/mdp3.md, SEAM.md "Sequence models", "Sessions") ---- */

unsigned int ref_le16(const __u8 *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

__u32 ref_le32(const __u8 *p)
{
	return (__u32)ref_le16(p) | (__u32)ref_le16(p + 2) << 16;
}

/* What schema 13 says of a template: "where the instrument is, template by template". */
struct mdp3_tpl {
	unsigned int tid;
	char key;	      /* 'n' none, 'r' root SecurityID, 'e' one per entry of group 0 */
	unsigned int key_off; /* in the root, or in each entry */
	bool definition;      /* Symbol at root 35 (20 bytes), SecurityID at root 55 */
	unsigned int n_groups;
	unsigned int hdr[6]; /* 3: groupSize, 8: groupSize8Byte */
	unsigned int rpt;    /* RptSeq (u32) in each entry (in the root for 'r'), NO_RPT: none */
};

#define NO_RPT 0xFF

static const struct mdp3_tpl mdp3_tpls[] = {
    {4, 'n', 0, false, 1, {3}, NO_RPT},
    {12, 'n', 0, false, 0, {0}, NO_RPT},
    {30, 'r', 20, false, 0, {0}, NO_RPT},
    {37, 'e', 4, false, 1, {3}, 8},
    {46, 'e', 12, false, 2, {3, 8}, 16},
    {47, 'e', 28, false, 1, {3}, NO_RPT},
    {48, 'e', 12, false, 2, {3, 8}, 16},
    {49, 'e', 12, false, 1, {3}, 16},
    {50, 'e', 24, false, 1, {3}, 28},
    {51, 'e', 8, false, 1, {3}, 12},
    {52, 'r', 8, false, 1, {3}, 12}, /* SnapshotFullRefresh: RptSeq in the root */
    {54, 'r', 55, true, 4, {3, 3, 3, 3}, NO_RPT},
    {55, 'r', 55, true, 6, {3, 3, 3, 3, 3, 3}, NO_RPT},
    {56, 'r', 55, true, 5, {3, 3, 3, 3, 3}, NO_RPT},
    {64, 'e', 16, false, 2, {3, 8}, 20},
    {65, 'e', 16, false, 2, {3, 8}, 20},
    {66, 'e', 8, false, 1, {3}, 12},
    {67, 'e', 16, false, 1, {3}, 20},
};

static const struct mdp3_tpl *mdp3_tpl(unsigned int tid)
{
	for (size_t i = 0; i < sizeof(mdp3_tpls) / sizeof(mdp3_tpls[0]); i++)
		if (mdp3_tpls[i].tid == tid)
			return &mdp3_tpls[i];
	return NULL;
}

/* The packet: its header, and "malformed" by the rules of SEAM.md ("A malformed packet ..."). */
struct mdp3 {
	__u32 seq;
	const __u8 *time;  /* SendingTime, 8 bytes */
	unsigned int keys; /* keys of the whole messages (all of them unless malformed) */
	bool malformed;
};

/* One message at POS (before END): its size, or 0 if malformed; *KEYS gets its key count. */
static size_t mdp3_message(const __u8 *f, size_t pos, size_t end, unsigned int *keys)
{
	size_t size, blen, cur, msg_end;
	const struct mdp3_tpl *t;

	*keys = 0;
	if (pos + 10 > end)
		return 0; /* "bytes after the last message that do not form one" */
	size = ref_le16(f + pos);
	blen = ref_le16(f + pos + 2);
	msg_end = pos + size;
	/* "MsgSize < 10 or past the payload, BlockLength past MsgSize" */
	if (size < 10 || msg_end > end || 10 + blen > size)
		return 0;
	t = mdp3_tpl(ref_le16(f + pos + 4));
	if (!t)
		return size; /* "stepped over by MsgSize, has 0 keys" */
	/* "a root ... block too short to hold the key field", "a definition root shorter than 59"
	 */
	if (t->key == 'r' && blen < t->key_off + 4)
		return 0;
	if (t->definition && blen < 59)
		return 0;
	if (t->key == 'r')
		*keys = 1;
	cur = pos + 10 + blen;
	for (unsigned int g = 0; g < t->n_groups; g++) {
		size_t glen, num;

		/* docs/wire "BlockLength and schema evolution": "a decoder must not expect a group
		 * whose sinceVersion is above the message's Version" - a message may end at any
		 * group boundary, but an entry-keyed message always has its keyed group 0. */
		if (cur == msg_end && !(g == 0 && t->key == 'e'))
			break;
		/* "a group header or numInGroup*blockLength past MsgSize" */
		if (cur + t->hdr[g] > msg_end)
			return 0;
		glen = ref_le16(f + cur);
		num = f[cur + t->hdr[g] - 1];
		if (cur + t->hdr[g] + num * glen > msg_end)
			return 0;
		/* "an entry block too short to hold the key field" (an empty group has none) */
		if (g == 0 && t->key == 'e') {
			if (num && glen < t->key_off + 4)
				return 0;
			*keys = (unsigned int)num;
		}
		cur += t->hdr[g] + num * glen;
	}
	return size;
}

static void mdp3_frame(const __u8 *f, size_t pos, size_t end, struct mdp3 *p)
{
	memset(p, 0, sizeof(*p));
	if (end - pos < 12) {
		p->malformed = true;
		return;
	}
	p->seq = ref_le32(f + pos);
	p->time = f + pos + 4;
	for (pos += 12; pos < end;) {
		unsigned int keys;
		size_t size = mdp3_message(f, pos, end, &keys);

		if (!size) {
			p->malformed = true;
			return;
		}
		p->keys += keys;
		pos += size;
	}
}

/*
 * Sessions of packets that name one only sometimes (MDP3's MsgSeqNum-1 packet, NYSE's flag-12
 * packet: NAMED, its 8 bytes NAME8). "A packet with MsgSeqNum 1 starts a session whose identity
 * is fs_session_hash(SendingTime as 8 little-endian bytes, 8) ... Any other packet belongs to the
 * channel's current session; if the channel has none yet, one is started with identity
 * fs_session_hash of 8 zero bytes. A MsgSeqNum-1 packet whose identity differs ... starts a new
 * window generation (sessions_reset counted when the channel had a session)."
 *
 * feedsieve/seqwin.h: "a packet without identity, near the start of a sequence (below
 * FS_RESTART_SEQ_MAX) and more than half a window behind the channel's high-water mark, cannot
 * be a late copy" (it starts a session of identity FS_SESS_RESTARTED); "while such a session is
 * young (its high below half a window), the named packet that arrives late is adopted as its
 * identity instead of starting yet another session".
 */
void ref_join_session(struct ref_channel *c, bool named, __u64 seq, const __u8 *name8,
		      struct fs_counters *d)
{
	static const __u8 zero[8];
	__u64 id = ref_session_hash(named ? name8 : zero, 8);
	__u64 high = c->high_set && c->high_gen == c->gen ? c->high : 0;

	if (c->started && !named && seq < RESTART_MAX && high > seq + WINDOW / 2) {
		d->sessions_reset = 1;
		c->gen = (__u16)(c->gen + 1);
		c->session = RESTARTED;
		return;
	}
	if (c->started && named && c->session == RESTARTED && id != RESTARTED &&
	    high < WINDOW / 2) {
		c->session = id;
		return;
	}
	if (c->started && (!named || c->session == id))
		return;
	if (c->started)
		d->sessions_reset = 1;
	c->started = true;
	c->gen = (__u16)(c->gen + 1);
	c->session = id;
}

struct ref_id *ref_find_id(struct ref_state *s, __u8 proto, __u8 feed, __u32 id)
{
	for (size_t i = 0; i < s->n_ids; i++)
		if (s->ids[i].proto == proto && s->ids[i].feed == feed && s->ids[i].id == id)
			return &s->ids[i];
	return NULL;
}

/* "dir_learned when new or the symbol changed." Marks: "fs_ids_b[id].slot + 1 ... else
 * fs_subs_b[symbol].slot + 1" (fs_ids is keyed by the id alone, whatever the protocol). */
void ref_learn_id(struct ref_state *s, __u8 proto, __u8 feed, __u32 id,
		  const struct fs_symbol *name, struct fs_counters *d)
{
	const struct ref_id_sub *isub = find_id_sub(s, id);
	const struct ref_sub *nsub = ref_find_sub(s, name);
	struct ref_id *e = ref_find_id(s, proto, feed, id);
	__u32 live;

	if (!e) {
		if (s->n_ids == REF_MAX_IDS)
			abort(); /* the fuzz programs name a few hundred ids at most */
		e = &s->ids[s->n_ids++];
		*e = (struct ref_id){.proto = proto, .feed = feed, .id = id};
	}
	if (!e->known || memcmp(e->symbol.name, name->name, sizeof(name->name))) {
		e->symbol = *name;
		e->known = true;
		d->dir_learned++;
	}
	live = isub ? isub->slot + 1 : nsub ? nsub->slot + 1 : FS_INST_NOT_SUBSCRIBED;
	e->sub = live;
	if (live != FS_INST_NOT_SUBSCRIBED && live - 1 < FS_MAX_SUBS)
		s->sym_stats[live - 1].dir_seen++;
}

/* "The program learns a definition only on a group with FS_GROUP_F_DEFINITIONS: root Symbol
 * (20 bytes, NUL padded) -> canonical fs_symbol, root SecurityID." */
static void learn_id(struct ref_state *s, __u8 feed, const __u8 *root, struct fs_counters *d)
{
	struct fs_symbol sym;

	ref_wire_symbol(&sym, root + 35, 20);
	ref_learn_id(s, FS_PROTO_MDP3, feed, ref_le32(root + 55), &sym, d);
}

/* "Per MDP3 key the program does: fs_inst_index lookup {FS_PROTO_MDP3, g->feed, id} -> slot ->
 * fs_instruments[slot].sub[bank]. A miss means not subscribed." (Any id-keyed protocol alike.) */
bool ref_wanted_id(struct ref_state *s, const struct fs_group *g, __u8 proto, __u32 id)
{
	struct ref_id *e = ref_find_id(s, proto, g->feed, id);

	return ref_want_mark(s, g, e ? e->sub : FS_INST_NOT_SUBSCRIBED);
}

/* The keys of the (whole) message at POS of template T (NULL: unknown): how many, where the
 * first SecurityID is (*AT) and the step to the next (*STEP). */
static unsigned int mdp3_keys(const __u8 *f, size_t pos, const struct mdp3_tpl *t, size_t *at,
			      size_t *step)
{
	size_t root = pos + 10, hdr;

	*at = root;
	*step = 0;
	if (!t || t->key == 'n')
		return 0;
	*at = root + t->key_off;
	if (t->key == 'r')
		return 1;
	hdr = root + ref_le16(f + pos + 2);
	*step = ref_le16(f + hdr);
	*at = hdr + t->hdr[0] + t->key_off;
	return f[hdr + t->hdr[0] - 1];
}

/*
 * The match, in wire order: "a KEY_ROOT message has 1 key, a KEY_ENTRY message has numInGroup
 * keys, KEY_NONE and unknown templates have 0"; past FS_MAX_WALK keys nothing more is examined.
 * Returns whether a message is to be delivered; *MATCHED counts the wanted keys.
 */
static bool mdp3_match(struct ref_state *s, const struct ref_group *g, const __u8 *f, size_t pos,
		       size_t end, struct ref_result *r, struct fs_counters *d,
		       unsigned int *matched)
{
	bool all = g->g.flags & FS_GROUP_F_ALL_SYMBOLS, deliver = all;
	unsigned int k = 0;

	for (pos += 12; pos < end; pos += ref_le16(f + pos)) {
		const struct mdp3_tpl *t = mdp3_tpl(ref_le16(f + pos + 4));
		size_t root = pos + 10, at, step;
		unsigned int n = mdp3_keys(f, pos, t, &at, &step);

		if (!t)
			continue;
		/* "KEY_NONE (ChannelReset, AdminHeartbeat: on every channel)" */
		if (t->key == 'n') {
			deliver = true;
			continue;
		}
		for (unsigned int e = 0; e < n; e++, at += step) {
			if (k == FS_MAX_WALK)
				return deliver;
			if (t->definition && (g->g.flags & FS_GROUP_F_DEFINITIONS))
				learn_id(s, g->g.feed, f + root, d);
			if (ref_wanted_id(s, &g->g, FS_PROTO_MDP3, ref_le32(f + at))) {
				r->m.match_bits[k / 64] |= 1ULL << (k % 64);
				(*matched)++;
				deliver = true;
			}
			k++;
		}
	}
	return deliver;
}

static void mdp3_group_frame(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			     const struct l4 *l4, __u8 flags, struct fs_counters *d,
			     struct ref_result *r)
{
	struct ref_channel *c = &s->channels[g->g.channel];
	unsigned int matched = 0, walked;
	enum claim fate;
	struct mdp3 p;
	bool overflow;

	mdp3_frame(f, l4->payload, l4->end, &p);
	walked = p.keys < FS_MAX_WALK ? p.keys : FS_MAX_WALK;
	overflow = p.keys > FS_MAX_WALK;
	if (p.malformed) {
		ref_malformed(s, g, walked, flags, d, r);
		return;
	}
	ref_join_session(c, p.seq == 1, p.seq, p.time, d);
	r->stamped = true;
	/* "Packet-sequenced (MDP3): seq = MsgSeqNum, seq_count = 1." */
	fate = ref_claim_one(c, p.seq);
	r->seq = p.seq;
	r->walked = 1;
	ref_raise_high(c, (__u64)p.seq + 1);
	d->msgs_walked = 1;
	d->msgs_new = fate == C_NEW;
	d->msgs_too_late = fate == C_TOO_LATE;
	d->msgs_duplicate = fate == C_DUPLICATE;
	if (fate != C_NEW) {
		r->why = "duplicate";
		r->action = XDP_DROP;
		d->frames_duplicate = 1;
		return;
	}
	d->frames_first = 1;
	/* "A packet is redirected when at least one of its messages is to be delivered" (or it
	 * overflows the walk: delivered whole) */
	if (mdp3_match(s, g, f, l4->payload, l4->end, r, d, &matched) || overflow) {
		d->msgs_matched = matched;
		ref_finish_one(c, p.seq, true);
		r->why = overflow ? "walk overflow" : "wanted";
		d->msgs_delivered = 1;
		if (overflow) {
			d->frames_walk_overflow = 1;
			flags |= FS_META_F_OVERFLOW;
		}
		ref_deliver(s, g, walked, flags, d, r);
		return;
	}
	d->msgs_matched = matched;
	ref_finish_one(c, p.seq, false);
	r->why = "filtered";
	r->action = XDP_DROP;
	d->msgs_filtered = 1;
	d->frames_filtered = 1;
}

/* ---- What the application gets (ref_mdp3_app) ---- */

/* "the consumer uses the metadata match bits ... and, without metadata or past msgs_walked,
 * decides itself": from the group (all symbols), or the directory of the group's feed; a group
 * whose feed has no directory hands over what the program did not examine. */
int ref_app_decided(const struct ref_group *g, const struct fs_xdp_meta *m, unsigned int k)
{
	if (m && k < m->msgs_walked)
		return m->match_bits[k / 64] >> (k % 64) & 1;
	if ((g->g.flags & FS_GROUP_F_ALL_SYMBOLS) || g->g.feed >= FS_MAX_FEEDS)
		return 1;
	return -1;
}

static bool app_wants(const struct ref_state *s, const struct ref_group *g,
		      const struct fs_xdp_meta *m, unsigned int k, __u32 id)
{
	int decided = ref_app_decided(g, m, k);
	const struct ref_id *e;

	if (decided >= 0)
		return decided;
	e = ref_find_id((struct ref_state *)s, FS_PROTO_MDP3, g->g.feed, id);
	return e && e->sub != FS_INST_NOT_SUBSCRIBED;
}

/* The name an entry carries: a definition's own, else the directory's once it saw one. */
static bool app_symbol(const struct ref_state *s, const struct ref_group *g,
		       const struct mdp3_tpl *t, const __u8 *root, __u32 id, struct fs_symbol *sym)
{
	const struct ref_id *e;

	if (t->definition) {
		ref_wire_symbol(sym, root + 35, 20);
		return true;
	}
	if (g->g.feed >= FS_MAX_FEEDS)
		return false;
	e = ref_find_id((struct ref_state *)s, FS_PROTO_MDP3, g->g.feed, id);
	if (!e || !e->known)
		return false;
	*sym = e->symbol;
	return true;
}

const struct ref_group *ref_app_group(const struct ref_state *s, const __u8 *f, size_t len,
				      struct ref_app *out, size_t *payload, size_t *end)
{
	struct l4 l4 = {0};
	enum kind kind = parse_l4(f, len, &l4);
	const struct ref_group *g = NULL;

	memset(out, 0, offsetof(struct ref_app, msgs));
	for (size_t i = 0; kind != K_OTHER && i < s->n_groups && !g; i++)
		if (s->groups[i].addr == l4.daddr && s->groups[i].port == l4.dport)
			g = &s->groups[i];
	if (!g || kind != K_UDP) {
		out->malformed = true;
		return NULL;
	}
	*payload = l4.payload;
	*end = l4.end;
	return g;
}

void ref_mdp3_app(const struct ref_state *s, const __u8 *f, size_t len,
		  const struct fs_xdp_meta *meta, struct ref_app *out)
{
	size_t payload, end;
	const struct ref_group *g = ref_app_group(s, f, len, out, &payload, &end);
	struct l4 l4 = {.payload = payload, .end = end};
	unsigned int k = 0;
	struct mdp3 p;

	if (!g)
		return;
	mdp3_frame(f, l4.payload, l4.end, &p);
	if (p.malformed) {
		out->malformed = true;
		return;
	}
	for (size_t pos = l4.payload + 12; pos < l4.end; pos += ref_le16(f + pos)) {
		const struct mdp3_tpl *t = mdp3_tpl(ref_le16(f + pos + 4));
		size_t root = pos + 10, at, step;
		struct ref_app_msg *msg = &out->msgs[out->n_msgs];
		unsigned int n = mdp3_keys(f, pos, t, &at, &step);
		bool deliver;

		if (out->n_msgs == REF_APP_MSGS) {
			out->overfull = true;
			return;
		}
		*msg = (struct ref_app_msg){.off = pos, .len = (__u16)ref_le16(f + pos),
					    .tid = (__u16)ref_le16(f + pos + 4), .first = out->n_entries};
		for (unsigned int e = 0; e < n; e++, k++, at += step) {
			struct ref_app_entry *ent = &out->entries[out->n_entries];
			__u32 id = ref_le32(f + at);

			if (!app_wants(s, g, meta, k, id))
				continue;
			if (out->n_entries == REF_APP_KEYS) {
				out->overfull = true;
				return;
			}
			*ent = (struct ref_app_entry){.index = (__u8)e, .id = (__s32)id};
			/* RptSeq where the template has one and the entry (or root) as sent holds
			 * it */
			if (t->rpt != NO_RPT &&
			    t->rpt + 4 <= (t->key == 'r' ? ref_le16(f + pos + 2) : step)) {
				ent->has_rpt_seq = true;
				ent->rpt_seq = ref_le32(f + at - t->key_off + t->rpt);
			}
			ent->symbol_known = app_symbol(s, g, t, f + root, id, &ent->symbol);
			out->n_entries++;
			msg->n++;
		}
		/* a message about no key: "KEY_NONE ... on every channel", an unknown template or
		 * an empty group only where the group takes all symbols */
		deliver = n ? msg->n > 0
			    : (t && t->key == 'n') || (g->g.flags & FS_GROUP_F_ALL_SYMBOLS);
		if (deliver)
			out->n_msgs++;
		else
			out->n_entries = msg->first;
	}
}

static void group_frame(struct ref_state *s, const struct ref_group *g, enum kind kind,
			const __u8 *f, const struct l4 *l4, struct fs_counters *d,
			struct ref_result *r)
{
	struct ref_channel *c = &s->channels[g->g.channel];
	__u8 flags = g->g.flags & FS_GROUP_F_ALL_SYMBOLS ? FS_META_F_ALL_SYMBOLS : 0;
	bool fresh[FS_MAX_WALK] = {0};
	unsigned int matched = 0;
	struct mold m;

	d->frames_seen = 1;
	/* "first fragment? --> XDP_PASS (frames_fragment): the kernel reassembles" */
	if (kind == K_FRAGMENT) {
		r->why = "first fragment";
		r->action = XDP_PASS;
		d->frames_fragment = 1;
		return;
	}
	if (kind == K_UDP && g->g.proto == FS_PROTO_MDP3) {
		mdp3_group_frame(s, g, f, l4, flags, d, r);
		return;
	}
	if (kind == K_UDP && g->g.proto == FS_PROTO_NYSE_XDP) {
		ref_nyse_group_frame(s, g, f, l4->payload, l4->end, flags, d, r);
		return;
	}
	if (kind == K_UDP && g->g.proto == FS_PROTO_PITCH) {
		ref_pitch_group_frame(s, g, f, l4->payload, l4->end, flags, d, r);
		return;
	}
	if (kind == K_BAD_LENGTH || g->g.proto != FS_PROTO_MOLD_ITCH)
		memset(&m, 0, sizeof(m)), m.malformed = true;
	else
		mold_frame(f, l4->payload, l4->end, &m);
	if (m.malformed) {
		ref_malformed(s, g, m.walked, flags, d, r);
		return;
	}
	if (!session_accept(c, &m)) {
		r->why = "other session";
		r->action = XDP_DROP;
		d->frames_other_session = 1;
		return;
	}
	r->stamped = true;
	/* "A heartbeat raises it to its sequence number (the next one to be sent)" */
	if (m.count == 0 || m.count == 0xFFFF) {
		r->why = m.count ? "end of session" : "heartbeat";
		ref_raise_heartbeat(c, m.seq);
		if (m.count) {
			d->end_of_session = 1;
			c->ended_gen = (__u64)c->gen + 1;
		} else {
			d->heartbeats = 1;
		}
		ref_deliver(s, g, m.walked, flags, d, r);
		return;
	}
	if (!ref_claim_messages(c, m.seq, m.walked, m.count, m.overflow, fresh, d, r))
		return;
	/* "walk the new messages" in order: learn, then test the subscription */
	for (unsigned int i = 0; i < m.walked; i++) {
		const __u8 *msg = f + m.block[i];
		__u16 locate = (__u16)be16(msg + 1);

		if (!fresh[i])
			continue;
		if (msg[0] == 'R')
			learn(s, g->g.feed, locate, msg + 11, d);
		if (wanted(s, &g->g, locate)) {
			r->m.match_bits[i / 64] |= 1ULL << (i % 64);
			matched++;
		}
	}
	ref_settle_messages(s, g, c, fresh, matched, m.overflow, flags, d, r);
}

void ref_frame(struct ref_state *s, const __u8 *frame, size_t len, struct ref_result *r)
{
	struct fs_counters d = {0};
	struct l4 l4 = {0};
	enum kind kind = parse_l4(frame, len, &l4);
	const struct ref_group *g = NULL;

	memset(r, 0, sizeof(*r));
	r->group = -1;
	r->channel = -1;
	if (kind != K_OTHER)
		for (size_t i = 0; i < s->n_groups && !g; i++)
			if (s->groups[i].addr == l4.daddr && s->groups[i].port == l4.dport)
				g = &s->groups[i], r->group = (int)i, r->channel = g->g.channel;
	s->global.frames_seen++;
	if (!g) {
		/* "fs_groups[(dst addr, dst port)] ? -- no --> XDP_PASS (frames_passed)" */
		r->why = kind == K_OTHER ? "not UDP over IPv4" : "not a configured group";
		r->action = XDP_PASS;
		s->global.frames_passed++;
		return;
	}
	group_frame(s, g, kind, frame, &l4, &d, r);
	d.frames_seen = 0; /* counted above for the global set */
	add_counters(&s->global, &d);
	d.frames_seen = 1;
	add_counters(&s->group_stats[g->g.id], &d);
}
