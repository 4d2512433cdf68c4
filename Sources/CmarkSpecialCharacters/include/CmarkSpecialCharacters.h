#ifndef ATTN_CMARK_SPECIAL_CHARACTERS_H
#define ATTN_CMARK_SPECIAL_CHARACTERS_H

/* See special_characters.c. `parser` is a cmark_parser * (void * keeps this header free of
   cmark's headers). */

/* How many times libcmark-gfm has called its cmark_manage_extensions_special_characters
   through this file's interposer (0: the interposer is not in use). */
int attn_cmark_special_characters_intercepted(void);

/* Adds the special inline characters of `parser`'s extensions to libcmark-gfm's process-wide
   table for good; from then on libcmark-gfm's own adding and removing are skipped. Returns 1
   when done, 0 when libcmark-gfm's function cannot be found. */
int attn_cmark_pin_special_characters(void *parser);

#endif
