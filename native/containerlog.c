#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "containerlog.h"

int container_log_open(struct container_log *log)
{
    log->fd = open(log->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log->fd < 0)
        return -errno;
    struct stat st;
    log->size = fstat(log->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
    return 0;
}

/* LOG.(n-2) -> LOG.(n-1), ..., LOG -> LOG.1, then a new LOG. A reader holding the old file open
 * keeps reading it to its end (rename does not disturb an open fd). */
static void rotate(struct container_log *log)
{
    char from[4096], to[4096];
    close(log->fd);
    for (int i = log->max_files - 1; i >= 1; i--) {
        if (i == 1)
            snprintf(from, sizeof from, "%s", log->path);
        else
            snprintf(from, sizeof from, "%s.%d", log->path, i - 1);
        snprintf(to, sizeof to, "%s.%d", log->path, i);
        rename(from, to);
    }
    if (log->max_files <= 1)
        unlink(log->path);
    container_log_open(log);
    log->size = 0;
}

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t r = write(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return; /* disk full: the container goes on, its output is lost, as with Docker */
        p += r;
        len -= (size_t)r;
    }
}

static void write_record(struct container_log *log, int stream, const char *data, size_t len);

void container_log_write(struct container_log *log, int stream, const char *data, size_t len)
{
    if (log->fd < 0 || len == 0)
        return;
    /* A chunk bigger than the cap (a pipe hands over up to 64 KiB at once) is cut, so that no file
     * ever exceeds max-size: after the last whole line that fits, so that rotation never leaves half
     * a line behind; only a single line longer than the cap is cut inside. */
    size_t piece = log->max_size > 32 ? (size_t)log->max_size - 16 : len;
    while (len > piece) {
        size_t cut = piece;
        const char *nl = memrchr(data, '\n', piece);
        if (nl != NULL)
            cut = (size_t)(nl - data) + 1;
        write_record(log, stream, data, cut);
        data += cut;
        len -= cut;
    }
    write_record(log, stream, data, len);
}

static void write_record(struct container_log *log, int stream, const char *data, size_t len)
{
    if (log->max_size && log->size > 0 && log->size + 16 + len > log->max_size)
        rotate(log);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    unsigned char hdr[16] = { 0 };
    uint32_t l = (uint32_t)len;
    hdr[0] = (unsigned char)stream;
    memcpy(hdr + 4, &l, 4);
    memcpy(hdr + 8, &ns, 8);
    /* One write per record (O_APPEND): a reader never sees a header without its bytes for long,
     * and a crash leaves at most one short record at the end, which the reader ignores. */
    char buf[16 + 65536];
    if (len <= 65536) {
        memcpy(buf, hdr, 16);
        memcpy(buf + 16, data, len);
        write_all(log->fd, buf, 16 + len);
    } else {
        write_all(log->fd, hdr, 16);
        write_all(log->fd, data, len);
    }
    log->size += 16 + len;
}

void container_log_lines(struct container_log *log, int stream, const char *data, size_t len)
{
    char *part = log->partial[stream];
    size_t *plen = &log->partial_len[stream];
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) + 1 : len;
        if (*plen + take > CONTAINER_LOG_LINE_MAX) {
            /* A line longer than the buffer goes out in pieces, as Docker's partial messages. */
            size_t room = CONTAINER_LOG_LINE_MAX - *plen;
            memcpy(part + *plen, data, room);
            container_log_write(log, stream, part, CONTAINER_LOG_LINE_MAX);
            *plen = 0;
            data += room;
            len -= room;
            continue;
        }
        if (nl && *plen == 0) {
            /* The common case: whole lines straight from the chunk, as one record. */
            const char *last = memrchr(data, '\n', len);
            size_t whole = (size_t)(last - data) + 1;
            container_log_write(log, stream, data, whole);
            data += whole;
            len -= whole;
            continue;
        }
        memcpy(part + *plen, data, take);
        *plen += take;
        data += take;
        len -= take;
        if (nl) {
            container_log_write(log, stream, part, *plen);
            *plen = 0;
        }
    }
}

void container_log_flush(struct container_log *log, int stream)
{
    if (log->partial_len[stream] > 0)
        container_log_write(log, stream, log->partial[stream], log->partial_len[stream]);
    log->partial_len[stream] = 0;
}

void container_log_close(struct container_log *log)
{
    if (log->fd >= 0)
        close(log->fd);
    log->fd = -1;
}
