/*
 * tern-lightbulb: DTLS credentials from the command line for coaps://
 * servers, into the Security instance's fields (which hold DER).
 *
 *   --psk-identity ID --psk-key HEX          PSK mode
 *   --cert FILE --key FILE [--server-cert FILE]
 *                                            certificate mode; PEM or DER;
 *                                            the server's certificate or
 *                                            its CA (none: not verified)
 *   --rpk-key FILE --server-rpk FILE         raw public key mode (RFC 7250):
 *                                            our EC private key and the
 *                                            server's public key, PEM or
 *                                            DER; our public key is
 *                                            derived from the private key
 */
#ifndef BULB_CREDENTIALS_H
#define BULB_CREDENTIALS_H

#include <stdbool.h>
#include <stdio.h>

#include "tern/tern.h"

typedef struct bulb_creds {
    const char *psk_identity, *psk_key; /* option values */
    const char *cert, *key, *server_cert;
    const char *rpk_key, *server_rpk;
    tern_security_mode_t mode; /* TERN_SEC_NOSEC when none was given */
    uint8_t identity[2048];
    size_t identity_len;
    uint8_t secret[512];
    size_t secret_len;
    uint8_t server_key[2048];
    size_t server_key_len;
} bulb_creds_t;

/* The options, for the usage text. */
void bulb_creds_usage(FILE *out);

/* Takes arg and its value when arg is a credentials option: returns true
 * then, false for any other option. */
bool bulb_creds_option(bulb_creds_t *c, const char *arg, const char *value);

/* Checks the options, reads the files and decodes the key. Prints one
 * line on stderr and returns false when something is wrong. */
bool bulb_creds_load(bulb_creds_t *c);

/*
 * Gives srv the credentials when its URI is coaps:// (and the NoSec mode
 * otherwise). Returns false with one line on stderr when a coaps:// URI
 * has no credentials.
 */
bool bulb_creds_apply(const bulb_creds_t *c, tern_server_config_t *srv);

#endif
