/* Decoded LwM2M values (see values.h). */
#define _GNU_SOURCE
#include "values.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tlv.h"

void values_init(srv_values_t *vs)
{
    memset(vs, 0, sizeof(*vs));
}

void value_free(srv_value_t *v)
{
    free(v->data);
    free(v->error);
    v->data = NULL;
    v->error = NULL;
}

void values_free(srv_values_t *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        value_free(&vs->v[i]);
    free(vs->v);
    free(vs->error);
    values_init(vs);
}

srv_value_t *values_add(srv_values_t *vs, const srv_path_t *path)
{
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 8;
        vs->v = xrealloc(vs->v, vs->cap * sizeof(vs->v[0]));
    }
    srv_value_t *v = &vs->v[vs->n++];
    memset(v, 0, sizeof(*v));
    v->path = *path;
    return v;
}

static void set_error(char **slot, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(char **slot, const char *fmt, ...)
{
    if (*slot != NULL)
        return; /* keep the first problem */
    strbuf_t b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    *slot = sb_take(&b);
}

static void set_bytes(srv_value_t *v, const uint8_t *data, size_t len)
{
    free(v->data);
    v->data = xmalloc(len + 1);
    if (len > 0)
        memcpy(v->data, data, len);
    v->data[len] = '\0';
    v->len = len;
}

srv_type_t path_type(const srv_path_t *p)
{
    if (p->depth < 3)
        return SRV_T_NONE;
    const srv_resource_desc_t *d = objects_resource(p->id[0], p->id[2]);
    return d ? d->type : SRV_T_NONE;
}

const char *path_name(const srv_path_t *p)
{
    if (p->depth < 3)
        return p->depth >= 1 ? objects_name(p->id[0]) : NULL;
    const srv_resource_desc_t *d = objects_resource(p->id[0], p->id[2]);
    return d ? d->name : NULL;
}

/* ---- base64 (opaque values in plain text) ---- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_encode(strbuf_t *out, const uint8_t *d, size_t len)
{
    for (size_t i = 0; i < len; i += 3) {
        uint32_t x = (uint32_t)d[i] << 16;
        if (i + 1 < len)
            x |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < len)
            x |= d[i + 2];
        sb_putc(out, b64chars[(x >> 18) & 63]);
        sb_putc(out, b64chars[(x >> 12) & 63]);
        sb_putc(out, i + 1 < len ? b64chars[(x >> 6) & 63] : '=');
        sb_putc(out, i + 2 < len ? b64chars[x & 63] : '=');
    }
}

bool base64_decode(const uint8_t *s, size_t len, strbuf_t *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '=') {
            pad++;
            continue;
        }
        const char *p = s[i] ? strchr(b64chars, s[i]) : NULL;
        if (p == NULL || pad > 0)
            return false;
        acc = acc << 6 | (uint32_t)(p - b64chars);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            sb_putc(out, (char)(acc >> bits));
        }
    }
    return pad <= 2 && (len % 4 == 0 || pad == 0);
}

/* ---- strict number parsing ---- */

static bool parse_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0)
        return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (s[0] == '-')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0)
        return false;
    *out = v;
    return true;
}

static bool parse_f64(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

static bool parse_objlnk(const char *s, uint16_t *oid, uint16_t *iid)
{
    const char *colon = strchr(s, ':');
    if (colon == NULL)
        return false;
    char left[16];
    size_t n = (size_t)(colon - s);
    if (n == 0 || n >= sizeof(left))
        return false;
    memcpy(left, s, n);
    left[n] = '\0';
    uint64_t a, b;
    if (!parse_u64(left, &a) || !parse_u64(colon + 1, &b) || a > 65535 || b > 65535)
        return false;
    *oid = (uint16_t)a;
    *iid = (uint16_t)b;
    return true;
}

static bool parse_bool_text(const char *s, bool *out)
{
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
        *out = false;
        return true;
    }
    return false;
}

/* ---- decoding ---- */

/* A plain-text payload for a resource of type t. */
static void decode_text_value(srv_value_t *v, srv_type_t t, const uint8_t *data, size_t len)
{
    set_bytes(v, data, len);
    const char *s = (const char *)v->data;
    v->type = t;
    if (strlen(s) != len) {
        v->type = SRV_T_OPAQUE;
        set_error(&v->error, "NUL byte in a plain-text payload");
        return;
    }
    switch (t) {
    case SRV_T_NONE:
    case SRV_T_EXEC:
        v->type = SRV_T_STRING;
        v->guessed = true;
        break;
    case SRV_T_STRING:
        if (!is_text(data, len))
            set_error(&v->error, "not valid UTF-8");
        break;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        if (!parse_i64(s, &v->i))
            set_error(&v->error, "'%s' is not a %s", s, type_name(t));
        break;
    case SRV_T_UNSIGNED:
        if (!parse_u64(s, &v->u))
            set_error(&v->error, "'%s' is not an unsigned integer", s);
        break;
    case SRV_T_FLOAT:
        if (!parse_f64(s, &v->f))
            set_error(&v->error, "'%s' is not a float", s);
        break;
    case SRV_T_BOOLEAN:
        /* LwM2M text booleans are exactly "0" and "1" */
        if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0)
            v->b = s[0] == '1';
        else
            set_error(&v->error, "'%s' is not a text boolean (\"0\" or \"1\")", s);
        break;
    case SRV_T_OBJLNK:
        if (!parse_objlnk(s, &v->oid, &v->iid))
            set_error(&v->error, "'%s' is not an objlnk (\"O:I\")", s);
        break;
    case SRV_T_OPAQUE: {
        strbuf_t raw;
        sb_init(&raw);
        if (base64_decode(data, len, &raw)) {
            set_bytes(v, (const uint8_t *)raw.s, raw.len);
        } else {
            set_error(&v->error, "opaque in plain text is not valid base64");
        }
        sb_free(&raw);
        break;
    }
    }
}

/* Guesses the type of a TLV value of a resource the table does not know. */
static srv_type_t guess_tlv_type(const uint8_t *d, size_t len)
{
    if (len == 0)
        return SRV_T_STRING;
    bool sized = len == 1 || len == 2 || len == 4 || len == 8;
    if (is_text(d, len) && !(sized && d[0] < 0x20))
        return SRV_T_STRING;
    if (sized)
        return SRV_T_INTEGER;
    return SRV_T_OPAQUE;
}

static void decode_tlv_value(srv_value_t *v, srv_type_t t, const uint8_t *d, size_t len)
{
    if (t == SRV_T_NONE || t == SRV_T_EXEC) {
        t = guess_tlv_type(d, len);
        v->guessed = true;
    }
    v->type = t;
    set_bytes(v, d, len);
    bool ok = true;
    switch (t) {
    case SRV_T_STRING:
        ok = is_text(d, len);
        if (!ok)
            set_error(&v->error, "string is not valid UTF-8");
        return;
    case SRV_T_OPAQUE:
        return;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        ok = tlv_decode_int(d, len, &v->i);
        break;
    case SRV_T_UNSIGNED:
        ok = tlv_decode_uint(d, len, &v->u);
        break;
    case SRV_T_FLOAT:
        ok = tlv_decode_float(d, len, &v->f);
        v->f32 = len == 4;
        break;
    case SRV_T_BOOLEAN:
        ok = tlv_decode_bool(d, len, &v->b);
        break;
    case SRV_T_OBJLNK:
        ok = tlv_decode_objlnk(d, len, &v->oid, &v->iid);
        break;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        break;
    }
    if (!ok)
        set_error(&v->error, "%zu-byte TLV value is not a valid %s", len, type_name(t));
}

static void decode_tlv_level(srv_values_t *vs, const srv_path_t *parent, const uint8_t *d,
                             size_t len, int depth_guard);

/* One TLV record found under parent (whose depth says what it may be). */
static void decode_tlv_record(srv_values_t *vs, const srv_path_t *parent, const tlv_rec_t *r,
                              int depth_guard)
{
    char pbuf[40];
    /* the depth a record of this type sits at: instance 2, resource 3,
     * resource instance 4 */
    int want_parent;
    switch (r->type) {
    case TLV_OBJECT_INSTANCE:
        want_parent = 1;
        break;
    case TLV_RESOURCE:
    case TLV_MULTIPLE_RESOURCE:
        want_parent = 2;
        break;
    default:
        want_parent = 3;
        break;
    }
    if (parent->depth != want_parent) {
        set_error(&vs->error, "TLV %s %u found under %s", tlv_type_name(r->type), r->id,
                  path_format(parent, pbuf, sizeof(pbuf)));
        return;
    }
    srv_path_t p = path_child(parent, r->id);
    if (r->type == TLV_OBJECT_INSTANCE || r->type == TLV_MULTIPLE_RESOURCE) {
        decode_tlv_level(vs, &p, r->value, r->len, depth_guard + 1);
        return;
    }
    srv_value_t *v = values_add(vs, &p);
    decode_tlv_value(v, path_type(&p), r->value, r->len);
}

static void decode_tlv_level(srv_values_t *vs, const srv_path_t *parent, const uint8_t *d,
                             size_t len, int depth_guard)
{
    size_t pos = 0;
    tlv_rec_t r;
    const char *err = NULL;
    int rc;
    if (depth_guard > 3) {
        set_error(&vs->error, "TLV nested too deeply");
        return;
    }
    while ((rc = tlv_next(d, len, &pos, &r, &err)) == 1)
        decode_tlv_record(vs, parent, &r, depth_guard);
    if (rc < 0)
        set_error(&vs->error, "malformed TLV: %s", err);
}

/* The records at the top of a TLV payload may start at the request path's
 * own level (an object instance under /O, resources under /O/I) or repeat
 * the requested item itself (an instance record for /O/I, a resource record
 * for /O/I/R, a resource instance record for /O/I/R/RI). */
static void decode_tlv(srv_values_t *vs, const srv_path_t *base, const uint8_t *d, size_t len)
{
    size_t pos = 0;
    tlv_rec_t r;
    const char *err = NULL;
    int rc;
    char pbuf[40];
    if (base->depth == 0) {
        set_error(&vs->error, "TLV for the root path cannot be decoded");
        return;
    }
    while ((rc = tlv_next(d, len, &pos, &r, &err)) == 1) {
        srv_path_t parent = *base;
        bool names_base =
            (base->depth == 2 && r.type == TLV_OBJECT_INSTANCE)
            || (base->depth == 3 && (r.type == TLV_RESOURCE || r.type == TLV_MULTIPLE_RESOURCE))
            || (base->depth == 4 && r.type == TLV_RESOURCE_INSTANCE);
        if (names_base) {
            parent.depth--;
            if (r.id != base->id[base->depth - 1])
                set_error(&vs->error, "TLV %s %u does not match the requested path %s",
                          tlv_type_name(r.type), r.id, path_format(base, pbuf, sizeof(pbuf)));
        }
        decode_tlv_record(vs, &parent, &r, 0);
    }
    if (rc < 0)
        set_error(&vs->error, "malformed TLV: %s", err);
}

void values_decode(srv_values_t *vs, const srv_path_t *base, int cf, const uint8_t *data,
                   size_t len)
{
    char pbuf[40];
    switch (cf) {
    case CF_TEXT:
    case CF_NONE:
        if (len == 0 && cf == CF_NONE)
            return;
        if (base->depth < 3) {
            set_error(&vs->error, "plain text for %s, which is not a resource",
                      path_format(base, pbuf, sizeof(pbuf)));
            return;
        }
        if (cf == CF_NONE && !is_text(data, len)) {
            decode_tlv_value(values_add(vs, base), SRV_T_OPAQUE, data, len);
            return;
        }
        decode_text_value(values_add(vs, base), path_type(base), data, len);
        return;
    case CF_OPAQUE:
        if (base->depth < 3) {
            set_error(&vs->error, "opaque content for %s, which is not a resource",
                      path_format(base, pbuf, sizeof(pbuf)));
            return;
        }
        decode_tlv_value(values_add(vs, base), SRV_T_OPAQUE, data, len);
        return;
    case CF_TLV:
        decode_tlv(vs, base, data, len);
        return;
    default:
        return;
    }
}

const srv_value_t *values_find(const srv_values_t *vs, const srv_path_t *path)
{
    for (size_t i = 0; i < vs->n; i++) {
        const srv_path_t *p = &vs->v[i].path;
        if (p->depth == path->depth
            && memcmp(p->id, path->id, sizeof(p->id[0]) * (size_t)p->depth) == 0)
            return &vs->v[i];
    }
    return NULL;
}

/* ---- printing ---- */

static void print_float(strbuf_t *out, double f, bool f32)
{
    char buf[40];
    if (isnan(f) || isinf(f)) {
        sb_puts(out, isnan(f) ? "nan" : (f > 0 ? "inf" : "-inf"));
        return;
    }
    /* the shortest form that reads back the same, without an exponent for
     * ordinary magnitudes (1000.0, not 1e+03) */
    int first = 1;
    if (fabs(f) >= 1 && fabs(f) < 1e15)
        first = (int)floor(log10(fabs(f))) + 1;
    for (int prec = first; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, f);
        double back = strtod(buf, NULL);
        if (f32 ? (float)back == (float)f : back == f)
            break;
    }
    sb_puts(out, buf);
    if (strpbrk(buf, ".en") == NULL)
        sb_puts(out, ".0");
}

static void print_quoted(strbuf_t *out, const uint8_t *d, size_t len)
{
    sb_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = d[i];
        if (c == '"' || c == '\\')
            sb_printf(out, "\\%c", c);
        else if (c == '\n')
            sb_puts(out, "\\n");
        else if (c == '\r')
            sb_puts(out, "\\r");
        else if (c == '\t')
            sb_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\x%02x", c);
        else
            sb_putc(out, (char)c);
    }
    sb_putc(out, '"');
}

void value_print(strbuf_t *out, const srv_value_t *v)
{
    if (v->error != NULL) {
        sb_printf(out, "<invalid %s: %s> raw hex:", type_name(v->type), v->error);
        sb_hex(out, v->data, v->len);
        return;
    }
    switch (v->type) {
    case SRV_T_STRING:
        print_quoted(out, v->data, v->len);
        break;
    case SRV_T_OPAQUE:
        sb_puts(out, "hex:");
        sb_hex(out, v->data, v->len);
        sb_printf(out, " (%zu bytes)", v->len);
        break;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        sb_printf(out, "%" PRId64, v->i);
        break;
    case SRV_T_UNSIGNED:
        sb_printf(out, "%" PRIu64, v->u);
        break;
    case SRV_T_FLOAT:
        print_float(out, v->f, v->f32);
        break;
    case SRV_T_BOOLEAN:
        sb_puts(out, v->b ? "true" : "false");
        break;
    case SRV_T_OBJLNK:
        sb_printf(out, "%u:%u", (unsigned)v->oid, (unsigned)v->iid);
        break;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        sb_puts(out, "(none)");
        break;
    }
    if (v->guessed)
        sb_printf(out, " (unknown resource, looks like %s)", type_name(v->type));
}

void value_json(strbuf_t *out, const srv_value_t *v)
{
    if (v->error != NULL) {
        sb_puts(out, "null");
        return;
    }
    switch (v->type) {
    case SRV_T_STRING:
        json_string_n(out, (const char *)v->data, v->len);
        break;
    case SRV_T_OPAQUE: {
        strbuf_t hex;
        sb_init(&hex);
        sb_puts(&hex, "hex:");
        sb_hex(&hex, v->data, v->len);
        json_string(out, hex.s);
        sb_free(&hex);
        break;
    }
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        sb_printf(out, "%" PRId64, v->i);
        break;
    case SRV_T_UNSIGNED:
        sb_printf(out, "%" PRIu64, v->u);
        break;
    case SRV_T_FLOAT:
        if (isnan(v->f) || isinf(v->f)) {
            json_string(out, isnan(v->f) ? "nan" : (v->f > 0 ? "inf" : "-inf"));
        } else {
            print_float(out, v->f, v->f32);
        }
        break;
    case SRV_T_BOOLEAN:
        sb_puts(out, v->b ? "true" : "false");
        break;
    case SRV_T_OBJLNK: {
        char buf[16];
        snprintf(buf, sizeof(buf), "%u:%u", (unsigned)v->oid, (unsigned)v->iid);
        json_string(out, buf);
        break;
    }
    case SRV_T_NONE:
    case SRV_T_EXEC:
        sb_puts(out, "null");
        break;
    }
}

/* ---- user input ---- */

static srv_type_t infer_type(const char *s, bool quoted)
{
    int64_t i;
    double f;
    uint16_t a, b;
    if (quoted)
        return SRV_T_STRING;
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
        return SRV_T_BOOLEAN;
    if (parse_i64(s, &i))
        return SRV_T_INTEGER;
    if (parse_f64(s, &f) && strspn(s, "+-0123456789.eE") == strlen(s))
        return SRV_T_FLOAT;
    if (strncmp(s, "hex:", 4) == 0)
        return SRV_T_OPAQUE;
    if (parse_objlnk(s, &a, &b))
        return SRV_T_OBJLNK;
    return SRV_T_STRING;
}

bool value_parse(const char *s, bool quoted, srv_type_t t, srv_value_t *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (t == SRV_T_NONE) {
        t = infer_type(s, quoted);
        out->guessed = true;
    }
    out->type = t;
    switch (t) {
    case SRV_T_STRING:
        set_bytes(out, (const uint8_t *)s, strlen(s));
        return true;
    case SRV_T_OPAQUE:
        if (strncmp(s, "hex:", 4) == 0) {
            uint8_t *bytes;
            long n = hex_decode(s + 4, &bytes);
            if (n < 0) {
                snprintf(err, errlen, "'%s': bad hex after 'hex:'", s);
                return false;
            }
            set_bytes(out, bytes, (size_t)n);
            free(bytes);
        } else {
            set_bytes(out, (const uint8_t *)s, strlen(s));
        }
        return true;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        if (parse_i64(s, &out->i))
            return true;
        break;
    case SRV_T_UNSIGNED:
        if (parse_u64(s, &out->u))
            return true;
        break;
    case SRV_T_FLOAT:
        if (parse_f64(s, &out->f))
            return true;
        break;
    case SRV_T_BOOLEAN:
        if (parse_bool_text(s, &out->b))
            return true;
        break;
    case SRV_T_OBJLNK:
        if (parse_objlnk(s, &out->oid, &out->iid))
            return true;
        break;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        snprintf(err, errlen, "this resource is executable and takes no value");
        return false;
    }
    snprintf(err, errlen, "'%s' is not a valid %s", s, type_name(t));
    return false;
}

bool value_matches(const srv_value_t *v, const char *expected)
{
    if (v->error != NULL)
        return false;
    srv_value_t e;
    char err[160];
    srv_type_t t = v->type;
    if (t == SRV_T_STRING && strlen(expected) >= 2 && expected[0] == '"'
        && expected[strlen(expected) - 1] == '"') {
        /* expect-value "text" written with quotes inside a quoted token */
        return v->len == strlen(expected) - 2 && memcmp(v->data, expected + 1, v->len) == 0;
    }
    if (!value_parse(expected, false, t, &e, err, sizeof(err)))
        return false;
    bool eq = false;
    switch (t) {
    case SRV_T_STRING:
    case SRV_T_OPAQUE:
        eq = e.len == v->len && memcmp(e.data, v->data, v->len) == 0;
        break;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        eq = e.i == v->i;
        break;
    case SRV_T_UNSIGNED:
        eq = e.u == v->u;
        break;
    case SRV_T_FLOAT: {
        double scale = fmax(1.0, fmax(fabs(e.f), fabs(v->f)));
        eq = fabs(e.f - v->f) <= 1e-6 * scale;
        break;
    }
    case SRV_T_BOOLEAN:
        eq = e.b == v->b;
        break;
    case SRV_T_OBJLNK:
        eq = e.oid == v->oid && e.iid == v->iid;
        break;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        break;
    }
    value_free(&e);
    return eq;
}

bool value_encode_text(const srv_value_t *v, strbuf_t *out, char *err, size_t errlen)
{
    switch (v->type) {
    case SRV_T_STRING:
        sb_append(out, v->data, v->len);
        return true;
    case SRV_T_OPAQUE:
        base64_encode(out, v->data, v->len);
        return true;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        sb_printf(out, "%" PRId64, v->i);
        return true;
    case SRV_T_UNSIGNED:
        sb_printf(out, "%" PRIu64, v->u);
        return true;
    case SRV_T_FLOAT:
        print_float(out, v->f, false);
        return true;
    case SRV_T_BOOLEAN:
        sb_putc(out, v->b ? '1' : '0');
        return true;
    case SRV_T_OBJLNK:
        sb_printf(out, "%u:%u", (unsigned)v->oid, (unsigned)v->iid);
        return true;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        break;
    }
    snprintf(err, errlen, "a value of type %s has no text form", type_name(v->type));
    return false;
}

void value_encode_tlv(const srv_value_t *v, strbuf_t *out)
{
    uint8_t buf[8];
    size_t n = 0;
    switch (v->type) {
    case SRV_T_STRING:
    case SRV_T_OPAQUE:
        sb_append(out, v->data, v->len);
        return;
    case SRV_T_INTEGER:
    case SRV_T_TIME:
        n = tlv_encode_int(v->i, buf);
        break;
    case SRV_T_UNSIGNED:
        /* an unsigned value above INT64_MAX needs all 8 bytes */
        n = v->u > INT64_MAX ? 8 : tlv_encode_int((int64_t)v->u, buf);
        if (n == 8)
            for (int i = 0; i < 8; i++)
                buf[i] = (uint8_t)(v->u >> (56 - 8 * i));
        break;
    case SRV_T_FLOAT:
        n = tlv_encode_float(v->f, buf);
        break;
    case SRV_T_BOOLEAN:
        buf[0] = v->b ? 1 : 0;
        n = 1;
        break;
    case SRV_T_OBJLNK:
        n = tlv_encode_objlnk(v->oid, v->iid, buf);
        break;
    case SRV_T_NONE:
    case SRV_T_EXEC:
        return;
    }
    sb_append(out, buf, n);
}

static const struct {
    const char *name;
    int cf;
} formats[] = {
    { "text", CF_TEXT },
    { "plain", CF_TEXT },
    { "link", CF_LINK },
    { "opaque", CF_OPAQUE },
    { "cbor", CF_CBOR },
    { "senml-json", CF_SENML_JSON },
    { "senml-cbor", CF_SENML_CBOR },
    { "tlv", CF_TLV },
    { "json", CF_LWM2M_JSON },
};

int format_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(name, formats[i].name) == 0)
            return formats[i].cf;
    uint64_t n;
    if (parse_u64(name, &n) && n <= 65535)
        return (int)n;
    return CF_NONE;
}

const char *format_name(int cf)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (formats[i].cf == cf && strcmp(formats[i].name, "plain") != 0)
            return formats[i].name;
    return NULL;
}
