/*
 * Profile "full": everything Tern has except the DTLS library itself,
 * for the footprint report's second table. Logs off, float instead of
 * double, 512-byte CoAP messages, two servers.
 */
#define TERN_WITH_LOG 0
#define TERN_WITH_DOUBLE 0
#define TERN_WITH_TLV 1
#define TERN_WITH_OBSERVE 1
#define TERN_WITH_BOOTSTRAP 1
#define TERN_WITH_ACL 1
#define TERN_WITH_PERSISTENCE 1
#define TERN_WITH_BLOCK 1
#define TERN_COAP_BLOCK_SIZE 256
#define TERN_MAX_ACL 6
#define TERN_MAX_ACL_ENTRIES 3
#define TERN_COAP_BUFFER_SIZE 512
#define TERN_COAP_RX_BUFFER 0 /* the port lends its frame buffer */
#define TERN_COAP_MAX_PENDING 2
#define TERN_COAP_DEDUP_SLOTS 4
#define TERN_COAP_TOKEN_SIZE 4
#define TERN_ADDR_SIZE 8
#define TERN_MAX_SERVERS 2
#define TERN_MAX_URI 48
#define TERN_MAX_LOCATION 24
#define TERN_MAX_IDENTITY 32
#define TERN_MAX_SECRET 16
#define TERN_MAX_SERVER_KEY 0
#define TERN_MAX_OBSERVATIONS 4
#define TERN_MAX_ATTRS 4
#define TERN_LIGHT_MAX 2
#define TERN_DEVICE_MAX_ERRORS 4
