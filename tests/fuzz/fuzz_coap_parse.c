/*
 * Fuzz target: the CoAP message parser and option walker. Every message
 * the parser accepts must serialise back to exactly the same bytes (the
 * option encoding of RFC 7252 3.1 is canonical), so the writer is
 * checked too.
 */
#include <stdlib.h>
#include <string.h>

#include "coap/coap_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tern_coap_msg_t m;
    if (tern_coap_parse(&m, data, size) != 0)
        return 0;
    (void)tern_coap_bad_critical_option(&m);

    static uint8_t out[70000];
    tern_coap_writer_t w;
    tern_coap_writer_init(&w, out, sizeof(out));
    tern_coap_write_header(&w, m.type, m.code, m.mid, m.token, m.token_len);
    tern_coap_opt_iter_t it;
    tern_coap_option_t opt;
    uint32_t v;
    tern_coap_opt_iter_init(&it, &m);
    while (tern_coap_opt_next(&it, &opt)) {
        tern_coap_write_option(&w, opt.number, opt.value, opt.len);
        (void)tern_coap_get_uint(&m, opt.number, &v);
    }
    if (m.payload_len > 0)
        tern_coap_write_payload(&w, m.payload, m.payload_len);
    int len = tern_coap_writer_finish(&w);
    if (len != (int)size || memcmp(out, data, size) != 0)
        abort();
    return 0;
}
