/*
 * Number <-> text conversions of Tern's own: no printf, no strtod, no
 * soft-double (with TERN_WITH_DOUBLE 0, float only). Used by the plain
 * text format, link-format attributes and Uri-Query parsing.
 */
#ifndef TERN_NUMTEXT_H
#define TERN_NUMTEXT_H

#include "tern/types.h"

/* Room for any int64 or uint64 in decimal ("-9223372036854775808"). */
#define TERN_INT_TEXT_MAX 20
/* Room for any tern_float_t as tern_float_to_text() writes it. */
#define TERN_FLOAT_TEXT_MAX 32

/* Writes v in decimal to buf (no NUL) and returns the length. */
size_t tern_int_to_text(int64_t v, char *buf);
size_t tern_uint_to_text(uint64_t v, char *buf);

/*
 * Parses exactly len bytes as a decimal integer: an optional '-' (not
 * for unsigned) then digits, nothing else. Returns 0, or
 * -TERN_COAP_BAD_REQUEST on anything else or on overflow.
 */
int tern_text_to_int(const char *s, size_t len, int64_t *out);
int tern_text_to_uint(const char *s, size_t len, uint64_t *out);

/*
 * Writes a finite v as a decimal number that converts back to exactly v
 * (round trip), in plain notation ("-12.5") or with an exponent
 * ("1.5e-07") where that is shorter. Returns the length, or 0 for NaN and
 * infinities, which LwM2M cannot carry.
 */
size_t tern_float_to_text(tern_float_t v, char *buf);

/*
 * Parses exactly len bytes as a decimal number with optional sign,
 * fraction and exponent ("-1", "2.50", "1e3", "6.02E+23"). Returns 0, or
 * -TERN_COAP_BAD_REQUEST for anything else or a value out of range.
 */
int tern_text_to_float(const char *s, size_t len, tern_float_t *out);

#endif /* TERN_NUMTEXT_H */
