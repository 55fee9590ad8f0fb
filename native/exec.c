/* The last steps before a container command runs. Called from the container's init (init.c, the
 * monitor's single-threaded clone child), from exec's child (multi-threaded: the .NET runtime is
 * up), and from the reaper's forked child (single-threaded). Credentials, capabilities, no_new_privs and the seccomp filter change through
 * raw syscalls: they then affect only the calling thread, which is the one that execs and whose
 * state the new image keeps, and they avoid glibc's setxid broadcast to runtime threads that may
 * have signals blocked.
 *
 * Order, and why:
 *  1. terminal; resource limits (while still root: lowering is always allowed).
 *  2. bounding set: PR_CAPBSET_DROP needs CAP_SETPCAP, which the container may not keep.
 *  3. with no_new_privs lifted, the seccomp filter here: installing one without no_new_privs needs
 *     CAP_SYS_ADMIN in the effective set, which the user change below takes away. The filter then
 *     sees the remaining steps (Docker's profile allows them all, as runc relies on too).
 *  4. groups, gid, uid. Without PR_SET_KEEPCAPS a change from uid 0 clears the permitted and
 *     effective sets, which is Docker's behaviour for a non-root user (no capabilities, bounding set
 *     kept).
 *  5. capset: permitted = effective = the set for uid 0, nothing for others; inheritable empty
 *     (Docker 20+), ambient cleared. For uid 0 execve then gives permitted = bounding set.
 *  6. cwd, no_new_privs, the seccomp filter LAST (nothing after it but the signal reset and execve,
 *     so a profile cannot break gocker's own setup), execve. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
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

/* Docker's --ulimit names, by RLIMIT_* number. */
static const char *const rlimit_names[] = {
    "cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks",
    "sigpending", "msgqueue", "nice", "rtprio", "rttime",
};

static int set_limits(struct gocker_exec_params *p, const struct gocker_security *s)
{
    for (int i = 0; i < s->nrlimits; i++) {
        const struct gocker_rlimit *r = &s->rlimits[i];
        uint64_t lim[2] = { r->soft, r->hard };
        if (syscall(SYS_prlimit64, 0, r->resource, lim, NULL) < 0) {
            char what[64];
            int known = r->resource >= 0 && r->resource < (int)(sizeof rlimit_names / sizeof rlimit_names[0]);
            snprintf(what, sizeof what, "set ulimit %s", known ? rlimit_names[r->resource] : "?");
            return fail(p, 125, what);
        }
    }
    return 0;
}

static int drop_bounding_set(struct gocker_exec_params *p, uint64_t keep)
{
    for (int cap = 0; cap < 64; cap++) {
        long in = syscall(SYS_prctl, PR_CAPBSET_READ, cap, 0, 0, 0);
        if (in < 0)
            break; /* EINVAL: past the last capability this kernel knows */
        if (in == 1 && !(keep & (1ULL << cap)) && syscall(SYS_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return fail(p, 125, "drop capabilities from the bounding set");
    }
    return 0;
}

static int set_capabilities(struct gocker_exec_params *p, uint64_t caps, int root)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (root) {
        data[0].permitted = data[0].effective = (uint32_t)caps;
        data[1].permitted = data[1].effective = (uint32_t)(caps >> 32);
    }
    if (syscall(SYS_capset, &hdr, data) < 0)
        return fail(p, 125, "set capabilities");
    if (syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return fail(p, 125, "clear ambient capabilities");
    return 0;
}

static int install_seccomp(struct gocker_exec_params *p, const struct gocker_security *s)
{
    struct sock_fprog prog = { .len = (unsigned short)s->seccomp_len, .filter = (struct sock_filter *)s->seccomp };
    /* No SECCOMP_FILTER_FLAG_TSYNC: only this thread, the one that execs, is filtered. */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
        return fail(p, 125, "install the seccomp filter");
    return 0;
}

int gocker_exec_final(struct gocker_exec_params *p)
{
    const struct gocker_security *s = p->security;
    int r;
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
    int filter = s != NULL && s->seccomp != NULL && s->seccomp_len > 0;
    if (s != NULL) {
        if ((r = set_limits(p, s)) < 0)
            return r;
        if (s->set_caps && (r = drop_bounding_set(p, s->caps)) < 0)
            return r;
        if (filter && !s->no_new_privs && (r = install_seccomp(p, s)) < 0)
            return r;
    }
    if (p->set_user) {
        if (syscall(SYS_setgroups, p->ngroups, p->groups) < 0)
            return fail(p, 125, "setgroups");
        if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0)
            return fail(p, 125, "setgid");
        if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
            return fail(p, 125, "setuid");
    }
    if (s != NULL && s->set_caps) {
        int root = (p->set_user ? p->uid : (uint32_t)syscall(SYS_geteuid)) == 0;
        if ((r = set_capabilities(p, s->caps, root)) < 0)
            return r;
    }
    /* A credential change clears the parent-death signal (commit_creds); set it again. */
    if (p->death_signal)
        prctl(PR_SET_PDEATHSIG, p->death_signal, 0, 0, 0);
    if (p->workdir && chdir(p->workdir) < 0) {
        char what[600];
        snprintf(what, sizeof what, "chdir to cwd (\"%s\")", p->workdir);
        return fail(p, 125, what);
    }
    if (s != NULL && s->no_new_privs) {
        if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            return fail(p, 125, "set no_new_privs");
        if (filter && (r = install_seccomp(p, s)) < 0)
            return r;
    }
    gocker_reset_signals();
    if (p->exe_fd > 0) {
        syscall(SYS_execveat, p->exe_fd, "", p->argv, p->envp, AT_EMPTY_PATH);
        return fail(p, 125, "execute gocker read-only");
    }
    if (p->readonly_exe) {
        const char *what;
        int err = gocker_exec_self_readonly(p->argv, p->envp, &what);
        errno = -err;
        return fail(p, 125, what);
    }
    syscall(SYS_execve, p->path, p->argv, p->envp);
    /* Docker's codes: 127 when the command does not exist, 126 when it cannot be invoked. */
    return fail(p, errno == ENOENT || errno == ENOTDIR ? 127 : 126, "exec");
}
