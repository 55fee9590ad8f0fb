/* The process half of the container's init, after pivot_root: every path here is the container's.
 * The user and the command are resolved inside the container (its /etc/passwd, its PATH), so that
 * "not found" (127) and "cannot invoke" (126) are told apart before the execve, as Docker does. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "gocker.h"
#include "initplan.h"
#include "initprocess.h"

/* --- users ---------------------------------------------------------------------------------------- */

/* uint.TryParse's strictness for what passwd and -u hold: decimal digits only, 32 bits. */
static int parse_id(const char *s, size_t n, uint32_t *out)
{
    if (n == 0 || n > 10)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

/* Splits a line at ':' into at most max fields (in place). Returns the number of fields. */
static int split_fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ':') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static int field_eq(const char *field, const char *s, size_t n)
{
    return strlen(field) == n && memcmp(field, s, n) == 0;
}

/* Calls fn for each line with at least min fields (comments and empty lines skipped); stops when
 * fn returns nonzero. A missing file has no lines. */
static void each_entry(const char *path, int min, int (*fn)(char **f, int n, void *ctx), void *ctx)
{
    FILE *fp = fopen(path, "re");
    if (fp == NULL)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = 0;
        if (len == 0 || line[0] == '#')
            continue;
        char *f[8];
        int n = split_fields(line, f, 8);
        if (n >= min && fn(f, n, ctx))
            break;
    }
    free(line);
    fclose(fp);
}

struct passwd_query {
    const char *name; size_t name_len; /* by name, or */
    int by_uid; uint32_t uid;          /* by uid */
    int found;
    char entry_name[256];
    uint32_t entry_uid, entry_gid;
    char home[1024];
};

static int passwd_match(char **f, int n, void *ctx)
{
    (void)n;
    struct passwd_query *q = ctx;
    uint32_t uid, gid;
    if (!parse_id(f[2], strlen(f[2]), &uid) || !parse_id(f[3], strlen(f[3]), &gid))
        return 0;
    if (q->by_uid ? uid != q->uid : !field_eq(f[0], q->name, q->name_len))
        return 0;
    q->found = 1;
    snprintf(q->entry_name, sizeof q->entry_name, "%s", f[0]);
    q->entry_uid = uid;
    q->entry_gid = gid;
    snprintf(q->home, sizeof q->home, "%s", f[5]);
    return 1;
}

struct group_query {
    const char *name; size_t name_len;  /* find a group's gid by name */
    int found; uint32_t gid;
    const char *member;                 /* or collect the groups listing this member */
    uint32_t *groups; int ngroups, cap;
};

static int group_match(char **f, int n, void *ctx)
{
    (void)n;
    struct group_query *q = ctx;
    uint32_t gid;
    if (!parse_id(f[2], strlen(f[2]), &gid))
        return 0;
    if (q->member == NULL) {
        if (!field_eq(f[0], q->name, q->name_len))
            return 0;
        q->found = 1;
        q->gid = gid;
        return 1;
    }
    char *save = NULL;
    for (char *m = strtok_r(f[3], ",", &save); m != NULL; m = strtok_r(NULL, ",", &save)) {
        if (strcmp(m, q->member) != 0)
            continue;
        for (int i = 0; i < q->ngroups; i++)
            if (q->groups[i] == gid)
                return 0;
        if (q->ngroups == q->cap) {
            q->cap = q->cap ? q->cap * 2 : 16;
            q->groups = realloc(q->groups, (size_t)q->cap * sizeof *q->groups);
            if (q->groups == NULL)
                return 1;
        }
        q->groups[q->ngroups++] = gid;
        return 0;
    }
    return 0;
}

int gocker_resolve_user(const char *spec, const char *passwd, const char *group, struct init_user *u,
                        char *err, size_t errlen)
{
    if (spec == NULL || spec[0] == 0)
        spec = "0";
    const char *colon = strchr(spec, ':');
    size_t user_len = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *group_part = colon ? colon + 1 : "";
    if (user_len == 0) {
        snprintf(err, errlen, "invalid user: %s", spec);
        return -1;
    }
    struct passwd_query pq = { .name = spec, .name_len = user_len };
    uint32_t uid;
    if (parse_id(spec, user_len, &uid)) {
        pq.by_uid = 1;
        pq.uid = uid;
        each_entry(passwd, 7, passwd_match, &pq);
    } else {
        each_entry(passwd, 7, passwd_match, &pq);
        if (!pq.found) {
            snprintf(err, errlen, "unable to find user %.*s: no matching entries in passwd file", (int)user_len, spec);
            return -1;
        }
        uid = pq.entry_uid;
    }
    uint32_t gid = pq.found ? pq.entry_gid : 0;
    if (group_part[0] != 0 && !parse_id(group_part, strlen(group_part), &gid)) {
        struct group_query gq = { .name = group_part, .name_len = strlen(group_part) };
        each_entry(group, 4, group_match, &gq);
        if (!gq.found) {
            snprintf(err, errlen, "unable to find group %s: no matching entries in group file", group_part);
            return -1;
        }
        gid = gq.gid;
    }
    struct group_query sq = { .member = pq.found ? pq.entry_name : NULL };
    if (pq.found)
        each_entry(group, 4, group_match, &sq);
    u->groups = malloc(((size_t)sq.ngroups + 1) * sizeof *u->groups);
    if (u->groups == NULL) {
        snprintf(err, errlen, "resolve user %s: %s", spec, strerror(ENOMEM));
        return -1;
    }
    u->ngroups = 0;
    u->groups[u->ngroups++] = gid;
    for (int i = 0; i < sq.ngroups; i++)
        if (sq.groups[i] != gid)
            u->groups[u->ngroups++] = sq.groups[i];
    free(sq.groups);
    u->uid = uid;
    u->gid = gid;
    snprintf(u->home, sizeof u->home, "%s", pq.found && pq.home[0] ? pq.home : "/");
    return 0;
}

/* --- the command ---------------------------------------------------------------------------------- */

enum file_kind { KIND_MISSING, KIND_DIRECTORY, KIND_NOT_EXECUTABLE, KIND_EXECUTABLE };

/* A regular file with any execute bit (root may run it then). */
static enum file_kind probe(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return KIND_MISSING;
    if (S_ISDIR(st.st_mode))
        return KIND_DIRECTORY;
    return (st.st_mode & 0111) ? KIND_EXECUTABLE : KIND_NOT_EXECUTABLE;
}

int gocker_resolve_command(const char *command, const char *path_env, char *out, size_t outlen,
                           char *err, size_t errlen)
{
    if (command[0] == 0) {
        snprintf(err, errlen, "exec: \"\": executable file not found in $PATH");
        return 127;
    }
    if (strchr(command, '/') != NULL) {
        switch (probe(command)) {
        case KIND_EXECUTABLE:
            snprintf(out, outlen, "%s", command);
            return 0;
        case KIND_MISSING:
            snprintf(err, errlen, "exec: \"%s\": stat %s: no such file or directory", command, command);
            return 127;
        case KIND_DIRECTORY:
            snprintf(err, errlen, "exec: \"%s\": is a directory", command);
            return 126;
        default:
            snprintf(err, errlen, "exec: \"%s\": permission denied", command);
            return 126;
        }
    }
    const char *p = path_env ? path_env : "";
    for (;;) {
        const char *end = strchrnul(p, ':');
        size_t n = (size_t)(end - p);
        const char *dir = n == 0 ? "." : p;
        size_t dn = n == 0 ? 1 : n;
        int slash = dir[dn - 1] == '/';
        if (snprintf(out, outlen, "%.*s%s%s", (int)dn, dir, slash ? "" : "/", command) < (int)outlen
            && probe(out) == KIND_EXECUTABLE)
            return 0;
        if (*end == 0)
            break;
        p = end + 1;
    }
    snprintf(err, errlen, "exec: \"%s\": executable file not found in $PATH", command);
    return 127;
}

/* --- the process ---------------------------------------------------------------------------------- */

/* The last value of KEY in env (EnvironmentBuilder.Get), or NULL. */
static const char *env_get(char **env, int n, const char *key)
{
    size_t k = strlen(key);
    const char *v = NULL;
    for (int i = 0; i < n; i++)
        if (strncmp(env[i], key, k) == 0 && env[i][k] == '=')
            v = env[i] + k + 1;
    return v;
}

/* Docker creates a missing working directory (and its parents), owned by the container's user. */
static void create_workdir(const char *workdir, const struct init_user *u)
{
    if (workdir[0] != '/')
        gocker_init_die(125, 0, "the working directory '%s' is invalid, it needs to be an absolute path", workdir);
    char path[4096];
    snprintf(path, sizeof path, "%s", workdir);
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(path, 0755) < 0 && errno != EEXIST)
                gocker_init_die(125, errno, "create the working directory %s: %s", workdir, strerror(errno));
            *p = c;
            if (c == 0)
                break;
        }
    }
    if (lchown(workdir, u->uid, u->gid) < 0) { /* as Docker: best effort */ }
}

/* -t: a pty from the container's own devpts instance; the master goes to the monitor, which sizes it
 * and answers one byte, so that the command starts with the right window size. Returns the slave. */
static int open_terminal(void)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        gocker_init_die(125, errno, "open /dev/ptmx: %s", strerror(errno));
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        gocker_init_die(125, errno, "unlock pty: %s", strerror(errno));
    /* Through the master, not by a /dev/pts path that the container could have swapped. */
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        gocker_init_die(125, errno, "open pty slave: %s", strerror(errno));
    int r = gocker_send_fd(INIT_FD_CONSOLE, master);
    if (r < 0)
        gocker_init_die(125, -r, "send pty master: %s", strerror(-r));
    char go;
    ssize_t n;
    do { n = read(INIT_FD_CONSOLE, &go, 1); } while (n < 0 && errno == EINTR);
    if (n != 1)
        gocker_init_die(125, 0, "gocker went away before the terminal was ready");
    close(INIT_FD_CONSOLE);
    close(master);
    return slave;
}

/* The command must not run before the monitor says so: its network is made and its record says
 * Running. EOF: the monitor (or gocker) failed, and reported why. */
static void wait_for_gate(void)
{
    char b;
    ssize_t n;
    do { n = read(INIT_FD_GATE, &b, 1); } while (n < 0 && errno == EINTR);
    if (n != 1)
        gocker_init_die(125, 0, "%s", INIT_GATE_CLOSED);
    close(INIT_FD_GATE);
}

static char **read_vector(struct plan *r, int extra, int *count)
{
    uint64_t n = init_plan_u64(r);
    if (n > 1 << 20)
        gocker_init_die(125, 0, "container init: malformed configuration");
    char **v = calloc((size_t)n + (size_t)extra + 1, sizeof *v);
    if (v == NULL)
        gocker_init_die(125, ENOMEM, "container init: %s", strerror(ENOMEM));
    for (uint64_t i = 0; i < n; i++) {
        v[i] = (char *)init_plan_str(r);
        if (v[i] == NULL)
            gocker_init_die(125, 0, "container init: malformed configuration");
    }
    *count = (int)n;
    return v;
}

void gocker_init_process(struct plan *r)
{
    const char *user_spec = init_plan_str(r);
    const char *workdir = init_plan_str(r);
    int tty = (int)init_plan_u64(r);
    int reaper = (int)init_plan_u64(r);
    int argc, envc;
    char **argv = read_vector(r, 0, &argc);
    char **env = read_vector(r, 2, &envc); /* room for HOME and the reaper's variable */
    struct gocker_security sec = { 0 };
    sec.set_caps = (int)init_plan_u64(r);
    sec.caps = init_plan_u64(r);
    sec.no_new_privs = (int)init_plan_u64(r);
    uint32_t filter_len = 0;
    const char *filter = init_plan_bytes(r, &filter_len);
    sec.seccomp = filter_len > 0 ? filter : NULL;
    sec.seccomp_len = (int)(filter_len / 8); /* struct sock_filter */
    uint64_t nrl = init_plan_u64(r);
    if (nrl > 64 || argc == 0)
        gocker_init_die(125, 0, "container init: malformed configuration");
    struct gocker_rlimit limits[64];
    for (uint64_t i = 0; i < nrl; i++) {
        limits[i].resource = (int)init_plan_u64(r);
        limits[i].soft = init_plan_u64(r);
        limits[i].hard = init_plan_u64(r);
    }
    sec.rlimits = limits;
    sec.nrlimits = (int)nrl;

    char err[1200];
    struct init_user u;
    if (gocker_resolve_user(user_spec, "/etc/passwd", "/etc/group", &u, err, sizeof err) < 0)
        gocker_init_die(125, 0, "%s", err);
    char home[1100];
    if (env_get(env, envc, "HOME") == NULL) {
        snprintf(home, sizeof home, "HOME=%s", u.home);
        env[envc++] = home;
    }
    const char *dir = workdir && workdir[0] ? workdir : "/";
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        create_workdir(dir, &u);

    char path[4096];
    int code = gocker_resolve_command(argv[0], env_get(env, envc, "PATH"), path, sizeof path, err, sizeof err);
    if (code != 0)
        gocker_init_die(code, 0, "%s", err);

    struct gocker_exec_params p = {
        .path = path, .argv = argv, .envp = env, .workdir = dir,
        .set_user = 1, .uid = u.uid, .gid = u.gid, .groups = u.groups, .ngroups = u.ngroups,
        .tty_fd = -1, .status_fd = INIT_FD_STATUS, .death_signal = 9, .security = &sec, .exe_fd = -1,
    };
    char reaper_env[4200];
    if (reaper) {
        /* --init: the reaper is this binary run from its pre-runtime constructor (reaper.c), through
         * the read-only view the monitor made (fd 7). The status pipe must outlive this execve: the
         * reaper reports the command's exec failure on it. */
        fcntl(INIT_FD_STATUS, F_SETFD, 0);
        snprintf(reaper_env, sizeof reaper_env, "%s=reaper:%d:%s", GOCKER_PREINIT_ENV, INIT_FD_STATUS, path);
        env[envc++] = reaper_env;
        char **rargv = calloc((size_t)argc + 2, sizeof *rargv);
        if (rargv == NULL)
            gocker_init_die(125, ENOMEM, "container init: %s", strerror(ENOMEM));
        rargv[0] = "gocker-init";
        memcpy(rargv + 1, argv, (size_t)argc * sizeof *argv);
        p.argv = rargv;
        p.exe_fd = INIT_FD_EXE;
    } else {
        close(INIT_FD_EXE);
    }
    if (tty)
        p.tty_fd = open_terminal();
    wait_for_gate();
    gocker_init_network_after_gate();
    gocker_exec_final(&p);
    _exit(p.failed_code ? p.failed_code : 125);
}
