/* malloc.c: malloc/calloc/realloc/free on mem_map: power-of-two size classes plus directly mapped large blocks. */
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capbox_internal.h"

/*
 * Every block starts with a 16-byte header, so user pointers are 16-byte
 * aligned:
 *   - small blocks come from size classes of 32 .. 4096 bytes (header
 *     included), carved out of 64 KiB chunks; freed ones go on a per-class
 *     free list and are reused, chunks are never returned;
 *   - anything larger is its own mapping, unmapped again by free.
 * One spin lock serialises everything (threads yield while it is taken).
 * A lock held by another thread at proc_fork stays held in the child.
 */
#define ALIGNMENT 16
#define MIN_CLASS_SHIFT 5  /* 32-byte blocks */
#define MAX_CLASS_SHIFT 12 /* 4096-byte blocks */
#define NCLASSES (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define CHUNK_SIZE (64 * 1024)
#define LARGE_CLASS UINT64_C(0x4c41524745424c4b) /* marks a mapping */

struct header {
	uint64_t size;  /* small: block size; large: mapping length */
	uint64_t klass; /* small: class index; large: LARGE_CLASS */
};
_Static_assert(sizeof(struct header) == ALIGNMENT, "header keeps alignment");

struct free_block {
	struct header header;
	struct free_block *next;
};

static struct free_block *free_lists[NCLASSES];
static unsigned char *chunk_next; /* unused rest of the current chunk */
static size_t chunk_left;
static bool lock_word;

static void lock(void)
{
	while (__atomic_test_and_set(&lock_word, __ATOMIC_ACQUIRE))
		cloudabi_sys_thread_yield();
}

static void unlock(void)
{
	__atomic_clear(&lock_word, __ATOMIC_RELEASE);
}

static void *map_pages(size_t len)
{
	void *mem = NULL;
	cloudabi_errno_t err = cloudabi_sys_mem_map(
		NULL, len, CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
		CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE, CLOUDABI_MAP_ANON_FD,
		0, &mem);
	return err == 0 ? mem : NULL;
}

/* The class whose blocks hold total bytes (header included). */
static unsigned class_of(size_t total)
{
	unsigned k = 0;

	while (((size_t)1 << (k + MIN_CLASS_SHIFT)) < total)
		k++;
	return k;
}

static void *alloc_small(size_t total)
{
	unsigned k = class_of(total);
	size_t block_size = (size_t)1 << (k + MIN_CLASS_SHIFT);
	struct header *h;

	lock();
	if (free_lists[k] != NULL) {
		struct free_block *b = free_lists[k];
		free_lists[k] = b->next;
		h = &b->header;
	} else {
		if (chunk_left < block_size) {
			/* The rest of the old chunk is abandoned (< 4 KiB). */
			unsigned char *chunk = map_pages(CHUNK_SIZE);
			if (chunk == NULL) {
				unlock();
				return NULL;
			}
			chunk_next = chunk;
			chunk_left = CHUNK_SIZE;
		}
		h = (struct header *)(void *)chunk_next;
		chunk_next += block_size;
		chunk_left -= block_size;
	}
	unlock();
	h->size = block_size;
	h->klass = k;
	return h + 1;
}

static void *alloc_large(size_t total)
{
	size_t page = __capbox_pagesize < ALIGNMENT ? 4096 : __capbox_pagesize;
	size_t len;

	if (__builtin_add_overflow(total, page - 1, &len))
		return NULL;
	len &= ~(page - 1);
	struct header *h = map_pages(len);
	if (h == NULL)
		return NULL;
	h->size = len;
	h->klass = LARGE_CLASS;
	return h + 1;
}

void *malloc(size_t size)
{
	size_t total;

	if (__builtin_add_overflow(size, sizeof(struct header), &total)) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = total <= ((size_t)1 << MAX_CLASS_SHIFT) ? alloc_small(total)
							  : alloc_large(total);
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

void *calloc(size_t nmemb, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(nmemb, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(bytes);
	if (p != NULL)
		memset(p, 0, bytes); /* reused small blocks are dirty */
	return p;
}

static struct header *header_of(void *ptr)
{
	struct header *h = (struct header *)ptr - 1;

	if (h->klass != LARGE_CLASS && h->klass >= NCLASSES)
		abort(); /* not a block of ours, or a corrupted header */
	return h;
}

void free(void *ptr)
{
	if (ptr == NULL)
		return;
	struct header *h = header_of(ptr);
	if (h->klass == LARGE_CLASS) {
		cloudabi_sys_mem_unmap(h, h->size);
		return;
	}
	struct free_block *b = (struct free_block *)h;
	lock();
	b->next = free_lists[h->klass];
	free_lists[h->klass] = b;
	unlock();
}

void *realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return malloc(size);
	struct header *h = header_of(ptr);
	size_t usable = h->size - sizeof(struct header);
	if (size <= usable)
		return ptr; /* shrinking, or growing within the block */
	void *p = malloc(size);
	if (p == NULL)
		return NULL; /* ptr is left untouched */
	memcpy(p, ptr, usable);
	free(ptr);
	return p;
}
