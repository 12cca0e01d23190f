/* Pieces of the Cortex-M port shared between its files. */
#ifndef TERN_CM_INTERNAL_H
#define TERN_CM_INTERNAL_H

#include "cm_port.h"

/* The network half of the port's function table (cm_net.c). */
int tern_cm_net_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer);
int tern_cm_net_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len);
int tern_cm_net_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap);
int tern_cm_net_recv_inplace(void *ctx, int conn, tern_addr_t *from, const uint8_t **data,
                             size_t *stored);
void tern_cm_net_close(void *ctx, int conn);

/* A DATA frame for an open connection waits in cm->link (cm_net.c). */
bool tern_cm_net_frame_wanted(const tern_cm_port_t *cm, const uint8_t *frame, size_t len);

/* Applies a CONFIG frame's text (cm_config.c). The seed goes into rng. */
void tern_cm_config_parse(tern_cm_config_t *config, tern_cm_random_t *rng, const uint8_t *text,
                          size_t len);

#endif
