/* The host's gocker binary must never be writable from a container (the CVE-2019-5736 class). gocker
 * runs inside a container's namespaces as the container's init before its command (a clone of the
 * monitor: non-dumpable until then, init.c), as the --init reaper (PID 1 for the container's life)
 * and as exec's child. A container that replaces one of its programs with a script
 * starting "#!/proc/self/exe" makes the kernel run, as that script's interpreter, the image of whoever
 * executed it: gocker. A container process can then open /proc/PID/exe (O_PATH, or O_RDONLY), and once
 * no gocker runs any more (ETXTBSY ends), reopen that file for writing through /proc/self/fd/N and
 * replace the host's binary. A shared writable mapping needs such an fd too.
 *
 * Defence: those processes execute this binary through a read-only mount of it. open_tree(2) with
 * OPEN_TREE_CLONE makes a detached mount of just the file (attached to no namespace: nothing appears
 * in any mount table, no mount events, no propagation), mount_setattr(2) makes it read-only, and
 * execveat(2) runs the file through it. The new image's executable (mm->exe_file) is a file on that
 * read-only mount for its whole life, and so is every "#!/proc/self/exe" interpreter started from it:
 * any open for writing through /proc/PID/exe or /proc/self/fd fails with EROFS, even after the mount
 * is gone from every table (the file keeps it alive, read-only).
 *
 * Cost, measured on the development VM: ~4 us for the two calls, and ~30 us when the fd closes at
 * execve (the detached mount is dissolved). No copy: runc's sealed memfd copy of the binary would copy
 * ~15 MB per start (milliseconds), and a bind mount in a namespace would need a path to mount on and
 * a private mount namespace, which exec's caller (multi-threaded) cannot unshare.
 *
 * open_tree clones a mount of the caller's mount namespace only: the monitor makes the view before it
 * clones init into a new one, and init's clone child executes it by fd.
 *
 * Needs Linux 5.12 (mount_setattr). There is no fallback to a writable execve: on an older kernel the
 * start fails, saying why. Raw syscalls only: called in the clone child (async-signal-safe rules). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gocker.h"

int gocker_readonly_self(const char **what)
{
    int fd = (int)syscall(__NR_open_tree, AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fd < 0) {
        *what = "protect the gocker binary: open_tree (gocker needs Linux 5.12 or later)";
        return -errno;
    }
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
    if (syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
        int err = errno;
        syscall(SYS_close, fd);
        *what = "protect the gocker binary: mount_setattr (gocker needs Linux 5.12 or later)";
        return -err;
    }
    return fd;
}

int gocker_exec_self_readonly(char *const *argv, char *const *envp, const char **what)
{
    int fd = gocker_readonly_self(what);
    if (fd < 0)
        return fd;
    syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
    int err = errno;
    syscall(SYS_close, fd);
    *what = "execute gocker read-only";
    return -err;
}
