// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Programs and map state of the benchmark; see fixture.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "feedsieve.skel.h"
#include "floors.skel.h"
#include "fixture.h"
#include "frames.h"


_Static_assert(BX_SUBS_PER_FEED * 2 >= FS_MAX_SUBS, "two feeds hold every subscription");
_Static_assert(BX_SUB_ID_BASE + FS_MAX_SUBS <= BX_OTHER_ID_BASE,
	       "subscribed and unsubscribed ids do not overlap");
_Static_assert(FS_MAX_SUBS + BX_OTHERS <= FS_MAX_INSTRUMENTS, "every id has a directory slot");
_Static_assert(BX_SUBS_PER_FEED < BX_OTHER_BASE && BX_OTHER_BASE + BX_OTHERS <= FS_LOCATES_PER_FEED,
	       "subscribed and unsubscribed locates of feed 0 do not overlap");

__u16 bx_sub_locate(__u32 slot)
{
	return (__u16)(1 + slot % BX_SUBS_PER_FEED);
}

__u16 bx_other_locate(__u32 j)
{
	return (__u16)(BX_OTHER_BASE + j);
}

__s32 bx_sub_id(__u32 slot)
{
	return (__s32)(BX_SUB_ID_BASE + slot);
}

__s32 bx_other_id(__u32 j)
{
	return (__s32)(BX_OTHER_ID_BASE + j);
}

/* PREFIX and N as 7 decimal digits: 8 characters, a full-width ITCH symbol. */
static void numbered_symbol(char prefix, __u32 n, char out[ITCH_SYMBOL_LEN + 1])
{
	int i;

	out[0] = prefix;
	for (i = ITCH_SYMBOL_LEN - 1; i > 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
	out[ITCH_SYMBOL_LEN] = '\0';
}

void bx_sub_symbol(__u32 slot, char out[FS_SYMBOL_LEN + 1])
{
	numbered_symbol('S', slot, out);
}

void bx_other_symbol(__u32 j, char out[FS_SYMBOL_LEN + 1])
{
	numbered_symbol('U', j, out);
}

static void set_symbol(struct fs_symbol *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, strnlen(name, FS_SYMBOL_LEN));
}

static struct fs_instrument *sub_entry(struct bx_instance *in, __u32 slot)
{
	size_t feed = slot / BX_SUBS_PER_FEED;

	return &in->instruments[feed * FS_LOCATES_PER_FEED + bx_sub_locate(slot)];
}

/* A directory entry as the program writes it when the Stock Directory passes. */
static void learn(struct fs_instrument *e, const char *name, __u32 sub)
{
	set_symbol(&e->symbol, name);
	e->sub[0] = sub; /* the benchmark runs on bank 0 */
	e->sub[1] = FS_INST_NOT_SUBSCRIBED;
	e->flags = FS_INST_F_KNOWN;
}

/*
 * Index instrument ID of the MDP3 group in a fresh id-keyed slot, as user space's commit does
 * (SEAM: take the slot, write the whole entry, then insert the index entry): NAME when its
 * definition was seen, SUB its bank-0 mark.
 */
static int add_id(struct bx_instance *in, __s32 id, const char *name, __u32 sub)
{
	struct fs_inst_key key = {.proto = FS_PROTO_MDP3, .feed = 0, .pad = 0, .id = (__u32)id};
	__u32 slot = FS_LOCATE_SLOTS + in->inst_next, zero = 0;
	struct fs_bank_state bank;
	struct fs_instrument *e;

	if (in->inst_next >= FS_MAX_INSTRUMENTS)
		return -ENOSPC;
	e = &in->instruments[slot];
	if (name)
		learn(e, name, sub);
	else {
		memset(e, 0, sizeof(*e));
		e->sub[0] = sub;
		e->sub[1] = FS_INST_NOT_SUBSCRIBED;
	}
	e->flags |= FS_INST_F_ID;
	e->id = (__u32)id;
	e->proto = FS_PROTO_MDP3;
	e->feed = 0;
	in->inst_next++;
	if (bpf_map_lookup_elem(in->bank_fd, &zero, &bank))
		return -errno;
	bank.inst_next = in->inst_next;
	if (bpf_map_update_elem(in->bank_fd, &zero, &bank, BPF_ANY) ||
	    bpf_map_update_elem(in->index_fd, &key, &slot, BPF_NOEXIST))
		return -errno;
	return 0;
}

/* The instruments the frames name that no instance subscribes: learned, not subscribed. */
static int add_others(struct bx_instance *in, __u8 proto)
{
	char name[FS_SYMBOL_LEN + 1];
	__u32 j;
	int ret;

	for (j = 0; j < BX_OTHERS; j++) {
		bx_other_symbol(j, name);
		if (proto == FS_PROTO_MOLD_ITCH) {
			learn(&in->instruments[bx_other_locate(j)], name, FS_INST_NOT_SUBSCRIBED);
			continue;
		}
		ret = add_id(in, bx_other_id(j), name, FS_INST_NOT_SUBSCRIBED);
		if (ret)
			return ret;
	}
	return 0;
}

/* Load instance IN of feedsieve_xdp, with its group of PROTO and the unsubscribed directory. */
static int open_instance(struct bx_instance *in, __u8 proto, char *err, size_t errlen)
{
	bool itch = proto == FS_PROTO_MOLD_ITCH;
	struct fs_group_key key = {
	    .addr = htonl(itch ? BF_GROUP_ADDR : BF_MDP3_GROUP_ADDR),
	    .port = htons(itch ? BF_GROUP_PORT : BF_MDP3_GROUP_PORT)};
	struct fs_group g = {.id = 0, .proto = proto, .feed = 0, .channel = 0, .line = FS_LINE_A};
	void *p;
	int ret;

	in->skel = feedsieve_bpf__open_and_load();
	if (!in->skel) {
		ret = -errno;
		snprintf(err, errlen, "feedsieve_bpf__open_and_load: %s", strerror(-ret));
		return ret;
	}
	in->subs_fd = bpf_map__fd(in->skel->maps.fs_subs_0); /* the benchmark runs on bank 0 */
	in->stats_fd = bpf_map__fd(in->skel->maps.fs_stats);
	in->ids_fd = bpf_map__fd(in->skel->maps.fs_ids_0);
	in->index_fd = bpf_map__fd(in->skel->maps.fs_inst_index);
	in->bank_fd = bpf_map__fd(in->skel->maps.fs_bank);
	if (bpf_map_update_elem(bpf_map__fd(in->skel->maps.fs_groups_0), &key, &g, BPF_NOEXIST)) {
		ret = -errno;
		snprintf(err, errlen, "fs_groups: add the benchmark group: %s", strerror(-ret));
		return ret;
	}
	in->instruments_len = (size_t)FS_INSTRUMENT_SLOTS * sizeof(struct fs_instrument);
	p = mmap(NULL, in->instruments_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(in->skel->maps.fs_instruments), 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		snprintf(err, errlen, "mmap fs_instruments: %s", strerror(-ret));
		return ret;
	}
	in->instruments = p;
	in->window_len = (sizeof(*in->window) + 4095) & ~(size_t)4095; /* whole pages */
	p = mmap(NULL, in->window_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(in->skel->maps.fs_windows), 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		snprintf(err, errlen, "mmap fs_windows: %s", strerror(-ret));
		return ret;
	}
	in->window = p;
	ret = add_others(in, proto);
	if (ret)
		snprintf(err, errlen, "the unsubscribed directory: %s", strerror(-ret));
	return ret;
}

/* The wrappers' tail-call slots. Programs of two objects may share a program array: all are
 * XDP, JIT-compiled, without fragments. */
static int fill_first_targets(struct bx *x)
{
	int fd = bpf_map__fd(x->proto == FS_PROTO_MOLD_ITCH ? x->floors->maps.first_targets
							     : x->floors->maps.first_targets_mdp3);
	__u32 p;

	for (p = 0; p < BX_PROGS; p++)
		if (bpf_map_update_elem(fd, &p, &x->prog_fd[p], BPF_ANY))
			return -errno;
	return 0;
}

static int open_floors(struct bx *x, char *err, size_t errlen)
{
	static const char *const wrapper[BX_PROGS] = {"0", "1", "2", "3", "empty", "parse"};
	struct floors_bpf *f = floors_bpf__open_and_load();
	struct bpf_program *p;
	char name[32];
	bool itch;
	int i, ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "floors_bpf__open_and_load: %s", strerror(-ret));
		return ret;
	}
	x->floors = f;
	itch = x->proto == FS_PROTO_MOLD_ITCH;
	x->prog_fd[BX_EMPTY] = bpf_program__fd(f->progs.xdp_empty);
	x->prog_fd[BX_PARSE] =
	    bpf_program__fd(itch ? f->progs.xdp_parse : f->progs.xdp_parse_mdp3);
	/* The wrappers by name: first_0.. first_parse, first_mdp3_0.. first_mdp3_parse. */
	for (i = 0; i < BX_PROGS; i++) {
		snprintf(name, sizeof(name), "first_%s%s", itch ? "" : "mdp3_", wrapper[i]);
		p = bpf_object__find_program_by_name(f->obj, name);
		if (!p) {
			snprintf(err, errlen, "floors: no program %s", name);
			return -ENOENT;
		}
		x->first_fd[i] = bpf_program__fd(p);
	}
	ret = fill_first_targets(x);
	if (ret)
		snprintf(err, errlen, "first_targets: %s", strerror(-ret));
	return ret;
}

int bx_open(struct bx *x, __u8 proto, char *err, size_t errlen)
{
	int i, ret;

	memset(x, 0, sizeof(*x));
	x->proto = proto;
	x->ncpus = libbpf_num_possible_cpus();
	if (x->ncpus <= 0) {
		ret = x->ncpus ? x->ncpus : -EINVAL;
		snprintf(err, errlen, "libbpf_num_possible_cpus: %s", strerror(-ret));
		return ret;
	}
	x->percpu = calloc((size_t)x->ncpus, sizeof(*x->percpu));
	if (!x->percpu) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < BX_INSTANCES; i++) {
		ret = open_instance(&x->inst[i], proto, err, errlen);
		if (ret)
			goto fail;
		x->prog_fd[i] = bpf_program__fd(x->inst[i].skel->progs.feedsieve_xdp);
	}
	ret = open_floors(x, err, errlen);
	if (ret)
		goto fail;
	return 0;
fail:
	bx_close(x);
	return ret;
}

void bx_close(struct bx *x)
{
	int i;

	for (i = 0; i < BX_INSTANCES; i++) {
		if (x->inst[i].instruments)
			munmap(x->inst[i].instruments, x->inst[i].instruments_len);
		if (x->inst[i].window)
			munmap(x->inst[i].window, x->inst[i].window_len);
		feedsieve_bpf__destroy(x->inst[i].skel);
	}
	floors_bpf__destroy(x->floors);
	free(x->percpu);
	memset(x, 0, sizeof(*x));
}

int bx_subscribe(struct bx *x, int i, __u32 n)
{
	struct bx_instance *in = &x->inst[i];
	char name[FS_SYMBOL_LEN + 1];
	struct fs_symbol key;
	__u32 slot;

	if (n > FS_MAX_SUBS || n < in->subscribed)
		return -EINVAL;
	for (slot = in->subscribed; slot < n; slot++) {
		struct fs_sub sub = {.slot = slot};

		if (x->proto == FS_PROTO_MDP3) {
			__u32 id = (__u32)bx_sub_id(slot);
			int ret;

			if (bpf_map_update_elem(in->ids_fd, &id, &sub, BPF_NOEXIST))
				return -errno;
			ret = add_id(in, bx_sub_id(slot), NULL, slot + 1);
			if (ret)
				return ret;
			in->subscribed = slot + 1;
			continue;
		}

		bx_sub_symbol(slot, name);
		set_symbol(&key, name);
		if (bpf_map_update_elem(in->subs_fd, &key, &sub, BPF_NOEXIST))
			return -errno;
		learn(sub_entry(in, slot), name, slot + 1);
		in->subscribed = slot + 1;
	}
	return 0;
}

void bx_reset_window(struct bx *x, int i)
{
	memset(x->inst[i].window, 0, sizeof(*x->inst[i].window));
}

#define ADD_FIELD_(name, desc) sum->name += v->name;

int bx_counters(struct bx *x, int i, struct fs_counters *sum)
{
	__u32 zero = 0;
	int c;

	if (bpf_map_lookup_elem(x->inst[i].stats_fd, &zero, x->percpu))
		return -errno;
	memset(sum, 0, sizeof(*sum));
	for (c = 0; c < x->ncpus; c++) {
		const struct fs_counters *v = &x->percpu[c];

		FS_COUNTER_FIELDS(ADD_FIELD_)
	}
	return 0;
}
