#ifndef ATTN_CMARK_THREAD_SAFETY_H
#define ATTN_CMARK_THREAD_SAFETY_H

/* Lets libcmark-gfm parse on several threads at once (special_characters.c).
 *
 * Why it exists: libcmark-gfm writes a process-wide table while it parses, so without this
 * every parse must hold one lock, and `attn build` of the 2,000-lesson benchmark corpus
 * (`make bench`) runs on one core. The fallback is that lock: Markdown's CmarkConverter
 * probes this interposer after a first parse and takes the lock for every parse when
 * libcmark-gfm's calls do not reach it (another platform, a library linked -Bsymbolic).
 * Pointers to cmark's types are void * here, to keep this header free of cmark's headers. */

/* How many times libcmark-gfm called its cmark_manage_extensions_special_characters
   through this file's interposer before the characters were pinned (0: the interposer is
   not in use). */
int attn_cmark_special_characters_intercepted(void);

/* Adds the special inline characters of `parser`'s extensions to libcmark-gfm's process-wide
   table for good; from then on libcmark-gfm's own adding and removing are skipped. Returns 1
   when done, 0 when libcmark-gfm's function cannot be found. */
int attn_cmark_pin_special_characters(void *parser);

#endif
