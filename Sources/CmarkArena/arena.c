/* A cmark_mem allocator for one document at a time per thread.
 *
 * Parsing and rendering a document with libcmark-gfm makes thousands of small allocations
 * (nodes, buffers that grow); with the system allocator they are a large part of the time.
 * Every allocation here comes from the calling thread's arena: a bump pointer in a chunk of
 * at least 1 MiB. Nothing is freed one by one (free is a no-op, so freeing the document and
 * the parser can be skipped); attn_cmark_arena_reset, once the document's HTML and text
 * have been copied out, makes the whole arena free again, keeping one chunk for the next
 * document. Each block remembers its size, so realloc can copy it, or grow it in place when
 * it is the last block of its chunk (buffers that grow usually are).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CmarkArena.h"

enum { ALIGN = 16, HEADER = 16, CHUNK = 1 << 20 };

typedef struct chunk {
    struct chunk *previous;
    size_t size;   /* bytes in data */
    size_t used;
    _Alignas(ALIGN) unsigned char data[];
} chunk;

static _Thread_local chunk *current;
static _Thread_local int in_use;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void free_chunks(chunk *head) {
    for (chunk *c = head; c != NULL;) {
        chunk *previous = c->previous;
        free(c);
        c = previous;
    }
}

static void thread_exit(void *head) {
    free_chunks(head);
    current = NULL;
}

static void make_exit_key(void) { pthread_key_create(&exit_key, thread_exit); }

static void out_of_memory(void) {
    fputs("attn: out of memory while parsing markdown\n", stderr);
    abort();
}

static size_t rounded(size_t size) {
    if (size > SIZE_MAX / 2) out_of_memory();   /* far beyond any document; keeps the sums below from wrapping */
    return HEADER + ((size + ALIGN - 1) & ~(size_t)(ALIGN - 1));
}

static void *allocate(size_t size) {
    size_t need = rounded(size);
    if (current == NULL || current->size - current->used < need) {
        size_t bytes = need > CHUNK ? need : CHUNK;
        chunk *fresh = malloc(sizeof(chunk) + bytes);
        if (fresh == NULL) out_of_memory();
        fresh->previous = current;
        fresh->size = bytes;
        fresh->used = 0;
        if (current == NULL) {
            /* The thread's first chunk: free the arena when the thread ends. */
            pthread_once(&exit_key_once, make_exit_key);
        }
        current = fresh;
        pthread_setspecific(exit_key, current);
    }
    unsigned char *block = current->data + current->used;
    current->used += need;
    memcpy(block, &size, sizeof size);
    return block + HEADER;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) out_of_memory();
    void *memory = allocate(count * size);
    memset(memory, 0, count * size);
    return memory;
}

static void *arena_realloc(void *pointer, size_t size) {
    if (pointer == NULL) return allocate(size);
    unsigned char *block = (unsigned char *)pointer - HEADER;
    size_t old;
    memcpy(&old, block, sizeof old);
    if (current != NULL && block + rounded(old) == current->data + current->used
        && (size_t)(block - current->data) + rounded(size) <= current->size) {
        /* The last block of the chunk: grow or shrink it where it is. */
        current->used = (size_t)(block - current->data) + rounded(size);
        memcpy(block, &size, sizeof size);
        return pointer;
    }
    if (size <= old) return pointer;
    void *moved = allocate(size);
    memcpy(moved, pointer, old);
    return moved;
}

static void arena_free(void *pointer) { (void)pointer; }

static cmark_mem arena = {arena_calloc, arena_realloc, arena_free};

cmark_mem *attn_cmark_arena(void) {
    if (in_use) return NULL;   /* one document at a time per thread */
    in_use = 1;
    return &arena;
}

void attn_cmark_arena_reset(void) {
    in_use = 0;
    if (current == NULL) return;
    /* Keep one ordinary chunk for the next document; a bigger one made for a big document
       is given back. */
    if (current->size == CHUNK) {
        free_chunks(current->previous);
        current->previous = NULL;
        current->used = 0;
    } else {
        free_chunks(current);
        current = NULL;
    }
    pthread_setspecific(exit_key, current);
}
