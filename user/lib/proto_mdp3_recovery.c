// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CME MDP 3.0 per-instrument recovery (mdp3_recovery.h), between the sequencer and the
 * application. The decisions are rptseq.c's; this file moves frames and events:
 *
 * - A gap event of an MDP3 channel is deferred to the end of the sequencer's step, and so is
 *   every later event of that channel in the step (the frames copied out of UMEM: they are
 *   released as soon as the sequencer handed them over). At the end of the step the gap is
 *   applied, the deferred messages after it say which pending instruments lost updates (their
 *   first update past the gap jumps), the gap event is handed over listing those, and the
 *   deferred events follow as if they had just come.
 * - An entry is handed over, dropped or held as rptseq.c says. A message whose entries are not
 *   all handed over now is handed over with only the ones that are (the others' match bits
 *   cleared in a copy of its metadata), if any remain; each waiting instrument's entries of it
 *   are kept in a heap copy of the frame, to be handed over after its snapshot.
 * - Snapshot frames (the channel's FS_GROUP_F_SNAPSHOT group, out of band) never reach the
 *   application as messages: a SnapshotFullRefresh that an instrument needs is handed over as
 *   FS_EV_SNAPSHOT, followed by the instrument's held entries above its RptSeq.
 * - At the end of each step, the snapshot groups of the channels with a waiting instrument are
 *   joined, and the others left.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/wire_mdp3.h"
#include "frame.h"
#include "log.h"
#include "mdp3_recovery.h"
#include "membership.h"
#include "proto.h"
#include "rptseq.h"

/* Bytes of held copies per consumer (all its channels) at most, counted as allocated (item,
 * copy header, frame): past it, the waiting instrument that would hold one more message gives
 * up its snapshot and flows on from its held entries (docs/integrity.md). The sequencer's heap
 * for held frames has the same default. */
#define MAX_HELD_BYTES (64u << 20)
#define NO_MSG	 0xFFFFFFFFu
/*
 * A snapshot reflects packets the publisher sent before it took it, so its LastMsgSeqNumProcessed
 * is normally below the channel's high-water mark (the program's fs_windows, either line). It
 * can pass it only when it overtakes incremental packets sent just before it on the other
 * groups' path: a few packets of jitter. A snapshot further ahead is from another session (a
 * loop packet in flight across a reset): ignored. Too small a slack only puts a good snapshot
 * off to the next loop; too large a one lets a stale one of a short previous session through.
 */
#define SNAP_SLACK 32

/* A frame copied out of UMEM, with its metadata: the program's (orig) and what is shown. */
struct copy {
	struct fs_frame f;
	struct fs_xdp_meta orig, shown;
	__u8 data[];
};

/* A deferred event, or an instrument's held message. */
struct item {
	struct item *next;
	struct fs_event ev; /* frame, msg and instruments are rebuilt from copy */
	struct copy *copy;  /* NULL: the event has no frame */
	__u32 msg_off;      /* the message's offset in the frame, NO_MSG: none */
	__s32 id;           /* held: the instrument */
	__u32 first_rpt;    /* held: its first held RptSeq in the message */
	size_t bytes;       /* allocated for it and its copy */
};

struct queue {
	struct item *head, *tail;
	__u32 n;
	size_t bytes; /* item.bytes of its items */
};

struct chan_rec {
	struct fsi_rpt_chan rpt;
	struct queue held;  /* held messages of waiting instruments, in arrival order */
	struct queue defer; /* events deferred within the step (deferring) */
	bool deferring;
	__s32 *list; /* a gap event's instruments */
	__u32 list_cap;
	/* SendingTime of the first packet handed over in the session, or of its latest
	 * ChannelReset: a snapshot packet sent before it is of the previous state. 0: none yet. */
	__u64 start_time;
	const char *name; /* the channel's name, for warnings */
};

struct fsi_mdp3_rec {
	struct fsi_membership *m;
	const struct fsi_group_table *groups;
	fs_event_fn app_fn;
	void *app_ctx;
	int ret;
	bool deferred; /* some channel defers */
	__be32 joined[FS_MAX_GROUPS];
	int njoined;
	__u64 commits; /* fs_bank.commits when the waiting instruments' subscriptions were read */
	__u64 fills;   /* the group table's fills then: it follows commits only at the next sync */
	size_t held_bytes, max_held_bytes; /* held copies of all channels (item.bytes) */
	struct chan_rec ch[FS_MAX_CHANNELS];
};

int fsi_mdp3_rec__create(struct fsi_membership *m, const struct fsi_group_table *groups,
			 struct fsi_mdp3_rec **out)
{
	struct fsi_mdp3_rec *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->m = m;
	r->groups = groups;
	r->max_held_bytes = MAX_HELD_BYTES;
	*out = r;
	return 0;
}

static void free_queue(struct queue *q)
{
	struct item *it, *next;

	for (it = q->head; it; it = next) {
		next = it->next;
		free(it->copy);
		free(it);
	}
	memset(q, 0, sizeof(*q));
}

void fsi_mdp3_rec__destroy(struct fsi_mdp3_rec *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < FS_MAX_CHANNELS; i++) {
		free_queue(&r->ch[i].held);
		free_queue(&r->ch[i].defer);
		fsi_rpt__free(&r->ch[i].rpt);
		free(r->ch[i].list);
	}
	free(r);
}

static int forward(struct fsi_mdp3_rec *r, const struct fs_event *ev)
{
	if (!r->ret)
		r->ret = r->app_fn(ev, r->app_ctx);
	return r->ret;
}

static bool is_snapshot_frame(const struct fs_frame *f)
{
	return f->kind == FS_FRAME_OUT_OF_BAND && f->out_of_band == FS_OOB_SNAPSHOT;
}

/* Does channel ID have a snapshot group? Its address in *ADDR. */
static bool snapshot_group(const struct fsi_mdp3_rec *r, __u8 id, __be32 *addr)
{
	int i;

	for (i = 0; i < FS_MAX_GROUPS; i++) {
		const struct group_slot *g = &r->groups->groups[i];

		if (g->valid && (g->value.flags & FS_GROUP_F_SNAPSHOT) && g->value.channel == id) {
			if (addr)
				*addr = g->key.addr;
			return true;
		}
	}
	return false;
}

static struct copy *copy_frame(const struct fs_frame *f)
{
	struct copy *c = malloc(sizeof(*c) + f->len);

	if (!c)
		return NULL;
	memcpy(c->data, f->data, f->len);
	c->f = *f;
	c->f.data = c->data;
	memset(&c->orig, 0, sizeof(c->orig));
	if (f->meta_)
		c->orig = *f->meta_;
	c->shown = c->orig;
	c->f.meta_ = f->meta_ ? &c->shown : NULL;
	return c;
}

static void push(struct queue *q, struct item *it)
{
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->n++;
	q->bytes += it->bytes;
}

/* An item for EV (its frame copied; SHOWN from it as shown to the application now), -ENOMEM. */
static struct item *new_item(const struct fs_event *ev)
{
	struct item *it = calloc(1, sizeof(*it));

	if (!it)
		return NULL;
	it->ev = *ev;
	it->msg_off = NO_MSG;
	it->bytes = sizeof(*it);
	if (ev->frame) {
		it->copy = copy_frame(ev->frame);
		if (!it->copy) {
			free(it);
			return NULL;
		}
		if (ev->msg)
			it->msg_off = (__u32)(ev->msg->body - ev->frame->data);
		it->bytes += sizeof(*it->copy) + ev->frame->len;
	}
	it->ev.frame = NULL;
	it->ev.msg = NULL;
	it->ev.instruments = NULL;
	it->ev.ninstruments = 0;
	return it;
}

/* The message of F at offset OFF into *M, as F's metadata shows it; false when not shown. */
static bool msg_at(const struct fs_frame *f, __u32 off, struct fs_msg *m)
{
	struct fs_msg_iter it;

	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, m)) {
		__u32 at = (__u32)(m->body - f->data);

		if (at == off)
			return true;
		if (at > off)
			break;
	}
	return false;
}

/*
 * Show in SHOWN (a copy of ORIG) only the keys of message M that VISIBLE marks (by entry index;
 * an entry not subscribed stays hidden). Keys past FS_MAX_WALK cannot be hidden: they stay as
 * the directory decided (so such a message is never split: unsplittable()).
 */
static void mask_msg(const struct fs_xdp_meta *orig, struct fs_xdp_meta *shown,
		     const struct fs_msg *m, const bool *visible)
{
	__u32 i, k, walked = orig->msgs_walked;

	*shown = *orig;
	for (i = 0; i < m->nkeys_; i++) {
		k = m->first_key_ + i;
		if (k >= FS_MAX_WALK)
			break;
		if (visible[i])
			shown->match_bits[k / 64] |= 1ULL << (k % 64);
		else
			shown->match_bits[k / 64] &= ~(1ULL << (k % 64));
		if (k + 1 > walked)
			walked = k + 1;
	}
	/* Keys the program did not examine, between its last one and this message's, belong to
	 * other messages: nothing is handed over from those here. */
	for (k = orig->msgs_walked; k < m->first_key_ && k < FS_MAX_WALK; k++)
		shown->match_bits[k / 64] &= ~(1ULL << (k % 64));
	shown->msgs_walked = (__u8)walked;
}

/* Hand over message M of frame F (metadata ORIG) with only the entries VISIBLE marks, as EV. */
static void emit_masked(struct fsi_mdp3_rec *r, const struct fs_event *ev, const struct fs_frame *f,
			const struct fs_xdp_meta *orig, const struct fs_msg *m, const bool *visible)
{
	struct fs_xdp_meta shown;
	struct fs_frame view = *f;
	struct fs_event out = *ev;
	struct fs_msg vm;

	mask_msg(orig, &shown, m, visible);
	view.meta_ = &shown;
	if (!msg_at(&view, (__u32)(m->body - f->data), &vm))
		return; /* nothing of it is shown */
	out.frame = &view;
	out.msg = &vm;
	forward(r, &out);
}

/* Entries of M are wanted ones by entry index (what the program or directory said). */
static void wanted_entries(const struct fs_msg *m, bool *wanted)
{
	struct fs_entry_iter it;
	struct fs_entry e;

	memset(wanted, 0, m->nkeys_ ? m->nkeys_ : 1);
	fs_entry_iter__init(&it, m);
	while (fs_entry_iter__next(&it, &e))
		wanted[e.index] = true;
}

static void unsubscribed(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id);

/* The program no longer marks the entries of a waiting instrument in message EV (WANTED: the
 * entries it marks): the instrument was unsubscribed. */
static void unmarked_waiting(struct fsi_mdp3_rec *r, struct chan_rec *cr,
			     const struct fs_event *ev, const bool *wanted)
{
	const struct fs_msg *m = ev->msg;
	struct fs_frame view = *ev->frame;
	struct fs_xdp_meta shown;
	struct fs_entry_iter it;
	bool every[256];
	struct fs_entry e;
	struct fs_msg vm;

	if (!ev->frame->meta_ || (ev->frame->meta_flags & FS_META_F_ALL_SYMBOLS))
		return;
	/* Every entry of M shown: those the program examined and did not mark are unwanted. */
	memset(every, 1, sizeof(every));
	mask_msg(ev->frame->meta_, &shown, m, every);
	view.meta_ = &shown;
	if (!msg_at(&view, (__u32)(m->body - ev->frame->data), &vm))
		return;
	fs_entry_iter__init(&it, &vm);
	while (fs_entry_iter__next(&it, &e)) {
		if (wanted[e.index] || e.index + vm.first_key_ >= ev->frame->meta_->msgs_walked ||
		    fsi_rpt__state(&cr->rpt, e.security_id) != FSI_RPT_WAITING)
			continue;
		unsubscribed(r, cr, e.security_id);
	}
}

/* Hand over, from message M of frame F (metadata ORIG), the entries of ID that rptseq.c lets
 * through now (ID is live: those above what was handed over). */
static void emit_id_entries(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev,
			    const struct fs_frame *f, const struct fs_xdp_meta *orig,
			    const struct fs_msg *m, __s32 id)
{
	bool visible[256] = {}, any = false;
	struct fs_entry_iter ei;
	struct fs_entry e;

	fs_entry_iter__init(&ei, m);
	while (fs_entry_iter__next(&ei, &e)) {
		if (e.security_id != id || !e.has_rpt_seq)
			continue;
		if (fsi_rpt__entry(&cr->rpt, id, e.rpt_seq, true, NULL) == FSI_RPT_DELIVER)
			visible[e.index] = any = true;
	}
	if (any)
		emit_masked(r, ev, f, orig, m, visible);
}

static void release_held(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id);

/* ID gives up waiting: it flows on from its oldest held entry (FIRST_RPT when nothing of it is
 * held yet; 0: none, then from what was handed over), its held messages first. */
static void give_up(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id, __u32 first_rpt)
{
	const struct item *it;

	for (it = cr->held.head; it && it->id != id; it = it->next)
		;
	if (it)
		first_rpt = it->first_rpt;
	if (first_rpt)
		fsi_rpt__abandon(&cr->rpt, id, first_rpt - 1);
	else
		fsi_rpt__forget(&cr->rpt, id);
	release_held(r, cr, id);
}

/* ID gives up waiting (no memory, or too much held) at message EV: its held messages first,
 * then EV's entries. */
static void abandon(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev,
		    __s32 id, __u32 first_rpt)
{
	give_up(r, cr, id, first_rpt);
	emit_id_entries(r, cr, ev, ev->frame, ev->frame->meta_, ev->msg, id);
}

/* Keep ID's entries of message EV (FIRST_RPT: its first held RptSeq in it). */
static void hold(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev, __s32 id,
		 __u32 first_rpt)
{
	size_t need = sizeof(struct item) + sizeof(struct copy) + ev->frame->len;
	struct item *it = NULL;

	if (r->held_bytes + need > r->max_held_bytes)
		pr_warn("%s: %zu bytes of MDP3 messages held for snapshots: SecurityID %d gives up "
			"its snapshot and flows on\n", ev->channel_name, r->held_bytes, id);
	else
		it = new_item(ev);
	if (!it) {
		abandon(r, cr, ev, id, first_rpt);
		return;
	}
	it->id = id;
	it->first_rpt = first_rpt;
	push(&cr->held, it);
	r->held_bytes += it->bytes;
}

/*
 * Keys past FS_MAX_WALK cannot be hidden (mask_msg): a message that reaches past it is handed
 * over once, whole, never split. Its waiting instruments give up their snapshot first (their
 * held updates go before it); none starts waiting at it. True for such a message.
 */
static bool unsplittable(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	struct fs_entry_iter it;
	struct fs_entry e;

	if (m->first_key_ + m->nkeys_ <= FS_MAX_WALK)
		return false;
	fs_entry_iter__init(&it, m);
	while (fs_entry_iter__next(&it, &e)) {
		if (!e.has_rpt_seq || fsi_rpt__state(&cr->rpt, e.security_id) != FSI_RPT_WAITING)
			continue;
		pr_warn("%s: MDP3 packet %llu has more than %d instrument keys: SecurityID %d gives "
			"up its snapshot and flows on\n", ev->channel_name, (unsigned long long)m->seq,
			FS_MAX_WALK, e.security_id);
		give_up(r, cr, e.security_id, e.rpt_seq);
	}
	return true;
}

/* An incremental message handed over in sequence. */
static void incremental(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	bool wanted[256], visible[256], all = true, recoverable;
	__s32 held_ids[256];
	__u32 held_rpt[256], nheld = 0, i, j;
	struct fs_entry_iter it;
	struct fs_entry e;

	recoverable = snapshot_group(r, ev->channel, NULL);
	wanted_entries(m, wanted);
	if (cr->rpt.nwaiting)
		unmarked_waiting(r, cr, ev, wanted);
	if (unsplittable(r, cr, ev))
		recoverable = false;
	memcpy(visible, wanted, m->nkeys_);
	fs_entry_iter__init(&it, m);
	while (fs_entry_iter__next(&it, &e)) {
		enum fsi_rpt_verdict v;

		if (!e.has_rpt_seq)
			continue; /* no RptSeq (a status, a definition): about now, handed over */
		v = fsi_rpt__entry(&cr->rpt, e.security_id, e.rpt_seq, recoverable, NULL);
		if (v == FSI_RPT_DELIVER)
			continue;
		visible[e.index] = false;
		all = false;
		if (v != FSI_RPT_HOLD)
			continue;
		for (j = 0; j < nheld && held_ids[j] != e.security_id; j++)
			;
		if (j == nheld) {
			held_ids[nheld] = e.security_id;
			held_rpt[nheld++] = e.rpt_seq;
		}
	}
	if (all) {
		forward(r, ev);
		return;
	}
	emit_masked(r, ev, ev->frame, ev->frame->meta_, m, visible);
	for (i = 0; i < nheld; i++)
		hold(r, cr, ev, held_ids[i], held_rpt[i]);
}

/* Take ID's held messages out of the channel's queue, in their order. */
static struct item *take_held(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id)
{
	struct item **pp = &cr->held.head, *it, *out = NULL, **tail = &out;

	cr->held.tail = NULL;
	while ((it = *pp)) {
		if (it->id != id) {
			cr->held.tail = it;
			pp = &it->next;
			continue;
		}
		*pp = it->next;
		cr->held.n--;
		cr->held.bytes -= it->bytes;
		r->held_bytes -= it->bytes;
		it->next = NULL;
		*tail = it;
		tail = &it->next;
	}
	return out;
}

/* Hand over ID's held messages: their entries of ID that are not covered any more. */
static void release_held(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id)
{
	struct item *it, *next;

	for (it = take_held(r, cr, id); it; it = next) {
		struct fs_event ev = it->ev;
		struct fs_msg m;

		next = it->next;
		ev.frame = &it->copy->f;
		if (msg_at(&it->copy->f, it->msg_off, &m)) {
			ev.msg = &m;
			emit_id_entries(r, cr, &ev, &it->copy->f, &it->copy->orig, &m, id);
		}
		free(it->copy);
		free(it);
	}
}

/* ID waits and is no longer subscribed: it stops waiting, and what it held is dropped (the
 * application does not want it any more). */
static void unsubscribed(struct fsi_mdp3_rec *r, struct chan_rec *cr, __s32 id)
{
	struct item *it, *next;
	__u32 n = 0;

	for (it = take_held(r, cr, id); it; it = next) {
		next = it->next;
		free(it->copy);
		free(it);
		n++;
	}
	fsi_rpt__forget(&cr->rpt, id);
	pr_info("%s: SecurityID %d is no longer subscribed: it stops waiting for its snapshot "
		"(%u held messages dropped)\n", cr->name ? cr->name : "MDP3", id, n);
}

/* Is a snapshot as of packet LAST, in snapshot packet EV->frame, of the channel's current
 * session and state? Not when sent before the session (or its latest ChannelReset) began, nor
 * when it reflects packets the channel is far from (SNAP_SLACK). */
static bool snapshot_current(const struct fsi_mdp3_rec *r, const struct fs_event *ev, __u32 last)
{
	const struct chan_rec *cr = &r->ch[ev->channel];
	const struct fs_channel_window *win;
	__u64 high;

	if (cr->start_time && ev->frame->sending_time < cr->start_time)
		return false;
	if (!r->groups->iface || !r->groups->iface->windows)
		return true;
	win = &r->groups->iface->windows[ev->channel];
	high = fs_high_seq(__atomic_load_n(&win->high, __ATOMIC_ACQUIRE),
			   fs_sess_gen(__atomic_load_n(&win->session, __ATOMIC_ACQUIRE)));
	/* high is the number after the highest packet seen. */
	return (__u64)last < high + SNAP_SLACK;
}

/* The channel's state starts over (a new session, or a ChannelReset at TIME, 0: not known):
 * every RptSeq restarts at 1 (FROM_START), and what was held belongs to books now void. */
static void restart(struct fsi_mdp3_rec *r, struct chan_rec *cr, bool from_start, __u64 time)
{
	fsi_rpt__reset(&cr->rpt, from_start);
	r->held_bytes -= cr->held.bytes;
	free_queue(&cr->held);
	cr->start_time = time;
}

/* A message of the channel's snapshot group: the SnapshotFullRefresh an instrument needs. */
static void snapshot(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	const __u8 *root = m->body + MDP3_MSG_HDR_LEN;
	struct fs_event out;
	__u32 rpt, last;
	__s32 id;

	if (m->type != MDP3_T_SNAPSHOT || m->len < MDP3_MSG_HDR_LEN + MDP3_SNAP_MIN_ROOT ||
	    fs_le16(m->body + MDP3_OFF_BLOCK_LENGTH) < MDP3_SNAP_MIN_ROOT)
		return;
	id = (__s32)fs_le32(root + MDP3_SNAP_OFF_SECURITY_ID);
	rpt = fs_le32(root + MDP3_SNAP_OFF_RPT_SEQ);
	last = fs_le32(root + MDP3_SNAP_OFF_LAST_SEQ);
	if (!snapshot_current(r, ev, last))
		return;
	if (fsi_rpt__snapshot(&cr->rpt, id, rpt, last) != FSI_SNAP_APPLY)
		return;
	out = *ev;
	out.type = FS_EV_SNAPSHOT;
	out.instruments = &id;
	out.ninstruments = 1;
	forward(r, &out);
	release_held(r, cr, id);
}

static bool add_id(__s32 *set, __u32 *n, __u32 cap, __s32 id)
{
	__u32 i;

	for (i = 0; i < *n; i++)
		if (set[i] == id)
			return false;
	if (*n < cap)
		set[(*n)++] = id;
	return true;
}

/*
 * The gap of EV, at the head of the events deferred after it (REST): which pending instruments
 * lost updates, from their first update in REST (up to the next gap or session); the gap event
 * is handed over listing those.
 */
static void gap(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev,
		const struct item *rest)
{
	struct fs_event out = *ev;
	__u32 nlist = 0, ndone = 0, cap;
	__s32 *done = NULL;

	fsi_rpt__gap(&cr->rpt, ev->from, ev->count);
	cap = cr->rpt.n + 256;
	if (cr->list_cap < cap) {
		__s32 *l = realloc(cr->list, cap * sizeof(*l));

		if (l) {
			cr->list = l;
			cr->list_cap = cap;
		}
	}
	done = calloc(cr->list_cap ? cr->list_cap : 1, sizeof(*done));
	for (; rest && done; rest = rest->next) {
		struct fs_entry_iter ei;
		struct fs_entry e;
		struct fs_msg m;

		if (rest->ev.type == FS_EV_GAP || rest->ev.type == FS_EV_SESSION)
			break;
		if (rest->ev.type != FS_EV_MESSAGE || !rest->copy || rest->ev.late ||
		    is_snapshot_frame(&rest->copy->f) || !msg_at(&rest->copy->f, rest->msg_off, &m))
			continue;
		fs_entry_iter__init(&ei, &m);
		while (fs_entry_iter__next(&ei, &e)) {
			int d;

			if (!e.has_rpt_seq)
				continue;
			d = fsi_rpt__peek(&cr->rpt, e.security_id, e.rpt_seq,
					  (__u32)(ev->from + ev->count - 1));
			if (d < 0 || !add_id(done, &ndone, cr->list_cap, e.security_id))
				continue;
			if (d)
				add_id(cr->list, &nlist, cr->list_cap, e.security_id);
		}
	}
	free(done);
	out.instruments = cr->list;
	out.ninstruments = nlist;
	forward(r, &out);
}

/* One event of an MDP3 channel, handed over now (its frame valid); REST: deferred after it. */
static void process(struct fsi_mdp3_rec *r, const struct fs_event *ev, const struct item *rest)
{
	struct chan_rec *cr = &r->ch[ev->channel];

	switch (ev->type) {
	case FS_EV_SESSION:
		/* RptSeq starts again with the session: nothing held can be applied any more. Its
		 * start time is its first packet's, taken below. */
		restart(r, cr, ev->from == 1, 0);
		forward(r, ev);
		return;
	case FS_EV_GAP:
		gap(r, cr, ev, rest);
		return;
	case FS_EV_MESSAGE:
		if (ev->late) {
			/* A copy of a message its gap was reported for: handed over as it came,
			 * flagged late, with every entry the program marked. Its RptSeq is behind
			 * what was handed over: the application decides; nothing here learns from
			 * it (docs/integrity.md). */
			forward(r, ev);
			return;
		}
		if (is_snapshot_frame(ev->frame)) {
			snapshot(r, cr, ev);
			return;
		}
		if (ev->frame->kind == FS_FRAME_DATA && !cr->start_time)
			cr->start_time = ev->frame->sending_time;
		if (ev->msg && ev->msg->type == MDP3_T_CHANNEL_RESET &&
		    ev->frame->kind == FS_FRAME_DATA) {
			/* The books are void and every instrument's RptSeq restarts at 1, whether
			 * or not MsgSeqNum does (mdp3.md): as a session seen from its start. */
			restart(r, cr, true, ev->frame->sending_time);
			forward(r, ev);
			return;
		}
		if (ev->frame->kind == FS_FRAME_DATA && ev->frame->has_meta) {
			incremental(r, cr, ev);
			return;
		}
		forward(r, ev);
		return;
	default:
		forward(r, ev);
		return;
	}
}

static void defer(struct fsi_mdp3_rec *r, struct chan_rec *cr, const struct fs_event *ev)
{
	struct item *it = new_item(ev);

	if (!it) {
		/* No memory to keep it for later: hand it over now, undecided. */
		pr_warn("%s: no memory to defer an MDP3 event: handed over at once\n",
			ev->channel_name);
		forward(r, ev);
		return;
	}
	push(&cr->defer, it);
	r->deferred = true;
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct fsi_mdp3_rec *r = ctx;
	struct chan_rec *cr;

	if (ev->proto != FS_PROTO_MDP3)
		return forward(r, ev);
	cr = &r->ch[ev->channel];
	cr->name = ev->channel_name;
	if (ev->type == FS_EV_GAP)
		cr->deferring = true;
	if (cr->deferring)
		defer(r, cr, ev);
	else
		process(r, ev, NULL);
	return r->ret;
}

void fsi_mdp3_rec__begin(struct fsi_mdp3_rec *r, struct emit *e)
{
	if (!r)
		return;
	r->app_fn = e->fn;
	r->app_ctx = e->ctx;
	r->ret = 0;
	e->fn = on_event;
	e->ctx = r;
}

static void flush(struct fsi_mdp3_rec *r, struct chan_rec *cr)
{
	struct item *it;

	cr->deferring = false;
	while ((it = cr->defer.head)) {
		struct fs_event ev = it->ev;
		struct fs_msg m;

		cr->defer.head = it->next;
		cr->defer.n--;
		cr->defer.bytes -= it->bytes;
		if (it->copy) {
			ev.frame = &it->copy->f;
			if (it->msg_off != NO_MSG) {
				/* Shown when it was deferred: found again in the copy. */
				if (!msg_at(&it->copy->f, it->msg_off, &m))
					goto next;
				ev.msg = &m;
			}
		}
		process(r, &ev, it->next);
next:
		free(it->copy);
		free(it);
	}
	cr->defer.tail = NULL;
}

/* The feed of channel ID's lines, and whether one of them delivers every instrument. */
static void line_facts(const struct fsi_mdp3_rec *r, __u8 id, __u8 *feed, bool *all)
{
	int i;

	*all = false;
	*feed = 0;
	for (i = 0; i < FS_MAX_GROUPS; i++) {
		const struct group_slot *g = &r->groups->groups[i];

		if (!g->valid || g->value.channel != id || (g->value.flags & FS_GROUP_F_SNAPSHOT))
			continue;
		*feed = g->value.feed;
		if (g->value.flags & FS_GROUP_F_ALL_SYMBOLS)
			*all = true;
	}
}

/* Is ID of FEED still subscribed? A failed lookup other than "not there" answers yes. */
static bool subscribed(const struct fsi_mdp3_rec *r, __u8 feed, __s32 id)
{
	struct fs_symbol sym;
	bool sub, known;
	int err;

	if (fsi_inst__lookup_id(r->groups, FS_PROTO_MDP3, feed, (__u32)id, &sub, &sym, &known,
				&err))
		return sub;
	return err != 0;
}

/* Channel CR (ID) waits: its instruments no longer subscribed stop waiting, and all flow on
 * when the channel no longer has a snapshot group. */
static void check_channel(struct fsi_mdp3_rec *r, struct chan_rec *cr, __u8 id)
{
	bool recoverable = snapshot_group(r, id, NULL), all;
	__u32 n, i;
	__s32 *ids;
	__u8 feed;

	line_facts(r, id, &feed, &all);
	ids = malloc(cr->rpt.nwaiting * sizeof(*ids));
	if (!ids)
		return; /* the next commit tries again */
	n = fsi_rpt__waiting(&cr->rpt, ids, cr->rpt.nwaiting);
	for (i = 0; i < n; i++) {
		if (!recoverable)
			give_up(r, cr, ids[i], 0);
		else if (!all && !subscribed(r, feed, ids[i]))
			unsubscribed(r, cr, ids[i]);
	}
	free(ids);
}

/* Subscriptions and groups change only by a commit: after one, the waiting instruments are
 * looked at again, and once more when the group table has caught up with it (a removed
 * snapshot group is seen there only after the consumer's next group sync). */
static void check_waiting(struct fsi_mdp3_rec *r)
{
	const struct fs_iface *iface = r->groups->iface;
	__u64 commits;
	int i;

	if (!iface || !iface->bank)
		return;
	commits = __atomic_load_n(&iface->bank->commits, __ATOMIC_ACQUIRE);
	if (commits == r->commits && r->groups->fills == r->fills)
		return;
	r->commits = commits;
	r->fills = r->groups->fills;
	for (i = 0; i < FS_MAX_CHANNELS; i++)
		if (r->ch[i].rpt.nwaiting)
			check_channel(r, &r->ch[i], (__u8)i);
}

/* Join the snapshot groups of the channels with a waiting instrument, leave the others. */
static void follow_snapshots(struct fsi_mdp3_rec *r)
{
	__be32 want[FS_MAX_GROUPS] = {}, addr;
	int n = 0, i, j;

	for (i = 0; i < FS_MAX_CHANNELS; i++) {
		if (!r->ch[i].rpt.nwaiting || !snapshot_group(r, (__u8)i, &addr))
			continue;
		for (j = 0; j < n && want[j] != addr; j++)
			;
		if (j == n)
			want[n++] = addr;
	}
	if (n == r->njoined && !memcmp(want, r->joined, (size_t)n * sizeof(*want)))
		return;
	if (fsi_membership__set_extra(r->m, want, n))
		return; /* warned; the next step tries again */
	memcpy(r->joined, want, (size_t)n * sizeof(*want));
	r->njoined = n;
}

void fsi_mdp3_rec__end(struct fsi_mdp3_rec *r, struct emit *e)
{
	int i;

	if (!r)
		return;
	if (r->deferred) {
		r->deferred = false;
		for (i = 0; i < FS_MAX_CHANNELS; i++)
			if (r->ch[i].deferring)
				flush(r, &r->ch[i]);
	}
	check_waiting(r);
	follow_snapshots(r);
	e->fn = r->app_fn;
	e->ctx = r->app_ctx;
	if (!e->ret)
		e->ret = r->ret;
}

int fsi_mdp3_rec__joined(const struct fsi_mdp3_rec *r)
{
	return r ? r->njoined : 0;
}

void fsi_mdp3_rec__set_max_held(struct fsi_mdp3_rec *r, size_t bytes)
{
	r->max_held_bytes = bytes ? bytes : MAX_HELD_BYTES;
}

size_t fsi_mdp3_rec__held_bytes(const struct fsi_mdp3_rec *r)
{
	return r ? r->held_bytes : 0;
}
