/* --files DIR: files served to GET, block-wise (Block2), with progress
 * events (see files.c). */
#ifndef SRV_FILES_H
#define SRV_FILES_H

#include "server.h"

/* With --files: serves DIR through the unknown-path resource (after
 * registry_init). Prints why and returns false when DIR is unusable. */
bool files_init(srv_t *srv);
void files_free(srv_t *srv);

#endif
