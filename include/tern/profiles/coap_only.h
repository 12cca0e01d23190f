/*
 * Profile "coap": the CoAP layer alone, logs off, 512-byte messages.
 * Used by the footprint report until the LwM2M profiles exist.
 */
#define TERN_WITH_LOG 0
#define TERN_WITH_DOUBLE 0
#define TERN_COAP_BUFFER_SIZE 512
#define TERN_COAP_RX_BUFFER 0 /* the port lends its frame buffer */
#define TERN_COAP_MAX_PENDING 1
#define TERN_COAP_DEDUP_SLOTS 4
#define TERN_ADDR_SIZE 8
