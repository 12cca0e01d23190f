/*
 * Not linked into any image: compiled for the target only so that
 * scripts/footprint.sh can read each component's RAM (its share of the
 * client struct, or its object's struct) as symbol sizes with nm -S.
 */
#include "coap/coap_ep.h"
#include "tern/objects/device.h"
#if TERN_WITH_BLOCK
#include "tern/objects/firmware.h"
#endif
#include "tern/objects/light_control.h"
#include "tern/tern.h"

#define TERN_SIZE(name, size) const char tern_size_##name[size] = { 0 };
#define MEMBER_SIZE(type, member) sizeof(((type *)0)->member)

TERN_SIZE(coap, sizeof(tern_coap_ep_t))
TERN_SIZE(client, sizeof(tern_client_t))
TERN_SIZE(client_coap, MEMBER_SIZE(tern_client_t, coap))
TERN_SIZE(client_servers, MEMBER_SIZE(tern_client_t, servers) + MEMBER_SIZE(tern_client_t, security)
                              + MEMBER_SIZE(tern_client_t, server_iids)
                              + MEMBER_SIZE(tern_client_t, security_iids))
#if TERN_WITH_OBSERVE
TERN_SIZE(client_observe,
          MEMBER_SIZE(tern_client_t, observations) + MEMBER_SIZE(tern_client_t, attrs))
#endif
TERN_SIZE(object_device, sizeof(tern_device_t))
TERN_SIZE(object_light, sizeof(tern_light_t))
#if TERN_WITH_BLOCK
TERN_SIZE(object_firmware, sizeof(tern_firmware_t))
#endif
/* the configuration the report states: message size, outstanding
 * messages, and whether the client has its own receive buffer (2) or
 * reads where the port keeps datagrams (1) */
TERN_SIZE(config_buffer, TERN_COAP_BUFFER_SIZE)
TERN_SIZE(config_pending, TERN_COAP_MAX_PENDING)
TERN_SIZE(config_rx_buffer, TERN_COAP_RX_BUFFER + 1)
