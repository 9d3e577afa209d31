/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * MDP3_TEMPLATES (wire_mdp3.h) as a table indexed by template id, and its lookup: the one place
 * the XDP program, the consumer and feedgen build it. Each file that includes this gets its own
 * copy of the table (in the program, .rodata). Not part of the installed API: the table is
 * built with designated array indexes, which C++ does not have.
 */
#ifndef FEEDSIEVE_MDP3_TEMPLATES_H
#define FEEDSIEVE_MDP3_TEMPLATES_H

#include "wire_mdp3.h"

#define MDP3_TEMPLATE_ROW_(id_, place_, key_, rpt_, def_, groups_, ...)                            \
	[id_] = {.id = (id_),                                                                      \
		 .key_place = (place_),                                                            \
		 .key_off = (key_),                                                                \
		 .rpt_seq_off = (rpt_),                                                            \
		 .definition = (def_),                                                             \
		 .groups = (groups_),                                                              \
		 .group_hdr = __VA_ARGS__},

/* Unused rows have id 0. */
static const struct mdp3_template mdp3_templates[MDP3_MAX_TEMPLATE + 1] = {
    MDP3_TEMPLATES(MDP3_TEMPLATE_ROW_)};

_Static_assert((MDP3_MAX_TEMPLATE & (MDP3_MAX_TEMPLATE + 1)) == 0,
	       "template ids are masked with MDP3_MAX_TEMPLATE");

/* The row of template ID, or NULL when the template is unknown. */
FS_INLINE const struct mdp3_template *mdp3_template(__u32 id)
{
	const struct mdp3_template *t;

	if (id == 0 || id > MDP3_MAX_TEMPLATE)
		return NULL;
	t = &mdp3_templates[id & MDP3_MAX_TEMPLATE]; /* masked: the verifier bounds the index */
	return t->id == id ? t : NULL;
}

#endif /* FEEDSIEVE_MDP3_TEMPLATES_H */
