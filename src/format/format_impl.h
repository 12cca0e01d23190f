/*
 * Internals of the content formats: each format's half of the
 * tern_out_* / tern_in_* dispatch (format_out.c, format_in.c) and the
 * helpers several formats share. Not part of the engine's interface.
 */
#ifndef TERN_FORMAT_IMPL_H
#define TERN_FORMAT_IMPL_H

#include "format/format.h"

/* TLV when compiled in (TERN_WITH_TLV): a constant, so without it the
 * TLV code is never referenced and the linker drops it. */
#define TERN_IS_TLV(format) (TERN_WITH_TLV && (format) == TERN_FORMAT_LWM2M_TLV)

/* open_at[] of a container that was not written (TLV: the request's own
 * object instance). */
#define TERN_OUT_NO_CONTAINER SIZE_MAX

/* 0 when Tern encodes and decodes format and base is a path of at most
 * 4 ids; else `unknown` (the caller's error for a format it cannot code)
 * or TERN_ERR_ARG. */
int tern_format_check(uint16_t format, const tern_path_t *base, int unknown);

/* Errors go straight to out->sink.error: every tern_out_* entry point
 * returns at once when it is set, so the first one stays. */

/* TLV values; text and opaque values (path and type checked). */
void tern_tlv_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value);
void tern_text_value(tern_out_t *out, const tern_value_t *value);

/* Decoders: tern_tlv_next() sets in->path (and raw, multiple) for the
 * next entry; the getters convert the current entry, which has a value,
 * to a number, boolean or object link (tern_in_value() does strings and
 * opaque). */
int tern_tlv_next(tern_in_t *in);
int tern_tlv_get(const tern_in_t *in, tern_type_t type, tern_value_t *value);
int tern_text_get(const char *s, size_t len, tern_type_t type, tern_value_t *value);

/* Base64 with the RFC 4648 section 4 alphabet and padding. */
void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len);
/* Decodes canonical base64 only (padding present, pad bits zero), into
 * out (which may be text itself). Returns 0 and *out_len, or
 * -TERN_COAP_BAD_REQUEST, or -TERN_COAP_REQUEST_ENTITY_TOO_LARGE when the
 * result exceeds cap. */
int tern_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif /* TERN_FORMAT_IMPL_H */
