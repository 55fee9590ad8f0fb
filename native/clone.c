/* clone() into new namespaces from a multi-threaded process. Between clone and execve the child
 * may only make async-signal-safe calls: another thread of the parent may have held the malloc or
 * stdio lock at the instant of the clone, and those locks are copied locked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gocker.h"
#include "signals.h"

#define MAX_FDS 16
#define CHILD_STACK (64 * 1024)

struct child_args {
    const struct gocker_clone_params *p;
    int unshare_cgroupns;
};

static int child_main(void *arg)
{
    const struct child_args *a = arg;
    const struct gocker_clone_params *p = a->p;
    int tmp[MAX_FDS];

    if (p->new_session)
        syscall(SYS_setsid);
    if (p->death_signal)
        prctl(PR_SET_PDEATHSIG, p->death_signal, 0, 0, 0);

    /* Move every fd above the target range first, so that dup2 into place never overwrites a
     * source that is still needed (fds[1] may be 0, say). */
    for (int i = 0; i < p->nfds; i++) {
        tmp[i] = -1;
        if (p->fds[i] >= 0) {
            tmp[i] = (int)syscall(SYS_fcntl, p->fds[i], F_DUPFD_CLOEXEC, MAX_FDS + 3);
            if (tmp[i] < 0)
                _exit(125);
        }
    }
    for (int i = 0; i < p->nfds; i++) {
        if (tmp[i] >= 0) {
            if (syscall(SYS_dup2, tmp[i], i) < 0)
                _exit(125);
        } else {
            syscall(SYS_close, i);
        }
    }
    /* Everything the runtime had open stays behind, cloexec or not. */
    syscall(SYS_close_range, (unsigned)p->nfds, ~0U, 0);

    /* The child moves itself: writing "0" (the caller) to a v1 `tasks` file migrates one thread, and
     * the kernel (5.17+, "cgroup: Optimize single thread migration") then skips the global
     * threadgroup rwsem whose write side waits an RCU grace period (~10 ms on the development VM,
     * against ~0.05 ms per hierarchy this way). The child is single-threaded, so the thread is the
     * whole process. Joining before execve means nothing of the container runs outside its limits. */
    for (int i = 0; i < p->ncgroup_files; i++) {
        int fd = (int)syscall(SYS_openat, AT_FDCWD, p->cgroup_files[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || syscall(SYS_write, fd, "0", 1) != 1) {
            gocker_write_status(p->status_fd, 125, errno, "cannot join the container's cgroup");
            _exit(125);
        }
        syscall(SYS_close, fd);
    }
    /* The cgroup namespace is made after the move, so that the container sees its own cgroup as "/". */
    if (a->unshare_cgroupns && syscall(SYS_unshare, CLONE_NEWCGROUP) < 0) {
        gocker_write_status(p->status_fd, 125, errno, "cannot create the cgroup namespace");
        _exit(125);
    }

    gocker_reset_signals();
    syscall(SYS_execve, p->path, p->argv, p->envp);
    gocker_write_status(p->status_fd, 125, errno, "cannot execute gocker-init");
    _exit(125);
}

pid_t gocker_clone_exec(const struct gocker_clone_params *p)
{
    if (p->nfds > MAX_FDS)
        return -EINVAL;
    /* The child has its own copy of the address space (no CLONE_VM), so the stack can be
     * released as soon as clone returns. */
    void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return -errno;
    struct child_args a = { p, p->ncgroup_files > 0 && (p->flags & CLONE_NEWCGROUP) };
    int flags = a.unshare_cgroupns ? p->flags & ~CLONE_NEWCGROUP : p->flags;
    pid_t pid = clone(child_main, (char *)stack + CHILD_STACK, flags | SIGCHLD, &a);
    int err = errno;
    munmap(stack, CHILD_STACK);
    return pid < 0 ? -err : pid;
}
