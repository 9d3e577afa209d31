// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The capture `make bench-replay` replays: one MoldUDP64/ITCH session on one group, a directory
 * of SYMBOLS Stock Directory messages, then FRAMES frames of exactly 4 Add Orders each, their
 * locates drawn uniformly (seeded) from the directory, one frame every microsecond of capture
 * time (a busy feed). Written with feedgen's own encoder and pcap writer (libpcap, ns).
 *
 *   replay_capture OUT.pcap FRAMES SYMBOLS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "itch_encode.h"
#include "pcap.h"
#include "prng.h"

#define GROUP	       "239.7.7.7"
#define PORT	       26400
#define MSGS_PER_FRAME 4
#define EPOCH_NS       1704205800000000000ULL /* 2024-01-02 14:30 UTC */

static void symbol_name(__u32 i, char out[ITCH_SYMBOL_LEN])
{
	char name[ITCH_SYMBOL_LEN + 1];

	snprintf(name, sizeof(name), "S%u", (__u16)i); /* < 65536 */
	itch_pad_field(out, ITCH_SYMBOL_LEN, name);
}

/* Write P (then start the next one at its next sequence number). */
static int flush(struct pcap_writer *w, struct mold_pkt *p, __u64 *ts)
{
	int err = pcap_writer__write(w, *ts, p->buf, p->len);

	*ts += 1000;
	if (!err)
		err = mold_pkt__init(p, "BENCH00001", mold_pkt__next_seq(p), MOLD_PAYLOAD_MAX);
	return err;
}

static int add(struct mold_pkt *p, const __u8 *msg, int len)
{
	return len < 0 ? len : mold_pkt__append(p, msg, (size_t)len);
}

int main(int argc, char **argv)
{
	struct sockaddr_in group = {.sin_family = AF_INET, .sin_port = htons(PORT)};
	struct pcap_writer *w;
	struct mold_pkt p;
	struct prng rng;
	__u8 msg[ITCH_MSG_MAX];
	__u64 ts = EPOCH_NS, frames, i;
	__u32 nsyms, s, m;
	int err;

	if (argc != 4 || !(frames = strtoull(argv[2], NULL, 10)) ||
	    !(nsyms = (__u32)strtoul(argv[3], NULL, 10)) || nsyms > 65535) {
		fprintf(stderr, "usage: replay_capture OUT.pcap FRAMES SYMBOLS (1..65535)\n");
		return 2;
	}
	inet_pton(AF_INET, GROUP, &group.sin_addr);
	prng__seed(&rng, 1);
	err = pcap_writer__open(&w, argv[1], &group);
	if (!err)
		err = mold_pkt__init(&p, "BENCH00001", 1, MOLD_PAYLOAD_MAX);
	for (s = 0; !err && s < nsyms; s++) {
		struct itch_hdr h = {.locate = (__u16)(s + 1), .timestamp = 1};
		struct itch_stock_directory r = {.market_category = 'Q', .round_lot_size = 100};

		symbol_name(s, r.stock);
		err = add(&p, msg, itch_encode_stock_directory(msg, sizeof(msg), &h, &r));
		if (!err && (p.count == MSGS_PER_FRAME || s + 1 == nsyms))
			err = flush(w, &p, &ts);
	}
	for (i = 0; !err && i < frames; i++) {
		for (m = 0; !err && m < MSGS_PER_FRAME; m++) {
			__u32 sym = (__u32)prng__below(&rng, nsyms);
			struct itch_hdr h = {.locate = (__u16)(sym + 1), .timestamp = 2};
			struct itch_add_order a = {
			    .order_ref = i * MSGS_PER_FRAME + m, .side = 'B', .shares = 100,
			    .price = 1234500};

			symbol_name(sym, a.stock);
			err = add(&p, msg, itch_encode_add_order(msg, sizeof(msg), &h, &a));
		}
		if (!err)
			err = flush(w, &p, &ts);
	}
	if (!err)
		err = pcap_writer__close(w);
	if (err) {
		fprintf(stderr, "replay_capture: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}
