/* The --bootstrap configuration: what the Bootstrap-Server writes to
 * each client. A text file, one statement per line, # comments:
 *
 *   endpoint NAME        the statements up to the next endpoint/default
 *   default              line apply to client NAME, or to every client
 *                        without its own section (statements before the
 *                        first section line belong to default too)
 *   delete PATH          Bootstrap-Delete PATH (/ or /O or /O/I), in order,
 *                        before the writes
 *   server KEY=VALUE...  one LwM2M server account: a Security instance
 *                        (/0/N) and a Server instance (/1/N)
 *   acl PATH KEY=VALUE...  an Access Control instance (/2/N) for PATH
 *   discover             a Bootstrap-Discover of / just before the Finish
 *                        (printed)
 *
 * See bs_config_help below for the keys. */
#ifndef SRV_BS_CONFIG_H
#define SRV_BS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define BS_SEC_PSK 0
#define BS_SEC_RPK 1
#define BS_SEC_CERT 2
#define BS_SEC_NOSEC 3
#define BS_MAX_ACL_ENTRIES 16
#define BS_OWNER_BOOTSTRAP 65535 /* Access Control Owner: made by bootstrap */

typedef struct bs_bytes {
    uint8_t *data;
    size_t len;
} bs_bytes_t;

typedef struct bs_server {
    int line;
    uint16_t ssid;
    char *uri;
    long long lifetime; /* s */
    char *binding;
    bool storing;          /* Notification Storing When Disabled or Offline */
    long long pmin, pmax;  /* -1: not written */
    int mode;              /* BS_SEC_* */
    bs_bytes_t identity;   /* resource 3: PSK identity, or own public key/cert */
    bs_bytes_t server_key; /* resource 4 */
    bs_bytes_t secret;     /* resource 5: PSK key, or own private key */
    int security_id;       /* /0/N; -1: chosen by Bootstrap-Discover */
    int server_id;         /* /1/N; -1: chosen */
    bool write_security;   /* false with only=server */
    bool write_server;     /* false with only=security */
} bs_server_t;

typedef struct bs_acl {
    int line;
    uint16_t oid, oiid; /* oiid 65535: the Create rights of object oid */
    int id;             /* /2/N; -1: chosen */
    uint16_t owner;
    int n;
    uint16_t ssid[BS_MAX_ACL_ENTRIES]; /* 0: the default entry */
    uint16_t rights[BS_MAX_ACL_ENTRIES];
} bs_acl_t;

typedef struct bs_entry {
    struct bs_entry *next;
    char *ep; /* NULL for default */
    srv_path_t *deletes;
    int n_deletes;
    bs_server_t *servers;
    int n_servers;
    bs_acl_t *acls;
    int n_acls;
    bool discover;
} bs_entry_t;

typedef struct bs_config {
    bs_entry_t *entries; /* in file order; at most one default */
} bs_config_t;

/* Reads FILE; false with "FILE:LINE: why" in err. */
bool bs_config_load(const char *file, bs_config_t *out, char *err, size_t errlen);
/* The section for ep, else default, else NULL. */
const bs_entry_t *bs_config_find(const bs_config_t *cfg, const char *ep);
void bs_config_free(bs_config_t *cfg);

/* "RWE" for rights 7 (letters R W E D C for bits 1 2 4 8 16; "-" for 0). */
void bs_rights_format(uint16_t rights, char *buf, size_t size);

/* The format description printed by --help. */
extern const char bs_config_help[];

#endif
