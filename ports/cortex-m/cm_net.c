/*
 * The port's datagrams: each connection is a UDP socket on the host,
 * which the bridge opens, feeds and closes on the device's behalf.
 */
#include <string.h>

#include "cm_internal.h"

/* "A.B.C.D" -> 4 bytes; false for anything else (names, IPv6). */
static bool parse_ipv4(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v = v * 10u + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || v > 255 || *s != (i < 3 ? '.' : '\0'))
            return false;
        out[i] = (uint8_t)v;
        if (i < 3)
            s++;
    }
    return true;
}

static tern_cm_conn_t *conn_of(tern_cm_port_t *cm, int conn)
{
    if (conn < 0 || conn >= TERN_CM_MAX_CONNS || !cm->conns[conn].used)
        return NULL;
    return &cm->conns[conn];
}

int tern_cm_net_open(void *ctx, const tern_net_params_t *params, tern_addr_t *peer)
{
    tern_cm_port_t *cm = ctx;
    if (params->security != NULL)
        return TERN_ERR_ARG; /* no DTLS: no secure random source, see random.h */
    int conn = 0;
    while (conn < TERN_CM_MAX_CONNS && cm->conns[conn].used)
        conn++;
    if (conn == TERN_CM_MAX_CONNS)
        return TERN_ERR_NO_SPACE;
    tern_addr_t addr = { 0 };
    if (params->host != NULL) {
        if (!parse_ipv4(params->host, addr.bytes))
            return TERN_ERR_IO;
        addr.bytes[4] = (uint8_t)(params->port >> 8);
        addr.bytes[5] = (uint8_t)params->port;
        addr.len = TERN_LINK_ADDR_SIZE;
    }
    uint8_t head[3] = { (uint8_t)conn, (uint8_t)(params->local_port >> 8),
                        (uint8_t)params->local_port };
    if (tern_cm_link_send(&cm->link, TERN_LINK_OPEN, head, sizeof(head), NULL, 0) != 0)
        return TERN_ERR_IO;
    cm->conns[conn] = (tern_cm_conn_t){ .used = true, .peer = addr };
    *peer = addr;
    return conn;
}

int tern_cm_net_send(void *ctx, int conn, const tern_addr_t *to, const uint8_t *data, size_t len)
{
    tern_cm_port_t *cm = ctx;
    tern_cm_conn_t *c = conn_of(cm, conn);
    if (c == NULL)
        return TERN_ERR_ARG;
    if (to == NULL)
        to = &c->peer;
    if (to->len != TERN_LINK_ADDR_SIZE)
        return TERN_ERR_ARG;
    uint8_t head[1 + TERN_LINK_ADDR_SIZE];
    head[0] = (uint8_t)conn;
    memcpy(head + 1, to->bytes, TERN_LINK_ADDR_SIZE);
    return tern_cm_link_send(&cm->link, TERN_LINK_DATA, head, sizeof(head), data, len);
}

bool tern_cm_net_frame_wanted(const tern_cm_port_t *cm, const uint8_t *frame, size_t len)
{
    return len >= TERN_LINK_DATA_HEADER && frame[1] < TERN_CM_MAX_CONNS && cm->conns[frame[1]].used;
}

/*
 * The DATA frame waiting for conn, which stays in the link buffer until
 * the next receive call: its payload's first *stored bytes at *data.
 * Returns the payload's full length, or an error.
 */
int tern_cm_net_recv_inplace(void *ctx, int conn, tern_addr_t *from, const uint8_t **data,
                             size_t *stored)
{
    tern_cm_port_t *cm = ctx;
    if (cm->lent) {
        /* the engine is done with the frame it read last */
        cm->lent = false;
        tern_cm_link_done(&cm->link);
    }
    tern_cm_conn_t *c = conn_of(cm, conn);
    if (c == NULL)
        return TERN_ERR_ARG;
    if (c->error != 0) {
        c->error = 0;
        return TERN_ERR_IO;
    }
    size_t len;
    const uint8_t *f = tern_cm_port_poll(cm) ? tern_cm_link_frame(&cm->link, &len) : NULL;
    if (f == NULL || f[0] != TERN_LINK_DATA_IN || f[1] != conn)
        return TERN_ERR_WOULD_BLOCK;
    size_t full = len - TERN_LINK_DATA_HEADER;
    from->len = TERN_LINK_ADDR_SIZE;
    memcpy(from->bytes, f + 2, TERN_LINK_ADDR_SIZE);
    *data = f + TERN_LINK_DATA_HEADER;
    *stored =
        (len < TERN_CM_LINK_FRAME_SIZE ? len : TERN_CM_LINK_FRAME_SIZE) - TERN_LINK_DATA_HEADER;
    cm->lent = true;
    return full > INT32_MAX ? INT32_MAX : (int)full;
}

int tern_cm_net_recv(void *ctx, int conn, tern_addr_t *from, uint8_t *buf, size_t cap)
{
    const uint8_t *data;
    size_t stored;
    int n = tern_cm_net_recv_inplace(ctx, conn, from, &data, &stored);
    if (n >= 0)
        memcpy(buf, data, stored < cap ? stored : cap);
    return n;
}

void tern_cm_net_close(void *ctx, int conn)
{
    tern_cm_port_t *cm = ctx;
    if (conn_of(cm, conn) == NULL)
        return;
    cm->conns[conn].used = false;
    uint8_t head[1] = { (uint8_t)conn };
    /* best effort: a socket left open on the host is reused by the next
     * OPEN of this handle */
    (void)tern_cm_link_send(&cm->link, TERN_LINK_CLOSE, head, sizeof(head), NULL, 0);
}
