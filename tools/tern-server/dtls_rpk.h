/* coaps:// with raw public keys (RFC 7250): the server's key pair
 * (--rpk-key) and the client keys it accepts (--client-rpk), for libcoap's
 * PKI set-up with is_rpk_not_cert. Only libcoap's GnuTLS backend has them
 * among Debian's: the tern-server-gnutls build. */
#ifndef SRV_DTLS_RPK_H
#define SRV_DTLS_RPK_H

#include "server.h"

struct srv_rpk;

/* True when an option asks for raw public keys. */
bool dtls_rpk_wanted(const srv_options_t *opt);

/*
 * Reads --rpk-key and every --client-rpk and fills pki's key for libcoap
 * (a PEM buffer that stays with the returned state). Prints what is wrong
 * on stderr and returns NULL when the options or files are unusable, or
 * when this libcoap has no raw public keys.
 */
struct srv_rpk *dtls_rpk_load(const srv_options_t *opt, coap_dtls_pki_t *pki);

/*
 * Names the client key der (DER SubjectPublicKeyInfo, as libcoap hands it
 * to the CN callback) in who: "raw public key 'FILE'" for a --client-rpk,
 * "unknown raw public key ...TAIL" otherwise. True when it is a known one.
 */
bool dtls_rpk_check(const struct srv_rpk *rpk, const uint8_t *der, size_t len, char *who,
                    size_t size);

void dtls_rpk_free(struct srv_rpk *rpk);

#endif
