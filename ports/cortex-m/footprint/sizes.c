/*
 * Not linked into any image: compiled for the target only so that
 * scripts/footprint.sh can read each component's RAM (the size of its
 * state inside the client) as symbol sizes with nm -S.
 */
#include "coap/coap_ep.h"

#define TERN_SIZE(name, type) const char tern_size_##name[sizeof(type)] = { 0 };

TERN_SIZE(coap, tern_coap_ep_t)
TERN_SIZE(coap_txn, tern_coap_txn_t)
