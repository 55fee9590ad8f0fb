/* The container's init, from the clone into its namespaces to the command's execve. It runs in the
 * monitor's clone child (the monitor is single-threaded C, so the child may use all of libc), and
 * executes the plan gocker computed (initplan.h; src/Gocker.Core/Process/InitPlan.cs): the mounts up
 * to pivot_root, hostname, loopback (initnet.c), then the process: user and command resolved inside the
 * container, working directory, terminal, the gate, eth0 on a bridge network, and exec.c's final steps.
 *
 * No second program starts: no exec of gocker, no .NET runtime (that cost ~10 ms a start here).
 * Every failure before the command's execve is a record on the status pipe (fd 4, close-on-exec:
 * it closes when the command starts), which is how gocker tells its own errors (125) from 126/127.
 *
 * Until the execve this process holds the monitor's image, gocker's binary: it makes itself
 * non-dumpable first, so that no process of the container (`gocker exec` may already run one while
 * init waits at its gate) can open /proc/1/exe and reach the host's binary (CVE-2019-5736). The
 * command's execve makes it dumpable again. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>
#include "gocker.h"
#include "initplan.h"
#include "initprocess.h"

void gocker_init_die(int code, int err, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gocker_write_status(INIT_FD_STATUS, code, err, msg);
    _exit(code);
}

/* --- reading the plan ------------------------------------------------------------------------- */

static void bad_plan(void)
{
    gocker_init_die(125, 0, "container init: malformed configuration");
}

static uint32_t field_len(struct plan *r)
{
    if (r->end - r->p < 4)
        bad_plan();
    uint32_t n;
    memcpy(&n, r->p, 4);
    r->p += 4;
    return n;
}

uint64_t init_plan_u64(struct plan *r)
{
    if (field_len(r) != 8 || r->end - r->p < 8)
        bad_plan();
    uint64_t v;
    memcpy(&v, r->p, 8);
    r->p += 8;
    return v;
}

const char *init_plan_bytes(struct plan *r, uint32_t *len)
{
    uint32_t n = field_len(r);
    if (n == INIT_PLAN_NULL)
        return NULL;
    if ((size_t)(r->end - r->p) < (size_t)n + 1 || r->p[n] != 0)
        bad_plan();
    const char *s = (const char *)r->p;
    r->p += (size_t)n + 1;
    if (len)
        *len = n;
    return s;
}

const char *init_plan_str(struct plan *r)
{
    return init_plan_bytes(r, NULL);
}

static unsigned char *read_all(int fd, size_t *len)
{
    size_t cap = 16384, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL)
            gocker_init_die(125, ENOMEM, "container init: read configuration: %s", strerror(ENOMEM));
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            gocker_init_die(125, errno, "container init: read configuration: %s", strerror(errno));
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    *len = n;
    return buf;
}

/* --- the mount operations ------------------------------------------------------------------------ */

static int slots[INIT_MAX_SLOTS];

/* A slot reference ("\x01N") becomes /proc/self/fd/FD of that slot's open inode. */
static const char *target_path(const char *t, char *buf, size_t len)
{
    if (t == NULL || t[0] != INIT_SLOT_MARK)
        return t;
    long slot = strtol(t + 1, NULL, 10);
    if (slot < 0 || slot >= INIT_MAX_SLOTS || slots[slot] < 0)
        bad_plan();
    snprintf(buf, len, "/proc/self/fd/%d", slots[slot]);
    return buf;
}

/* The flags of the mount holding path that a read-only remount of a bind of it must repeat: the
 * kernel refuses to clear a locked nosuid, nodev, noexec or atime flag. */
static unsigned long locked_flags(const char *path)
{
    struct statfs sf;
    if (statfs(path, &sf) < 0)
        gocker_init_die(125, errno, "statfs %s: %s", path, strerror(errno));
    unsigned long f = 0;
    if (sf.f_flags & ST_NOSUID) f |= MS_NOSUID;
    if (sf.f_flags & ST_NODEV) f |= MS_NODEV;
    if (sf.f_flags & ST_NOEXEC) f |= MS_NOEXEC;
    if (sf.f_flags & ST_NOATIME) f |= MS_NOATIME;
    if (sf.f_flags & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sf.f_flags & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

/* For ENOENT, which the kernel reports alike for every path a mount names: the first that is missing
 * now (the source of a bind, the target, an overlay's upperdir or workdir), so that the one line says
 * what was not there. */
static const char *missing_hint(const char *source, const char *target, const char *fstype, const char *data)
{
    static char hint[PATH_MAX + 32];
    struct stat st;
    if (fstype == NULL && source != NULL && lstat(source, &st) < 0)
        snprintf(hint, sizeof hint, " (no %s)", source);
    else if (lstat(target, &st) < 0)
        snprintf(hint, sizeof hint, " (no %s)", target);
    else if (fstype != NULL && !strcmp(fstype, "overlay") && data != NULL) {
        hint[0] = 0;
        static const char *const keys[] = { "upperdir=", "workdir=" };
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const char *key = keys[k], *v = strstr(data, key);
            if (v == NULL)
                continue;
            v += strlen(key);
            char path[PATH_MAX];
            size_t n = strcspn(v, ",");
            if (n >= sizeof path)
                continue;
            memcpy(path, v, n);
            path[n] = 0;
            if (lstat(path, &st) < 0) {
                snprintf(hint, sizeof hint, " (no %s)", path);
                break;
            }
        }
    } else
        hint[0] = 0;
    return hint;
}

static void op_mount(struct plan *r)
{
    char b1[64], b2[64], b3[64];
    const char *source = target_path(init_plan_str(r), b1, sizeof b1);
    const char *target = target_path(init_plan_str(r), b2, sizeof b2);
    const char *fstype = init_plan_str(r);
    unsigned long flags = (unsigned long)init_plan_u64(r);
    const char *data = init_plan_str(r);
    const char *locked_of = target_path(init_plan_str(r), b3, sizeof b3);
    if (target == NULL)
        bad_plan();
    if (locked_of != NULL)
        flags |= locked_flags(locked_of);
    if (mount(source, target, fstype, flags, data) < 0) {
        int err = errno;
        gocker_init_die(125, err, "mount %s on %s: %s%s", fstype ? fstype : source ? source : "", target, strerror(err),
                        err == ENOENT ? missing_hint(source, target, fstype, data) : "");
    }
}

static void op_mknod(struct plan *r)
{
    const char *path = init_plan_str(r);
    mode_t mode = (mode_t)init_plan_u64(r);
    unsigned major = (unsigned)init_plan_u64(r), minor = (unsigned)init_plan_u64(r);
    uid_t uid = (uid_t)init_plan_u64(r);
    gid_t gid = (gid_t)init_plan_u64(r);
    if (path == NULL)
        bad_plan();
    if (mknod(path, mode, makedev(major, minor)) < 0)
        gocker_init_die(125, errno, "mknod %s: %s", path, strerror(errno));
    /* mknod applies the umask. */
    if (chmod(path, mode & 07777) < 0)
        gocker_init_die(125, errno, "chmod %s: %s", path, strerror(errno));
    if ((uid != 0 || gid != 0) && lchown(path, uid, gid) < 0)
        gocker_init_die(125, errno, "chown %s: %s", path, strerror(errno));
}

static int kind_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return INIT_KIND_MISSING;
    return S_ISDIR(st.st_mode) ? INIT_KIND_DIRECTORY : INIT_KIND_FILE;
}

/* pivot_root(".", ".") through fds (as runc and crun do): no put_old directory inside the new root
 * is needed, the old root ends up stacked on the new one and is detached from there. */
static void op_pivot(const char *new_root)
{
    int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (old < 0)
        gocker_init_die(125, errno, "open /: %s", strerror(errno));
    int nr = open(new_root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (nr < 0)
        gocker_init_die(125, errno, "open %s: %s", new_root, strerror(errno));
    if (fchdir(nr) < 0)
        gocker_init_die(125, errno, "fchdir %s: %s", new_root, strerror(errno));
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        gocker_init_die(125, errno, "pivot_root %s: %s", new_root, strerror(errno));
    if (fchdir(old) < 0)
        gocker_init_die(125, errno, "fchdir old root: %s", strerror(errno));
    /* Slave first, so that the unmount below cannot propagate to any peer of the old root. */
    if (mount(NULL, ".", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        gocker_init_die(125, errno, "make old root rslave: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0)
        gocker_init_die(125, errno, "detach old root: %s", strerror(errno));
    if (chdir("/") < 0)
        gocker_init_die(125, errno, "chdir /: %s", strerror(errno));
    close(old);
    close(nr);
}

static void run(struct plan *r)
{
    char path[4096];
    for (;;) {
        uint64_t op = init_plan_u64(r);
        switch (op) {
        case INIT_OP_END:
            return;
        case INIT_OP_MOUNT:
            op_mount(r);
            break;
        case INIT_OP_MKNOD:
            op_mknod(r);
            break;
        case INIT_OP_SYMLINK: {
            const char *target = init_plan_str(r), *link = init_plan_str(r);
            if (target == NULL || link == NULL)
                bad_plan();
            if (symlink(target, link) < 0)
                gocker_init_die(125, errno, "symlink %s: %s", link, strerror(errno));
            break;
        }
        case INIT_OP_CHDIR: {
            const char *dir = init_plan_str(r);
            if (dir == NULL)
                bad_plan();
            if (chdir(dir) < 0)
                gocker_init_die(125, errno, "chdir %s: %s", dir, strerror(errno));
            break;
        }
        case INIT_OP_PREPARE: {
            const char *root = init_plan_str(r), *rel = init_plan_str(r);
            int file = (int)init_plan_u64(r);
            if (root == NULL || rel == NULL)
                bad_plan();
            gocker_prepare_target(root, rel, file, path, sizeof path);
            break;
        }
        case INIT_OP_OPEN: {
            uint64_t slot = init_plan_u64(r);
            const char *root = init_plan_str(r), *dest = init_plan_str(r);
            int file = (int)init_plan_u64(r);
            if (slot >= INIT_MAX_SLOTS || root == NULL || dest == NULL)
                bad_plan();
            if (slots[slot] >= 0)
                close(slots[slot]);
            slots[slot] = gocker_open_in_root(root, dest, file);
            break;
        }
        case INIT_OP_CLOSE: {
            uint64_t slot = init_plan_u64(r);
            if (slot >= INIT_MAX_SLOTS)
                bad_plan();
            if (slots[slot] >= 0)
                close(slots[slot]);
            slots[slot] = -1;
            break;
        }
        case INIT_OP_IF: {
            const char *p = init_plan_str(r);
            uint64_t kinds = init_plan_u64(r), skip = init_plan_u64(r);
            if (p == NULL || skip > (uint64_t)(r->end - r->p))
                bad_plan();
            if (!(kind_of(p) & (int)kinds))
                r->p += skip;
            break;
        }
        case INIT_OP_PIVOT: {
            const char *root = init_plan_str(r);
            if (root == NULL)
                bad_plan();
            op_pivot(root);
            break;
        }
        case INIT_OP_HOSTNAME: {
            uint32_t n = 0;
            const char *name = init_plan_bytes(r, &n);
            if (name == NULL)
                bad_plan();
            if (sethostname(name, n) < 0)
                gocker_init_die(125, errno, "sethostname: %s", strerror(errno));
            break;
        }
        case INIT_OP_LOOPBACK:
            gocker_init_loopback_up();
            break;
        case INIT_OP_NETWORK: {
            const char *dev = init_plan_str(r);
            if (dev == NULL)
                bad_plan();
            uint64_t address = init_plan_u64(r), prefix = init_plan_u64(r), gateway = init_plan_u64(r);
            gocker_init_network_planned(dev, address, prefix, gateway);
            break;
        }
        case INIT_OP_PROCESS:
            gocker_init_process(r); /* does not return */
        default:
            bad_plan();
        }
    }
}

int gocker_init_main(void *unused)
{
    (void)unused;
    /* The remap into place (clone.c) cleared close-on-exec; the status pipe must close exactly when
     * the command's execve succeeds, which is how gocker learns it runs. */
    fcntl(INIT_FD_STATUS, F_SETFD, FD_CLOEXEC);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    for (int i = 0; i < INIT_MAX_SLOTS; i++)
        slots[i] = -1;

    size_t len;
    unsigned char *buf = read_all(INIT_FD_CONFIG, &len);
    close(INIT_FD_CONFIG);
    uint32_t magic;
    if (len < 4 || (memcpy(&magic, buf, 4), magic != INIT_PLAN_MAGIC))
        gocker_init_die(125, 0, "container init: no configuration (gocker failed before it sent one)");
    struct plan r = { .p = buf + 4, .end = buf + len };
    run(&r);
    gocker_init_die(125, 0, "container init: the configuration has no process");
}
