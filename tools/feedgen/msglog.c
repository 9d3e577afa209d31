// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON-lines log of the messages sent. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <feedsieve/wire_itch.h>

#include "itch_encode.h"
#include "msglog.h"

/* Room for a JSON-escaped session name: every character may need a backslash. */
#define SESSION_JSON_MAX (2 * MOLD_SESSION_LEN + 1)

struct msglog {
	FILE *f;
	const struct symtab *syms;
	char group[64];
	__u8 session[MOLD_SESSION_LEN]; /* padded, as last seen on the wire */
	char session_json[SESSION_JSON_MAX];
	__u8 *only; /* NULL, or a bitmap of the locates to log */
};

static __u16 get_be16(const __u8 *p)
{
	__u16 v;

	memcpy(&v, p, sizeof(v));
	return bpf_ntohs(v);
}

static __u64 get_be64(const __u8 *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return bpf_be64_to_cpu(v);
}

/* Strip the padding and escape what JSON requires; session names are printable ASCII. */
static void session_to_json(char *out, const __u8 *padded)
{
	size_t len = MOLD_SESSION_LEN, i;

	while (len > 0 && padded[len - 1] == ' ')
		len--;
	for (i = 0; i < len; i++) {
		if (padded[i] == '"' || padded[i] == '\\')
			*out++ = '\\';
		*out++ = (char)padded[i];
	}
	*out = '\0';
}

int msglog__open(struct msglog **out, const char *path, const char *group,
		 const struct symtab *syms)
{
	struct msglog *l;
	int err;

	if (strlen(group) >= sizeof(l->group))
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->f = fopen(path, "w");
	if (!l->f) {
		err = -errno;
		free(l);
		return err;
	}
	strcpy(l->group, group);
	l->syms = syms;
	*out = l;
	return 0;
}

/* stdio sets errno on a failed write; EIO covers the odd case where it does not. */
static int write_error(void)
{
	return errno ? -errno : -EIO;
}

static int write_line(struct msglog *l, __u64 seq, const __u8 *msg)
{
	char sym[ITCH_SYMBOL_LEN + 1];
	__u16 locate = get_be16(msg + ITCH_OFF_LOCATE);
	char type = (char)msg[ITCH_OFF_TYPE];
	int n;

	if (type < '!' || type > '~' || type == '"' || type == '\\')
		return -EINVAL;
	errno = 0;
	n = fprintf(l->f,
		    "{\"group\":\"%s\",\"session\":\"%s\",\"seq\":%" PRIu64
		    ",\"type\":\"%c\",\"locate\":%u",
		    l->group, l->session_json, (uint64_t)seq, type, locate);
	if (n < 0)
		return write_error();
	if (locate) {
		/* E, X and D name no symbol on the wire; their locate does. */
		if (symtab__name(l->syms, locate, sym))
			return -EINVAL;
		if (fprintf(l->f, ",\"symbol\":\"%s\"", sym) < 0)
			return write_error();
	}
	if (fputs("}\n", l->f) == EOF)
		return write_error();
	return 0;
}

int msglog__write_packet(struct msglog *l, const void *payload, size_t len)
{
	const __u8 *p = payload;
	__u16 count, i, blen;
	size_t off;
	__u64 seq;
	int err;

	if (len < MOLD_HDR_LEN)
		return -EINVAL;
	count = get_be16(p + MOLD_OFF_COUNT);
	if (count == MOLD_COUNT_HEARTBEAT || count == MOLD_COUNT_END_OF_SESSION)
		return 0;
	if (memcmp(l->session, p + MOLD_OFF_SESSION, MOLD_SESSION_LEN) != 0) {
		memcpy(l->session, p + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
		session_to_json(l->session_json, l->session);
	}
	seq = get_be64(p + MOLD_OFF_SEQ);
	off = MOLD_HDR_LEN;
	for (i = 0; i < count; i++) {
		const __u8 *msg;

		if (mold_next_block(p, len, &off, &msg, &blen) < 0 || blen < ITCH_MIN_READ_LEN)
			return -EINVAL;
		if (msglog__wants(l, get_be16(msg + ITCH_OFF_LOCATE))) {
			err = write_line(l, seq + i, msg);
			if (err)
				return err;
		}
	}
	return 0;
}

int msglog__only_symbols(struct msglog *l, const char *list)
{
	char *copy, *tok, *save = NULL;
	__u32 key;
	int err = 0;

	l->only = calloc(65536 / 8, 1);
	copy = strdup(list);
	if (!l->only || !copy) {
		free(copy);
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		key = symtab__key_of_name(l->syms, tok);
		if (!key) {
			err = -ENOENT;
			break;
		}
		l->only[key / 8] |= (__u8)(1u << (key % 8));
	}
	free(copy);
	return err;
}

bool msglog__wants(const struct msglog *l, __u32 key)
{
	return !l->only || (key < 65536 && (l->only[key / 8] & (1u << (key % 8))));
}

const struct symtab *msglog__syms(const struct msglog *l)
{
	return l->syms;
}

int msglog__printf(struct msglog *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	errno = 0;
	va_start(ap, fmt);
	n = vfprintf(l->f, fmt, ap);
	va_end(ap);
	return n < 0 ? write_error() : 0;
}

int msglog__put_symbol(struct msglog *l, const char *name, size_t max)
{
	char out[2 * FS_SYMBOL_LEN + 1], *o = out;
	size_t i;

	if (max > FS_SYMBOL_LEN)
		return -EINVAL;
	for (i = 0; i < max && name[i]; i++) {
		if (name[i] < ' ' || name[i] > '~')
			return -EINVAL;
		if (name[i] == '"' || name[i] == '\\')
			*o++ = '\\';
		*o++ = name[i];
	}
	*o = '\0';
	return msglog__printf(l, ",\"symbol\":\"%s\"", out);
}

int msglog__close(struct msglog *l)
{
	int err = 0;

	if (!l)
		return 0;
	free(l->only);
	if (ferror(l->f))
		err = -EIO;
	errno = 0;
	if (fclose(l->f) && !err)
		err = write_error();
	free(l);
	return err;
}
