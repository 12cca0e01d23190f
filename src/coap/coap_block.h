/*
 * Block-wise transfers (RFC 7959): the Block1/Block2 option value and
 * the block sizes a device can take.
 */
#ifndef TERN_COAP_BLOCK_H
#define TERN_COAP_BLOCK_H

#include "coap/coap_msg.h"

/* A Block1 or Block2 option value (RFC 7959 2.2). */
typedef struct tern_coap_block {
    uint32_t num; /* block number, < 2^20 */
    uint8_t more; /* M: more blocks follow */
    uint8_t szx;  /* size exponent: 2^(szx + 4) bytes, 0..6 */
} tern_coap_block_t;

/* Bytes in a block of exponent szx. */
#define TERN_COAP_BLOCK_BYTES(szx) ((size_t)16u << (szx))

/*
 * Reads option `number` (Block1 or Block2). Returns 1 when present and
 * valid, 0 when absent, -TERN_COAP_BAD_OPTION for an invalid value (szx
 * 7 is reserved for BERT, which UDP does not carry; more than 3 bytes).
 */
int tern_coap_get_block(const tern_coap_msg_t *msg, uint16_t number, tern_coap_block_t *block);

/* Appends a Block1/Block2 option in its shortest form. */
void tern_coap_write_block(tern_coap_writer_t *w, uint16_t number, const tern_coap_block_t *block);

/*
 * The largest block exponent whose block fits `room` bytes and does not
 * exceed TERN_COAP_BLOCK_SIZE.
 */
uint8_t tern_coap_block_szx(size_t room);

#endif /* TERN_COAP_BLOCK_H */
