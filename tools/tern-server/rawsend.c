/* Requests sent past libcoap (see rawsend.h). */
#define _GNU_SOURCE
#include "rawsend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ops.h"

/* RFC 7252 4.8: ACK_TIMEOUT 2 s, MAX_RETRANSMIT 4 */
#define ACK_TIMEOUT_MS 2000
#define MAX_RETRANSMIT 4
#define MAX_DATAGRAM 1280

typedef struct srv_raw {
    struct srv_raw *next;
    uint8_t token[8];
    size_t token_len;
    uint8_t data[MAX_DATAGRAM];
    size_t len;
    coap_address_t peer;
    int64_t next_at;
    int64_t timeout_ms;
    int retransmits;
} srv_raw_t;

bool rawsend_possible(const srv_t *srv)
{
    return srv->dtls == NULL;
}

/* libcoap's socket for the endpoint: the unconnected UDP socket bound to
 * the port we listen on (libcoap 4.3.1 does not hand it out). */
static int endpoint_socket(const srv_t *srv)
{
    long max = sysconf(_SC_OPEN_MAX);
    if (max <= 0 || max > 65536)
        max = 65536;
    for (int fd = 0; fd < max; fd++) {
        int type = 0;
        socklen_t tlen = sizeof(type);
        struct sockaddr_storage ss;
        socklen_t slen = sizeof(ss);
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 || type != SOCK_DGRAM)
            continue;
        if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0)
            continue;
        int port = ss.ss_family == AF_INET    ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                   : ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                              : -1;
        slen = sizeof(ss);
        if (port == srv->listen_port && getpeername(fd, (struct sockaddr *)&ss, &slen) != 0
            && errno == ENOTCONN)
            return fd;
    }
    return -1;
}

static bool put(uint8_t *buf, size_t *pos, const void *data, size_t len)
{
    if (len > MAX_DATAGRAM - *pos)
        return false;
    memcpy(buf + *pos, data, len);
    *pos += len;
    return true;
}

/* An option's delta or length as its 4-bit nibble and extended bytes. */
static uint8_t nibble(size_t v, uint8_t *ext, size_t *ext_len)
{
    if (v < 13) {
        *ext_len = 0;
        return (uint8_t)v;
    }
    if (v < 269) {
        ext[0] = (uint8_t)(v - 13);
        *ext_len = 1;
        return 13;
    }
    ext[0] = (uint8_t)((v - 269) >> 8);
    ext[1] = (uint8_t)(v - 269);
    *ext_len = 2;
    return 14;
}

/* RFC 7252 section 3: header, token, options (ascending), payload. */
static bool encode(const coap_pdu_t *pdu, uint8_t *buf, size_t *len)
{
    coap_bin_const_t token = coap_pdu_get_token(pdu);
    coap_mid_t mid = coap_pdu_get_mid(pdu);
    size_t pos = 0;
    if (token.length > 8)
        return false;
    uint8_t hdr[4] = { (uint8_t)(0x40 | (coap_pdu_get_type(pdu) << 4) | token.length),
                       (uint8_t)coap_pdu_get_code(pdu), (uint8_t)(mid >> 8), (uint8_t)mid };
    if (!put(buf, &pos, hdr, 4) || !put(buf, &pos, token.s, token.length))
        return false;
    coap_opt_iterator_t it;
    coap_opt_t *opt;
    unsigned prev = 0;
    coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
    while ((opt = coap_option_next(&it)) != NULL) {
        uint8_t ext_d[2], ext_l[2];
        size_t nd, nl;
        size_t olen = coap_opt_length(opt);
        uint8_t first = (uint8_t)(nibble(it.number - prev, ext_d, &nd) << 4);
        first |= nibble(olen, ext_l, &nl);
        if (!put(buf, &pos, &first, 1) || !put(buf, &pos, ext_d, nd) || !put(buf, &pos, ext_l, nl)
            || !put(buf, &pos, coap_opt_value(opt), olen))
            return false;
        prev = it.number;
    }
    size_t dlen;
    const uint8_t *data;
    if (coap_get_data(pdu, &dlen, &data) && dlen > 0) {
        uint8_t marker = 0xff;
        if (!put(buf, &pos, &marker, 1) || !put(buf, &pos, data, dlen))
            return false;
    }
    *len = pos;
    return true;
}

static bool transmit(const srv_t *srv, const srv_raw_t *r)
{
    int fd = endpoint_socket(srv);
    return fd >= 0
           && sendto(fd, r->data, r->len, 0, &r->peer.addr.sa, r->peer.size) == (ssize_t)r->len;
}

bool rawsend_request(srv_t *srv, coap_session_t *session, const coap_pdu_t *pdu, char *err,
                     size_t errlen)
{
    srv_raw_t *r = xcalloc(1, sizeof(*r));
    coap_bin_const_t token = coap_pdu_get_token(pdu);
    if (!encode(pdu, r->data, &r->len)) {
        free(r);
        snprintf(err, errlen, "the request does not fit in one datagram");
        return false;
    }
    memcpy(r->token, token.s, token.length);
    r->token_len = token.length;
    memcpy(&r->peer, coap_session_get_addr_remote(session), sizeof(r->peer));
    if (!transmit(srv, r)) {
        free(r);
        snprintf(err, errlen, "cannot send on the endpoint's socket: %s", strerror(errno));
        return false;
    }
    /* [ACK_TIMEOUT, ACK_TIMEOUT * 1.5] */
    uint8_t rnd = 0;
    coap_prng(&rnd, 1);
    r->timeout_ms = ACK_TIMEOUT_MS + (ACK_TIMEOUT_MS / 2) * rnd / 255;
    r->next_at = now_ms() + r->timeout_ms;
    r->next = srv->raw;
    srv->raw = r;
    return true;
}

/* ops.c still waits for an answer on this token. */
static bool awaited(const srv_t *srv, const srv_raw_t *r)
{
    for (const srv_request_t *q = srv->requests; q != NULL; q = q->next)
        if (q->state == REQ_PENDING && r->token_len == SRV_TOKEN_LEN
            && memcmp(q->token, r->token, SRV_TOKEN_LEN) == 0)
            return true;
    return false;
}

void rawsend_tick(srv_t *srv, int64_t now)
{
    srv_raw_t **p = &srv->raw;
    while (*p != NULL) {
        srv_raw_t *r = *p;
        if (!awaited(srv, r) || (now >= r->next_at && r->retransmits >= MAX_RETRANSMIT)) {
            *p = r->next; /* answered, given up by ops.c, or out of retransmissions */
            free(r);
            continue;
        }
        if (now >= r->next_at) {
            r->retransmits++;
            r->timeout_ms *= 2;
            r->next_at = now + r->timeout_ms;
            (void)transmit(srv, r);
        }
        p = &r->next;
    }
}

int64_t rawsend_next_deadline(const srv_t *srv)
{
    int64_t next = INT64_MAX;
    for (const srv_raw_t *r = srv->raw; r != NULL; r = r->next)
        if (r->next_at < next)
            next = r->next_at;
    return next;
}

void rawsend_free(srv_t *srv)
{
    while (srv->raw != NULL) {
        srv_raw_t *r = srv->raw;
        srv->raw = r->next;
        free(r);
    }
}
