/*
 * Fuzz target: the CoRE link-format parser. Every link accepted has its
 * target and parameters inside the input, its parameters walk without
 * error, and writing the same links back (target, then each parameter as
 * it was) reproduces the input exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "format/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(uint8_t *out, size_t *n, const char *s, size_t len)
{
    memcpy(out + *n, s, len);
    *n += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[140000];
    if (size > sizeof(again) / 2)
        return 0;
    const char *text = (const char *)data;
    tern_link_iter_t it;
    tern_link_t link;
    size_t n = 0;
    int rc;
    tern_link_iter_init(&it, text, size);
    while ((rc = tern_link_next(&it, &link)) == 1) {
        if (link.target < text || link.target + link.target_len > text + size || link.params < text
            || link.params + link.params_len > text + size)
            abort();
        if (n > 0)
            put(again, &n, ",", 1);
        put(again, &n, "<", 1);
        put(again, &n, link.target, link.target_len);
        put(again, &n, ">", 1);
        const char *name;
        const char *value;
        size_t name_len;
        size_t value_len;
        int prc;
        while ((prc = tern_link_param_next(&link.params, &link.params_len, &name, &name_len, &value,
                                           &value_len))
               == 1) {
            put(again, &n, ";", 1);
            put(again, &n, name, name_len);
            if (value == NULL)
                continue;
            bool quoted = value[-1] == '"'; /* else it follows the '=' */
            put(again, &n, "=", 1);
            if (quoted)
                put(again, &n, "\"", 1);
            put(again, &n, value, value_len);
            if (quoted)
                put(again, &n, "\"", 1);
        }
        if (prc != 0)
            abort();
    }
    if (rc == 0 && (n != size || memcmp(again, data, size) != 0))
        abort();
    if (rc != 0 && rc != -TERN_COAP_BAD_REQUEST)
        abort();
    return 0;
}
