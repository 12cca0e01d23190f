/* OMA-TLV (content format 11542, LwM2M 1.0 TS section 6.4.3): tern-server's
 * own codec, deliberately independent of Tern's src/format so that it
 * checks the client's encoding rather than sharing its bugs.
 *
 * A record is a type byte, an identifier (8 or 16 bits), an optional
 * length field (0, 8, 16 or 24 bits) and the value:
 *
 *   bit  7-6   type: 00 object instance, 01 resource instance,
 *              10 multiple resource, 11 resource with value
 *   bit  5     identifier length: 0 = 8 bits, 1 = 16 bits
 *   bit  4-3   length type: 00 = length in bits 2-0, 01/10/11 = an
 *              8/16/24-bit length field follows the identifier
 *   bit  2-0   the length when the length type is 00
 */
#ifndef SRV_TLV_H
#define SRV_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef enum tlv_type {
    TLV_OBJECT_INSTANCE = 0,
    TLV_RESOURCE_INSTANCE = 1,
    TLV_MULTIPLE_RESOURCE = 2,
    TLV_RESOURCE = 3,
} tlv_type_t;

typedef struct tlv_rec {
    tlv_type_t type;
    uint16_t id;
    const uint8_t *value; /* nested records for object instances and multiple resources */
    size_t len;
} tlv_rec_t;

/* Reads the record at data[*pos] and advances *pos past it. Returns 1 for a
 * record, 0 at the end of the data, -1 when malformed (*err says why; the
 * caller must stop). Any legal length-field width is accepted. */
int tlv_next(const uint8_t *data, size_t len, size_t *pos, tlv_rec_t *out, const char **err);

/* Appends one record with the narrowest identifier and length fields. */
void tlv_write(strbuf_t *out, tlv_type_t type, uint16_t id, const void *value, size_t len);

/* Value encodings: integers in the fewest of 1/2/4/8 bytes, big-endian two's
 * complement; floats in 4 bytes when exact, else 8; objlnk 2+2 bytes. Each
 * returns the byte count written to out (8 bytes of room). */
size_t tlv_encode_int(int64_t v, uint8_t *out);
size_t tlv_encode_float(double v, uint8_t *out);
size_t tlv_encode_objlnk(uint16_t oid, uint16_t iid, uint8_t *out);

/* Value decodings; false when the length is not one the type allows. */
bool tlv_decode_int(const uint8_t *v, size_t len, int64_t *out);
bool tlv_decode_uint(const uint8_t *v, size_t len, uint64_t *out);
bool tlv_decode_float(const uint8_t *v, size_t len, double *out);
bool tlv_decode_bool(const uint8_t *v, size_t len, bool *out);
bool tlv_decode_objlnk(const uint8_t *v, size_t len, uint16_t *oid, uint16_t *iid);

const char *tlv_type_name(tlv_type_t t);

#endif
