/* `gocker exec`: entering a running container. setns into a mount namespace is refused to a
 * multi-threaded process, and the .NET runtime has threads before Main, so this runs from the
 * constructor, before the runtime starts.
 *
 * spec: "<pidfd>:<configfd>:<flags>" (flags: bit 0 tty, bit 1 detach). The pidfd pins the
 * container's init (gocker checked its start time after opening it): setns through it joins every
 * namespace of that very process at once, never those of a process that reused its pid.
 *
 * If any namespace cannot be joined, nothing runs: exit 125. (The Go gocker ran the command on the
 * host in that case.) Then fork: setns(CLONE_NEWPID) only applies to children. The child returns
 * from the constructor and the runtime starts inside the container (managed code resolves the user
 * and the command, and execs it). This process stays outside the runtime: it forwards signals,
 * relays the terminal with -t, and exits with the command's status. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "gocker.h"

#define EXEC_TTY 1
#define EXEC_DETACH 2
#define CONSOLE_FD 5
#define REPORT_FD 6

static struct termios saved_termios;
static int raw_mode;

static void restore_terminal(void)
{
    if (raw_mode)
        tcsetattr(0, TCSANOW, &saved_termios);
    raw_mode = 0;
}

static void copy_window_size(int master)
{
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) == 0)
        ioctl(master, TIOCSWINSZ, &ws);
}

static int write_all(int fd, const char *p, ssize_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= w;
    }
    return 0;
}

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Copies what is readable on `from` to `to`; returns 0 at EOF/error of `from`, and when nobody
 * reads `to` any more (EPIPE): closing `from` then gives the command SIGPIPE, as in a pipeline. */
static int relay(int from, int to)
{
    char buf[16384];
    ssize_t r = read(from, buf, sizeof buf);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (r <= 0)
        return 0;
    if (write_all(to, buf, r) < 0 && errno == EPIPE)
        return 0;
    return 1;
}

/* The parent's side: signals to the child, the child's stdio relayed (a pty with -t, pipes
 * otherwise: the command never gets the caller's terminal or fds), its exit status as ours. */
static __attribute__((noreturn)) void supervise(pid_t child, int console, int tty, int out, int err, int in)
{
    sigset_t mask;
    sigemptyset(&mask);
    int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT };
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaddset(&mask, forwarded[i]);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGWINCH);
    sigaddset(&mask, SIGPIPE);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    /* A child that ended before the mask was set sent its SIGCHLD to the default (ignore)
     * disposition: it never reaches the signalfd, so look once now. */
    int status = 0, exited = 0;
    if (waitpid(child, &status, WNOHANG) == child)
        exited = 1;

    int master = -1;
    if (tty) {
        master = gocker_recv_fd(console);
        if (master >= 0) {
            copy_window_size(master);
            char go = 1;
            if (write(console, &go, 1) < 0) { /* the child went away; its status says why */ }
            if (isatty(0) && tcgetattr(0, &saved_termios) == 0) {
                struct termios raw = saved_termios;
                cfmakeraw(&raw);
                if (tcsetattr(0, TCSANOW, &raw) == 0)
                    raw_mode = 1;
            }
            out = master; /* the pty carries output; input goes to it as well */
        }
        close(console);
    }
    int in_to = tty ? master : in;        /* where the caller's stdin goes */
    int in_open = in_to >= 0;
    /* Input is written without blocking: a command busy writing output that we must relay must
     * never wait on us while we wait on it (a full stdin pipe). */
    if (in_to >= 0)
        fcntl(in_to, F_SETFL, fcntl(in_to, F_GETFL) | O_NONBLOCK);
    char pending[65536];
    size_t pending_len = 0, pending_off = 0;

    while (!exited || out >= 0 || err >= 0) {
        struct pollfd p[5];
        int n = 0, i_out = -1, i_err = -1, i_in = -1, i_to = -1;
        p[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
        if (out >= 0) { i_out = n; p[n++] = (struct pollfd){ .fd = out, .events = POLLIN }; }
        if (err >= 0) { i_err = n; p[n++] = (struct pollfd){ .fd = err, .events = POLLIN }; }
        if (in_open && !exited && pending_len == 0) { i_in = n; p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN }; }
        if (in_open && !exited && pending_len > 0) { i_to = n; p[n++] = (struct pollfd){ .fd = in_to, .events = POLLOUT }; }
        /* Once the command has ended, output still buffered is drained; a process it left behind
         * holding the pipes open does not keep us here for long. */
        if (poll(p, (nfds_t)n, exited ? 1000 : -1) == 0)
            break;
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) == sizeof si) {
                int sig = (int)si.ssi_signo;
                if (sig == SIGCHLD) {
                    int st;
                    if (!exited && waitpid(child, &st, WNOHANG) == child) {
                        status = st;
                        exited = 1;
                    }
                } else if (sig == SIGWINCH) {
                    if (master >= 0)
                        copy_window_size(master);
                } else if (sig != SIGPIPE && !exited) {
                    kill(child, sig); /* our child: the pid is ours until we reap it */
                }
            }
        }
        if (i_out >= 0 && p[i_out].revents && !relay(out, 1)) {
            if (out == master) master = -1, in_open = 0;
            close(out);
            out = -1;
        }
        if (i_err >= 0 && p[i_err].revents && !relay(err, 2)) { close(err); err = -1; }
        int input_done = 0;
        if (i_in >= 0 && p[i_in].revents) {
            ssize_t r = read(0, pending, sizeof pending);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                input_done = 1;
            else {
                pending_len = (size_t)r;
                pending_off = 0;
            }
        }
        if (pending_len > 0 && (i_to < 0 || p[i_to].revents)) {
            ssize_t w = write(in_to, pending + pending_off, pending_len);
            if (w > 0) {
                pending_off += (size_t)w;
                pending_len -= (size_t)w;
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                input_done = 1; /* the command closed its stdin */
            }
        }
        if (input_done) {
            in_open = 0;
            pending_len = 0;
            if (!tty && in >= 0) { close(in); in = -1; } /* EOF reaches the command */
        }
    }
    if (!exited)
        waitpid(child, &status, 0);
    restore_terminal();
    _exit(exit_code(status));
}

/* Puts fd `from` at `to` (both already away from each other's way). */
static void place(int from, int to)
{
    if (from != to && dup2(from, to) < 0) {
        fprintf(stderr, "gocker: exec: %s\n", strerror(errno));
        _exit(125);
    }
}

int gocker_nsexec_main(const char *spec)
{
    int pidfd = -1, configfd = -1, flags = 0;
    if (sscanf(spec, "%d:%d:%d", &pidfd, &configfd, &flags) != 3 || pidfd < 0 || configfd < 0) {
        fprintf(stderr, "gocker: exec: bad internal request\n");
        _exit(125);
    }
    /* The container's cgroup is opened here, while the host's cgroupfs is reachable; the command's
     * process joins it as it is forked (cgroupjoin.c), so the container's limits bind it and this
     * supervisor stays outside (it is not the container's to count or freeze). */
    struct gocker_cgroup cg = { .n = 0, .dirfd = -1 };
    const char *cgroups = getenv("_GOCKER_CGROUPS");
    if (cgroups != NULL) {
        char list[8192];
        const char *files[GOCKER_MAX_CGROUP_FILES];
        int n = 0;
        snprintf(list, sizeof list, "%s", cgroups);
        unsetenv("_GOCKER_CGROUPS");
        for (char *path = strtok(list, "\n"); path && n < GOCKER_MAX_CGROUP_FILES; path = strtok(NULL, "\n"))
            files[n++] = path;
        int rc = gocker_cgroup_open(&cg, files, n);
        if (rc < 0) {
            fprintf(stderr, "gocker: cannot join the container's cgroup %s: %s\n", cg.failed, strerror(-rc));
            _exit(125);
        }
    }
    /* Every namespace of that process or none: setns with a pidfd is atomic. The cgroup namespace
     * waits for the child: the kernel refuses a move into a cgroup outside the mover's cgroup
     * namespace (v2), and the container's cgroup is the root of its own. */
    int ns = CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS;
    int cgroupns = access("/proc/self/ns/cgroup", F_OK) == 0;
    if (setns(pidfd, ns) < 0) {
        fprintf(stderr, "gocker: cannot enter the container's namespaces: %s\n", strerror(errno));
        _exit(125);
    }

    int tty = flags & EXEC_TTY, detach = flags & EXEC_DETACH;
    int console[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, in[2] = { -1, -1 };
    int report[2] = { -1, -1 };
    int ok = 1;
    /* -d: the command's setup failures still come back to the caller, on a close-on-exec pipe
     * that its successful execve closes. */
    if (detach)
        ok = pipe2(report, O_CLOEXEC) == 0;
    if (tty)
        ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console) == 0;
    else if (!detach)
        ok = pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0 && pipe2(in, O_CLOEXEC) == 0;
    if (!ok) {
        fprintf(stderr, "gocker: exec: %s\n", strerror(errno));
        _exit(125);
    }
    int joined = 0;
    pid_t child = gocker_cgroup_clone3(&cg, 0);
    if (child == 0)
        joined = 1;
    else if (child < 0 && (child = fork()) < 0) {
        fprintf(stderr, "gocker: exec: fork: %s\n", strerror(errno));
        _exit(125);
    }
    if (child == 0) {
        if (!joined && gocker_cgroup_join_self(&cg) < 0) {
            fprintf(stderr, "gocker: cannot join the container's cgroup: %s\n", strerror(errno));
            _exit(125);
        }
        gocker_cgroup_close(&cg);
        if (cgroupns && setns(pidfd, CLONE_NEWCGROUP) < 0) {
            fprintf(stderr, "gocker: cannot enter the container's cgroup namespace: %s\n", strerror(errno));
            _exit(125);
        }
        close(pidfd);
        /* Until its execve this process is gocker, with the host's capabilities and no seccomp filter,
         * inside the container's PID namespace. Not dumpable: the container's processes may not open
         * its /proc/PID files (mem, fd, environ, exe) or ptrace it without CAP_SYS_PTRACE, which the
         * default set lacks. The command's execve makes it dumpable again. */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        /* The command's stdio: the pipes to us, or /dev/null when detached (it must not hold the
         * caller's output open); with -t the pty replaces them later. */
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        int fd0 = detach ? devnull : (tty ? devnull : in[0]);
        int fd1 = detach ? devnull : (tty ? devnull : out[1]);
        int fd2 = detach ? devnull : (tty ? devnull : err[1]);
        if (!detach && tty) { fd0 = 0; fd1 = 1; fd2 = 2; } /* until the pty: errors still reach the user */
        /* Move everything needed above the range it lands in, then into place. */
        int hi[6];
        int src[6] = { fd0, fd1, fd2, configfd, tty ? console[1] : -1, report[1] };
        int dst[6] = { 0, 1, 2, 4, CONSOLE_FD, REPORT_FD };
        for (int i = 0; i < 6; i++)
            hi[i] = src[i] >= 0 ? fcntl(src[i], F_DUPFD_CLOEXEC, 16) : -1;
        for (int i = 0; i < 6; i++)
            if (hi[i] >= 0)
                place(hi[i], dst[i]);
        /* Nothing else of the caller's reaches the container: no fd 3, nothing above what we placed. */
        close(3);
        if (!tty)
            close(CONSOLE_FD);
        syscall(SYS_close_range, detach ? (unsigned)REPORT_FD + 1 : 6U, ~0U, 0);
        if (detach)
            fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC);
        fcntl(4, F_SETFD, FD_CLOEXEC);
        if (tty)
            fcntl(CONSOLE_FD, F_SETFD, FD_CLOEXEC);
        if (detach) {
            /* Re-parented to the container's init, not the host's: an orphan goes to the reaper of
             * its parent's PID namespace, so the parent that exits must be inside the container. */
            setsid();
            pid_t grandchild = fork();
            if (grandchild != 0)
                _exit(grandchild < 0 ? 125 : 0);
            return 5;
        }
        return 4; /* into the runtime, inside the container */
    }
    close(configfd);
    close(pidfd);
    gocker_cgroup_close(&cg);
    if (detach) {
        int st;
        close(report[1]);
        waitpid(child, &st, 0);
        if (exit_code(st) != 0)
            _exit(exit_code(st));
        /* "code errno message\n" if the command could not start; EOF once it runs. */
        char buf[1024];
        size_t len = 0;
        ssize_t r;
        while (len < sizeof buf - 1 && ((r = read(report[0], buf + len, sizeof buf - 1 - len)) > 0 || (r < 0 && errno == EINTR)))
            if (r > 0)
                len += (size_t)r;
        buf[len] = 0;
        int code = 0, err_no = 0, consumed = 0;
        if (len > 0 && sscanf(buf, "%d %d %n", &code, &err_no, &consumed) >= 2) {
            char *nl = strchr(buf + consumed, '\n');
            if (nl) *nl = 0;
            fprintf(stderr, "gocker: %s\n", buf + consumed);
            _exit(code ? code : 125);
        }
        _exit(0);
    }
    if (tty)
        close(console[1]);
    else {
        close(out[1]);
        close(err[1]);
        close(in[0]);
    }
    supervise(child, console[0], tty, out[0], err[0], in[1]);
}
