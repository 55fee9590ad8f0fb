/* The init plan: what gocker computes (src/Gocker.Core/Process/InitPlan.cs, unit-tested there) and
 * the container's init executes (init.c), sent over the config pipe once init exists.
 *
 * A sequence of fields, each a 32-bit little-endian length and that many bytes. A string's bytes are
 * followed by a NUL that the length does not count (so the reader hands out pointers into the
 * buffer); length 0xFFFFFFFF is a null string. A number is 8 bytes, little-endian. An operation is a
 * number (the opcode) and its fields, in the order listed below; the plan ends with INIT_OP_END.
 *
 * Mount targets (and the path a read-only remount takes its locked flags from) may name a slot
 * opened by INIT_OP_OPEN: "\x01" then the slot number; init mounts on /proc/self/fd/N of it. */
#ifndef GOCKER_INITPLAN_H
#define GOCKER_INITPLAN_H

#define INIT_PLAN_MAGIC 0x31494b47u /* "GKI1" */
#define INIT_PLAN_NULL 0xFFFFFFFFu
#define INIT_SLOT_MARK '\x01'
#define INIT_MAX_SLOTS 64

enum init_op {
    INIT_OP_END = 0,
    INIT_OP_MOUNT = 1,    /* source?, target, fstype?, flags, data?, locked_flags_of? */
    INIT_OP_MKNOD = 2,    /* path, mode (with S_IFCHR/S_IFBLK), major, minor, uid, gid */
    INIT_OP_SYMLINK = 3,  /* target, link path */
    INIT_OP_CHDIR = 4,    /* path */
    INIT_OP_PREPARE = 5,  /* root, relative, file: create what is missing, refuse symlinks */
    INIT_OP_OPEN = 6,     /* slot, root, container path, file: resolve in root, create, open */
    INIT_OP_CLOSE = 7,    /* slot */
    INIT_OP_IF = 8,       /* path, kinds (INIT_KIND_*), bytes: skip the next bytes unless lstat matches */
    INIT_OP_PIVOT = 9,    /* new root */
    INIT_OP_HOSTNAME = 10, /* name */
    INIT_OP_LOOPBACK = 11,
    /* user?, workdir?, tty, init, argc, argv..., envc, env..., set_caps, caps, no_new_privs,
     * seccomp (bytes, possibly empty), nrlimits, (resource, soft, hard)...; always last */
    INIT_OP_PROCESS = 12,
    /* device, address, prefix length, gateway (IPv4, host byte order): configured after the gate,
     * when gocker has made the device (initnet.c) */
    INIT_OP_NETWORK = 13,
};

#define INIT_KIND_MISSING 1
#define INIT_KIND_FILE 2
#define INIT_KIND_DIRECTORY 4

/* The fds init starts with (InitFds.cs). */
#define INIT_FD_CONFIG 3
#define INIT_FD_STATUS 4
#define INIT_FD_CONSOLE 5
#define INIT_FD_GATE 6
#define INIT_FD_EXE 7 /* a read-only view of gocker, for the --init reaper's execveat */

/* Written when the monitor kept the gate shut (MonitorLauncher.cs compares it). */
#define INIT_GATE_CLOSED "container init: the monitor could not put the container into its cgroups, or gocker could not set up its network"

/* In-root path handling (inroot.c). Each returns an open O_PATH fd / 0, or -1 with the failure
 * written to the status fd (code 125). */
int gocker_prepare_target(const char *root, const char *relative, int file, char *out, size_t outlen);
int gocker_open_in_root(const char *root, const char *destination, int file);
/* The resolution alone (InRootPath.cs): the path relative to root, free of symlinks, "." and "..".
 * Returns 0, or -1 with a message in err. */
int gocker_resolve_in_root(const char *root, const char *path, char *out, size_t outlen, char *err, size_t errlen);

/* init.c: runs in the monitor's clone child; never returns. */
int gocker_init_main(void *unused);

/* Reports a failure on the status pipe and exits with code (init's only way to fail). */
__attribute__((noreturn, format(printf, 3, 4))) void gocker_init_die(int code, int err, const char *fmt, ...);

#endif
