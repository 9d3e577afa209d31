/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CME MDP 3.0 per-instrument recovery (proto_mdp3_recovery.c): it stands between the sequencer
 * and the application. It lists, in an MDP3 gap event, the subscribed instruments that lost
 * updates (from RptSeq), holds an affected instrument's incrementals, joins the channel's
 * snapshot group while one waits, hands its SnapshotFullRefresh over as FS_EV_SNAPSHOT and then
 * its incrementals above it. Events of other protocols go straight through. Internal; rules in
 * docs/integrity.md ("MDP3: per-instrument recovery").
 */
#ifndef FEEDSIEVE_MDP3_RECOVERY_H
#define FEEDSIEVE_MDP3_RECOVERY_H

#include "sequencer.h"

struct fsi_membership;
struct fsi_mdp3_rec;

/* Joins snapshot groups through M (fsi_membership__set_extra); finds them in GROUPS. */
int fsi_mdp3_rec__create(struct fsi_membership *m, const struct fsi_group_table *groups,
			 struct fsi_mdp3_rec **out);
void fsi_mdp3_rec__destroy(struct fsi_mdp3_rec *r);
/* Around one step of the sequencer (frames taken, settle): begin puts R between E and the
 * application; end hands over what R deferred within the step, joins or leaves snapshot groups,
 * and gives E back the application's function (and its first non-zero return). R may be NULL. */
void fsi_mdp3_rec__begin(struct fsi_mdp3_rec *r, struct emit *e);
void fsi_mdp3_rec__end(struct fsi_mdp3_rec *r, struct emit *e);
/* Bytes of messages R may hold for waiting instruments, all channels together (0: the default,
 * 64 MiB); past it the instrument that would hold more gives up its snapshot. */
void fsi_mdp3_rec__set_max_held(struct fsi_mdp3_rec *r, size_t bytes);
/* Bytes R holds now (each held message's allocation). */
size_t fsi_mdp3_rec__held_bytes(const struct fsi_mdp3_rec *r);
/* The snapshot groups R holds joined now (those of channels with a waiting instrument). */
int fsi_mdp3_rec__joined(const struct fsi_mdp3_rec *r);

#endif /* FEEDSIEVE_MDP3_RECOVERY_H */
