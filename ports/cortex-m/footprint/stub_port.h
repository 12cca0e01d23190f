/* A port that does nothing, so the footprint image links what a real
 * application would without any platform code of its own. */
#ifndef TERN_STUB_PORT_H
#define TERN_STUB_PORT_H

#include "tern/port.h"

extern const tern_port_ops_t TERN_STUB_PORT_OPS;

#endif
