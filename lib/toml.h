/*
 * toml: a strict TOML 1.0 reader that builds a jansson tree.
 *
 * No packaged C TOML library exists, so this parses TOML into the same
 * kind of tree the YAML configuration uses, and callers read typed values
 * from it.  Mapping of types: table and inline table -> object (keys in
 * document order), array -> array, string -> string (it may hold NUL
 * bytes, from \u0000), integer -> integer, float -> real, boolean ->
 * true/false, offset/local date-times, dates and times -> string in their
 * TOML spelling, as written (callers of this toolkit never need them as
 * times).  Two mappings differ from TOML's types because jansson has no
 * real for them: inf and nan (with their signs) become the strings "inf",
 * "+inf", "-inf", "nan", "+nan", "-nan".  In multi-line strings CRLF
 * becomes LF.
 *
 * Everything TOML 1.0 rejects is an error: redefined keys and tables,
 * mixing a table with a value of the same key, extending an inline table
 * or a static array, invalid escapes, control characters in strings and
 * comments, invalid UTF-8, NUL bytes, leading zeros, integer overflow
 * (int64), and so on.  Refused beyond TOML: a float whose magnitude
 * overflows a double (1e400), and nesting deeper than 128 tables and
 * arrays (dotted keys and headers count), which keeps the recursion of
 * this parser and of jansson bounded.  A byte order mark is not skipped.
 *
 * Library code: never exits, never prints, keeps no global state.
 * The lexical half (tomlval.h) is internal to this module.
 */
#ifndef BSSH_TOML_H
#define BSSH_TOML_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

/*
 * Parse len bytes of buf (NUL bytes inside are an error).  Returns a new
 * object (the root table), or NULL with eb set to "line N: what is wrong"
 * (N counts from 1).
 */
json_t	*toml_parse(const char *buf, size_t len, struct errbuf *eb);

#endif
