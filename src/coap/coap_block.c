/* Block1/Block2 option values (RFC 7959 2.2). */
#include "coap/coap_block.h"

int tern_coap_get_block(const tern_coap_msg_t *msg, uint16_t number, tern_coap_block_t *block)
{
    tern_coap_option_t opt;
    if (!tern_coap_find_option(msg, number, &opt))
        return 0;
    if (opt.len > 3)
        return -TERN_COAP_BAD_OPTION;
    uint32_t v = tern_coap_decode_uint(opt.value, opt.len);
    block->num = v >> 4;
    block->more = (uint8_t)((v >> 3) & 1u);
    block->szx = (uint8_t)(v & 7u);
    return block->szx == 7 ? -TERN_COAP_BAD_OPTION : 1;
}

void tern_coap_write_block(tern_coap_writer_t *w, uint16_t number, const tern_coap_block_t *block)
{
    uint32_t v = (block->num << 4) | ((uint32_t)(block->more != 0) << 3) | (block->szx & 7u);
    tern_coap_write_option_uint(w, number, v);
}

uint8_t tern_coap_block_szx(size_t room)
{
    uint8_t szx = 6;
    while (szx > 0
           && (TERN_COAP_BLOCK_BYTES(szx) > room
               || TERN_COAP_BLOCK_BYTES(szx) > (size_t)TERN_COAP_BLOCK_SIZE))
        szx--;
    return szx;
}
