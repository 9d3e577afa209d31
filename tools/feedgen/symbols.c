// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Deterministic symbol names and the Zipf popularity table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "itch_encode.h"
#include "symbols.h"

struct symtab {
	__u32 n;
	char (*padded)[ITCH_SYMBOL_LEN];
	__u64 *cdf; /* cdf[i] = sum of the weights of ranks 0..i */
};

/* Large Nasdaq listings, roughly by trading activity; the hot end of every generated session. */
static const char *const well_known[] = {
    "AAPL", "MSFT", "NVDA",  "AMZN", "GOOGL", "META", "TSLA", "AVGO", "GOOG", "COST",
    "NFLX", "AMD",  "PEP",   "ADBE", "CSCO",  "TMUS", "INTC", "QCOM", "TXN",  "AMGN",
    "INTU", "ISRG", "CMCSA", "HON",  "AMAT",  "BKNG", "SBUX", "GILD", "MDLZ", "ADP",
};

#define N_WELL_KNOWN (sizeof(well_known) / sizeof(well_known[0]))

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

static int fill_names(struct symtab *t)
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

int symtab__new(struct symtab **out, __u32 n)
{
	struct symtab *t;
	int err;

	if (n == 0 || n > SYMTAB_MAX)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->n = n;
	t->padded = calloc(n, sizeof(*t->padded));
	t->cdf = calloc(n, sizeof(*t->cdf));
	if (!t->padded || !t->cdf) {
		err = -ENOMEM;
		goto err_free;
	}
	err = fill_names(t);
	if (err)
		goto err_free;
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
	free(t->cdf);
	free(t);
}

__u32 symtab__count(const struct symtab *t)
{
	return t->n;
}

const char *symtab__padded(const struct symtab *t, __u16 locate)
{
	if (locate == 0 || locate > t->n)
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
