/* CoRE link-format writer (RFC 6690): registration payloads, Discover. */
#include "format/format.h"
#include "format/numtext.h"

#include <string.h>

static void put(tern_link_writer_t *lw, const char *s, size_t len)
{
    tern_sink_write(lw->sink, s, len);
}

void tern_link_init(tern_link_writer_t *lw, tern_sink_t *sink)
{
    lw->sink = sink;
    lw->first = true;
}

/* A link starts with ',' unless it is the first one. */
static const char *separated(tern_link_writer_t *lw, const char *text, size_t *len)
{
    bool first = lw->first;
    lw->first = false;
    *len -= first;
    return text + first;
}

void tern_link_path(tern_link_writer_t *lw, const tern_path_t *path)
{
    char text[2 + 4 * (1 + 5) + 1];        /* ",<", "/65535" four times, ">" */
    char *t = text + 2 + (path->len == 0); /* the root: "</>" */
    text[0] = ',';
    text[1] = '<';
    text[2] = '/';
    for (size_t i = 0; i < path->len && i < 4; i++) {
        *t++ = '/';
        t += tern_uint_to_text(path->ids[i], t);
    }
    *t++ = '>';
    size_t n = (size_t)(t - text);
    const char *from = separated(lw, text, &n);
    put(lw, from, n);
}

void tern_link_target(tern_link_writer_t *lw, const char *target)
{
    size_t n = 2;
    const char *from = separated(lw, ",<", &n);
    put(lw, from, n);
    put(lw, target, strlen(target));
    put(lw, ">", 1);
}

void tern_link_attr(tern_link_writer_t *lw, const char *name, const char *value)
{
    static const char marks[2] = { ';', '=' }; /* one address for both */
    put(lw, marks, 1);
    put(lw, name, strlen(name));
    if (value != NULL) {
        put(lw, marks + 1, 1);
        put(lw, value, strlen(value));
    }
}

/* Numbers are written as text with a NUL, then as any value. */
void tern_link_attr_uint(tern_link_writer_t *lw, const char *name, uint32_t value)
{
    char num[TERN_INT_TEXT_MAX + 1];
    num[tern_uint_to_text(value, num)] = '\0';
    tern_link_attr(lw, name, num);
}

void tern_link_attr_float(tern_link_writer_t *lw, const char *name, tern_float_t value)
{
    char num[TERN_FLOAT_TEXT_MAX + 1];
    size_t len = tern_float_to_text(value, num);
    if (len == 0) {
        if (lw->sink->error == 0)
            lw->sink->error = TERN_ERR_ARG; /* NaN, infinity */
        return;
    }
    num[len] = '\0';
    tern_link_attr(lw, name, num);
}
