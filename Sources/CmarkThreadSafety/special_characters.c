/* Makes libcmark-gfm safe to parse with on several threads at once.
 *
 * libcmark-gfm keeps one process-wide table of "special" inline characters. While a parser
 * parses inlines (in cmark_parser_finish, and in newer versions also while reading table
 * rows), cmark_manage_extensions_special_characters(parser, 1) adds its extensions'
 * characters to the table (`~` for strikethrough, `:` and `w` for autolinks) and
 * cmark_manage_extensions_special_characters(parser, 0) takes them out again. Two parsers on
 * two threads therefore corrupt each other: one takes `~` out while the other is still
 * reading strikethrough.
 *
 * Every parser attn makes attaches the same extensions, so the table's right contents never
 * change. This file defines a function of the same name in the attn executable, which the
 * dynamic linker binds libcmark-gfm's own calls to (they go through its PLT). Until
 * attn_cmark_pin_special_characters is called it forwards every call to libcmark-gfm's
 * function; after it, the characters stay in the table and the calls do nothing, so no
 * parser writes shared state any more.
 *
 * Whether libcmark-gfm's calls really arrive here depends on the build (the executable
 * must export this symbol: see linkerSettings in Package.swift). CmarkConverter checks with
 * attn_cmark_special_characters_intercepted after a first parse, and keeps parsing one at a
 * time behind a lock when they do not.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>

#include "CmarkThreadSafety.h"

typedef struct cmark_parser cmark_parser;
typedef void (*manage_function)(cmark_parser *parser, int add);

static atomic_int intercepted = 0;
static atomic_int pinned = 0;

static manage_function libcmark_function(void) {
    static _Atomic(manage_function) function = NULL;
    manage_function found = atomic_load(&function);
    if (found == NULL) {
        found = (manage_function)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
        atomic_store(&function, found);
    }
    return found;
}

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
    if (atomic_load(&pinned)) return;   /* no shared write at all once pinned */
    atomic_fetch_add(&intercepted, 1);
    manage_function function = libcmark_function();
    if (function != NULL) function(parser, add);
}

int attn_cmark_special_characters_intercepted(void) {
    return atomic_load(&intercepted);
}

int attn_cmark_pin_special_characters(void *parser) {
    manage_function function = libcmark_function();
    if (function == NULL) return 0;
    function((cmark_parser *)parser, 1);
    atomic_store(&pinned, 1);
    return 1;
}
