/*
 * tern-fwpack: makes a firmware package for the POSIX port's firmware
 * storage (the format is described with tern_posix_set_firmware in
 * ports/posix/include/tern/posix.h):
 *
 *   "TERNFW1 NAME VERSION SIZE\n"  the image  SHA-256 of both (32 bytes)
 *
 * The image is a file (--input) or SIZE random bytes (--size), for tests
 * and demos.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <mbedtls/sha256.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: tern-fwpack --name NAME --version VERSION (--size BYTES | --input FILE)\n"
                 "                   -o OUT\n"
                 "\n"
                 "Writes a firmware package for Tern's POSIX port (tern-lightbulb\n"
                 "--firmware-dir): the header line \"TERNFW1 NAME VERSION SIZE\\n\", the\n"
                 "image, and the SHA-256 digest of both (32 bytes). The device checks the\n"
                 "digest before it installs the package and then reports NAME and VERSION\n"
                 "(/5/0/6, /5/0/7; VERSION becomes /3/0/3 once installed).\n"
                 "\n"
                 "  -n, --name NAME        package name, 1..31 printable characters, no blanks\n"
                 "  -V, --version VERSION  firmware version, same rules (e.g. 1.1.0)\n"
                 "  -s, --size BYTES       an image of BYTES random bytes (K and M suffixes:\n"
                 "                         200K = 204800), for tests\n"
                 "  -i, --input FILE       the image is FILE\n"
                 "  -o, --output OUT       the package file to write\n"
                 "  -h, --help             this text\n"
                 "\n"
                 "Prints the package's size and digest. Exit status 0, or 2 on bad\n"
                 "arguments or an I/O error.\n");
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "tern-fwpack: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static int token_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return 0;
    return 1;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno != 0 || *s == '-')
        return 0;
    if (*end == 'K' || *end == 'k')
        v *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        v *= 1024 * 1024, end++;
    if (*end != '\0' || v > (1ull << 32))
        return 0;
    *out = (size_t)v;
    return 1;
}

/* The image: FILE's contents or size random bytes (caller frees). */
static unsigned char *load_image(const char *input, size_t size, size_t *len)
{
    if (input == NULL) {
        unsigned char *buf = malloc(size > 0 ? size : 1);
        size_t got = 0;
        while (buf != NULL && got < size) {
            ssize_t n = getrandom(buf + got, size - got, 0);
            if (n < 0 && errno != EINTR) {
                fprintf(stderr, "tern-fwpack: no random bytes: %s\n", strerror(errno));
                free(buf);
                return NULL;
            }
            got += n > 0 ? (size_t)n : 0;
        }
        *len = size;
        return buf;
    }
    FILE *f = fopen(input, "rb");
    if (f == NULL) {
        fprintf(stderr, "tern-fwpack: cannot open %s: %s\n", input, strerror(errno));
        return NULL;
    }
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                fprintf(stderr, "tern-fwpack: %s is too large\n", input);
                return NULL;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "tern-fwpack: cannot read %s\n", input);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *name = NULL, *version = NULL, *input = NULL, *output = NULL;
    size_t size = 0;
    int have_size = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            return bad("'%s' needs a value", a);
        if (strcmp(a, "-n") == 0 || strcmp(a, "--name") == 0)
            name = v;
        else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)
            version = v;
        else if (strcmp(a, "-i") == 0 || strcmp(a, "--input") == 0)
            input = v;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            output = v;
        else if (strcmp(a, "-s") == 0 || strcmp(a, "--size") == 0) {
            if (!parse_size(v, &size))
                return bad("bad size '%s'", v);
            have_size = 1;
        } else
            return bad("unknown option '%s'", a);
        i++;
    }
    if (name == NULL || version == NULL || output == NULL || have_size == (input != NULL)) {
        usage(stderr);
        return 2;
    }
    if (!token_ok(name))
        return bad("bad name '%s': 1..31 printable characters, no blanks", name);
    if (!token_ok(version))
        return bad("bad version '%s': 1..31 printable characters, no blanks", version);

    size_t len;
    unsigned char *image = load_image(input, size, &len);
    if (image == NULL)
        return 2;
    char header[128];
    int hlen = snprintf(header, sizeof(header), "TERNFW1 %s %s %zu\n", name, version, len);
    unsigned char digest[32];
    mbedtls_sha256_context sha;
    mbedtls_sha256_init(&sha);
    (void)mbedtls_sha256_starts_ret(&sha, 0);
    (void)mbedtls_sha256_update_ret(&sha, (const unsigned char *)header, (size_t)hlen);
    (void)mbedtls_sha256_update_ret(&sha, image, len);
    (void)mbedtls_sha256_finish_ret(&sha, digest);
    mbedtls_sha256_free(&sha);

    FILE *f = fopen(output, "wb");
    int ok = f != NULL && fwrite(header, 1, (size_t)hlen, f) == (size_t)hlen
             && fwrite(image, 1, len, f) == len && fwrite(digest, 1, sizeof(digest), f) == 32;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(image);
    if (!ok) {
        fprintf(stderr, "tern-fwpack: cannot write %s: %s\n", output, strerror(errno));
        return 2;
    }
    printf("%s: %s %s, image %zu bytes, package %zu bytes, sha256 ", output, name, version, len,
           (size_t)hlen + len + sizeof(digest));
    for (size_t i = 0; i < sizeof(digest); i++)
        printf("%02x", digest[i]);
    printf("\n");
    return 0;
}
