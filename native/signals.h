#ifndef GOCKER_SIGNALS_H
#define GOCKER_SIGNALS_H
/* The .NET runtime installs handlers, ignores SIGPIPE and blocks signals on some threads. Handlers
 * reset on execve but ignored dispositions and the signal mask survive it, so a container command
 * would start with SIGPIPE ignored. Raw syscalls: async-signal-safe in the clone child. */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct gocker_kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

static inline void gocker_reset_signals(void)
{
    struct gocker_kernel_sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.handler = SIG_DFL;
    for (int sig = 1; sig < 65; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
    }
    unsigned long empty = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, 8);
}
#endif
