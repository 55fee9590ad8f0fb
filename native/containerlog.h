#ifndef GOCKER_CONTAINERLOG_H
#define GOCKER_CONTAINERLOG_H
/* The container log: binary records, each a 16-byte header then the bytes as the container wrote
 * them. Header (little-endian): u8 stream (1 stdout, 2 stderr), u8[3] zero, u32 length,
 * i64 unix time in ns. Read by Gocker.Core/Logs. Rotated by size: LOG, LOG.1 ... LOG.(files-1). */
#include <stdint.h>
#include <stddef.h>

#define CONTAINER_LOG_LINE_MAX 16384

struct container_log {
    const char *path;
    int fd;
    uint64_t size;
    uint64_t max_size;   /* 0: never rotate */
    int max_files;       /* files kept, the current one included */
    /* The unfinished last line of each stream (1 stdout, 2 stderr): records hold whole lines, as
     * Docker's do, so that rotation never separates the halves of a line. */
    char partial[3][CONTAINER_LOG_LINE_MAX];
    size_t partial_len[3];
};

/* Whole lines go to the log at once; an unfinished one waits for its end (or for 16 KiB). */
void container_log_lines(struct container_log *log, int stream, const char *data, size_t len);
/* At the end of a stream: what is left of its last line. */
void container_log_flush(struct container_log *log, int stream);

int container_log_open(struct container_log *log);
void container_log_write(struct container_log *log, int stream, const char *data, size_t len);
void container_log_close(struct container_log *log);
#endif
