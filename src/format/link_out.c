/* CoRE link-format writer (RFC 6690): registration payloads, Discover. */
#include "format/format.h"
#include "format/numtext.h"

#include <string.h>

static void put(tern_link_writer_t *lw, const char *s, size_t len)
{
    tern_sink_write(lw->sink, s, len);
}

/* "<target>", after a ',' unless it is the first link */
static void link_to(tern_link_writer_t *lw, const char *target, size_t len)
{
    put(lw, &",<"[lw->first], 2u - lw->first);
    put(lw, target, len);
    put(lw, ">", 1);
    lw->first = false;
}

void tern_link_init(tern_link_writer_t *lw, tern_sink_t *sink)
{
    lw->sink = sink;
    lw->first = true;
}

void tern_link_path(tern_link_writer_t *lw, const tern_path_t *path)
{
    char text[4 * (1 + 5)]; /* "/65535" four times */
    size_t n = 0;
    for (uint8_t i = 0; i < path->len && i < 4; i++) {
        text[n++] = '/';
        n += tern_uint_to_text(path->ids[i], text + n);
    }
    if (n == 0)
        text[n++] = '/';
    link_to(lw, text, n);
}

void tern_link_target(tern_link_writer_t *lw, const char *target)
{
    link_to(lw, target, strlen(target));
}

/* ";name" and, unless value is NULL, "=value" */
static void attr(tern_link_writer_t *lw, const char *name, const char *value, size_t len)
{
    put(lw, ";", 1);
    put(lw, name, strlen(name));
    if (value != NULL) {
        put(lw, "=", 1);
        put(lw, value, len);
    }
}

void tern_link_attr(tern_link_writer_t *lw, const char *name, const char *value)
{
    attr(lw, name, value, value != NULL ? strlen(value) : 0);
}

void tern_link_attr_uint(tern_link_writer_t *lw, const char *name, uint32_t value)
{
    char num[TERN_INT_TEXT_MAX];
    attr(lw, name, num, tern_uint_to_text(value, num));
}

void tern_link_attr_float(tern_link_writer_t *lw, const char *name, tern_float_t value)
{
    char num[TERN_FLOAT_TEXT_MAX];
    size_t len = tern_float_to_text(value, num);
    if (len == 0) {
        if (lw->sink->error == 0)
            lw->sink->error = TERN_ERR_ARG; /* NaN, infinity */
        return;
    }
    attr(lw, name, num, len);
}
