// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Deterministic symbol names and the Zipf popularity table. */
#define _GNU_SOURCE /* strchrnul */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itch_encode.h"
#include "symbols.h"

struct symtab {
	__u32 n;
	enum symtab_style style;
	char (*padded)[ITCH_SYMBOL_LEN]; /* ITCH only */
	char (*names)[FS_SYMBOL_LEN + 1];
	__u32 *ids;
	__u32 *by_id;	/* keys sorted by id, for lookups */
	__u32 *by_name; /* keys sorted by name */
	__u64 *cdf;	/* cdf[i] = sum of the weights of ranks 0..i */
};

/* Large Nasdaq listings, roughly by trading activity; the hot end of every generated session. */
static const char *const well_known[] = {
    "AAPL", "MSFT", "NVDA",  "AMZN", "GOOGL", "META", "TSLA", "AVGO", "GOOG", "COST",
    "NFLX", "AMD",  "PEP",   "ADBE", "CSCO",  "TMUS", "INTC", "QCOM", "TXN",  "AMGN",
    "INTU", "ISRG", "CMCSA", "HON",  "AMAT",  "BKNG", "SBUX", "GILD", "MDLZ", "ADP",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N_WELL_KNOWN ARRAY_LEN(well_known)

/*
 * Synthetic names are four letters, base 26, of a scrambled counter: multiplying by a constant
 * coprime to 26^4 is a bijection on 0..26^4-1, so names are distinct yet do not look sequential.
 * 26^4 = 456976 is far more than the 65535 locates.
 */
#define SYNTH_SPACE 456976ULL
#define SYNTH_MUL   104729ULL /* prime, coprime to 2 and 13 */
#define SYNTH_ADD   7919ULL

static void synth_name(__u64 k, char out[5])
{
	__u64 v = (k * SYNTH_MUL + SYNTH_ADD) % SYNTH_SPACE;
	int i;

	for (i = 3; i >= 0; i--) {
		out[i] = (char)('A' + v % 26);
		v /= 26;
	}
	out[4] = '\0';
}

static bool is_well_known(const char *name)
{
	size_t i;

	for (i = 0; i < N_WELL_KNOWN; i++) {
		if (!strcmp(name, well_known[i]))
			return true;
	}
	return false;
}

static int fill_itch_names(struct symtab *t)
{
	char name[5];
	__u64 k = 0;
	__u32 i;
	int err;

	for (i = 0; i < t->n; i++) {
		if (i < N_WELL_KNOWN) {
			err = itch_pad_field(t->padded[i], ITCH_SYMBOL_LEN, well_known[i]);
			if (err)
				return err;
			continue;
		}
		/* Skip the few synthetic names that are also real tickers in our list. */
		do {
			synth_name(k++, name);
		} while (is_well_known(name));
		err = itch_pad_field(t->padded[i], ITCH_SYMBOL_LEN, name);
		if (err)
			return err;
	}
	return 0;
}

/*
 * CME Globex symbols, the hot end of an MDP3 session: outright futures (root, month code, year
 * digit), calendar spreads (two outrights joined by '-'), and two with spaces as CME's butterfly
 * and user-defined spread symbols have, one of them the full 20 characters.
 */
static const char *const well_known_mdp3[] = {
    "ESZ6",	 "NQZ6",	    "ESZ6-ESH7", "CLF7",      "ZNH7",  "NQH7",  "GCG7",  "6EZ6",
    "ES:BF Z6-H7-M7", "RTYZ6", "YMZ6",	"ZBH7",	     "NQZ6-NQH7", "SIH7",  "NGF7",
    "UD:1V: VT 0123456789", "ESH7", "ZFH7", "ZTH7", "HGH7", "6JZ6", "ZCH7", "ZSF7", "ZWH7",
    "CLF7-CLG7", "CLG7", "MESZ6", "MNQZ6", "BTCZ6", "NQH7-NQM7",
};

#define N_WELL_KNOWN_MDP3 (sizeof(well_known_mdp3) / sizeof(well_known_mdp3[0]))

/* Synthetic outrights: a 3-letter root, a month code and a year digit of a scrambled counter. */
#define MDP3_SYNTH_SPACE (17576ULL * 12 * 10)
#define MDP3_SYNTH_MUL	 104729ULL /* prime, coprime to 2, 3, 5 and 13 */
static const char month_codes[] = "FGHJKMNQUVXZ";

static void synth_future(__u64 k, char out[FS_SYMBOL_LEN + 1])
{
	__u64 v = (k * MDP3_SYNTH_MUL + SYNTH_ADD) % MDP3_SYNTH_SPACE;

	out[5] = '\0';
	out[4] = (char)('0' + v % 10);
	out[3] = month_codes[(v / 10) % 12];
	v /= 120;
	out[2] = (char)('A' + v % 26);
	out[1] = (char)('A' + v / 26 % 26);
	out[0] = (char)('A' + v / 676 % 26);
}

static bool is_well_known_mdp3(const char *name)
{
	size_t i;

	for (i = 0; i < N_WELL_KNOWN_MDP3; i++)
		if (!strcmp(name, well_known_mdp3[i]))
			return true;
	return false;
}

/* Every fifth synthetic instrument is the spread of the previous outright with the next year. */
static void fill_mdp3_names(struct symtab *t)
{
	char prev[FS_SYMBOL_LEN + 1] = "";
	__u64 k = 0;
	__u32 i;

	for (i = 0; i < t->n; i++) {
		char *name = t->names[i];

		if (i < N_WELL_KNOWN_MDP3) {
			strcpy(name, well_known_mdp3[i]);
			continue;
		}
		if ((i - N_WELL_KNOWN_MDP3) % 5 == 4) {
			snprintf(name, FS_SYMBOL_LEN + 1, "%s-%.4s%c", prev, prev,
				 prev[4] == '9' ? '0' : prev[4] + 1);
			continue;
		}
		do {
			synth_future(k++, name);
		} while (is_well_known_mdp3(name));
		strcpy(prev, name);
	}
}

/*
 * NYSE listings, the hot end of an XDP session: share classes are written with an inner space as
 * the Integrated Feed's Symbol Index Mapping carries them ("BRK A"), and one name uses all 11
 * characters of the symbol field (a preferred class of NYSE's test symbol).
 */
static const char *const well_known_nyse[] = {
    "BAC", "JPM", "BRK A", "XOM", "WFC", "T", "BRK B", "GE", "F", "PFE",
    "ZVZZT PRA W", "KO", "DIS", "C", "VZ", "BA", "PG", "JNJ", "WMT", "HD",
    "MRK", "CVX", "IBM", "BF B", "NKE", "MCD", "ORCL", "UNH", "V", "MA",
};

/*
 * Cboe US equities names: at most 8 characters without spaces. Those of 7 and 8 characters
 * (test symbols with suffixes) only fit the expanded messages, the others the short and long.
 */
static const char *const well_known_pitch[] = {
    "SPY",  "QQQ",  "AAPL", "ZVZZTPRA", "IWM", "TSLA", "ZWZZTWS", "NVDA", "AMD",  "MSFT",
    "ZVZZT", "ZXZZT", "META", "AMZN",  "GOOGL", "XLF", "EEM",    "GLD",  "TQQQ", "SQQQ",
    "SOXL", "ARKK", "HYG",  "TLT",     "XLE",  "SMH",  "DIA",    "VXX",  "UVXY", "KRE",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

/* LIST first, then the synthetic four-letter names that are not in it. */
static void fill_listed_names(struct symtab *t, const char *const *list, size_t n)
{
	__u64 k = 0;
	__u32 i;

	for (i = 0; i < t->n; i++) {
		if (i < n) {
			strcpy(t->names[i], list[i]);
			continue;
		}
		do {
			synth_name(k++, t->names[i]);
		} while (in_list(t->names[i], list, n));
	}
}

/*
 * SecurityIDs: distinct six-digit numbers that do not look sequential; 7919 is prime and does
 * not divide 900000, so i -> i * 7919 mod 900000 is a bijection.
 */
static __u32 mdp3_security_id(__u32 i)
{
	return 100000 + (__u32)(((__u64)i * 7919 + 12345) % 900000);
}

/*
 * Largest r with r^10 <= x. Integer so the popularity table, and with it every generated packet,
 * is the same on every machine; floating-point pow() may differ in the last bit between libms.
 */
static __u64 iroot10(unsigned __int128 x)
{
	/* Callers pass x < 2^120, so the root is below 2^12 and hi^10 cannot overflow. */
	__u64 lo = 1, hi = 1ULL << 12;

	while (lo < hi) {
		__u64 mid = lo + (hi - lo + 1) / 2;
		unsigned __int128 p = 1;
		int i;

		for (i = 0; i < 10; i++)
			p *= mid;
		if (p <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Weight of rank r: 2^40 / (r + 1)^1.1. The 0.1 power is a tenth root taken with 10 fractional
 * bits: iroot10((r + 1) * 2^100) = (r + 1)^0.1 * 2^10.
 */
static __u64 zipf_weight(__u32 rank)
{
	__u64 x = (__u64)rank + 1;
	__u64 root = iroot10((unsigned __int128)x << 100);
	__u64 w = (1ULL << 50) / (x * root);

	return w ? w : 1;
}

static void fill_cdf(struct symtab *t)
{
	__u64 sum = 0;
	__u32 i;

	for (i = 0; i < t->n; i++) {
		sum += zipf_weight(i);
		t->cdf[i] = sum;
	}
}

/* qsort() has no context argument; the table being sorted is passed through this. */
static const struct symtab *sort_table;

static int cmp_id(const void *a, const void *b)
{
	__u32 x = sort_table->ids[*(const __u32 *)a - 1], y = sort_table->ids[*(const __u32 *)b - 1];

	return x < y ? -1 : x > y;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(sort_table->names[*(const __u32 *)a - 1],
		      sort_table->names[*(const __u32 *)b - 1]);
}

/* NYSE SymbolIndexes are not the keys, so a reader that mixes the two up shows. */
#define NYSE_INDEX_BASE 1000
#define NYSE_INDEX_STEP 3

static __u32 id_of(enum symtab_style style, __u32 i)
{
	switch (style) {
	case SYMTAB_MDP3:
		return mdp3_security_id(i);
	case SYMTAB_NYSE:
		return NYSE_INDEX_BASE + i * NYSE_INDEX_STEP;
	default:
		return i + 1;
	}
}

static void fill_ids_and_index(struct symtab *t)
{
	__u32 i;

	for (i = 0; i < t->n; i++) {
		if (t->style == SYMTAB_ITCH) {
			memcpy(t->names[i], t->padded[i], ITCH_SYMBOL_LEN);
			t->names[i][ITCH_SYMBOL_LEN] = '\0';
			*strchrnul(t->names[i], ' ') = '\0';
		}
		t->ids[i] = id_of(t->style, i);
		t->by_id[i] = t->by_name[i] = i + 1;
	}
	sort_table = t;
	qsort(t->by_id, t->n, sizeof(*t->by_id), cmp_id);
	qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	sort_table = NULL;
}

int symtab__new(struct symtab **out, __u32 n)
{
	return symtab__new_style(out, n, SYMTAB_ITCH);
}

int symtab__new_style(struct symtab **out, __u32 n, enum symtab_style style)
{
	struct symtab *t;
	int err = 0;

	if (n == 0 || n > SYMTAB_MAX)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->n = n;
	t->style = style;
	t->padded = calloc(n, sizeof(*t->padded));
	t->names = calloc(n, sizeof(*t->names));
	t->ids = calloc(n, sizeof(*t->ids));
	t->by_id = calloc(n, sizeof(*t->by_id));
	t->by_name = calloc(n, sizeof(*t->by_name));
	t->cdf = calloc(n, sizeof(*t->cdf));
	if (!t->padded || !t->names || !t->ids || !t->by_id || !t->by_name || !t->cdf) {
		err = -ENOMEM;
		goto err_free;
	}
	if (style == SYMTAB_ITCH)
		err = fill_itch_names(t);
	else if (style == SYMTAB_MDP3)
		fill_mdp3_names(t);
	else if (style == SYMTAB_NYSE)
		fill_listed_names(t, well_known_nyse, ARRAY_LEN(well_known_nyse));
	else
		fill_listed_names(t, well_known_pitch, ARRAY_LEN(well_known_pitch));
	if (err)
		goto err_free;
	fill_ids_and_index(t);
	fill_cdf(t);
	*out = t;
	return 0;

err_free:
	symtab__free(t);
	return err;
}

void symtab__free(struct symtab *t)
{
	if (!t)
		return;
	free(t->padded);
	free(t->names);
	free(t->ids);
	free(t->by_id);
	free(t->by_name);
	free(t->cdf);
	free(t);
}

__u32 symtab__count(const struct symtab *t)
{
	return t->n;
}

const char *symtab__padded(const struct symtab *t, __u16 locate)
{
	if (locate == 0 || locate > t->n || t->style != SYMTAB_ITCH)
		return NULL;
	return t->padded[locate - 1];
}

int symtab__name(const struct symtab *t, __u16 locate, char out[ITCH_SYMBOL_LEN + 1])
{
	const char *p = symtab__padded(t, locate);
	size_t len = ITCH_SYMBOL_LEN;

	if (!p)
		return -ENOENT;
	while (len > 0 && p[len - 1] == ' ')
		len--;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

const char *symtab__str(const struct symtab *t, __u32 key)
{
	return key && key <= t->n ? t->names[key - 1] : NULL;
}

__u32 symtab__id(const struct symtab *t, __u32 key)
{
	return key && key <= t->n ? t->ids[key - 1] : 0;
}

__u32 symtab__key_of_id(const struct symtab *t, __u32 id)
{
	__u32 lo = 0, hi = t->n;

	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2, v = t->ids[t->by_id[mid] - 1];

		if (v == id)
			return t->by_id[mid];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

__u32 symtab__key_of_name(const struct symtab *t, const char *name)
{
	__u32 lo = 0, hi = t->n;

	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;
		int c = strcmp(t->names[t->by_name[mid] - 1], name);

		if (!c)
			return t->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

__u16 symtab__pick(const struct symtab *t, struct prng *rng)
{
	__u64 x = prng__below(rng, t->cdf[t->n - 1]);
	__u32 lo = 0, hi = t->n - 1;

	/* First rank whose cumulative weight exceeds x. */
	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;

		if (t->cdf[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (__u16)(lo + 1);
}
