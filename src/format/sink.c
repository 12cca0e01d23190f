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

/* Stores the part of payload bytes [at, at + len) that is in the window;
 * callers make sure at + len does not overflow. */
static void store(tern_sink_t *s, size_t at, const uint8_t *data, size_t len)
{
    size_t win_end = s->cap > SIZE_MAX - s->skip ? SIZE_MAX : s->skip + s->cap;
    size_t from = at > s->skip ? at : s->skip;
    size_t to = at + len < win_end ? at + len : win_end;
    if (from < to)
        memcpy(s->buf + (from - s->skip), data + (from - at), to - from);
}

void tern_sink_write(tern_sink_t *s, const void *data, size_t len)
{
    if (s->error != 0)
        return;
    if (len > SIZE_MAX - s->pos) {
        s->error = TERN_ERR_NO_SPACE;
        return;
    }
    store(s, s->pos, data, len);
    s->pos += len;
}

void tern_sink_patch(tern_sink_t *s, size_t at, const void *data, size_t len)
{
    if (s->error != 0)
        return;
    if (at > s->pos || len > s->pos - at) {
        s->error = TERN_ERR_ARG;
        return;
    }
    store(s, at, data, len);
}

size_t tern_sink_stored(const tern_sink_t *s)
{
    if (s->pos <= s->skip)
        return 0;
    return s->pos - s->skip < s->cap ? s->pos - s->skip : s->cap;
}
