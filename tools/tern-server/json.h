/* A minimal JSON writer for --json events: strings escaped per RFC 8259,
 * objects built by appending "key":value pairs to a strbuf. */
#ifndef SRV_JSON_H
#define SRV_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Appends s as a JSON string (invalid UTF-8 bytes become U+FFFD). */
void json_string(strbuf_t *out, const char *s);
void json_string_n(strbuf_t *out, const char *s, size_t len);

/* Object building: json_begin writes "{", json_key writes ",\"k\":" (no
 * comma before the first key), json_end writes "}". */
typedef struct json_obj {
    strbuf_t *out;
    bool first;
} json_obj_t;

void json_begin(json_obj_t *o, strbuf_t *out);
void json_key(json_obj_t *o, const char *key);
void json_end(json_obj_t *o);
void json_kv_str(json_obj_t *o, const char *key, const char *value); /* null when NULL */
void json_kv_int(json_obj_t *o, const char *key, long long value);
void json_kv_bool(json_obj_t *o, const char *key, bool value);

#endif
