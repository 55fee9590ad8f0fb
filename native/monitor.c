/* The container monitor: the parent of a container's init for its whole life, in its own session,
 * outliving the gocker command that started it. It runs before the .NET runtime would start (entered
 * from the constructor), so it costs a few hundred KiB instead of a managed heap.
 *
 * It clones the container's init into the container's namespaces (init.c, in the clone child: no
 * exec until the command), copies the container's output into the
 * container log (and to the attached gocker, if any), relays a terminal, forwards the signals it
 * gets to the container, holds the liveness lock on the container's state record, and when init
 * ends it execs `gocker container-exited`, in managed code, to record the exit and release
 * resources. Its own exit status is then the container's exit code, for a foreground `run`.
 *
 * fds from gocker: 0 1 2 (the attached client's stdio, or /dev/null), 3 config pipe (read end, for
 * init), 4 status pipe (write end, for init), 5 control socket (to the client).
 * argv[1..]: key=value: id root log db flags tty stdin rows cols: what is known before the container
 * exists. gocker spawns the monitor first, so that its exec overlaps the creation of the container's
 * record, files and cgroup; then it writes the rest into the config pipe, ahead of init's plan: a
 * 4-byte length and NUL-terminated key=value strings: lock_off lock_len log_max log_files, and
 * cgroup=FILE for each file init's clone child writes "0" to (joins its cgroup). EOF instead of that
 * header means that the container was never made (bad input): the monitor ends at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "containerlog.h"
#include "gocker.h"
#include "initplan.h"

#define CONTROL_FD 5

struct monitor_args {
    const char *id, *root, *log, *db;
    long long log_max, lock_off, lock_len;
    int log_files, flags, tty, stdin_open, rows, cols, remove;
};

static const char *arg(int n, char **kv, const char *key)
{
    size_t len = strlen(key);
    for (int i = 0; i < n; i++)
        if (strncmp(kv[i], key, len) == 0 && kv[i][len] == '=')
            return kv[i] + len + 1;
    return NULL;
}

static long long num(int n, char **kv, const char *key, long long dflt)
{
    const char *v = arg(n, kv, key);
    return v ? strtoll(v, NULL, 10) : dflt;
}

static int read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* The header gocker writes once the container exists (see the top): exactly its bytes are read, the
 * plan that follows is init's. Returns the number of strings, or -1 at EOF (no container). */
static int read_header(int fd, char *buf, size_t size, char **kv, int max)
{
    uint32_t len;
    if (read_full(fd, &len, sizeof len) < 0 || len >= size || read_full(fd, buf, len) < 0)
        return -1;
    buf[len] = 0;
    int n = 0;
    for (char *p = buf; p < buf + len && n < max; p += strlen(p) + 1)
        kv[n++] = p;
    return n;
}

static void die(const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, "monitor: %s: %s", what, strerror(errno));
    gocker_write_status(4, 125, errno, msg);
    _exit(125);
}

static int forwarded_signal(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2;
}

/* The state record's liveness lock: an OFD read lock held for the monitor's whole life. `ps` tests
 * it instead of reading /proc; the kernel drops it however the monitor dies. Returns the fd (-1). */
static int hold_liveness_lock(const struct monitor_args *a)
{
    if (a->db == NULL || a->lock_len <= 0)
        return -1;
    /* Not close-on-exec: the lock must stay held through the exec of `container-exited` until the
     * record says the container has exited. */
    int fd = open(a->db, O_RDONLY);
    if (fd < 0)
        return -1;
    struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = a->lock_off, .l_len = a->lock_len };
    /* Blocking: a `wait` may hold a write lock on the range for an instant (it takes and drops it). */
    while (fcntl(fd, F_OFD_SETLKW, &fl) < 0 && errno == EINTR)
        ;
    return fd; /* open on purpose */
}

/* An --rm container's mount namespace, held from its clone. Without it, the exit of init (the last
 * process in the namespace) tears down every mount of the container before the kernel reports the
 * exit: the overlay, /proc, /sys, the masks, about 1 ms here, between the command's exit and the
 * client's. Held, the exit is reported at once and let_go_and_delete drops the namespace after the
 * client's "k". Only for --rm: a kept container may be started again as soon as its exit is
 * recorded, and its new overlay cannot mount the same upper and work directories while the old one
 * is still mounted. Close-on-exec: `container-exited` (no "k") starts with the namespace gone. */
static int hold_mount_namespace(const struct monitor_args *a, pid_t init)
{
    if (!a->remove)
        return -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)init);
    return open(path, O_RDONLY | O_CLOEXEC); /* -1: the exit just pays the teardown as before */
}

/* An --rm container's directory, locked (flock) for as long as this monitor may still work on it:
 * the sweep of the trash at every create (GockerRoot.SweepTrash) deletes only directories that
 * nobody holds, those of monitors that were killed. Without it a sweep deleted, by path, what this
 * monitor was keeping as a spare, and a create that took the spare then lost its files (stress: 8
 * clients of `run --rm`, 4 failed starts in 3600). Close-on-exec: `container-exited` deletes by
 * itself. A kept container never goes to the trash: nothing to hold. */
static int hold_dir_lock(const struct monitor_args *a)
{
    if (!a->remove)
        return -1;
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/containers/%s", a->root, a->id) >= (int)sizeof dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* After the attached client's "k": the exit is recorded and an --rm container's record is gone, its
 * directory moved into the trash. The client returns at once; what is left is ours: let go of its
 * stdio (whoever reads its output sees the end now) and of the liveness lock (the record's slot may
 * be a new container's already), then keep the directory as a spare for the next create
 * (recycle.c), or delete it; a failure leaves what stayed to the sweep at the next create, as does
 * a monitor killed meanwhile. */
static void let_go_and_delete(const struct monitor_args *a, int devnull, int lock_fd, int mnt_ns, int dir_lock)
{
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    if (lock_fd >= 0)
        close(lock_fd);
    /* The last reference to the container's mount namespace (see hold_mount_namespace): its mounts,
     * the overlay first, are torn down here, after the client has returned and before the overlay's
     * upper directory is deleted. */
    if (mnt_ns >= 0)
        close(mnt_ns);
    char trash[4096], spare[4096];
    if (snprintf(trash, sizeof trash, "%s/trash/%s", a->root, a->id) < (int)sizeof trash) {
        bool kept = snprintf(spare, sizeof spare, "%s/spare", a->root) < (int)sizeof spare
                    && gocker_recycle_container_dir(trash, spare) == 0;
        if (!kept)
            (void)gocker_remove_tree(trash);
    }
    if (dir_lock >= 0)
        close(dir_lock);
}

/* Copies what is readable on fd into the log and to the attached client. Returns 0 at EOF/EIO. */
static int pump(int fd, int stream, struct container_log *log, int *out_fd)
{
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0) {
        container_log_flush(log, stream);
        return 0;
    }
    container_log_lines(log, stream, buf, (size_t)n);
    if (*out_fd >= 0) {
        const char *p = buf;
        while (n > 0) {
            ssize_t w = write(*out_fd, p, (size_t)n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EPIPE) {
                /* Whoever read the client's output is gone (`run ... | head -1`): close the
                 * container's end too, so that its writer gets SIGPIPE as in a shell pipeline. */
                *out_fd = -1;
                return 0;
            }
            if (w <= 0) { *out_fd = -1; break; } /* the client went away: keep logging */
            p += w;
            n -= w;
        }
    }
    return 1;
}

/* Between our "pid" line and the command's start gocker sets the container's network up (it needs
 * init's pid for the veth's namespace) and records the container as Running, then sends "go". Read byte by byte: what
 * follows the line is for the main loop. EOF or anything else: gocker failed or died; the gate then
 * stays shut and init fails before its command runs. */
static int wait_for_go(void)
{
    char line[8];
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t r = read(CONTROL_FD, line + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        if (line[n] == '\n')
            break;
        n++;
    }
    line[n] = 0;
    return strcmp(line, "go") == 0;
}

static void write_control(const char *line)
{
    ssize_t r;
    do { r = send(CONTROL_FD, line, strlen(line), MSG_NOSIGNAL); } while (r < 0 && errno == EINTR);
}

void gocker_monitor_main(int argc, char **argv)
{
    int nargs = argc - 1;
    char **args = argv + 1;
    struct monitor_args a = {
        .id = arg(nargs, args, "id"), .root = arg(nargs, args, "root"), .log = arg(nargs, args, "log"),
        .db = arg(nargs, args, "db"), .flags = (int)num(nargs, args, "flags", 0),
        .tty = (int)num(nargs, args, "tty", 0), .stdin_open = (int)num(nargs, args, "stdin", 0),
        .rows = (int)num(nargs, args, "rows", 0), .cols = (int)num(nargs, args, "cols", 0),
        .remove = (int)num(nargs, args, "rm", 0),
    };
    if (a.id == NULL || a.root == NULL || a.log == NULL)
        _exit(125);

    signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    for (int s = 1; s < 32; s++)
        if (forwarded_signal(s))
            sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sfd < 0)
        die("signalfd");

    /* Static: no stack for the 4 KiB of the header (paths of up to 16 cgroup files). */
    static char header[4096];
    char *kv[32];
    int nkv = read_header(3, header, sizeof header, kv, 32);
    if (nkv < 0)
        _exit(0);
    a.log_max = num(nkv, kv, "log_max", 10 << 20);
    a.log_files = (int)num(nkv, kv, "log_files", 3);
    a.lock_off = num(nkv, kv, "lock_off", 0);
    a.lock_len = num(nkv, kv, "lock_len", 0);

    /* Static, not on the stack: the 48 KiB of line buffers cost no memory until a line is split. */
    static struct container_log log;
    log.path = a.log;
    log.fd = -1;
    log.max_size = (uint64_t)a.log_max;
    log.max_files = a.log_files;
    if (container_log_open(&log) < 0)
        die("open container log");
    int lock_fd = hold_liveness_lock(&a);
    int dir_lock = hold_dir_lock(&a);

    int out[2] = { -1, -1 }, err[2] = { -1, -1 }, console[2] = { -1, -1 };
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (a.tty) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console) < 0)
            die("socketpair");
    } else if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        die("pipe");
    }
    /* The gate: init does its setup while the work outside the container finishes, and waits here
     * only before the command's execve, so the wait overlaps the setup. (Init joins its cgroups
     * itself, in the clone child, before init does anything.) */
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) < 0)
        die("pipe");
    int fds[7] = {
        a.stdin_open && !a.tty ? 0 : devnull,
        a.tty ? devnull : out[1],
        a.tty ? devnull : err[1],
        3, 4,
        a.tty ? console[1] : -1,
        gate[0],
    };
    const char *cgroup_files[16];
    int ncgroup_files = 0;
    for (int i = 0; i < nkv && ncgroup_files < 16; i++)
        if (strncmp(kv[i], "cgroup=", 7) == 0)
            cgroup_files[ncgroup_files++] = kv[i] + 7;
    struct gocker_clone_params p = {
        .flags = a.flags, .path = NULL, .argv = NULL, .envp = NULL,
        .fds = fds, .nfds = 7, .status_fd = 4, .death_signal = SIGKILL, .new_session = 0,
        .cgroup_files = cgroup_files, .ncgroup_files = ncgroup_files,
        .exe_fd = -1, .run = gocker_init_main,
    };
    /* Init is this process's clone child (init.c), running no second program until the command; with
     * --init it execs the reaper, which runs inside the container: never from a writable view of the
     * binary (selfexe.c). The view is made here, in the host's mount namespace, where open_tree may
     * clone it, and passed to init as fd 7. */
    const char *failed_step;
    p.exe_fd = gocker_readonly_self(&failed_step);
    if (p.exe_fd < 0) {
        errno = -p.exe_fd;
        die(failed_step);
    }
    pid_t init = gocker_clone_exec(&p);
    close(p.exe_fd);
    if (init < 0) {
        errno = -init;
        die("clone into new namespaces");
    }
    int mnt_ns = hold_mount_namespace(&a, init);
    close(3);
    close(gate[0]);
    if (out[1] >= 0) close(out[1]);
    if (err[1] >= 0) close(err[1]);
    if (console[1] >= 0) close(console[1]);

    char line[128];
    snprintf(line, sizeof line, "pid %d %llu\n", (int)init, gocker_proc_start_time(init));
    write_control(line);

    char open_gate = 1;
    if (wait_for_go() && write(gate[1], &open_gate, 1) != 1) { /* init is gone: its status tells */ }
    close(gate[1]);
    close(4);

    int client_out = 1, client_err = 2, master = -1, client_in = -1, control = CONTROL_FD;
    if (a.tty) {
        master = gocker_recv_fd(console[0]);
        if (master >= 0) {
            if (a.rows > 0 && a.cols > 0) {
                struct winsize ws = { .ws_row = (unsigned short)a.rows, .ws_col = (unsigned short)a.cols };
                ioctl(master, TIOCSWINSZ, &ws);
            }
            char go = 1;
            ssize_t r = write(console[0], &go, 1);
            (void)r;
            if (a.stdin_open)
                client_in = 0;
        }
        close(console[0]);
    }

    int status = 0, exited = 0;
    int streams_open = a.tty ? (master >= 0) : 2;
    while (!exited || streams_open > 0) {
        struct pollfd pfd[6];
        int n = 0;
        pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
        int i_out = -1, i_err = -1, i_master = -1, i_in = -1, i_control = -1;
        if (out[0] >= 0) { i_out = n; pfd[n++] = (struct pollfd){ .fd = out[0], .events = POLLIN }; }
        if (err[0] >= 0) { i_err = n; pfd[n++] = (struct pollfd){ .fd = err[0], .events = POLLIN }; }
        if (master >= 0) { i_master = n; pfd[n++] = (struct pollfd){ .fd = master, .events = POLLIN }; }
        if (client_in >= 0 && !exited) { i_in = n; pfd[n++] = (struct pollfd){ .fd = client_in, .events = POLLIN }; }
        if (control >= 0) { i_control = n; pfd[n++] = (struct pollfd){ .fd = control, .events = POLLIN }; }
        /* After init is gone the namespace's other processes die too; the streams close shortly. */
        if (poll(pfd, (nfds_t)n, exited ? 2000 : -1) == 0)
            break;

        if (pfd[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) == sizeof si) {
                if ((int)si.ssi_signo == SIGCHLD) {
                    int st;
                    if (!exited && waitpid(init, &st, WNOHANG) == init) {
                        status = st;
                        exited = 1;
                    }
                } else if (!exited) {
                    kill(init, (int)si.ssi_signo); /* our child: its pid cannot be reused before we reap it */
                }
            }
        }
        if (i_out >= 0 && pfd[i_out].revents && !pump(out[0], 1, &log, &client_out)) { close(out[0]); out[0] = -1; streams_open--; }
        if (i_err >= 0 && pfd[i_err].revents && !pump(err[0], 2, &log, &client_err)) { close(err[0]); err[0] = -1; streams_open--; }
        if (i_master >= 0 && pfd[i_master].revents && !pump(master, 1, &log, &client_out)) { close(master); master = -1; streams_open--; }
        if (i_in >= 0 && pfd[i_in].revents) {
            char buf[4096];
            ssize_t r = read(client_in, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0 && master >= 0) {
                /* The user's terminal is gone (hangup, EOF): hang up the container's terminal too,
                 * as a closed ssh session does; its shell sees EOF/EIO and SIGHUP, and ends. This is
                 * the last master fd: the client never holds one (it sends window sizes instead). */
                close(master);
                master = -1;
                streams_open--;
                client_in = -1;
            } else if (r <= 0 || (master >= 0 && write(master, buf, (size_t)r) < 0)) {
                client_in = -1;
            }
        }
        if (i_control >= 0 && pfd[i_control].revents) {
            /* The attached client: "w ROWS COLS\n" on SIGWINCH; EOF when it ends or is killed. */
            char buf[256];
            ssize_t r = read(control, buf, sizeof buf - 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                /* Detached: the container goes on, its output only to the log, and the client's
                 * stdio is released so that whoever reads its output sees the end. */
                close(control);
                control = -1;
                client_out = client_err = client_in = -1;
                dup2(devnull, 0);
                dup2(devnull, 1);
                dup2(devnull, 2);
            } else {
                buf[r] = 0;
                int rows, cols;
                if (master >= 0 && sscanf(buf, "w %d %d", &rows, &cols) == 2) {
                    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
                    ioctl(master, TIOCSWINSZ, &ws);
                }
            }
        }
    }
    container_log_flush(&log, 1);
    container_log_flush(&log, 2);
    container_log_close(&log);

    /* An attached client has its runtime up already: it records the exit (and removes an --rm
     * container) while we still hold the liveness lock, and says "k"; that saves starting a runtime
     * here, the largest cost of a short `run --rm`. */
    if (control >= 0) {
        char x[32];
        snprintf(x, sizeof x, "x %d\n", status);
        if (send(control, x, strlen(x), MSG_NOSIGNAL) == (ssize_t)strlen(x)) {
            struct pollfd pc = { .fd = control, .events = POLLIN };
            char ack[8];
            if (poll(&pc, 1, 60000) == 1 && read(control, ack, sizeof ack) > 0 && ack[0] == 'k') {
                let_go_and_delete(&a, devnull, lock_fd, mnt_ns, dir_lock);
                _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            }
        }
    }

    /* Otherwise recording the exit and releasing resources is managed code: exec it in this same
     * process, so that a foreground parent still waits for the one pid and gets the exit code. */
    char status_arg[32];
    snprintf(status_arg, sizeof status_arg, "%d", status);
    char *finish_argv[] = { "gocker", "--root", (char *)a.root, "container-exited", (char *)a.id, status_arg, NULL };
    char *finish_env[] = { NULL };
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    execve("/proc/self/exe", finish_argv, finish_env);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
