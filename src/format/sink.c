/* The windowed sink: every byte is counted, only the window is stored. */
#include "format/format.h"

#include <string.h>

void tern_sink_init(tern_sink_t *s, uint8_t *buf, size_t cap, size_t skip)
{
    s->buf = buf;
    s->cap = buf != NULL ? cap : 0;
    s->skip = skip;
    s->pos = 0;
    s->error = 0;
}

void tern_sink_patch(tern_sink_t *s, size_t at, const void *data, size_t len)
{
    if (s->error != 0)
        return;
    if (at > s->pos || len > s->pos - at) {
        s->error = TERN_ERR_ARG;
        return;
    }
    /* byte by byte, each stored when it falls inside the window (no sum
     * that could overflow) */
    for (const uint8_t *d = data; len-- > 0; at++, d++) {
        if (at >= s->skip && at - s->skip < s->cap)
            s->buf[at - s->skip] = *d;
    }
}

void tern_sink_write(tern_sink_t *s, const void *data, size_t len)
{
    if (len > SIZE_MAX - s->pos) {
        if (s->error == 0)
            s->error = TERN_ERR_NO_SPACE;
        return;
    }
    if (s->error == 0) {
        s->pos += len;
        tern_sink_patch(s, s->pos - len, data, len);
    }
}

size_t tern_sink_stored(const tern_sink_t *s)
{
    if (s->pos <= s->skip)
        return 0;
    return s->pos - s->skip < s->cap ? s->pos - s->skip : s->cap;
}
