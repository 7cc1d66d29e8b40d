/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Open addressing with linear probing; serials are unique and never 0. */
#include "config.h"

#include "pending.h"

#define TOMBSTONE UINT64_MAX

void pending_init(struct pending_table *t)
{
	memset(t, 0, sizeof(*t));
}

void pending_fini(struct pending_table *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)(key * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

static void grow(struct pending_table *t)
{
	struct pending *old = t->slots;
	size_t oldcap = t->cap;

	t->cap = t->cap ? (t->count * 4 > t->cap ? t->cap * 2 : t->cap) : 64;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	t->count = t->used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key && old[i].key != TOMBSTONE)
			pending_put(t, &old[i]);
	free(old);
}

void pending_put(struct pending_table *t, const struct pending *p)
{
	size_t i;

	if ((t->used + 1) * 2 > t->cap)
		grow(t);
	for (i = slot_of(p->key, t->cap); t->slots[i].key && t->slots[i].key != TOMBSTONE; i = (i + 1) & (t->cap - 1))
		;
	if (!t->slots[i].key)
		t->used++;
	t->slots[i] = *p;
	t->count++;
}

bool pending_take(struct pending_table *t, uint64_t key, struct pending *out)
{
	if (!t->cap)
		return false;
	for (size_t i = slot_of(key, t->cap); t->slots[i].key; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].key == key) {
			*out = t->slots[i];
			t->slots[i].key = TOMBSTONE;
			t->count--;
			return true;
		}
	}
	return false;
}

void pending_foreach(struct pending_table *t, void (*fn)(struct pending *p, void *ud), void *ud)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key && t->slots[i].key != TOMBSTONE)
			fn(&t->slots[i], ud);
}
