#ifndef ATTN_CMARK_SUPPORT_H
#define ATTN_CMARK_SUPPORT_H

/* C helpers for the Markdown module's use of libcmark-gfm. Pointers to cmark's types are
   void * here, to keep this header free of cmark's headers. */

/* special_characters.c */

/* How many times libcmark-gfm called its cmark_manage_extensions_special_characters
   through this file's interposer before the characters were pinned (0: the interposer is
   not in use). */
int attn_cmark_special_characters_intercepted(void);

/* Adds the special inline characters of `parser`'s extensions to libcmark-gfm's process-wide
   table for good; from then on libcmark-gfm's own adding and removing are skipped. Returns 1
   when done, 0 when libcmark-gfm's function cannot be found. */
int attn_cmark_pin_special_characters(void *parser);

/* arena.c: a cmark_mem (returned as void *) that hands out memory from a per-thread arena,
   for one document: NULL if the thread's arena is already in use. Freeing is a no-op;
   attn_cmark_arena_reset ends the document and makes all of the thread's arena memory free
   again. */
void *attn_cmark_arena(void);
void attn_cmark_arena_reset(void);

#endif
