// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How `feedsieve consume` prints events: one JSON object or one text line each. */
#include <stdio.h>

#include "cli.h"

/* {"group":"239.1.1.1:26400","channel":"X","line":"A","session":"S", -- the common head */
static void print_head(const struct fs_event *ev)
{
	char group[FS_GROUP_STR_LEN], session[MOLD_SESSION_LEN + 1];

	fs_group_str(&ev->frame->group, group);
	fs_session_str(ev->session, session);
	printf("{\"group\":\"%s\",\"channel\":", group);
	fs_json_str(stdout, ev->channel_name);
	printf(",\"line\":\"%s\",\"session\":", fs_line_str(ev->frame->line));
	fs_json_str(stdout, session);
}

static void print_msg_json(const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	char sym[FS_SYMBOL_LEN + 1], type[2] = {(char)m->type, '\0'};

	print_head(ev);
	printf(",\"seq\":%llu,\"type\":", (unsigned long long)m->seq);
	fs_json_str(stdout, type);
	printf(",\"locate\":%u", m->locate);
	if (m->symbol_known) {
		fs_symbol_str(&m->symbol, sym);
		printf(",\"symbol\":");
		fs_json_str(stdout, sym);
	}
	printf("%s}\n", ev->late ? ",\"late\":true" : "");
}

static void print_range_json(const char *what, const struct fs_event *ev)
{
	printf("{\"%s\":{\"channel\":", what);
	fs_json_str(stdout, ev->channel_name);
	printf(",\"from\":%llu,\"count\":%llu}}\n", (unsigned long long)ev->from,
	       (unsigned long long)ev->count);
}

void consume_print_json(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1];

	switch (ev->type) {
	case FS_EV_MESSAGE:
		print_msg_json(ev);
		break;
	case FS_EV_GAP:
		print_range_json("gap", ev);
		break;
	case FS_EV_GAP_RECOVERED:
		print_range_json("gap_recovered", ev);
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
		print_head(ev);
		printf(",\"%s\":true,\"next_seq\":%llu}\n",
		       ev->type == FS_EV_HEARTBEAT ? "heartbeat" : "end_of_session",
		       (unsigned long long)ev->from);
		break;
	case FS_EV_SESSION:
		fs_session_str(ev->session, session);
		printf("{\"session_start\":{\"channel\":");
		fs_json_str(stdout, ev->channel_name);
		printf(",\"session\":");
		fs_json_str(stdout, session);
		printf(",\"from\":%llu}}\n", (unsigned long long)ev->from);
		break;
	case FS_EV_STALE:
		printf("{\"stale\":{\"channel\":");
		fs_json_str(stdout, ev->channel_name);
		printf(",\"idle_ms\":%llu}}\n", (unsigned long long)(ev->idle_ns / 1000000));
		break;
	case FS_EV_MALFORMED: {
		char group[FS_GROUP_STR_LEN];

		fs_group_str(&ev->frame->group, group);
		printf("{\"group\":\"%s\",\"malformed\":true,\"len\":%u}\n", group,
		       ev->frame->len);
		break;
	}
	}
}

void consume_print_text(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1], sym[FS_SYMBOL_LEN + 1];
	const struct fs_msg *m = ev->msg;

	fs_session_str(ev->session, session);
	switch (ev->type) {
	case FS_EV_MESSAGE:
		if (m->symbol_known)
			fs_symbol_str(&m->symbol, sym);
		printf("%s %s seq=%llu type=%c locate=%u symbol=%s%s\n", ev->channel_name, session,
		       (unsigned long long)m->seq, m->type, m->locate, m->symbol_known ? sym : "?",
		       ev->late ? " (late)" : "");
		break;
	case FS_EV_GAP:
	case FS_EV_GAP_RECOVERED:
		printf("%s %s %s: %llu messages from seq %llu\n", ev->channel_name, session,
		       ev->type == FS_EV_GAP ? "GAP" : "gap recovered",
		       (unsigned long long)ev->count, (unsigned long long)ev->from);
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
	case FS_EV_SESSION:
		printf("%s %s %s next_seq=%llu\n", ev->channel_name, session,
		       ev->type == FS_EV_HEARTBEAT	   ? "heartbeat"
		       : ev->type == FS_EV_END_OF_SESSION ? "end of session"
							  : "session start",
		       (unsigned long long)ev->from);
		break;
	case FS_EV_STALE:
		printf("%s STALE: no packet for %llu ms\n", ev->channel_name,
		       (unsigned long long)(ev->idle_ns / 1000000));
		break;
	case FS_EV_MALFORMED:
		printf("%s malformed frame, %u bytes\n", ev->channel_name, ev->frame->len);
		break;
	}
}

