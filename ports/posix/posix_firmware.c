/*
 * POSIX port: firmware packages in a directory (see tern_posix_set_firmware
 * in tern/posix.h for the package format and the files).
 *
 *   fw_open   DIR/download.part truncated       fw_write  appended in order
 *   fw_finish header, size and SHA-256 checked   fw_abort  download.part removed
 *   fw_apply  pending marker, firmware.pkg -> firmware.old (hard link),
 *             download.part renamed over firmware.pkg, restart hook;
 *             if that returns: everything put back
 *   fw_applied (after the restart) the pending version is the running one?
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "posix_internal.h"

#define MAGIC "TERNFW1 "
#define HEADER_MAX 128
#define DIGEST_SIZE 32

/* What a package's header line says. */
typedef struct fw_header {
    size_t len; /* of the line, newline included */
    size_t image_size;
    char name[32];
    char version[32];
} fw_header_t;

static void file_path(const tern_posix_t *px, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", px->fw_dir, name);
}

static void sync_dir(const tern_posix_t *px)
{
    int fd = open(px->fw_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static bool write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads up to cap bytes from the start of fd; returns the count or -1. */
static ssize_t read_start(int fd, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = pread(fd, buf + got, cap - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static bool token_ok(const char *s, size_t len, size_t cap)
{
    if (len == 0 || len >= cap)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

/*
 * Parses the header line at the start of buf (n bytes). Returns 0,
 * -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT when the magic is not ours, or
 * TERN_ERR_CORRUPT when the line is malformed; *why says what is wrong.
 */
static int parse_header(const uint8_t *buf, size_t n, fw_header_t *h, const char **why)
{
    size_t magic = sizeof(MAGIC) - 1;
    if (n < magic || memcmp(buf, MAGIC, magic) != 0) {
        *why = "not a Tern firmware package (unknown magic)";
        return -TERN_COAP_UNSUPPORTED_CONTENT_FORMAT;
    }
    const uint8_t *nl = memchr(buf, '\n', n < HEADER_MAX ? n : HEADER_MAX);
    if (nl == NULL) {
        *why = "no header line";
        return TERN_ERR_CORRUPT;
    }
    char line[HEADER_MAX + 1];
    size_t len = (size_t)(nl - buf);
    memcpy(line, buf, len);
    line[len] = '\0';
    /* MAGIC NAME VERSION SIZE, single blanks */
    char *name = line + magic;
    char *version = strchr(name, ' ');
    char *size = version != NULL ? strchr(version + 1, ' ') : NULL;
    if (size == NULL) {
        *why = "malformed header line";
        return TERN_ERR_CORRUPT;
    }
    *version++ = '\0';
    *size++ = '\0';
    char *end;
    errno = 0;
    unsigned long long image = strtoull(size, &end, 10);
    if (!token_ok(name, strlen(name), sizeof(h->name))
        || !token_ok(version, strlen(version), sizeof(h->version)) || *size < '0' || *size > '9'
        || *end != '\0' || errno != 0 || image > SIZE_MAX / 2) {
        *why = "malformed header line";
        return TERN_ERR_CORRUPT;
    }
    h->len = len + 1;
    h->image_size = (size_t)image;
    snprintf(h->name, sizeof(h->name), "%s", name);
    snprintf(h->version, sizeof(h->version), "%s", version);
    return 0;
}

/*
 * Checks the package in file fd: header, size, digest. Returns 0 and
 * fills *h, or an error (port.h fw_finish's) with *why.
 */
static int verify(int fd, fw_header_t *h, const char **why)
{
    uint8_t buf[4096];
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *why = "cannot read it back";
        return TERN_ERR_IO;
    }
    ssize_t n = read_start(fd, buf, HEADER_MAX);
    if (n < 0) {
        *why = "cannot read it back";
        return TERN_ERR_IO;
    }
    int rc = parse_header(buf, (size_t)n, h, why);
    if (rc != 0)
        return rc;
    size_t body = h->len + h->image_size;
    if ((size_t)st.st_size != body + DIGEST_SIZE) {
        *why = "its size does not match its header";
        return TERN_ERR_CORRUPT;
    }
    mbedtls_sha256_context sha;
    mbedtls_sha256_init(&sha);
    (void)mbedtls_sha256_starts_ret(&sha, 0);
    size_t done = 0;
    while (done < body) {
        size_t want = body - done < sizeof(buf) ? body - done : sizeof(buf);
        ssize_t got = pread(fd, buf, want, (off_t)done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            mbedtls_sha256_free(&sha);
            *why = "cannot read it back";
            return TERN_ERR_IO;
        }
        (void)mbedtls_sha256_update_ret(&sha, buf, (size_t)got);
        done += (size_t)got;
    }
    uint8_t digest[DIGEST_SIZE];
    (void)mbedtls_sha256_finish_ret(&sha, digest);
    mbedtls_sha256_free(&sha);
    if (pread(fd, buf, DIGEST_SIZE, (off_t)body) != DIGEST_SIZE
        || memcmp(buf, digest, DIGEST_SIZE) != 0) {
        *why = "SHA-256 digest mismatch";
        return TERN_ERR_CORRUPT;
    }
    return 0;
}

/* Checks the package in file `name` of the directory. */
static int verify_file(const tern_posix_t *px, const char *name, fw_header_t *h, const char **why)
{
    char path[4096];
    file_path(px, name, path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why = "no package stored";
        return TERN_ERR_IO;
    }
    int rc = verify(fd, h, why);
    close(fd);
    return rc;
}

static void close_part(tern_posix_t *px)
{
    if (px->fw_fd >= 0)
        close(px->fw_fd);
    px->fw_fd = -1;
}

static int fw_open(void *ctx, size_t size)
{
    tern_posix_t *px = ctx;
    char path[4096];
    close_part(px);
    if (size > px->fw_max) {
        tern_posix_log(px, TERN_LOG_WARN, "firmware: a %lu-byte package exceeds the %lu bytes kept",
                       (unsigned long)size, (unsigned long)px->fw_max);
        return TERN_ERR_NO_SPACE;
    }
    file_path(px, "download.part", path, sizeof(path));
    px->fw_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (px->fw_fd < 0) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot create %s: %s", path, strerror(errno));
        return errno == ENOSPC || errno == EDQUOT ? TERN_ERR_NO_SPACE : TERN_ERR_IO;
    }
    px->fw_written = 0;
    return 0;
}

static int fw_write(void *ctx, size_t offset, const uint8_t *data, size_t len)
{
    tern_posix_t *px = ctx;
    if (px->fw_fd < 0 || offset != px->fw_written) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: write at %lu, expected %lu",
                       (unsigned long)offset, (unsigned long)px->fw_written);
        return TERN_ERR_ARG;
    }
    if (len > px->fw_max - px->fw_written) {
        tern_posix_log(px, TERN_LOG_WARN, "firmware: the package outgrows the %lu bytes kept",
                       (unsigned long)px->fw_max);
        return TERN_ERR_NO_SPACE;
    }
    if (!write_all(px->fw_fd, data, len)) {
        int e = errno;
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot store the package: %s", strerror(e));
        return e == ENOSPC || e == EDQUOT ? TERN_ERR_NO_SPACE : TERN_ERR_IO;
    }
    px->fw_written += len;
    return 0;
}

static int fw_finish(void *ctx, char *name, char *version, size_t cap)
{
    tern_posix_t *px = ctx;
    fw_header_t h;
    const char *why = "";
    if (px->fw_fd < 0)
        return TERN_ERR_IO;
    if (fsync(px->fw_fd) != 0)
        why = strerror(errno);
    int rc = why[0] == '\0' ? verify(px->fw_fd, &h, &why) : TERN_ERR_IO;
    close_part(px);
    if (rc != 0) {
        tern_posix_log(px, TERN_LOG_WARN, "firmware: package of %lu bytes refused: %s",
                       (unsigned long)px->fw_written, why);
        return rc == TERN_ERR_IO ? TERN_ERR_CORRUPT : rc; /* not what was sent */
    }
    snprintf(name, cap, "%s", h.name);
    snprintf(version, cap, "%s", h.version);
    return 0;
}

static void fw_abort(void *ctx)
{
    tern_posix_t *px = ctx;
    char path[4096];
    close_part(px);
    file_path(px, "download.part", path, sizeof(path));
    (void)unlink(path);
}

/* Writes text to file `name` of the directory, atomically (tmp + rename). */
static bool write_small(const tern_posix_t *px, const char *name, const char *text)
{
    char path[4096], tmp[4200];
    file_path(px, name, path, sizeof(path));
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = write_all(fd, text, strlen(text)) && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        (void)unlink(tmp);
        return false;
    }
    return true;
}

static int fw_apply(void *ctx)
{
    tern_posix_t *px = ctx;
    char part[4096], pkg[4096], old[4096], pending[4096];
    fw_header_t h;
    const char *why = "";
    int rc = verify_file(px, "download.part", &h, &why);
    if (rc != 0) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot install: %s", why);
        return rc;
    }
    file_path(px, "download.part", part, sizeof(part));
    file_path(px, "firmware.pkg", pkg, sizeof(pkg));
    file_path(px, "firmware.old", old, sizeof(old));
    file_path(px, "pending", pending, sizeof(pending));
    char marker[80];
    snprintf(marker, sizeof(marker), "%s %s\n", h.name, h.version);
    (void)unlink(old);
    bool had_old = link(pkg, old) == 0;
    if (!had_old && errno != ENOENT) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot keep the old package: %s",
                       strerror(errno));
        return TERN_ERR_IO;
    }
    if (!write_small(px, "pending", marker)) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot record the update: %s",
                       strerror(errno));
        (void)unlink(old);
        return TERN_ERR_IO;
    }
    /* the switch itself: one rename */
    if (rename(part, pkg) != 0) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot install the package: %s",
                       strerror(errno));
        (void)unlink(pending);
        (void)unlink(old);
        return TERN_ERR_IO;
    }
    sync_dir(px);
    tern_posix_log(px, TERN_LOG_INFO, "firmware: %s %s installed, restarting", h.name, h.version);
    if (px->fw_restart != NULL)
        px->fw_restart(px->fw_user);
    /* still here: the restart failed; the old firmware runs on */
    tern_posix_log(px, TERN_LOG_ERROR, "firmware: the restart failed, %s %s not running", h.name,
                   h.version);
    (void)link(pkg, part); /* the package stays downloaded for another try */
    if (had_old)
        (void)rename(old, pkg);
    else
        (void)unlink(pkg);
    (void)unlink(pending);
    sync_dir(px);
    return TERN_ERR_IO;
}

static bool fw_applied(void *ctx)
{
    tern_posix_t *px = ctx;
    char path[4096], marker[80];
    file_path(px, "pending", path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tern_posix_log(px, TERN_LOG_WARN, "firmware: no update was pending");
        return false;
    }
    ssize_t n = read_start(fd, (uint8_t *)marker, sizeof(marker) - 1);
    close(fd);
    marker[n > 0 ? n : 0] = '\0';
    marker[strcspn(marker, "\n")] = '\0';
    char running[80];
    snprintf(running, sizeof(running), "%s %s", px->fw_name, px->fw_version);
    bool ok = px->fw_version[0] != '\0' && strcmp(marker, running) == 0;
    if (!ok)
        tern_posix_log(px, TERN_LOG_WARN, "firmware: %s was pending but %s runs", marker,
                       px->fw_version[0] != '\0' ? running : "the built-in firmware");
    (void)unlink(path);
    if (ok) {
        file_path(px, "firmware.old", path, sizeof(path));
        (void)unlink(path);
    }
    sync_dir(px);
    return ok;
}

void tern_posix_set_firmware(tern_posix_t *px, const char *dir, void (*restart)(void *user),
                             void *user)
{
    px->fw_dir = dir;
    px->fw_restart = restart;
    px->fw_user = user;
    px->fw_name[0] = px->fw_version[0] = '\0';
    px->ops.fw_open = dir != NULL ? fw_open : NULL;
    px->ops.fw_write = dir != NULL ? fw_write : NULL;
    px->ops.fw_finish = dir != NULL ? fw_finish : NULL;
    px->ops.fw_abort = dir != NULL ? fw_abort : NULL;
    px->ops.fw_apply = dir != NULL ? fw_apply : NULL;
    px->ops.fw_applied = dir != NULL ? fw_applied : NULL;
    if (dir == NULL)
        return;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: cannot create %s: %s", dir, strerror(errno));
    /* the running firmware: the installed package's header */
    char path[4096];
    uint8_t buf[HEADER_MAX];
    fw_header_t h;
    const char *why;
    file_path(px, "firmware.pkg", path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read_start(fd, buf, sizeof(buf));
    close(fd);
    if (n < 0 || parse_header(buf, (size_t)n, &h, &why) != 0) {
        tern_posix_log(px, TERN_LOG_ERROR, "firmware: %s is unreadable: %s", path,
                       n < 0 ? strerror(errno) : why);
        return;
    }
    snprintf(px->fw_name, sizeof(px->fw_name), "%s", h.name);
    snprintf(px->fw_version, sizeof(px->fw_version), "%s", h.version);
}

const char *tern_posix_firmware_version(const tern_posix_t *px)
{
    return px->fw_version[0] != '\0' ? px->fw_version : NULL;
}
