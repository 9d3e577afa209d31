// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Programs and map state of the benchmark; see fixture.h. */
#include <errno.h>
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

#define N_LOCATES ((size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED)

_Static_assert(BX_SUBS_PER_FEED * 2 >= FS_MAX_SUBS, "two feeds hold every subscription");
_Static_assert(BX_SUBS_PER_FEED < BX_OTHER_BASE &&
		       BX_OTHER_BASE + BX_OTHERS <= FS_LOCATES_PER_FEED,
	       "subscribed and unsubscribed locates of feed 0 do not overlap");

__u16 bx_sub_locate(__u32 slot)
{
	return (__u16)(1 + slot % BX_SUBS_PER_FEED);
}

__u16 bx_other_locate(__u32 j)
{
	return (__u16)(BX_OTHER_BASE + j);
}

/* PREFIX and N as 7 decimal digits: 8 characters, a full-width ITCH symbol. */
static void numbered_symbol(char prefix, __u32 n, char out[FS_SYMBOL_LEN + 1])
{
	int i;

	out[0] = prefix;
	for (i = FS_SYMBOL_LEN - 1; i > 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
	out[FS_SYMBOL_LEN] = '\0';
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
	memset(s->name, ' ', FS_SYMBOL_LEN);
	memcpy(s->name, name, strnlen(name, FS_SYMBOL_LEN));
	s->name[FS_SYMBOL_LEN] = '\0';
}

static struct fs_locate *sub_entry(struct bx *x, __u32 slot)
{
	size_t feed = slot / BX_SUBS_PER_FEED;

	return &x->locates[feed * FS_LOCATES_PER_FEED + bx_sub_locate(slot)];
}

/* A directory entry as the program writes it when the Stock Directory passes. */
static void learn(struct fs_locate *e, const char *name, __u32 sub)
{
	set_symbol(&e->symbol, name);
	e->sub = sub;
	e->flags = FS_LOCATE_F_KNOWN;
}

static int add_group(struct bx *x)
{
	struct fs_group_key key = {.addr = htonl(BF_GROUP_ADDR), .port = htons(BF_GROUP_PORT)};
	struct fs_group g = {.id = 0, .proto = FS_PROTO_MOLD_ITCH, .feed = 0, .channel = 0,
			     .line = FS_LINE_A};
	int fd = bpf_map__fd(x->skel->maps.fs_groups);

	return bpf_map_update_elem(fd, &key, &g, BPF_NOEXIST) ? -errno : 0;
}

int bx_open(struct bx *x, char *err, size_t errlen)
{
	char name[FS_SYMBOL_LEN + 1];
	void *p;
	__u32 j;
	int ret;

	memset(x, 0, sizeof(*x));
	x->skel = feedsieve_bpf__open_and_load();
	if (!x->skel) {
		ret = -errno;
		snprintf(err, errlen, "feedsieve_bpf__open_and_load: %s", strerror(-ret));
		return ret;
	}
	x->floors = floors_bpf__open_and_load();
	if (!x->floors) {
		ret = -errno;
		snprintf(err, errlen, "floors_bpf__open_and_load: %s", strerror(-ret));
		goto fail;
	}
	x->prog_fd[BX_REAL] = bpf_program__fd(x->skel->progs.feedsieve_xdp);
	x->prog_fd[BX_EMPTY] = bpf_program__fd(x->floors->progs.xdp_empty);
	x->prog_fd[BX_PARSE] = bpf_program__fd(x->floors->progs.xdp_parse);
	x->subs_fd = bpf_map__fd(x->skel->maps.fs_subs);
	x->stats_fd = bpf_map__fd(x->skel->maps.fs_stats);

	x->ncpus = libbpf_num_possible_cpus();
	if (x->ncpus <= 0) {
		ret = x->ncpus ? x->ncpus : -EINVAL;
		snprintf(err, errlen, "libbpf_num_possible_cpus: %s", strerror(-ret));
		goto fail;
	}
	x->percpu = calloc((size_t)x->ncpus, sizeof(*x->percpu));
	if (!x->percpu) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	x->locates_len = N_LOCATES * sizeof(struct fs_locate);
	p = mmap(NULL, x->locates_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(x->skel->maps.fs_locates), 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		snprintf(err, errlen, "mmap fs_locates: %s", strerror(-ret));
		goto fail;
	}
	x->locates = p;

	ret = add_group(x);
	if (ret) {
		snprintf(err, errlen, "fs_groups: add the benchmark group: %s", strerror(-ret));
		goto fail;
	}
	for (j = 0; j < BX_OTHERS; j++) {
		bx_other_symbol(j, name);
		learn(&x->locates[bx_other_locate(j)], name, FS_LOCATE_NOT_SUBSCRIBED);
	}
	return 0;
fail:
	bx_close(x);
	return ret;
}

void bx_close(struct bx *x)
{
	if (x->locates)
		munmap(x->locates, x->locates_len);
	free(x->percpu);
	floors_bpf__destroy(x->floors);
	feedsieve_bpf__destroy(x->skel);
	memset(x, 0, sizeof(*x));
}

/* Delete every subscription and unmark its locate (the directory entry stays learned). Keys are
 * rebuilt from the slots: walking a hash map with get_next_key while deleting is quadratic. */
static int unsubscribe_all(struct bx *x)
{
	char name[FS_SYMBOL_LEN + 1];
	struct fs_symbol key;
	__u32 slot;

	for (slot = 0; slot < x->subscribed; slot++) {
		bx_sub_symbol(slot, name);
		set_symbol(&key, name);
		if (bpf_map_delete_elem(x->subs_fd, &key))
			return -errno;
		sub_entry(x, slot)->sub = FS_LOCATE_NOT_SUBSCRIBED;
	}
	x->subscribed = 0;
	return 0;
}

int bx_subscribe(struct bx *x, __u32 n)
{
	char name[FS_SYMBOL_LEN + 1];
	struct fs_symbol key;
	__u32 slot;
	int ret;

	if (n > FS_MAX_SUBS)
		return -EINVAL;
	if (n < x->subscribed) {
		ret = unsubscribe_all(x);
		if (ret)
			return ret;
	}
	for (slot = x->subscribed; slot < n; slot++) {
		struct fs_sub sub = {.slot = slot};

		bx_sub_symbol(slot, name);
		set_symbol(&key, name);
		if (bpf_map_update_elem(x->subs_fd, &key, &sub, BPF_NOEXIST))
			return -errno;
		learn(sub_entry(x, slot), name, slot + 1);
		x->subscribed = slot + 1;
	}
	return 0;
}

#define ADD_FIELD_(name, desc) sum->name += v->name;

int bx_counters(struct bx *x, struct fs_counters *sum)
{
	__u32 zero = 0;
	int c;

	if (bpf_map_lookup_elem(x->stats_fd, &zero, x->percpu))
		return -errno;
	memset(sum, 0, sizeof(*sum));
	for (c = 0; c < x->ncpus; c++) {
		const struct fs_counters *v = &x->percpu[c];

		FS_COUNTER_FIELDS(ADD_FIELD_)
	}
	return 0;
}
