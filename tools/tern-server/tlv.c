/* OMA-TLV codec (see tlv.h for the layout). */
#include "tlv.h"

#include <string.h>

int tlv_next(const uint8_t *data, size_t len, size_t *pos, tlv_rec_t *out, const char **err)
{
    size_t p = *pos;
    if (p >= len)
        return 0;
    uint8_t t = data[p++];
    size_t id_len = (t & 0x20) ? 2 : 1;
    size_t len_len = (t >> 3) & 3;
    if (len - p < id_len + len_len) {
        *err = "TLV header truncated";
        return -1;
    }
    uint16_t id = data[p++];
    if (id_len == 2)
        id = (uint16_t)(id << 8 | data[p++]);
    size_t vlen = 0;
    if (len_len == 0) {
        vlen = t & 7;
    } else {
        for (size_t i = 0; i < len_len; i++)
            vlen = vlen << 8 | data[p++];
    }
    if (vlen > len - p) {
        *err = "TLV value runs past the end of the payload";
        return -1;
    }
    out->type = (tlv_type_t)(t >> 6);
    out->id = id;
    out->value = data + p;
    out->len = vlen;
    *pos = p + vlen;
    return 1;
}

void tlv_write(strbuf_t *out, tlv_type_t type, uint16_t id, const void *value, size_t len)
{
    uint8_t hdr[6];
    size_t n = 1;
    hdr[0] = (uint8_t)(type << 6);
    if (id > 0xff) {
        hdr[0] |= 0x20;
        hdr[n++] = (uint8_t)(id >> 8);
    }
    hdr[n++] = (uint8_t)id;
    if (len < 8) {
        hdr[0] |= (uint8_t)len;
    } else if (len <= 0xff) {
        hdr[0] |= 1 << 3;
        hdr[n++] = (uint8_t)len;
    } else if (len <= 0xffff) {
        hdr[0] |= 2 << 3;
        hdr[n++] = (uint8_t)(len >> 8);
        hdr[n++] = (uint8_t)len;
    } else {
        hdr[0] |= 3 << 3;
        hdr[n++] = (uint8_t)(len >> 16);
        hdr[n++] = (uint8_t)(len >> 8);
        hdr[n++] = (uint8_t)len;
    }
    sb_append(out, hdr, n);
    sb_append(out, value, len);
}

static void put_be(uint64_t v, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

size_t tlv_encode_int(int64_t v, uint8_t *out)
{
    size_t n = 8;
    if (v >= INT8_MIN && v <= INT8_MAX)
        n = 1;
    else if (v >= INT16_MIN && v <= INT16_MAX)
        n = 2;
    else if (v >= INT32_MIN && v <= INT32_MAX)
        n = 4;
    put_be((uint64_t)v, n, out);
    return n;
}

size_t tlv_encode_float(double v, uint8_t *out)
{
    float f = (float)v;
    if ((double)f == v || v != v) {
        uint32_t bits;
        memcpy(&bits, &f, 4);
        put_be(bits, 4, out);
        return 4;
    }
    uint64_t bits;
    memcpy(&bits, &v, 8);
    put_be(bits, 8, out);
    return 8;
}

size_t tlv_encode_objlnk(uint16_t oid, uint16_t iid, uint8_t *out)
{
    put_be((uint32_t)oid << 16 | iid, 4, out);
    return 4;
}

static uint64_t get_be(const uint8_t *v, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x << 8 | v[i];
    return x;
}

bool tlv_decode_int(const uint8_t *v, size_t len, int64_t *out)
{
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return false;
    uint64_t x = get_be(v, len);
    if (len < 8 && (x >> (8 * len - 1)) & 1)
        x |= ~(uint64_t)0 << (8 * len); /* sign-extend */
    memcpy(out, &x, 8);
    return true;
}

bool tlv_decode_uint(const uint8_t *v, size_t len, uint64_t *out)
{
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return false;
    *out = get_be(v, len);
    return true;
}

bool tlv_decode_float(const uint8_t *v, size_t len, double *out)
{
    if (len == 4) {
        uint32_t bits = (uint32_t)get_be(v, 4);
        float f;
        memcpy(&f, &bits, 4);
        *out = f;
        return true;
    }
    if (len == 8) {
        uint64_t bits = get_be(v, 8);
        memcpy(out, &bits, 8);
        return true;
    }
    return false;
}

bool tlv_decode_bool(const uint8_t *v, size_t len, bool *out)
{
    if (len != 1 || v[0] > 1)
        return false;
    *out = v[0] == 1;
    return true;
}

bool tlv_decode_objlnk(const uint8_t *v, size_t len, uint16_t *oid, uint16_t *iid)
{
    if (len != 4)
        return false;
    *oid = (uint16_t)get_be(v, 2);
    *iid = (uint16_t)get_be(v + 2, 2);
    return true;
}

const char *tlv_type_name(tlv_type_t t)
{
    static const char *names[] = { "object instance", "resource instance", "multiple resource",
                                   "resource" };
    return names[t & 3];
}
