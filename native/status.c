#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "gocker.h"

/* Async-signal-safe: only write(2) and hand-made formatting, so the clone child may call it. */
static size_t put_int(char *dst, int v)
{
    char tmp[12];
    size_t n = 0, i = 0;
    unsigned u = v < 0 ? (unsigned)-v : (unsigned)v;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) dst[i++] = '-';
    while (n) dst[i++] = tmp[--n];
    return i;
}

void gocker_write_status(int fd, int code, int err, const char *msg)
{
    if (fd < 0)
        return;
    char buf[1024];
    size_t i = put_int(buf, code);
    buf[i++] = ' ';
    i += put_int(buf + i, err);
    buf[i++] = ' ';
    for (const char *m = msg; *m && i < sizeof buf - 2; m++)
        buf[i++] = (*m == '\n') ? ' ' : *m;
    buf[i++] = '\n';
    ssize_t r;
    do { r = write(fd, buf, i); } while (r < 0 && errno == EINTR);
}
