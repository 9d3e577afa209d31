// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ITCH 5.0 over MoldUDP64 behind feedgen's protocol interface: the session's packets, then a
 * heartbeat (never lost, so a loss at the tail shows) and, with --end-session, the end-of-session
 * marker.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "session.h"

enum itch_tail {
	TAIL_SESSION,	/* the session still has packets */
	TAIL_HEARTBEAT, /* next: the closing heartbeat */
	TAIL_END,	/* next: end of session, if asked for */
	TAIL_DONE,
};

struct itch_gen {
	struct session *sess;
	struct mold_pkt pkt;
	enum itch_tail tail;
	bool end_session;
};

static int itch_open(void **out, const struct fg_gen_opts *o)
{
	struct session_opts so = {
	    .syms = o->syms,
	    .seed = o->cfg->seed,
	    .max_msgs = o->cfg->max_msgs,
	    .payload_max = MOLD_PAYLOAD_MAX,
	    .tick_ns = o->tick_ns,
	};
	struct itch_gen *g;
	int err;

	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	memcpy(so.name, o->cfg->session, MOLD_SESSION_LEN);
	err = session__new(&g->sess, &so);
	if (err) {
		free(g);
		return err;
	}
	g->end_session = o->cfg->end_session;
	*out = g;
	return 0;
}

static void itch_close(void *gen)
{
	struct itch_gen *g = gen;

	if (!g)
		return;
	session__free(g->sess);
	free(g);
}

static void itch_stop_traffic(void *gen)
{
	session__stop_traffic(((struct itch_gen *)gen)->sess);
}

static int itch_next(void *gen, struct fg_pkt *pkt)
{
	struct itch_gen *g = gen;
	enum session_phase phase = SESSION_CLOSING;
	int err = -ENODATA;

	switch (g->tail) {
	case TAIL_SESSION:
		err = session__next_packet(g->sess, &g->pkt, &phase);
		if (err != -ENODATA)
			break;
		g->tail = TAIL_HEARTBEAT;
		/* fall through */
	case TAIL_HEARTBEAT:
		err = session__heartbeat(g->sess, &g->pkt);
		g->tail = g->end_session ? TAIL_END : TAIL_DONE;
		break;
	case TAIL_END:
		err = session__end_of_session(g->sess, &g->pkt);
		g->tail = TAIL_DONE;
		break;
	case TAIL_DONE:
		break;
	}
	if (err)
		return err;
	*pkt = (struct fg_pkt){
	    .buf = g->pkt.buf,
	    .len = g->pkt.len,
	    .seq = g->pkt.seq,
	    .seq_count = g->pkt.count,
	    .msgs = g->pkt.count,
	    .chan = FG_CHAN_MAIN,
	    .traffic = phase == SESSION_TRAFFIC,
	    .lossy = phase == SESSION_TRAFFIC,
	};
	return 0;
}

/* The ITCH log names the group it was opened with and does not record the lines. */
static int itch_log(struct msglog *l, const struct fg_pkt *pkt, const char *group,
		    const char *lines)
{
	(void)group;
	(void)lines;
	return msglog__write_packet(l, pkt->buf, pkt->len);
}

const struct fg_proto fg_proto_itch = {
    .name = "itch",
    .style = SYMTAB_ITCH,
    .open = itch_open,
    .close = itch_close,
    .stop_traffic = itch_stop_traffic,
    .next = itch_next,
    .log = itch_log,
};
