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

/* Records err as the encoder's first error (in out->sink.error). */
void tern_out_fail(tern_out_t *out, int err);

/* TLV encoder; begin/end run after the dispatch has checked the path and
 * set open_at[depth] to TERN_OUT_NO_CONTAINER. */
void tern_tlv_begin(tern_out_t *out, const tern_path_t *path);
void tern_tlv_end(tern_out_t *out);
void tern_tlv_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value);
void tern_text_value(tern_out_t *out, const tern_value_t *value);
void tern_opaque_value(tern_out_t *out, const tern_value_t *value);

/* Decoders: tern_tlv_next() sets in->path (and raw, multiple) for the
 * next entry; the getters convert the current entry, which has a value. */
int tern_tlv_next(tern_in_t *in);
int tern_tlv_get(const tern_in_t *in, tern_type_t type, tern_value_t *value);
int tern_text_get(const tern_in_t *in, tern_type_t type, tern_value_t *value);
int tern_opaque_get(const tern_in_t *in, tern_type_t type, tern_value_t *value);

/* true when the len bytes at p are well-formed UTF-8 (RFC 3629). */
bool tern_utf8_valid(const uint8_t *p, size_t len);

/* Base64 with the RFC 4648 section 4 alphabet and padding. */
void tern_base64_write(tern_sink_t *sink, const uint8_t *data, size_t len);
/* Decodes canonical base64 only (padding present, pad bits zero), into
 * out (which may be text itself). Returns 0 and *out_len, or
 * -TERN_COAP_BAD_REQUEST, or -TERN_COAP_REQUEST_ENTITY_TOO_LARGE when the
 * result exceeds cap. */
int tern_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif /* TERN_FORMAT_IMPL_H */
