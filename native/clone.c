/* clone() into new namespaces from a multi-threaded process. Between clone and execve the child
 * may only make async-signal-safe calls: another thread of the parent may have held the malloc or
 * stdio lock at the instant of the clone, and those locks are copied locked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
    struct gocker_cgroup cg;
    int joined;             /* created in the cgroup already (clone3 CLONE_INTO_CGROUP) */
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

    /* Into the container's cgroup before anything else (see cgroupjoin.c for why the child moves
     * itself), and before the fds are remapped: the cgroup fds may sit where the remap writes.
     * Nothing of the container runs outside its limits. */
    if (!a->joined && gocker_cgroup_join_self(&a->cg) < 0) {
        int err = errno;
        if (p->status_fd >= 0 && p->status_fd < p->nfds)
            gocker_write_status(p->fds[p->status_fd], 125, err, "cannot join the container's cgroup");
        _exit(125);
    }

    /* Move every fd above the target range first, so that dup2 into place never overwrites a
     * source that is still needed (fds[1] may be 0, say). */
    int exe = -1;
    if (p->exe_fd >= 0 && (exe = (int)syscall(SYS_fcntl, p->exe_fd, F_DUPFD_CLOEXEC, MAX_FDS + 3)) < 0)
        _exit(125);
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
    /* The executable's fd goes right after the mapped ones (close-on-exec: execveat closes it). */
    if (exe >= 0 && (exe = (int)syscall(SYS_dup3, exe, p->nfds, O_CLOEXEC)) < 0)
        _exit(125);
    /* Everything the runtime had open stays behind, cloexec or not. */
    syscall(SYS_close_range, (unsigned)p->nfds + (exe >= 0), ~0U, 0);

    /* The cgroup namespace is made after the move, so that the container sees its own cgroup as "/". */
    if (a->unshare_cgroupns && syscall(SYS_unshare, CLONE_NEWCGROUP) < 0) {
        gocker_write_status(p->status_fd, 125, errno, "cannot create the cgroup namespace");
        _exit(125);
    }

    if (p->run != NULL)
        _exit(p->run(NULL)); /* signals stay as the monitor has them until exec.c resets them */
    gocker_reset_signals();
    if (exe >= 0) {
        syscall(SYS_execveat, exe, "", p->argv, p->envp, AT_EMPTY_PATH);
        gocker_write_status(p->status_fd, 125, errno, "cannot execute gocker (read-only view)");
        _exit(125);
    }
    syscall(SYS_execve, p->path, p->argv, p->envp);
    gocker_write_status(p->status_fd, 125, errno, "cannot execute the container monitor");
    _exit(125);
}

pid_t gocker_clone_exec(const struct gocker_clone_params *p)
{
    if (p->nfds > MAX_FDS)
        return -EINVAL;
    /* The child runs on this stack until its execve; clone returns only then (CLONE_VFORK, or fork
     * semantics for clone3), so the stack can be released as soon as clone returns. */
    void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return -errno;
    struct child_args a = { .p = p, .joined = 0 };
    int rc = gocker_cgroup_open(&a.cg, p->cgroup_files, p->ncgroup_files);
    if (rc < 0) {
        munmap(stack, CHILD_STACK);
        return rc;
    }
    /* The cgroup namespace is made by the child after the move (a namespace made at clone time would
     * be rooted at the parent's cgroup), so that the container sees its own cgroup as "/". */
    a.unshare_cgroupns = a.cg.n > 0 && (p->flags & CLONE_NEWCGROUP);
    int flags = a.unshare_cgroupns ? p->flags & ~CLONE_NEWCGROUP : p->flags;
    pid_t pid = gocker_cgroup_clone3(&a.cg, (unsigned long)flags);
    if (pid == 0) {
        a.joined = 1;
        child_main(&a);
    }
    if (pid < 0 && pid != -ENOSYS && pid != -E2BIG && pid != -EINVAL) {
        gocker_cgroup_close(&a.cg);
        munmap(stack, CHILD_STACK);
        return pid;
    }
    if (pid < 0 && p->run != NULL) {
        /* The init goes on in the child: fork semantics (a copy of the single-threaded monitor, on
         * its own copy of this stack; no CLONE_VFORK: the parent must go on, it holds init's gate). */
        pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0UL);
        if (pid == 0)
            child_main(&a);
        if (pid < 0)
            pid = -errno;
    } else if (pid < 0) {
        /* No clone3 or no CLONE_INTO_CGROUP (before Linux 5.7), or a v1 cgroup: the child joins. */
        /* CLONE_VM|CLONE_VFORK, as posix_spawn: the child borrows the parent's address space on its
         * own stack until execve instead of copying the page tables of the multi-threaded .NET process
         * that starts the monitor (about 0.5 ms a start measured here). The parent waits meanwhile;
         * the child touches nothing of the parent's but errno (the parent is stopped, and ignores it)
         * and makes raw syscalls only.
         * Every signal blocked across the clone, as posix_spawn does: a handler of the runtime's must
         * never run in the child, which shares the runtime's memory. The child unblocks only after it
         * has reset every disposition (gocker_reset_signals). */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid = clone(child_main, (char *)stack + CHILD_STACK, flags | CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
        if (pid < 0)
            pid = -errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    gocker_cgroup_close(&a.cg);
    munmap(stack, CHILD_STACK);
    return pid;
}
