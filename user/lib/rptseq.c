// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-instrument RptSeq of an MDP3 channel (rptseq.h; rules in docs/integrity.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rptseq.h"

#define MIN_CAP 64

static __u32 hash_id(__s32 id, __u32 cap)
{
	return ((__u32)id * 2654435761u) & (cap - 1);
}

static struct fsi_rpt_inst *find(const struct fsi_rpt_chan *c, __s32 id)
{
	__u32 i;

	if (!c->cap)
		return NULL;
	for (i = hash_id(id, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (!c->slots[i].used)
			return NULL;
		if (c->slots[i].id == id)
			return &c->slots[i];
	}
}

static int grow(struct fsi_rpt_chan *c)
{
	__u32 cap = c->cap ? c->cap * 2 : MIN_CAP, i, j;
	struct fsi_rpt_inst *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (i = 0; i < c->cap; i++) {
		if (!c->slots[i].used)
			continue;
		for (j = hash_id(c->slots[i].id, cap); s[j].used; j = (j + 1) & (cap - 1))
			;
		s[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = s;
	c->cap = cap;
	return 0;
}

/* Where an instrument not seen yet stands: at RptSeq 0 of a session seen from its start
 * (pending since the session's latest gap, if any), else nowhere (NULL's caller takes its first
 * update as where it stands). */
static bool implicit(const struct fsi_rpt_chan *c, struct fsi_rpt_inst *out, __s32 id)
{
	if (!c->from_start)
		return false;
	*out = (struct fsi_rpt_inst){.id = id, .used = true, .last = 0};
	if (c->gap_seq) {
		out->state = FSI_RPT_PENDING;
		out->need_seq = c->gap_seq;
		out->since = c->first_gap_seq;
	}
	return true;
}

/* ID's record, created (from the implicit one, or live at RPT - 1) when missing. */
static struct fsi_rpt_inst *get(struct fsi_rpt_chan *c, __s32 id, __u32 rpt)
{
	struct fsi_rpt_inst *r = find(c, id), tmp;
	__u32 i;

	if (r)
		return r;
	if ((c->n + 1) * 2 > c->cap && grow(c))
		return NULL;
	if (!implicit(c, &tmp, id))
		tmp = (struct fsi_rpt_inst){.id = id, .used = true, .last = rpt - 1};
	for (i = hash_id(id, c->cap); c->slots[i].used; i = (i + 1) & (c->cap - 1))
		;
	c->slots[i] = tmp;
	c->n++;
	return &c->slots[i];
}

void fsi_rpt__reset(struct fsi_rpt_chan *c, bool from_start)
{
	if (c->slots)
		memset(c->slots, 0, c->cap * sizeof(*c->slots));
	c->n = 0;
	c->nwaiting = 0;
	c->from_start = from_start;
	c->gap_seq = 0;
	c->first_gap_seq = 0;
}

void fsi_rpt__free(struct fsi_rpt_chan *c)
{
	free(c->slots);
	memset(c, 0, sizeof(*c));
}

void fsi_rpt__gap(struct fsi_rpt_chan *c, __u64 from, __u64 count)
{
	__u32 last = (__u32)(from + count - 1), i;

	if (!count)
		return;
	c->gap_seq = last;
	if (!c->first_gap_seq)
		c->first_gap_seq = last;
	for (i = 0; i < c->cap; i++) {
		struct fsi_rpt_inst *r = &c->slots[i];

		if (!r->used)
			continue;
		if (r->state == FSI_RPT_LIVE) {
			r->state = FSI_RPT_PENDING;
			r->since = last;
		}
		/* A snapshot must reflect every packet lost so far: the latest gap's last one. */
		r->need_seq = last;
	}
}

/* A pending instrument's next update RPT: 1 it lost some, 0 it did not, -1 the update was
 * covered by what was handed over (a snapshot past it): still undecided. */
static int decide(const struct fsi_rpt_inst *r, __u32 rpt)
{
	if (rpt == r->last + 1)
		return 0;
	if (rpt > r->last + 1)
		return 1;
	return -1;
}

enum fsi_rpt_verdict fsi_rpt__entry(struct fsi_rpt_chan *c, __s32 id, __u32 rpt, bool recoverable,
				    int *newly)
{
	struct fsi_rpt_inst *r = get(c, id, rpt);
	int d;

	if (newly)
		*newly = -1;
	if (!r)
		return FSI_RPT_DELIVER;
	switch (r->state) {
	case FSI_RPT_WAITING:
		return FSI_RPT_HOLD;
	case FSI_RPT_PENDING:
		d = decide(r, rpt);
		if (d < 0)
			return FSI_RPT_DROP;
		if (newly)
			*newly = d;
		if (d && recoverable) {
			r->state = FSI_RPT_WAITING;
			c->nwaiting++;
			return FSI_RPT_HOLD;
		}
		r->state = FSI_RPT_LIVE;
		r->last = rpt;
		return FSI_RPT_DELIVER;
	default:
		/* Live: an update the snapshot already covered is dropped; a jump with no gap
		 * reported (an update of a template the consumer never gets) is taken as is. */
		if (rpt <= r->last)
			return FSI_RPT_DROP;
		r->last = rpt;
		return FSI_RPT_DELIVER;
	}
}

int fsi_rpt__peek(const struct fsi_rpt_chan *c, __s32 id, __u32 rpt, __u32 gap_seq)
{
	const struct fsi_rpt_inst *r = find(c, id);
	struct fsi_rpt_inst tmp;

	if (!r) {
		if (!implicit(c, &tmp, id))
			return -1;
		r = &tmp;
	}
	return r->state == FSI_RPT_PENDING && r->since == gap_seq ? decide(r, rpt) : -1;
}

enum fsi_rpt_snap fsi_rpt__snapshot(struct fsi_rpt_chan *c, __s32 id, __u32 rpt, __u32 last_seq)
{
	struct fsi_rpt_inst *r = find(c, id), tmp;

	if (!r) {
		/* Never seen: it matters only when it stands somewhere (session seen from 1). */
		if (!implicit(c, &tmp, id) || tmp.state != FSI_RPT_PENDING)
			return FSI_SNAP_IGNORE;
		r = get(c, id, 0);
		if (!r)
			return FSI_SNAP_IGNORE;
	}
	if (r->state == FSI_RPT_LIVE || last_seq < r->need_seq || rpt < r->last)
		return FSI_SNAP_IGNORE;
	if (r->state == FSI_RPT_PENDING && rpt == r->last) {
		r->state = FSI_RPT_LIVE;
		return FSI_SNAP_UNAFFECTED;
	}
	if (r->state == FSI_RPT_WAITING)
		c->nwaiting--;
	r->state = FSI_RPT_LIVE;
	r->last = rpt;
	return FSI_SNAP_APPLY;
}

enum fsi_rpt_state fsi_rpt__state(const struct fsi_rpt_chan *c, __s32 id)
{
	const struct fsi_rpt_inst *r = find(c, id);
	struct fsi_rpt_inst tmp;

	if (r)
		return (enum fsi_rpt_state)r->state;
	return implicit(c, &tmp, id) ? (enum fsi_rpt_state)tmp.state : FSI_RPT_LIVE;
}

void fsi_rpt__abandon(struct fsi_rpt_chan *c, __s32 id, __u32 rpt)
{
	struct fsi_rpt_inst *r = find(c, id);

	if (!r || r->state != FSI_RPT_WAITING)
		return;
	c->nwaiting--;
	r->state = FSI_RPT_LIVE;
	r->last = rpt;
}

void fsi_rpt__forget(struct fsi_rpt_chan *c, __s32 id)
{
	struct fsi_rpt_inst *r = find(c, id);

	if (r && r->state == FSI_RPT_WAITING)
		fsi_rpt__abandon(c, id, r->last);
}

__u32 fsi_rpt__waiting(const struct fsi_rpt_chan *c, __s32 *ids, __u32 max)
{
	__u32 i, n = 0;

	for (i = 0; i < c->cap && n < max; i++)
		if (c->slots[i].used && c->slots[i].state == FSI_RPT_WAITING)
			ids[n++] = c->slots[i].id;
	return n;
}
