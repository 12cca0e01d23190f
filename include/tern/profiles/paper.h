/*
 * Profile "paper": the feature set of the paper's LwM2M 1.0 client on a
 * Cortex-M3 (Contiki, CC2538): registration, every DM operation with
 * discover and write-attributes, observe with attributes, text, opaque,
 * TLV and link format; one server; no bootstrap, block-wise or DTLS.
 * Logs off, float instead of double, 512-byte CoAP messages received
 * where the port keeps them (no receive buffer in the client).
 */
#define TERN_WITH_LOG 0
#define TERN_WITH_DOUBLE 0
#define TERN_WITH_TLV 1
#define TERN_WITH_OBSERVE 1
#define TERN_WITH_BOOTSTRAP 0
#define TERN_WITH_ACL 0
#define TERN_WITH_BLOCK 0
#define TERN_WITH_PERSISTENCE 0
#define TERN_COAP_BUFFER_SIZE 512
#define TERN_COAP_RX_BUFFER 0 /* the port lends its frame buffer */
#define TERN_COAP_MAX_PENDING 1
#define TERN_COAP_DEDUP_SLOTS 2
#define TERN_COAP_TOKEN_SIZE 4
#define TERN_ADDR_SIZE 8
#define TERN_MAX_SERVERS 1
#define TERN_MAX_URI 40
#define TERN_MAX_LOCATION 24
#define TERN_MAX_IDENTITY 0
#define TERN_MAX_SECRET 0
#define TERN_MAX_SERVER_KEY 0
#define TERN_MAX_OBSERVATIONS 2
#define TERN_MAX_ATTRS 2
#define TERN_LIGHT_MAX 1
#define TERN_DEVICE_MAX_ERRORS 2
