/* `run --init`: gocker-init stays PID 1 without the .NET runtime (entered from the constructor, so
 * it costs a few hundred KiB, not a managed heap). It starts the command as its child, forwards
 * every signal it gets to it, reaps every orphan re-parented to it, and exits with the command's
 * status (128+N for a signal), as tini does.
 *
 * spec: "<status fd>:<command path>"; argv[1..] is the command's argv. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "gocker.h"

extern char **environ;

static int is_synchronous(int sig)
{
    return sig == SIGFPE || sig == SIGILL || sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT
        || sig == SIGTRAP || sig == SIGSYS || sig == SIGTTIN || sig == SIGTTOU;
}

void gocker_reaper_main(int argc, char **argv, const char *spec)
{
    char *colon = strchr(spec, ':');
    if (argc < 2 || colon == NULL)
        _exit(125);
    int status_fd = atoi(spec);
    const char *path = colon + 1;
    fcntl(status_fd, F_SETFD, FD_CLOEXEC);

    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);

    pid_t child = fork();
    if (child < 0) {
        gocker_write_status(status_fd, 125, errno, "init: fork");
        _exit(125);
    }
    if (child == 0) {
        /* Own process group in the foreground, so that ^C on the terminal reaches the command
         * once (from the kernel) and not also through the reaper's forwarding. SIGTTOU is still
         * blocked here, which tcsetpgrp from a background group requires. */
        setpgid(0, 0);
        if (isatty(0))
            tcsetpgrp(0, getpid());
        struct gocker_exec_params p = {
            .path = path, .argv = argv + 1, .envp = environ, .workdir = NULL,
            .set_user = 0, .tty_fd = -1, .status_fd = status_fd, .death_signal = 0, .exe_fd = -1,
        };
        int r = gocker_exec_final(&p);
        _exit(r == -ENOENT || r == -ENOTDIR ? 127 : 126);
    }
    close(status_fd);

    int exit_code = -1;
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            if (!is_synchronous(sig))
                kill(child, sig);
            continue;
        }
        int st;
        pid_t pid;
        while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
            if (pid == child)
                exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        if (exit_code >= 0)
            _exit(exit_code);
    }
}
