/*
 * Rejects configurations that cannot work. Included by config.h; not
 * meant to be included on its own.
 */
#ifndef TERN_CONFIG_CHECK_H
#define TERN_CONFIG_CHECK_H

#if TERN_COAP_BUFFER_SIZE < 64 || TERN_COAP_BUFFER_SIZE > 65507
#error "TERN_COAP_BUFFER_SIZE must be 64..65507"
#endif

#if TERN_COAP_MAX_PENDING < 1 || TERN_COAP_MAX_PENDING > 32
#error "TERN_COAP_MAX_PENDING must be 1..32"
#endif

#if TERN_COAP_DEDUP_SLOTS < 1
#error "TERN_COAP_DEDUP_SLOTS must be at least 1"
#endif

#if TERN_COAP_TOKEN_SIZE < 1 || TERN_COAP_TOKEN_SIZE > 8
#error "TERN_COAP_TOKEN_SIZE must be 1..8"
#endif

#if TERN_COAP_MAX_RETRANSMIT < 0 || TERN_COAP_MAX_RETRANSMIT > 10
#error "TERN_COAP_MAX_RETRANSMIT must be 0..10"
#endif

#if TERN_COAP_ACK_RANDOM_FACTOR_PERMILLE < 1000
#error "TERN_COAP_ACK_RANDOM_FACTOR_PERMILLE must be at least 1000 (RFC 7252 4.8)"
#endif

#if TERN_ADDR_SIZE < 4 || TERN_ADDR_SIZE > 255
#error "TERN_ADDR_SIZE must be 4..255"
#endif

#if TERN_MAX_SERVERS < 1 || TERN_MAX_SERVERS > 16
#error "TERN_MAX_SERVERS must be 1..16"
#endif

#if TERN_MAX_URI < 16 || TERN_MAX_URI > 255
#error "TERN_MAX_URI must be 16..255"
#endif

#if TERN_MAX_LOCATION < 8 || TERN_MAX_LOCATION > 255
#error "TERN_MAX_LOCATION must be 8..255"
#endif

#if TERN_MAX_IDENTITY > 4096 || TERN_MAX_SECRET > 4096 || TERN_MAX_SERVER_KEY > 4096
#error "credential sizes must be at most 4096"
#endif

#if TERN_WITH_OBSERVE && (TERN_MAX_OBSERVATIONS < 1 || TERN_MAX_ATTRS < 1)
#error "observe needs TERN_MAX_OBSERVATIONS and TERN_MAX_ATTRS of at least 1"
#endif

#if TERN_WITH_ACL && (TERN_MAX_ACL < 1 || TERN_MAX_ACL_ENTRIES < 1 || TERN_MAX_ACL_ENTRIES > 255)
#error "the Access Control object needs TERN_MAX_ACL >= 1 and TERN_MAX_ACL_ENTRIES 1..255"
#endif

#if TERN_COAP_BLOCK_SIZE != 16 && TERN_COAP_BLOCK_SIZE != 32 && TERN_COAP_BLOCK_SIZE != 64         \
    && TERN_COAP_BLOCK_SIZE != 128 && TERN_COAP_BLOCK_SIZE != 256 && TERN_COAP_BLOCK_SIZE != 512   \
    && TERN_COAP_BLOCK_SIZE != 1024
#error "TERN_COAP_BLOCK_SIZE must be a power of two in 16..1024"
#endif

#if TERN_WITH_BLOCK && TERN_COAP_BLOCK_SIZE + 32 > TERN_COAP_BUFFER_SIZE
#error "TERN_COAP_BLOCK_SIZE leaves no room for header and options in TERN_COAP_BUFFER_SIZE"
#endif

#endif /* TERN_CONFIG_CHECK_H */
