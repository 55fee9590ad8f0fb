/* Paths inside the container's root, before pivot_root, when a wrong step would touch the HOST: the
 * image is untrusted, and a symlink it holds resolves against the host's root until pivot_root.
 *
 * - gocker_prepare_target: gocker's own mount points (proc, dev, sys, the /etc files) under the root;
 *   what is missing is created, a symlink anywhere on the way is refused.
 * - gocker_open_in_root: a user mount's destination, resolved as chroot would (a symlink in the image
 *   or in a volume mounted earlier resolves against the container's root, ".." stops there: runc's
 *   securejoin), created where missing, and opened: the mount goes onto /proc/self/fd/N of that
 *   inode, so nothing can swap a symlink in between the check and the mount. Each component is
 *   opened with openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS (Linux 5.6): a symlink that appears after
 *   the resolution fails with ELOOP. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gocker.h"
#include "initplan.h"

#define MAX_SYMLINKS 40 /* the kernel's MAXSYMLINKS */
#define PATH_BUF 4096

/* The next component of *s ("" at the end), skipping slashes and "."; *s moves past it. */
static size_t next_component(const char **s, const char **start)
{
    for (;;) {
        while (**s == '/')
            (*s)++;
        *start = *s;
        while (**s && **s != '/')
            (*s)++;
        size_t n = (size_t)(*s - *start);
        if (n == 1 && **start == '.')
            continue;
        return n;
    }
}

static int has_component(const char *s)
{
    const char *start;
    return next_component(&s, &start) > 0;
}

int gocker_prepare_target(const char *root, const char *relative, int file, char *out, size_t outlen)
{
    size_t len = (size_t)snprintf(out, outlen, "%s", root);
    const char *s = relative, *start;
    size_t n;
    while ((n = next_component(&s, &start)) > 0) {
        if (n == 2 && start[0] == '.' && start[1] == '.')
            gocker_init_die(125, 0, "invalid path in container: %s", relative);
        if (len + 1 + n >= outlen)
            gocker_init_die(125, ENAMETOOLONG, "invalid path in container: %s", relative);
        out[len++] = '/';
        memcpy(out + len, start, n);
        len += n;
        out[len] = 0;
        int last = !has_component(s);
        int prefix = (int)(s - relative);
        struct stat st;
        if (lstat(out, &st) == 0) {
            if (S_ISLNK(st.st_mode))
                gocker_init_die(125, 0, "refusing to mount on /%s: /%.*s is a symlink in the image", relative, prefix, relative);
            if (!S_ISDIR(st.st_mode)) {
                if (!last || !file)
                    gocker_init_die(125, 0, "cannot mount on /%s: /%.*s is not a directory", relative, prefix, relative);
            } else if (last && file) {
                gocker_init_die(125, 0, "cannot mount a file on /%s: it is a directory in the image", relative);
            }
            continue;
        }
        if (last && file) {
            int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
            if (fd < 0)
                gocker_init_die(125, errno, "create %s: %s", out, strerror(errno));
            close(fd);
        } else if (mkdir(out, 0755) < 0 && errno != EEXIST) {
            gocker_init_die(125, errno, "mkdir %s: %s", out, strerror(errno));
        }
    }
    return 0;
}

int gocker_resolve_in_root(const char *root, const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
    /* remaining: what is left to walk, rebuilt when a symlink's target goes in front of it. */
    char remaining[2 * PATH_BUF], host[2 * PATH_BUF], link[PATH_BUF];
    if (snprintf(remaining, sizeof remaining, "%s", path) >= (int)sizeof remaining) {
        snprintf(err, errlen, "cannot resolve %s in the container: %s", path, strerror(ENAMETOOLONG));
        return -1;
    }
    size_t len = 0;
    out[0] = 0;
    int links = 0, missing = 0;
    const char *s = remaining, *start;
    size_t n;
    while ((n = next_component(&s, &start)) > 0) {
        if (n == 2 && start[0] == '.' && start[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            out[len] = 0;
            continue;
        }
        size_t before = len;
        if (len + 1 + n >= outlen) {
            snprintf(err, errlen, "cannot resolve %s in the container: %s", path, strerror(ENAMETOOLONG));
            return -1;
        }
        if (len > 0)
            out[len++] = '/';
        memcpy(out + len, start, n);
        len += n;
        out[len] = 0;
        if (missing)
            continue;
        snprintf(host, sizeof host, "%s/%s", root, out);
        struct stat st;
        if (lstat(host, &st) < 0) {
            missing = 1;
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_SYMLINKS) {
                snprintf(err, errlen, "cannot resolve %s in the container: too many levels of symbolic links", path);
                return -1;
            }
            ssize_t l = readlink(host, link, sizeof link - 1);
            if (l < 0)
                l = 0;
            link[l] = 0;
            len = link[0] == '/' ? 0 : before;
            out[len] = 0;
            char rest[2 * PATH_BUF];
            if (snprintf(rest, sizeof rest, "%s/%s", link, s) >= (int)sizeof rest) {
                snprintf(err, errlen, "cannot resolve %s in the container: %s", path, strerror(ENAMETOOLONG));
                return -1;
            }
            memcpy(remaining, rest, strlen(rest) + 1);
            s = remaining;
            continue;
        }
        if (!S_ISDIR(st.st_mode) && has_component(s)) {
            snprintf(err, errlen, "cannot resolve %s in the container: /%s is not a directory", path, out);
            return -1;
        }
    }
    return 0;
}

static int openat2_beneath(int dir, const char *name, int flags, int mode)
{
    struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC), .mode = (unsigned long long)mode,
                            .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };
    return (int)syscall(SYS_openat2, dir, name, &how, sizeof how);
}

/* One component below an open directory, never through a symlink (the resolution removed every
 * symlink from the path; one that appears now was swapped in, and fails with ELOOP). */
static int open_or_create(int dir, const char *name, int file, const char *destination)
{
    int fd = openat2_beneath(dir, name, O_PATH, 0);
    if (fd < 0 && errno == ENOENT) {
        if (file) {
            int c = openat2_beneath(dir, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (c < 0)
                gocker_init_die(125, errno, "create %s: %s", destination, strerror(errno));
            close(c);
        } else if (mkdirat(dir, name, 0755) < 0 && errno != EEXIST) {
            gocker_init_die(125, errno, "mkdir %s: %s", destination, strerror(errno));
        }
        fd = openat2_beneath(dir, name, O_PATH, 0);
    }
    if (fd < 0)
        gocker_init_die(125, errno, "open %s in the container: %s", destination, strerror(errno));
    return fd;
}

int gocker_open_in_root(const char *root, const char *destination, int file)
{
    char rel[PATH_BUF], err[PATH_BUF + 128];
    if (gocker_resolve_in_root(root, destination, rel, sizeof rel, err, sizeof err) < 0)
        gocker_init_die(125, 0, "%s", err);
    if (rel[0] == 0)
        gocker_init_die(125, 0, "cannot mount on %s: it is the container's root directory", destination);
    int current = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (current < 0)
        gocker_init_die(125, errno, "open %s: %s", root, strerror(errno));
    char *save = NULL;
    for (char *part = strtok_r(rel, "/", &save); part != NULL; ) {
        char *next = strtok_r(NULL, "/", &save);
        int fd = open_or_create(current, part, next == NULL && file, destination);
        close(current);
        current = fd;
        part = next;
    }
    struct stat st;
    if (fstat(current, &st) < 0)
        gocker_init_die(125, errno, "%s: %s", destination, strerror(errno));
    if (S_ISDIR(st.st_mode) == !!file) {
        if (file)
            gocker_init_die(125, 0, "cannot mount a file on %s: it is a directory in the container (are you trying to mount a file onto a directory, or vice versa?)", destination);
        gocker_init_die(125, 0, "cannot mount a directory on %s: it is not a directory in the container (are you trying to mount a directory onto a file, or vice versa?)", destination);
    }
    return current;
}
