/* The native part of gocker: the work that must happen outside the .NET runtime.
 *
 * - preinit.c:  an ELF constructor that runs before the runtime starts (single-threaded), gated by
 *               the _GOCKER_PREINIT environment variable that only gocker sets.
 * - clone.c:    clone() into new namespaces from the multi-threaded runtime; the child makes only
 *               async-signal-safe calls until execve.
 * - exec.c:     the last steps before a container command's execve (terminal, limits, capabilities,
 *               credentials, cwd, no_new_privs, seccomp, signal state), shared by gocker-init, exec's
 *               child and the --init reaper.
 * - selfexe.c:  executing this binary through a read-only mount (CVE-2019-5736).
 * - reaper.c:   the --init PID 1: forwards signals, reaps orphans, exits with the command's status.
 * - fdpass.c:   SCM_RIGHTS fd passing (the pty master travels from the container to gocker).
 * - recycle.c:  an --rm container's directory kept as a spare for the next create.
 * - init.c, initprocess.c, inroot.c: the container's init, run in the monitor's clone child: the
 *               plan gocker computed (initplan.h), then exec.c's final steps.
 */
#ifndef GOCKER_H
#define GOCKER_H

#include <stdint.h>
#include <sys/types.h>

#define GOCKER_PREINIT_ENV "_GOCKER_PREINIT"

/* Which pre-runtime mode the constructor saw (0 = none). Read by managed code and by tests. */
int gocker_preinit_mode(void);

struct gocker_clone_params {
    int flags;                 /* CLONE_NEW* flags */
    const char *path;          /* what the child executes */
    char *const *argv;
    char *const *envp;
    const int *fds;            /* fds[i] becomes fd i in the child; -1 leaves fd i closed */
    int nfds;
    int status_fd;             /* index (after remapping) where a failure record is written, or -1 */
    int death_signal;          /* PR_SET_PDEATHSIG for the child, 0 for none */
    int new_session;           /* setsid() in the child (the monitor outlives the gocker that starts it) */
    const char *const *cgroup_files; /* files the child writes "0" to before execve (joins its cgroups) */
    int ncgroup_files;
    int exe_fd;                /* >= 0: execute this fd (gocker_readonly_self) instead of path; with
                                  run, it is passed on as fd nfds (close-on-exec) */
    int (*run)(void *);        /* non-NULL: the child calls this instead of execve (the monitor's
                                  init, init.c); fork semantics, the parent does not wait */
};

#define GOCKER_MAX_CGROUP_FILES 16

/* A container's cgroup, opened for joining (cgroupjoin.c). */
struct gocker_cgroup {
    int fds[GOCKER_MAX_CGROUP_FILES]; /* v1 `tasks` files, or the v2 `cgroup.procs` */
    int n;
    int dirfd;                        /* v2: the cgroup directory, for clone3(CLONE_INTO_CGROUP); else -1 */
    const char *failed;               /* the file that could not be opened */
};

/* Opens the files (and, for one v2 cgroup.procs, its directory). Returns 0 or -errno. */
int gocker_cgroup_open(struct gocker_cgroup *cg, const char *const *files, int n);
void gocker_cgroup_close(struct gocker_cgroup *cg);
/* clone3 into the v2 cgroup with fork semantics: 0 in the child, the pid, or -errno (-ENOSYS when
 * there is no directory; callers fall back to fork and gocker_cgroup_join_self). */
pid_t gocker_cgroup_clone3(const struct gocker_cgroup *cg, unsigned long flags);
/* In a single-threaded child: writes "0" to every file. Async-signal-safe. Returns 0 or -errno. */
int gocker_cgroup_join_self(const struct gocker_cgroup *cg);

/* Returns the child's pid, or -errno. */
pid_t gocker_clone_exec(const struct gocker_clone_params *p);

/* Slots of <root>/spare: an --rm container's directory kept for the next create (recycle.c). */
#define GOCKER_SPARE_SLOTS 8

/* Deletes a tree, not following links nor crossing mounts; a missing one is deleted already.
 * Deletes what it can and returns -1 if anything stayed, else 0 (recycle.c). */
int gocker_remove_tree(const char *path);

/* Empties an --rm container's directory (unmounted, in the trash) into a spare and moves it to a
 * free slot of spare_dir. 0, or -1 (nothing moved; the caller deletes dir). */
int gocker_recycle_container_dir(const char *dir, const char *spare_dir);

struct gocker_rlimit {
    int resource;              /* RLIMIT_* */
    uint64_t soft, hard;       /* RLIM_INFINITY = ~0 */
};

/* A container process's confinement, applied by gocker_exec_final right before execve. */
struct gocker_security {
    int set_caps;              /* 0: keep the capabilities as they are (--privileged) */
    uint64_t caps;             /* bounding set; permitted and effective too for uid 0 */
    int no_new_privs;
    const void *seccomp;       /* struct sock_filter[seccomp_len], installed last; NULL for none */
    int seccomp_len;
    const struct gocker_rlimit *rlimits;
    int nrlimits;
};

struct gocker_exec_params {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *workdir;       /* NULL: stay */
    int set_user;              /* 0: keep credentials */
    uint32_t uid, gid;
    const uint32_t *groups;
    int ngroups;
    int tty_fd;                /* -1, or a terminal that becomes stdio and the controlling terminal */
    int status_fd;             /* failure record goes here, or -1 */
    int death_signal;
    int failed_code;           /* out: Docker's exit code for the step that failed (125, 126, 127) */
    const struct gocker_security *security; /* NULL: leave capabilities, limits and filters as they are */
    int readonly_exe;          /* path is /proc/self/exe: execute it through a read-only mount (selfexe.c) */
    int exe_fd;                /* > 0: execveat this fd (a read-only view made earlier), not path; 0 or
                                  -1: none (fd 0 is stdin, never the view: zero-initialised is safe) */
};

/* Does not return on success. On failure writes a record to status_fd, sets failed_code and
 * returns -errno. */
int gocker_exec_final(struct gocker_exec_params *p);

/* A read-only view of this binary (/proc/self/exe), so that no process that runs this image can
 * reopen its executable for writing (selfexe.c): an O_PATH, close-on-exec fd for execveat, or
 * -errno with `what` naming the step that failed. */
int gocker_readonly_self(const char **what);

/* execveat of this binary through such a view. Returns only on failure, as above. */
int gocker_exec_self_readonly(char *const *argv, char *const *envp, const char **what);

/* Status records: "<exit code> <errno> <message>\n", written once, before exec, by whoever failed. */
void gocker_write_status(int fd, int code, int err, const char *msg);

int gocker_send_fd(int sock, int fd);
int gocker_recv_fd(int sock);

/* The --init reaper, entered from the constructor; never returns. */
void gocker_reaper_main(int argc, char **argv, const char *spec);

/* The container monitor, entered from the constructor; never returns. */
void gocker_monitor_main(int argc, char **argv);

/* `gocker exec` from the constructor: joins the container's namespaces and forks; returns only in
 * the child, inside the container: 4, or 5 when detached (failures go to fd 6 then). */
int gocker_nsexec_main(const char *spec);

/* Start time (clock ticks after boot, /proc/PID/stat field 22) of a process, 0 if unknown. */
unsigned long long gocker_proc_start_time(pid_t pid);

#endif
