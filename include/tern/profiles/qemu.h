/*
 * Profile "qemu": the emulated light bulb (ports/cortex-m/lightbulb on
 * QEMU's lm3s6965evb). The paper's feature set, as in paper.h, with the
 * log lines on so that the bridge can show what the engine does.
 * IPv4 addresses with a port fit TERN_ADDR_SIZE 8.
 */
#include "tern/profiles/paper.h"

#undef TERN_WITH_LOG
#define TERN_WITH_LOG 1
