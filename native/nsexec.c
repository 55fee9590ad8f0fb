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

/* The parent's side: signals to the child, terminal relay, the child's exit status as ours. */
static void supervise(pid_t child, int console, int tty)
{
    sigset_t mask;
    sigemptyset(&mask);
    int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT };
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaddset(&mask, forwarded[i]);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGWINCH);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);

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
        }
        close(console);
    }

    int status = 0, exited = 0, in_open = master >= 0;
    while (!exited || master >= 0) {
        struct pollfd p[3];
        int n = 0, i_master = -1, i_in = -1;
        p[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
        if (master >= 0) { i_master = n; p[n++] = (struct pollfd){ .fd = master, .events = POLLIN }; }
        if (in_open && !exited) { i_in = n; p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN }; }
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
                } else if (!exited) {
                    kill(child, sig); /* our child: the pid is ours until we reap it */
                }
            }
        }
        if (i_master >= 0 && p[i_master].revents) {
            char buf[16384];
            ssize_t r = read(master, buf, sizeof buf);
            if (r <= 0 && !(r < 0 && errno == EINTR)) {
                close(master);
                master = -1;
            } else if (r > 0) {
                write_all(1, buf, r);
            }
        }
        if (i_in >= 0 && p[i_in].revents) {
            char buf[4096];
            ssize_t r = read(0, buf, sizeof buf);
            if (r <= 0)
                in_open = 0;
            else if (master >= 0)
                write_all(master, buf, r);
        }
    }
    if (!exited)
        waitpid(child, &status, 0);
    restore_terminal();
    _exit(exit_code(status));
}

void gocker_nsexec_main(const char *spec)
{
    int pidfd = -1, configfd = -1, flags = 0;
    if (sscanf(spec, "%d:%d:%d", &pidfd, &configfd, &flags) != 3 || pidfd < 0 || configfd < 0) {
        fprintf(stderr, "gocker: exec: bad internal request\n");
        _exit(125);
    }
    /* Mount last, as the kernel applies them in a fixed order anyway; every one or none. */
    int ns = CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS;
    if (access("/proc/self/ns/cgroup", F_OK) == 0)
        ns |= CLONE_NEWCGROUP;
    if (setns(pidfd, ns) < 0) {
        fprintf(stderr, "gocker: cannot enter the container's namespaces: %s\n", strerror(errno));
        _exit(125);
    }
    close(pidfd);
    fcntl(configfd, F_SETFD, FD_CLOEXEC);

    int console[2] = { -1, -1 };
    int tty = flags & EXEC_TTY;
    if (tty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console) < 0) {
        fprintf(stderr, "gocker: exec: socketpair: %s\n", strerror(errno));
        _exit(125);
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "gocker: exec: fork: %s\n", strerror(errno));
        _exit(125);
    }
    if (child == 0) {
        /* Into the runtime, inside the container: config on fd 4, the console socket on fd 5.
         * Moved above both first, so that neither dup2 can land on the other's source. */
        int cfg = fcntl(configfd, F_DUPFD_CLOEXEC, 10);
        int con = tty ? fcntl(console[1], F_DUPFD_CLOEXEC, 10) : -1;
        if (cfg < 0 || (tty && con < 0) || dup2(cfg, 4) < 0 || (tty && dup2(con, CONSOLE_FD) < 0)) {
            fprintf(stderr, "gocker: exec: %s\n", strerror(errno));
            _exit(125);
        }
        /* dup2 cleared close-on-exec on 4 and 5: set it, the command must not inherit them. */
        fcntl(4, F_SETFD, FD_CLOEXEC);
        if (tty)
            fcntl(CONSOLE_FD, F_SETFD, FD_CLOEXEC);
        close(cfg);
        if (con >= 0)
            close(con);
        if (configfd != 4 && configfd != CONSOLE_FD)
            close(configfd);
        if (tty) {
            if (console[0] != 4 && console[0] != CONSOLE_FD) close(console[0]);
            if (console[1] != 4 && console[1] != CONSOLE_FD) close(console[1]);
        }
        return;
    }
    close(configfd);
    if (flags & EXEC_DETACH)
        _exit(0); /* the child is re-parented to the container's init, which reaps it */
    if (tty)
        close(console[1]);
    supervise(child, console[0], tty);
}
