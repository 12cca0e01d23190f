/*
 * A small vsnprintf for log lines, so the firmware needs no C library
 * stdio (newlib's drags in its heap). Conversions: d i u x X c s p %,
 * with the flags '-' and '0', a field width and the length modifiers
 * l, ll, z and h: what the engine's log lines use, and a little more.
 */
#ifndef TERN_CM_FMT_H
#define TERN_CM_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into out (cap bytes, cap >= 1), always NUL-terminated,
 * truncating what does not fit. Returns the length stored, without the
 * NUL. An unknown conversion is copied as it is.
 */
size_t tern_cm_vformat(char *out, size_t cap, const char *fmt, va_list ap);

#endif
