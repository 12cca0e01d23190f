/* CoRE link-format writer (RFC 6690): registration payloads, Discover. */
#include "format/format.h"
#include "format/numtext.h"

#include <string.h>

static void put(tern_link_writer_t *lw, const char *s, size_t len)
{
    tern_sink_write(lw->sink, s, len);
}

static void open_link(tern_link_writer_t *lw)
{
    if (lw->first)
        put(lw, "<", 1);
    else
        put(lw, ",<", 2);
    lw->first = false;
}

void tern_link_init(tern_link_writer_t *lw, tern_sink_t *sink)
{
    lw->sink = sink;
    lw->first = true;
}

void tern_link_path(tern_link_writer_t *lw, const tern_path_t *path)
{
    char num[TERN_INT_TEXT_MAX];
    open_link(lw);
    if (path->len == 0)
        put(lw, "/", 1);
    for (uint8_t i = 0; i < path->len && i < 4; i++) {
        put(lw, "/", 1);
        put(lw, num, tern_uint_to_text(path->ids[i], num));
    }
    put(lw, ">", 1);
}

void tern_link_target(tern_link_writer_t *lw, const char *target)
{
    open_link(lw);
    put(lw, target, strlen(target));
    put(lw, ">", 1);
}

static void attr_name(tern_link_writer_t *lw, const char *name, bool with_value)
{
    put(lw, ";", 1);
    put(lw, name, strlen(name));
    if (with_value)
        put(lw, "=", 1);
}

void tern_link_attr(tern_link_writer_t *lw, const char *name, const char *value)
{
    attr_name(lw, name, value != NULL);
    if (value != NULL)
        put(lw, value, strlen(value));
}

void tern_link_attr_uint(tern_link_writer_t *lw, const char *name, uint32_t value)
{
    char num[TERN_INT_TEXT_MAX];
    attr_name(lw, name, true);
    put(lw, num, tern_uint_to_text(value, num));
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
    attr_name(lw, name, true);
    put(lw, num, len);
}
