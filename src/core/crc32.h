/* CRC-32 (IEEE 802.3, reflected, as zlib computes it), table-free. */
#ifndef TERN_CORE_CRC32_H
#define TERN_CORE_CRC32_H

#include "tern/common.h"

/* Continues crc over len bytes; start with 0. */
uint32_t tern_crc32(uint32_t crc, const uint8_t *data, size_t len);

#endif
