/* A minimal JSON writer (see json.h). */
#include "json.h"

#include <string.h>

void json_string_n(strbuf_t *out, const char *str, size_t len)
{
    const uint8_t *s = (const uint8_t *)str;
    sb_putc(out, '"');
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            sb_putc(out, '\\');
            sb_putc(out, (char)c);
            i++;
        } else if (c == '\n') {
            sb_puts(out, "\\n");
            i++;
        } else if (c == '\r') {
            sb_puts(out, "\\r");
            i++;
        } else if (c == '\t') {
            sb_puts(out, "\\t");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            sb_printf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            sb_putc(out, (char)c);
            i++;
        } else {
            /* copy a valid UTF-8 sequence, replace anything else */
            size_t n = (c & 0xe0) == 0xc0 && c >= 0xc2   ? 2
                       : (c & 0xf0) == 0xe0              ? 3
                       : (c & 0xf8) == 0xf0 && c <= 0xf4 ? 4
                                                         : 0;
            bool ok = n > 0 && i + n <= len;
            for (size_t k = 1; ok && k < n; k++)
                ok = (s[i + k] & 0xc0) == 0x80;
            if (ok) {
                sb_append(out, s + i, n);
                i += n;
            } else {
                sb_puts(out, "\\ufffd");
                i++;
            }
        }
    }
    sb_putc(out, '"');
}

void json_string(strbuf_t *out, const char *s)
{
    json_string_n(out, s, strlen(s));
}

void json_begin(json_obj_t *o, strbuf_t *out)
{
    o->out = out;
    o->first = true;
    sb_putc(out, '{');
}

void json_key(json_obj_t *o, const char *key)
{
    if (!o->first)
        sb_putc(o->out, ',');
    o->first = false;
    json_string(o->out, key);
    sb_putc(o->out, ':');
}

void json_end(json_obj_t *o)
{
    sb_putc(o->out, '}');
}

void json_kv_str(json_obj_t *o, const char *key, const char *value)
{
    json_key(o, key);
    if (value == NULL)
        sb_puts(o->out, "null");
    else
        json_string(o->out, value);
}

void json_kv_int(json_obj_t *o, const char *key, long long value)
{
    json_key(o, key);
    sb_printf(o->out, "%lld", value);
}

void json_kv_bool(json_obj_t *o, const char *key, bool value)
{
    json_key(o, key);
    sb_puts(o->out, value ? "true" : "false");
}
