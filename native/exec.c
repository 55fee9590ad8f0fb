/* The last steps before a container command runs. Called from gocker-init (multi-threaded: the
 * .NET runtime is up) and from the reaper's forked child (single-threaded). Credentials change
 * through raw syscalls: they affect only the calling thread, which is the one that execs, and they
 * avoid glibc's setxid broadcast to runtime threads that may have signals blocked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gocker.h"
#include "signals.h"

static int fail(struct gocker_exec_params *p, int code, const char *what)
{
    p->failed_code = code;
    int err = errno;
    char msg[768];
    if (strcmp(what, "exec") == 0)
        snprintf(msg, sizeof msg, "exec: \"%s\": %s", p->argv[0], strerror(err));
    else
        snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
    gocker_write_status(p->status_fd, code, err, msg);
    return -err;
}

int gocker_exec_final(struct gocker_exec_params *p)
{
    if (p->tty_fd >= 0) {
        if (setsid() < 0)
            return fail(p, 125, "setsid");
        if (ioctl(p->tty_fd, TIOCSCTTY, 0) < 0)
            return fail(p, 125, "set controlling terminal");
        for (int i = 0; i < 3; i++)
            if (dup2(p->tty_fd, i) < 0)
                return fail(p, 125, "dup terminal");
        if (p->tty_fd > 2)
            close(p->tty_fd);
    }
    if (p->set_user) {
        if (syscall(SYS_setgroups, p->ngroups, p->groups) < 0)
            return fail(p, 125, "setgroups");
        if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0)
            return fail(p, 125, "setgid");
        if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
            return fail(p, 125, "setuid");
    }
    /* A credential change clears the parent-death signal (commit_creds); set it again. */
    if (p->death_signal)
        prctl(PR_SET_PDEATHSIG, p->death_signal, 0, 0, 0);
    if (p->workdir && chdir(p->workdir) < 0) {
        char what[600];
        snprintf(what, sizeof what, "chdir to cwd (\"%s\")", p->workdir);
        return fail(p, 125, what);
    }
    gocker_reset_signals();
    syscall(SYS_execve, p->path, p->argv, p->envp);
    /* Docker's codes: 127 when the command does not exist, 126 when it cannot be invoked. */
    return fail(p, errno == ENOENT || errno == ENOTDIR ? 127 : 126, "exec");
}
