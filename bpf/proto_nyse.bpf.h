/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* NYSE XDP Integrated Feed passes: not written yet, every frame is malformed. */
#ifndef FEEDSIEVE_PROTO_NYSE_BPF_H
#define FEEDSIEVE_PROTO_NYSE_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/wire_nyse.h"
#include "walk.bpf.h"
#include "directory.bpf.h"

static __always_inline void nyse_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					  struct fs_walk *w)
{
	(void)xdp;
	(void)pkt;
	w->malformed = true;
}

static __always_inline void nyse_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
				       const struct fs_group *g, struct fs_walk *w)
{
	(void)xdp;
	(void)pkt;
	(void)g;
	(void)w;
}

#endif /* FEEDSIEVE_PROTO_NYSE_BPF_H */
