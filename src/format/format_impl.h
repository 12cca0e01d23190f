/*
 * Internals of the content formats: the TLV pieces the shared value
 * coding (format_out.c, format_in.c) calls, and the helpers several
 * formats share. Not part of the engine's interface.
 */
#ifndef TERN_FORMAT_IMPL_H
#define TERN_FORMAT_IMPL_H

#include "format/format.h"

/* Of a format tern_format_check() accepted: TLV when compiled in
 * (TERN_WITH_TLV; a constant, so without it the TLV code is never
 * referenced and the linker drops it), the one above opaque (a short
 * compare). */
#define TERN_IS_TLV(format) (TERN_WITH_TLV && (format) > TERN_FORMAT_OPAQUE)

/* open_at[] of a container that was not written (TLV: the request's own
 * object instance); a written one's content starts after its header. */
#define TERN_OUT_NO_CONTAINER 0

/* 0 when Tern encodes and decodes format and base is a path of at most
 * 4 ids; else `unknown` (the caller's error for a format it cannot code)
 * or TERN_ERR_ARG. */
int tern_format_check(uint16_t format, const tern_path_t *base, int unknown);

/* Errors go straight to out->sink.error: every tern_out_* entry point
 * returns at once when it is set, so the first one stays. */

/* TLV: writes a header (kind bits in type) for a value of len bytes at
 * the path's last level; the width of a double (4 when a single holds it
 * exactly, else 8; bits in *bits). */
void tern_tlv_header(tern_out_t *out, unsigned type, const tern_path_t *path, size_t len);
#if TERN_WITH_DOUBLE
size_t tern_tlv_float(tern_float_t v, uint64_t *bits);
#endif

/* Decoders: tern_tlv_next() sets in->path (and raw, raw_len, multiple) for the
 * next entry; tern_tlv_float_get() converts a TLV float of n bytes (4 or
 * 8), bits hi:lo. */
int tern_tlv_next(tern_in_t *in);
int tern_tlv_float_get(uint32_t hi, uint32_t lo, size_t n, tern_float_t *out);

/* Base64 with the RFC 4648 section 4 alphabet and padding. */
void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len);
/* Decodes canonical base64 only (padding present, pad bits zero), into
 * out (which may be text itself). Returns 0 and *out_len, or
 * -TERN_COAP_BAD_REQUEST, or -TERN_COAP_REQUEST_ENTITY_TOO_LARGE when the
 * result exceeds cap. */
int tern_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif /* TERN_FORMAT_IMPL_H */
