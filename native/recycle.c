/* An --rm container's directory kept for the next create instead of deleted (the managed half is
 * ContainerFiles.TryTakeSpare). On ext4 without a journal (the disks of Firecracker-style VMs and
 * CI sandboxes), every inode allocation skips the inodes freed in the last 30 seconds
 * (fs/ext4/ialloc.c, recently_deleted), one buffer lookup each: in a loop of `run --rm`, creating
 * a container's dozen files and directories went from 0.2 to 1.3 ms, and each deletion waits for a
 * discard where the disk is mounted with it. A spare keeps the inodes (and their blocks) of what
 * every container has: the directory, rootfs and the five small files, emptied and renamed to
 * NAME.spare, so that no name of the next container ever shows this one's content. What a container
 * wrote goes: upper (overlayfs keeps its own xattrs there) and work are deleted.
 * Anything unexpected in the directory, and any failure, means no spare: the caller deletes it all. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gocker.h"

/* What a spare holds besides rootfs/: kept, emptied, renamed NAME.spare. */
static const char *const kept_files[] = { "hostname", "hosts", "resolv.conf", "config.json", "container.log" };
#define NKEPT (sizeof kept_files / sizeof kept_files[0])

/* nftw's callback has no argument: the failures of the walk in progress (the monitor is single-threaded). */
static int remove_failed;

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
        remove_failed = 1;
    return 0; /* go on: whatever can go, goes */
}

int gocker_remove_tree(const char *path)
{
    remove_failed = 0;
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
        return -1;
    return remove_failed ? -1 : 0;
}

/* 1 if dir is a directory (not a symlink to one) that holds nothing, or is missing (the create makes
 * it); 0 if it holds something, -1 on error or anything but a directory. */
static int is_empty_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return -1;
    }
    int empty = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    return empty;
}

/* Whether every entry of dir is one a spare may hold (before or after the renames). */
static int only_known_entries(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return 0;
    int ok = 1;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "rootfs"))
            continue;
        ok = 0;
        for (size_t i = 0; i < NKEPT && !ok; i++) {
            size_t len = strlen(kept_files[i]);
            ok = !strncmp(n, kept_files[i], len) && (n[len] == 0 || !strcmp(n + len, ".spare"));
        }
    }
    closedir(d);
    return ok;
}

int gocker_recycle_container_dir(const char *dir, const char *spare_dir)
{
    char p[4096], q[4096];
#define PATH(buf, ...) (snprintf(buf, sizeof buf, __VA_ARGS__) < (int)sizeof buf ? 0 : -1)
    if (PATH(p, "%s/upper", dir) || gocker_remove_tree(p) < 0)
        return -1;
    /* work too, not only its work/work: overlayfs holds an in-use mark on it until the old mount's
     * last reference goes (a reader of the namespace's mountinfo keeps one), and with index=on a new
     * mount over a marked one fails. A new work directory is never marked. */
    if (PATH(p, "%s/work", dir) || gocker_remove_tree(p) < 0)
        return -1;
    /* The overlay's mount point: empty unless something was written there while it was not mounted. */
    if (PATH(p, "%s/rootfs", dir) || is_empty_dir(p) != 1)
        return -1;
    if (!only_known_entries(dir))
        return -1;
    /* Emptied, not only renamed: no byte of this container (its environment is in config.json, its
     * output in the log) waits in a spare for the next one. The blocks go (a discard each where the
     * disk has online discard, here, off the next container's path); the inodes stay. */
    for (size_t i = 0; i < NKEPT; i++) {
        if (PATH(p, "%s/%s", dir, kept_files[i]) || PATH(q, "%s/%s.spare", dir, kept_files[i]))
            return -1;
        if (rename(p, q) < 0) {
            if (errno == ENOENT)
                continue;
            return -1;
        }
        /* Only a regular file of ours is kept: never follow a link out of the directory. */
        int fd = open(q, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;
        int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) == 0;
        if (fd >= 0)
            close(fd);
        if (!ok)
            return -1;
    }
    if (mkdir(spare_dir, 0700) < 0 && errno != EEXIST)
        return -1;
    /* A few slots, taken without replacing (another monitor may be filling one): enough for the
     * clients of a busy host; beyond them the directory is deleted as before. */
    for (int k = 0; k < GOCKER_SPARE_SLOTS; k++) {
        if (PATH(q, "%s/%d", spare_dir, k))
            return -1;
        if (renameat2(AT_FDCWD, dir, AT_FDCWD, q, RENAME_NOREPLACE) == 0)
            return 0;
        if (errno != EEXIST && errno != ENOTEMPTY)
            return -1;
    }
    return -1;
#undef PATH
}
