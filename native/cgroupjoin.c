/* Joining a container's cgroup without the kernel's slow path.
 *
 * Moving a process by pid into `cgroup.procs` takes cgroup_threadgroup_rwsem for writing, and that
 * percpu rwsem's write side waits for an RCU grace period: 8-19 ms per start on the development VM.
 * Two ways around it, both used here:
 * - cgroup v1: a single-threaded process writes "0" (itself) into a `tasks` file. One thread moves,
 *   and recent kernels skip the rwsem for it (cgroup_procs_write_start takes it only for a pid or a
 *   whole thread group; measured on 6.18, the kernel version that brought it not checked).
 * - cgroup v2: clone3(CLONE_INTO_CGROUP) (Linux 5.7) creates the child in the cgroup, so nothing
 *   moves at all. Older kernels fall back to the child writing "0" to `cgroup.procs` (slow path).
 * The files are opened by the parent, while the host's cgroupfs is still reachable (gocker exec
 * enters the container's mount namespace before it forks). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gocker.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static int is_v2_procs(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL && strcmp(slash + 1, "cgroup.procs") == 0;
}

int gocker_cgroup_open(struct gocker_cgroup *cg, const char *const *files, int n)
{
    cg->n = 0;
    cg->dirfd = -1;
    cg->failed = NULL;
    for (int i = 0; i < n && i < GOCKER_MAX_CGROUP_FILES; i++) {
        int fd = open(files[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            cg->failed = files[i];
            gocker_cgroup_close(cg);
            return -err;
        }
        cg->fds[cg->n++] = fd;
    }
    if (n == 1 && is_v2_procs(files[0])) {
        char dir[4096];
        size_t len = (size_t)(strrchr(files[0], '/') - files[0]);
        if (len < sizeof dir) {
            memcpy(dir, files[0], len);
            dir[len] = 0;
            cg->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
    }
    return 0;
}

void gocker_cgroup_close(struct gocker_cgroup *cg)
{
    for (int i = 0; i < cg->n; i++)
        close(cg->fds[i]);
    cg->n = 0;
    if (cg->dirfd >= 0)
        close(cg->dirfd);
    cg->dirfd = -1;
}

pid_t gocker_cgroup_clone3(const struct gocker_cgroup *cg, unsigned long flags)
{
    if (cg->dirfd < 0)
        return -ENOSYS;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = (unsigned long long)flags | CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (unsigned long long)cg->dirfd;
    /* No stack and no CLONE_VM: fork semantics, the child returns here on its copy of the stack. */
    long pid = syscall(SYS_clone3, &args, sizeof args);
    return pid < 0 ? -errno : (pid_t)pid;
}

int gocker_cgroup_join_self(const struct gocker_cgroup *cg)
{
    /* Async-signal-safe: raw write(2) only. */
    for (int i = 0; i < cg->n; i++)
        if (syscall(SYS_write, cg->fds[i], "0", 1) != 1)
            return -errno;
    return 0;
}
