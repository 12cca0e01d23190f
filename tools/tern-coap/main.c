#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tern_coap_tool.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: tern-coap [-e PAYLOAD] [-t FORMAT] [-A FORMAT] [-N] [-T SECONDS]\n"
                 "                 get|put|post|delete coap://HOST[:PORT]/PATH[?QUERY]\n"
                 "       tern-coap serve [-p PORT]\n"
                 "\n"
                 "A CoAP client and server built on Tern's own CoAP layer, for tests\n"
                 "and demos. The client prints the response code and payload and exits\n"
                 "0 on a 2.xx response, 1 on an error response, 2 on a timeout or bad\n"
                 "arguments. The server answers GET /hello, GET|PUT /store, POST /echo\n"
                 "and GET /slow (a separate response) until SIGINT or SIGTERM.\n");
}

const char *tool_code_str(uint8_t code, char *buf)
{
    snprintf(buf, 6, "%u.%02u", TERN_COAP_CODE_CLASS(code), TERN_COAP_CODE_DETAIL(code));
    return buf;
}

int main(int argc, char **argv)
{
    tool_options_t opt = { .content_format = -1, .accept = -1, .timeout_s = 100 };
    const char *positional[2];
    int n_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "-N") == 0) {
            opt.non = true;
            continue;
        }
        if (a[0] != '-') {
            if (n_positional == 2) {
                usage(stderr);
                return 2;
            }
            positional[n_positional++] = a;
            continue;
        }
        if (v == NULL) {
            usage(stderr);
            return 2;
        }
        i++;
        if (strcmp(a, "-e") == 0)
            opt.payload = v;
        else if (strcmp(a, "-t") == 0)
            opt.content_format = atoi(v);
        else if (strcmp(a, "-A") == 0)
            opt.accept = atoi(v);
        else if (strcmp(a, "-T") == 0)
            opt.timeout_s = atoi(v);
        else if (strcmp(a, "-p") == 0)
            opt.port = (uint16_t)atoi(v);
        else {
            usage(stderr);
            return 2;
        }
    }
    if (n_positional == 1 && strcmp(positional[0], "serve") == 0)
        return tool_server(&opt);
    if (n_positional != 2) {
        usage(stderr);
        return 2;
    }
    opt.method = positional[0];
    opt.uri = positional[1];
    return tool_client(&opt);
}
