/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one place the program chooses a protocol: each group says which one its frames carry
 * (g->proto), and each protocol provides a validate pass (framing, sequence numbers, session,
 * key count; no lookups) and a match pass (directory learning, wanted keys) over struct fs_walk.
 */
#ifndef FEEDSIEVE_PROTO_BPF_H
#define FEEDSIEVE_PROTO_BPF_H

#include "feedsieve/parse.h"
#include "walk.bpf.h"
#include "proto_itch.bpf.h"
#include "proto_mdp3.bpf.h"
#include "proto_nyse.bpf.h"
#include "proto_pitch.bpf.h"

/* Pass 1. A group of a protocol this program does not know has every frame malformed. */
static __always_inline void proto_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					   const struct fs_group *g, struct fs_walk *w)
{
	switch (g->proto) {
	case FS_PROTO_MOLD_ITCH:
		mold_validate(xdp, pkt, w);
		break;
	case FS_PROTO_MDP3:
		mdp3_validate(xdp, pkt, w);
		break;
	case FS_PROTO_NYSE_XDP:
		nyse_validate(xdp, pkt, w);
		break;
	case FS_PROTO_PITCH:
		pitch_validate(xdp, pkt, w);
		break;
	default:
		w->malformed = true;
	}
}

/* Pass 2, over a frame pass 1 accepted and that brought something first. */
static __always_inline void proto_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
					const struct fs_group *g, struct fs_walk *w)
{
	switch (g->proto) {
	case FS_PROTO_MOLD_ITCH:
		mold_match(xdp, pkt, g, w);
		break;
	case FS_PROTO_MDP3:
		mdp3_match(xdp, pkt, g, w);
		break;
	case FS_PROTO_NYSE_XDP:
		nyse_match(xdp, pkt, g, w);
		break;
	case FS_PROTO_PITCH:
		pitch_match(xdp, pkt, g, w);
		break;
	}
}

#endif /* FEEDSIEVE_PROTO_BPF_H */
