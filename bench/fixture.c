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

_Static_assert(FS_MAX_SUBS <= 100000 && BX_OTHERS <= 100000,
	       "5 digits number every PITCH symbol");

/* PREFIX and N as decimal digits, the full width of PROTO's symbols: 8 characters (a full ITCH
 * Stock field), 6 for PITCH's short messages. */
static void numbered_symbol(__u8 proto, char prefix, __u32 n, char out[FS_SYMBOL_LEN + 1])
{
	int width = proto == FS_PROTO_PITCH ? PITCH_SYMBOL_LEN_SHORT : ITCH_SYMBOL_LEN, i;

	out[0] = prefix;
	for (i = width - 1; i > 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
	out[width] = '\0';
}

void bx_sub_symbol(__u8 proto, __u32 slot, char out[FS_SYMBOL_LEN + 1])
{
	numbered_symbol(proto, 'S', slot, out);
}

void bx_other_symbol(__u8 proto, __u32 j, char out[FS_SYMBOL_LEN + 1])
{
	numbered_symbol(proto, 'U', j, out);
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
 * Index instrument ID of the group (feed 0) of PROTO in a fresh id-keyed slot, as user space's
 * commit does (SEAM: take the slot, write the whole entry, then insert the index entry): NAME
 * when its definition (NYSE: mapping) was seen, SUB its bank-0 mark.
 */
static int add_id(struct bx_instance *in, __u8 proto, __s32 id, const char *name, __u32 sub)
{
	struct fs_inst_key key = {.proto = proto, .feed = 0, .pad = 0, .id = (__u32)id};
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
	e->proto = proto;
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

	/* PITCH names its symbols inline: no directory. */
	for (j = 0; proto != FS_PROTO_PITCH && j < BX_OTHERS; j++) {
		bx_other_symbol(proto, j, name);
		if (proto == FS_PROTO_MOLD_ITCH) {
			learn(&in->instruments[bx_other_locate(j)], name, FS_INST_NOT_SUBSCRIBED);
			continue;
		}
		ret = add_id(in, proto, bx_other_id(j), name, FS_INST_NOT_SUBSCRIBED);
		if (ret)
			return ret;
	}
	return 0;
}

/* What differs between the fixtures of the protocols: the group, the floors' programs. */
struct proto_fixture {
	__u32 addr; /* the group, host order */
	__u16 port;
	const char *parse;   /* the parse floor */
	const char *wrapper; /* the path-first wrappers' prefix: PREFIX0.. PREFIXparse */
	const char *targets; /* their program array */
};

static const struct proto_fixture fixtures[FS_PROTO_COUNT] = {
    [FS_PROTO_MOLD_ITCH] = {BF_GROUP_ADDR, BF_GROUP_PORT, "xdp_parse", "first_", "first_targets"},
    [FS_PROTO_MDP3] = {BF_MDP3_GROUP_ADDR, BF_MDP3_GROUP_PORT, "xdp_parse_mdp3", "first_mdp3_",
		       "first_targets_mdp3"},
    [FS_PROTO_NYSE_XDP] = {BF_NYSE_GROUP_ADDR, BF_NYSE_GROUP_PORT, "xdp_parse_nyse", "first_nyse_",
			   "first_targets_nyse"},
    [FS_PROTO_PITCH] = {BF_PITCH_GROUP_ADDR, BF_PITCH_GROUP_PORT, "xdp_parse_pitch",
			"first_pitch_", "first_targets_pitch"},
};

/* Load instance IN of feedsieve_xdp, with its group of PROTO and the unsubscribed directory. */
static int open_instance(struct bx_instance *in, __u8 proto, char *err, size_t errlen)
{
	struct fs_group_key key = {.addr = htonl(fixtures[proto].addr),
				   .port = htons(fixtures[proto].port)};
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
	in->orders_fd = bpf_map__fd(in->skel->maps.fs_orders);
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
	struct bpf_map *m = bpf_object__find_map_by_name(x->floors->obj,
							 fixtures[x->proto].targets);
	int fd = m ? bpf_map__fd(m) : -1;
	__u32 p;

	if (fd < 0)
		return -ENOENT;
	for (p = 0; p < BX_PROGS; p++)
		if (bpf_map_update_elem(fd, &p, &x->prog_fd[p], BPF_ANY))
			return -errno;
	return 0;
}

static int open_floors(struct bx *x, char *err, size_t errlen)
{
	static const char *const wrapper[BX_PROGS] = {"0", "1", "2", "3", "empty", "parse"};
	struct floors_bpf *f = floors_bpf__open_and_load();
	const struct proto_fixture *pf = &fixtures[x->proto];
	struct bpf_program *p;
	char name[32];
	int i, ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "floors_bpf__open_and_load: %s", strerror(-ret));
		return ret;
	}
	x->floors = f;
	x->prog_fd[BX_EMPTY] = bpf_program__fd(f->progs.xdp_empty);
	p = bpf_object__find_program_by_name(f->obj, pf->parse);
	if (!p) {
		snprintf(err, errlen, "floors: no program %s", pf->parse);
		return -ENOENT;
	}
	x->prog_fd[BX_PARSE] = bpf_program__fd(p);
	/* The wrappers by name: first_0.. first_parse, first_mdp3_0.. first_mdp3_parse, ... */
	for (i = 0; i < BX_PROGS; i++) {
		snprintf(name, sizeof(name), "%s%s", pf->wrapper, wrapper[i]);
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
	if (proto >= FS_PROTO_COUNT || !fixtures[proto].parse) {
		snprintf(err, errlen, "no fixture for protocol %u", proto);
		return -EINVAL;
	}
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
		int ret = 0;

		if (x->proto == FS_PROTO_MDP3) {
			__u32 id = (__u32)bx_sub_id(slot);

			if (bpf_map_update_elem(in->ids_fd, &id, &sub, BPF_NOEXIST))
				return -errno;
			ret = add_id(in, x->proto, bx_sub_id(slot), NULL, slot + 1);
			if (ret)
				return ret;
			in->subscribed = slot + 1;
			continue;
		}

		bx_sub_symbol(x->proto, slot, name);
		set_symbol(&key, name);
		if (bpf_map_update_elem(in->subs_fd, &key, &sub, BPF_NOEXIST))
			return -errno;
		if (x->proto == FS_PROTO_MOLD_ITCH)
			learn(sub_entry(in, slot), name, slot + 1);
		else if (x->proto == FS_PROTO_NYSE_XDP)
			ret = add_id(in, x->proto, bx_sub_id(slot), name, slot + 1);
		if (ret)
			return ret;
		in->subscribed = slot + 1;
	}
	return 0;
}

void bx_reset_window(struct bx *x, int i)
{
	memset(x->inst[i].window, 0, sizeof(*x->inst[i].window));
}

long bx_clear_orders(struct bx *x, int i)
{
	static struct fs_order_key keys[4096];
	static struct fs_order values[4096];
	int fd = x->inst[i].orders_fd;
	__u32 batch = 0, n;
	bool first = true;
	long total = 0;
	int err;

	/* Bucket by bucket; the kernel says ENOENT once it has walked them all. */
	for (;; first = false) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);

		n = sizeof(keys) / sizeof(keys[0]);
		err = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &batch, &batch, keys,
						      values, &n, &opts);
		total += n;
		if (err)
			return errno == ENOENT ? total : -errno;
	}
}

int bx_fill_orders(struct bx *x, int i, __u8 channel, __u32 n)
{
	static struct fs_order_key keys[4096];
	static struct fs_order values[4096];
	__u32 done, k, count;

	for (done = 0; done < n; done += count) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);

		count = n - done < 4096 ? n - done : 4096;
		for (k = 0; k < count; k++) {
			keys[k] = (struct fs_order_key){.order_id = 1ULL + done + k, .channel = channel};
			memset(&values[k], 0, sizeof(values[k]));
			set_symbol(&values[k].symbol, "BUSY");
			values[k].remaining = 100;
		}
		if (bpf_map_update_batch(x->inst[i].orders_fd, keys, values, &count, &opts))
			return -errno;
	}
	return 0;
}

int bx_orders_size(struct bx *x, int i, struct bx_map_size *out)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	char path[64], line[128];
	FILE *f;

	if (bpf_obj_get_info_by_fd(x->inst[i].orders_fd, &info, &len))
		return -errno;
	out->max_entries = info.max_entries;
	out->key_size = info.key_size;
	out->value_size = info.value_size;
	out->memlock = -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", x->inst[i].orders_fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &out->memlock) == 1)
			break;
	if (f)
		fclose(f);
	return 0;
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
