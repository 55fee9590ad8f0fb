/* Runs before the .NET runtime: the runtime starts threads before Main, and some work (setns into
 * a mount namespace, the --init reaper that must stay small) needs a single-threaded process or no
 * runtime at all. Gated by an environment variable that only gocker sets; it is removed before
 * anything else can see it. Without it the constructor returns at once. */
#include <stdlib.h>
#include <string.h>
#include "gocker.h"

static int preinit_mode;

int gocker_preinit_mode(void) { return preinit_mode; }

/* glibc passes (argc, argv, envp) to init_array functions, static binaries included. */
__attribute__((constructor)) static void gocker_preinit(int argc, char **argv, char **envp)
{
    (void)envp;
    const char *spec = getenv(GOCKER_PREINIT_ENV);
    if (spec == NULL)
        return;
    char buf[4096];
    size_t n = strlen(spec);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, spec, n);
    buf[n] = 0;
    unsetenv(GOCKER_PREINIT_ENV);

    if (strncmp(buf, "reaper:", 7) == 0) {
        preinit_mode = 2;
        gocker_reaper_main(argc, argv, buf + 7);
    }
    if (strcmp(buf, "monitor") == 0) {
        preinit_mode = 3;
        gocker_monitor_main(argc, argv);
    }
    if (strncmp(buf, "exec:", 5) == 0) {
        /* Only the child gets here, inside the container's namespaces. */
        preinit_mode = gocker_nsexec_main(buf + 5);
        return;
    }
    if (strcmp(buf, "probe") == 0) {
        /* Lets the test suite prove the constructor is linked and ran before Main. */
        preinit_mode = 1;
        return;
    }
}
