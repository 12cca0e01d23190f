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
/* Room for any tern_float_t as tern_float_to_text() writes it
 * ("-2.2250738585072014e-308", "-1.17549435e-38"). */
#if TERN_WITH_DOUBLE
#define TERN_FLOAT_TEXT_MAX 32
#else
#define TERN_FLOAT_TEXT_MAX 16
#endif

/* Writes v in decimal to buf (no NUL) and returns the length. */
size_t tern_int_to_text(int64_t v, char *buf);
size_t tern_uint_to_text(uint64_t v, char *buf);

/*
 * Parses exactly len bytes as a decimal integer: an optional '-' (only
 * when is_signed) then digits, nothing else, into the bits of an int64_t
 * (is_signed) or a uint64_t. Returns 0, or -TERN_COAP_BAD_REQUEST on
 * anything else or on overflow; *out is untouched then.
 */
int tern_text_to_number(const char *s, size_t len, bool is_signed, uint64_t *out);

static inline int tern_text_to_int(const char *s, size_t len, int64_t *out)
{
    /* uint64_t may access an int64_t (C99 6.5p7) */
    return tern_text_to_number(s, len, true, (uint64_t *)out);
}

static inline int tern_text_to_uint(const char *s, size_t len, uint64_t *out)
{
    return tern_text_to_number(s, len, false, out);
}

/*
 * Writes a finite v as the shortest correctly rounded (half to even)
 * decimal number that converts back to exactly v (round trip, bit for
 * bit, -0 included), in plain notation ("-12.5", "0.001", "1500") or with
 * an exponent of at least two digits ("1.5e-07", "1e+300") where that is
 * shorter (plain wins ties). Returns the length, or 0 for NaN and
 * infinities, which LwM2M cannot carry. buf must hold TERN_FLOAT_TEXT_MAX
 * bytes, whatever the length written. Integer arithmetic on the IEEE bits
 * only (32-bit multiplications and divisions); uses ~260 bytes of stack
 * with double, ~130 with float (Cortex-M3).
 */
size_t tern_float_to_text(tern_float_t v, char *buf);

/*
 * Parses exactly len bytes as a decimal number: an optional '-', digits,
 * optionally '.' and digits, optionally 'e' or 'E', an optional sign and
 * digits ("-1", "2.50", "1e3", "6.02E+23"; not "+1", ".5", "5.", "1e").
 * The result is correctly rounded (to nearest, ties to even) when the
 * number has at most 40 significant digits (20 with float); later digits
 * only count as "something non-zero follows". Returns 0, or
 * -TERN_COAP_BAD_REQUEST for anything else (NaN, Inf, spaces, an exponent
 * beyond 64 bits...) or a value out of range: too large for tern_float_t,
 * or so small and not zero that it would round to zero. Stack: ~240 bytes
 * with double, ~140 with float.
 */
int tern_text_to_float(const char *s, size_t len, tern_float_t *out);

#endif /* TERN_NUMTEXT_H */
