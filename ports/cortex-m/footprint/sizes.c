/*
 * Not linked into any image: compiled for the target only so that
 * scripts/footprint.sh can read each component's RAM (its share of the
 * client struct, or its object's struct) as symbol sizes with nm -S.
 */
#include "coap/coap_ep.h"
#include "tern/objects/device.h"
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
