/* init.c's plan reader and the process half of the container's init (initprocess.c). */
#ifndef GOCKER_INITPROCESS_H
#define GOCKER_INITPROCESS_H
#include <stdint.h>

struct plan {
    const unsigned char *p, *end;
};

uint64_t init_plan_u64(struct plan *r);
const char *init_plan_str(struct plan *r);
const char *init_plan_bytes(struct plan *r, uint32_t *len);

/* initnet.c: lo up; eth0 as INIT_OP_NETWORK planned it, once the gate is open. */
void gocker_init_loopback_up(void);
void gocker_init_network_planned(const char *dev, uint64_t address, uint64_t prefix, uint64_t gateway);
void gocker_init_network_after_gate(void);

/* INIT_OP_PROCESS: after pivot_root. Never returns. */
__attribute__((noreturn)) void gocker_init_process(struct plan *r);

/* -u uid[:gid]|name[:group] against the container's passwd and group files, the way runc's
 * user.GetExecUser does (UserResolver.cs for `gocker exec`). Returns 0, or -1 with a message. */
struct init_user {
    uint32_t uid, gid;
    uint32_t *groups; /* gid first, then the supplementary groups; malloc'd */
    int ngroups;
    char home[1024];
};
int gocker_resolve_user(const char *spec, const char *passwd, const char *group, struct init_user *u,
                        char *err, size_t errlen);

/* execvp's lookup with the container's PATH (CommandResolver.cs): 0 with the path, or Docker's exit
 * code (126, 127) with a message. */
int gocker_resolve_command(const char *command, const char *path_env, char *out, size_t outlen,
                           char *err, size_t errlen);
#endif
