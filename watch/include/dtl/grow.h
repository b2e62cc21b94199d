/* SPDX-License-Identifier: MIT */
/* Arrays that grow as the front-end's tables fill (doubling). */
#ifndef DTL_GROW_H
#define DTL_GROW_H

#include <stddef.h>
#include <stdlib.h>

/* Room in *@items (*@cap elements of @size bytes, @n used) for one more:
 * 0, or -1 without memory (the array as it was). */
static inline int dtl_grow(void **items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t more = *cap ? 2 * *cap : 16;
	void *p = realloc(*items, more * size);
	if (!p)
		return -1;
	*items = p;
	*cap = more;
	return 0;
}

#define DTL_GROW(arr, n, cap) dtl_grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))

#endif
