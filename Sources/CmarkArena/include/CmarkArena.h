#ifndef ATTN_CMARK_ARENA_H
#define ATTN_CMARK_ARENA_H

#include <cmark-gfm.h>

/* A per-thread arena for libcmark-gfm's allocations (arena.c).
 *
 * Why it exists: parsing and rendering a lesson with the system allocator spends a large
 * part of its time in malloc and free (thousands of nodes and growing buffers); with the
 * arena, `attn build` of the 2,000-lesson benchmark corpus (`make bench`) stays near the
 * libcmark-gfm C floor. Without it attn would be correct, only slower: cmark's default
 * allocator (cmark_get_default_mem_allocator) does the same job, block by block. */

/* A cmark_mem that hands out memory from the calling thread's arena, for one document;
   NULL if the thread's arena is already in use. Freeing is a no-op. */
cmark_mem *attn_cmark_arena(void);

/* Ends the document: all of the thread's arena memory is free again (one chunk is kept
   for the next document). */
void attn_cmark_arena_reset(void);

#endif
