/* Decoded LwM2M values: what a response or notification payload holds,
 * with paths, types and resource names; turning user input into values;
 * comparing values with expectations. */
#ifndef SRV_VALUES_H
#define SRV_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"
#include "util.h"

/* CoAP content formats LwM2M uses. */
#define CF_TEXT 0
#define CF_LINK 40
#define CF_OPAQUE 42
#define CF_CBOR 60
#define CF_SENML_JSON 110
#define CF_SENML_CBOR 112
#define CF_TLV 11542
#define CF_LWM2M_JSON 11543
#define CF_NONE (-1)

typedef struct srv_value {
    srv_path_t path;
    srv_type_t type;
    bool guessed;      /* type inferred (resource not in the built-in table) */
    bool f32;          /* float that came as 4 bytes: printed with float precision */
    int64_t i;         /* INTEGER, TIME */
    uint64_t u;        /* UNSIGNED */
    double f;          /* FLOAT */
    bool b;            /* BOOLEAN */
    uint16_t oid, iid; /* OBJLNK */
    uint8_t *data;     /* STRING, OPAQUE (owned, NUL-terminated for convenience) */
    size_t len;
    char *error; /* this value could not be decoded (owned); raw bytes in data */
} srv_value_t;

typedef struct srv_values {
    srv_value_t *v;
    size_t n, cap;
    char *error; /* the payload as a whole is malformed (owned) */
} srv_values_t;

void values_init(srv_values_t *vs);
void values_free(srv_values_t *vs);
void value_free(srv_value_t *v);
srv_value_t *values_add(srv_values_t *vs, const srv_path_t *path);

/* Decodes a payload read from base (the request path) in the given content
 * format. Text, opaque and TLV yield values; other formats yield none (the
 * caller prints them raw or as links). Never fails: problems end up in
 * vs->error or a value's error. */
void values_decode(srv_values_t *vs, const srv_path_t *base, int content_format,
                   const uint8_t *data, size_t len);

/* The value at exactly this path, or NULL. */
const srv_value_t *values_find(const srv_values_t *vs, const srv_path_t *path);

/* The type the table gives the resource a path names (SRV_T_NONE if the
 * path is not a resource, or the resource is unknown). */
srv_type_t path_type(const srv_path_t *p);
/* The resource's name for printing, or NULL. */
const char *path_name(const srv_path_t *p);

/* Human form: strings quoted and escaped, opaque as hex:..., objlnk O:I. */
void value_print(strbuf_t *out, const srv_value_t *v);
/* JSON value (no surrounding object): number, bool, or string. */
void value_json(strbuf_t *out, const srv_value_t *v);

/* Parses user input (a command argument) into a value of type t, or infers
 * the type when t is SRV_T_NONE: a quoted token is a string; true/false a
 * boolean; an integer; a float; hex:0a0b opaque; O:I an objlnk; anything
 * else a string. Returns false with a message in err. */
bool value_parse(const char *text, bool quoted, srv_type_t t, srv_value_t *out, char *err,
                 size_t errlen);

/* True when v equals the expected text, parsed as v's type (floats with a
 * relative tolerance of 1e-6, so 4-byte floats compare with their decimal
 * form). */
bool value_matches(const srv_value_t *v, const char *expected);

/* Encodes v in plain text (the LwM2M text format: booleans "0"/"1", opaque
 * as base64) or as the value bytes of a TLV record. value_encode_text
 * fails only for values without a text form (executable resources). */
bool value_encode_text(const srv_value_t *v, strbuf_t *out, char *err, size_t errlen);
void value_encode_tlv(const srv_value_t *v, strbuf_t *out);

/* Content format names used on the command line and in output:
 * text, link, opaque, tlv, json (LwM2M JSON), senml-json, senml-cbor, cbor,
 * or a number. Returns CF_NONE when unknown. */
int format_parse(const char *name);
const char *format_name(int cf); /* "text", ..., or NULL if none known */

/* Appends the bytes of base64 text s (no white space; '=' padding) to out.
 * False when s is not valid base64. */
bool base64_decode(const uint8_t *s, size_t len, strbuf_t *out);

#endif
