/*
 * Content formats: the engine's only view of payload encodings.
 *
 * Output is produced through a windowed sink: the encoder always runs
 * over the whole payload, counting every byte, but stores only the bytes
 * in [skip, skip + cap). A block-wise response (RFC 7959) therefore
 * re-runs the same deterministic encoding and keeps just its block; no
 * heap, no second buffer. Encoders never move bytes already produced:
 * TLV containers get a fixed-width length that is patched in place when
 * the container closes.
 *
 * Input is a pull parser over the whole payload: tern_in_next() yields
 * one entry (a path) at a time, tern_in_value() converts the current
 * entry to the resource's type, which only the engine knows.
 */
#ifndef TERN_FORMAT_H
#define TERN_FORMAT_H

#include "tern/types.h"

/* ---- windowed byte sink --------------------------------------------- */

typedef struct tern_sink {
    uint8_t *buf; /* storage for the window */
    size_t cap;   /* window size */
    size_t skip;  /* absolute offset of buf[0] in the whole payload */
    size_t pos;   /* absolute position: bytes produced so far */
    int error;    /* first error, sticky */
} tern_sink_t;

/* Starts a sink that stores payload bytes [skip, skip + cap) into buf. */
void tern_sink_init(tern_sink_t *s, uint8_t *buf, size_t cap, size_t skip);

/* Produces len bytes: counted always, stored where they fall in the window.
 * Bytes outside the window are not an error: pos tells the whole size. */
void tern_sink_write(tern_sink_t *s, const void *data, size_t len);

/* Overwrites bytes produced earlier at absolute offset `at` (only the
 * part inside the window is stored). Patching bytes not produced yet is
 * a contract error (TERN_ERR_ARG in s->error). */
void tern_sink_patch(tern_sink_t *s, size_t at, const void *data, size_t len);

/* Bytes stored in buf so far. */
size_t tern_sink_stored(const tern_sink_t *s);

/* ---- encoders --------------------------------------------------------- */

/* Nesting of TLV containers: object instance, multiple resource. */
#define TERN_OUT_MAX_DEPTH 2

typedef struct tern_out {
    tern_sink_t sink;
    uint16_t format;
    uint8_t depth;                      /* containers open */
    uint8_t values;                     /* text, opaque: values written (0 or 1) */
    tern_path_t base;                   /* the path the request named */
    size_t open_at[TERN_OUT_MAX_DEPTH]; /* where each one's content starts
                                           (0: no container written) */
} tern_out_t;

/*
 * Starts encoding a response to a request on `base` in `format`
 * (TERN_FORMAT_TEXT, _OPAQUE, _LWM2M_TLV; SenML when compiled in).
 * Returns 0, or -TERN_COAP_NOT_ACCEPTABLE when the format is not one Tern
 * encodes.
 */
int tern_out_init(tern_out_t *out, uint16_t format, const tern_path_t *base, uint8_t *buf,
                  size_t cap, size_t skip);

/*
 * Opens a container: an object instance (path len 2) or a multiple
 * resource (len 3). Every begin needs an end. Text and opaque cannot
 * carry either: begin fails with -TERN_COAP_NOT_ACCEPTABLE. TLV writes no
 * object-instance container for the instance the request itself names
 * (base /O/I), but always writes the multiple resource's own container
 * (a Read of /O/I/R on a multiple resource answers with one "multiple
 * resource" TLV carrying id R).
 */
void tern_out_begin(tern_out_t *out, const tern_path_t *path);
void tern_out_end(tern_out_t *out);

/*
 * Writes one value: a single resource (path len 3) or a resource instance
 * (len 4). Text and opaque carry exactly one value, and only the one the
 * request names (path equal to base); a second one, another path, or a
 * type the format cannot carry (opaque: anything but OPAQUE) fails with
 * -TERN_COAP_NOT_ACCEPTABLE.
 *
 * Encodings. TLV: integers and time in the fewest of 1/2/4/8 bytes (two's
 * complement), unsigned likewise, floats in 4 bytes when the value is
 * exactly a single, else 8; boolean 1 byte; objlnk 4 bytes. Text:
 * decimal numbers (floats per tern_float_to_text), boolean "0"/"1",
 * objlnk "OID:IID", opaque in base64 (RFC 4648 section 4, padded) as
 * OMA LwM2M 1.0.2+ appendix C says. A float that is NaN or infinite
 * fails in text with -TERN_COAP_INTERNAL_SERVER_ERROR. Contract errors
 * (bad path length, unbalanced begin/end, TERN_TYPE_NONE) are TERN_ERR_ARG;
 * a TLV container over 65535 bytes is TERN_ERR_NO_SPACE.
 */
void tern_out_value(tern_out_t *out, const tern_path_t *path, const tern_value_t *value);

/*
 * Ends the payload. Returns the bytes stored in the window, or the first
 * error. out->sink.pos is the payload's total size.
 */
int tern_out_finish(tern_out_t *out);

/* ---- decoders --------------------------------------------------------- */

typedef struct tern_in {
    /* the small fields first: Thumb reaches them with short loads */
    uint16_t format;
    uint8_t base_len; /* of the path the request named, whose ids start path */
    uint8_t depth;    /* TLV containers open */
    uint8_t seen;     /* path level of the top-level TLVs (0: none yet) */
    bool multiple;    /* current entry opens a multiple resource */
    tern_path_t path; /* current entry (len 0: none); the ids above it
                         are the request's */
    int error;        /* first error, sticky */
    const uint8_t *data;
    size_t pos;
    /* where the payload ([0]) and each container open ([depth]) end */
    size_t end_at[TERN_OUT_MAX_DEPTH + 1];
    const uint8_t *raw; /* its encoded value */
    size_t raw_len;
    /*
     * Where tern_in_value() may decode a plain-text Opaque value (base64)
     * to; zero after tern_in_init() (and scratch_cap stays 0 while scratch
     * is NULL). Decoding never overtakes reading, so the writable buffer
     * holding the payload itself may be given here.
     */
    uint8_t *scratch;
    size_t scratch_cap;
} tern_in_t;

/*
 * Starts decoding `len` bytes at data (not copied) sent to `base` in
 * `format` (TERN_FORMAT_TEXT, _OPAQUE, _LWM2M_TLV; the caller decides what
 * a request without Content-Format means). Returns 0, or
 * -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT for a format Tern does not decode
 * (TERN_ERR_ARG for a base longer than 4); tern_in_next() then returns
 * the same error.
 */
int tern_in_init(tern_in_t *in, uint16_t format, const tern_path_t *base, const uint8_t *data,
                 size_t len);

/*
 * Advances to the next entry and stores its path. Returns 1 for an entry,
 * 0 at the end of the payload, -TERN_COAP_BAD_REQUEST when the payload is
 * malformed or names paths outside `base` (sticky: later calls return it
 * again). A path's instance id is TERN_ID_NONE when the payload does not
 * give one (Create on /O). When in->multiple is set the entry opens a
 * multiple resource: it has no value and its instances follow as len-4
 * entries.
 *
 * Text and opaque: exactly one entry, the path `base`, which must name a
 * resource or resource instance (len 3 or 4), even for an empty payload.
 *
 * TLV, by the length of base:
 *   /O      object-instance TLVs, each yielded as a len-2 entry (no value)
 *           followed by its resources; or resources directly (instance
 *           id TERN_ID_NONE); not both.
 *   /O/I    resources, optionally wrapped in one object-instance TLV that
 *           must carry id I (the wrapper is not yielded).
 *   /O/I/R  one resource TLV or one multiple-resource TLV, with id R.
 *   /O/I/R/RI  one resource-instance TLV with id RI.
 *   /       nothing (TLV cannot name objects).
 * Containers must hold exactly their children: object instances hold
 * resources and multiple resources, those hold resource instances. Any
 * length-field width is accepted; id 65535 is not.
 */
int tern_in_next(tern_in_t *in, tern_path_t *path);

/*
 * Decodes the current entry as `type` into *value (strings and opaque
 * point into the payload; a plain-text opaque value into in->scratch).
 * Returns 0 or -TERN_COAP_BAD_REQUEST when the encoded value is not a
 * valid `type` or the entry has no value (a container); opaque format
 * carries only OPAQUE (else -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT); a
 * plain-text opaque value larger than in->scratch_cap fails with
 * -TERN_COAP_REQUEST_ENTITY_TOO_LARGE.
 *
 * Strictness. TLV: integer, time and unsigned 1/2/4/8 bytes, float 4 or
 * 8 (rounded to nearest when tern_float_t is float; out of range, NaN
 * and infinities rejected), boolean one byte 0 or 1, objlnk 4 bytes,
 * strings valid UTF-8. Text: numbers per numtext.h, boolean "0" or "1",
 * objlnk "OID:IID" (each 0..65535), strings valid UTF-8, opaque canonical
 * padded base64.
 */
int tern_in_value(tern_in_t *in, tern_type_t type, tern_value_t *value);

/* ---- CoRE link format (RFC 6690) -------------------------------------- */

typedef struct tern_link_writer {
    tern_sink_t *sink;
    bool first;
} tern_link_writer_t;

/* Starts a link-format payload on sink (not copied). */
void tern_link_init(tern_link_writer_t *lw, tern_sink_t *sink);
/* Writes a link to a data-model path: "</O/I/R>" (with the separating ','). */
void tern_link_path(tern_link_writer_t *lw, const tern_path_t *path);
/* Writes a link to an arbitrary target: "<target>". */
void tern_link_target(tern_link_writer_t *lw, const char *target);
/* Appends ";name" (value NULL) or ";name=value" to the current link;
 * value is written as is (quote it yourself where RFC 6690 needs it). */
void tern_link_attr(tern_link_writer_t *lw, const char *name, const char *value);
/* Appends ";name=N" for an unsigned integer. */
void tern_link_attr_uint(tern_link_writer_t *lw, const char *name, uint32_t value);
/* Appends ";name=F" for a float in the text format's notation. */
void tern_link_attr_float(tern_link_writer_t *lw, const char *name, tern_float_t value);

typedef struct tern_link {
    const char *target; /* between '<' and '>' */
    size_t target_len;
    const char *params; /* everything after '>' up to the link's end, may be empty */
    size_t params_len;
} tern_link_t;

typedef struct tern_link_iter {
    const char *pos;
    const char *end;
    bool error; /* sticky */
} tern_link_iter_t;

/* Walks a link-format payload (not copied). */
void tern_link_iter_init(tern_link_iter_t *it, const char *data, size_t len);
/*
 * Stores the next link. Returns 1, 0 at the end, or -TERN_COAP_BAD_REQUEST
 * when the payload breaks RFC 6690's grammar (strictly: no empty links, no
 * whitespace, a URI-reference's characters only between '<' and '>',
 * balanced quotes, parameter names from RFC 5987's parmname characters
 * with an optional trailing '*', unquoted values from ptoken characters).
 * Quoted values may contain ',' and ';'. The error is sticky.
 */
int tern_link_next(tern_link_iter_t *it, tern_link_t *link);
/*
 * Walks the ";name[=value]" parameters of a link: advances *params and
 * stores name and value (value_len 0 and value NULL when absent; quotes
 * of a quoted value removed, backslash escapes inside left as they are).
 * Returns 1, 0 at the end, or -TERN_COAP_BAD_REQUEST for text that
 * tern_link_next() would not have accepted.
 */
int tern_link_param_next(const char **params, size_t *params_len, const char **name,
                         size_t *name_len, const char **value, size_t *value_len);

#endif /* TERN_FORMAT_H */
