namespace Gocker.Core.Security.Seccomp;

/// <summary>Docker's default seccomp profile (moby profiles/seccomp/default.json, 2024): an allowlist with
/// EPERM for everything else. Syscalls that need a capability are allowed only when the container has it
/// (mount needs CAP_SYS_ADMIN...), clone may not create namespaces without CAP_SYS_ADMIN, clone3 (whose flags
/// a filter cannot read) answers ENOSYS so that libc falls back to clone, personality is limited to the
/// harmless personas, and AF_VSOCK sockets are refused. Names of other architectures are kept, as in
/// Docker's file: the resolver skips them on x86-64.</summary>
public static class DockerDefaultProfile
{
    private const string Allow = "SCMP_ACT_ALLOW";

    /// <summary>CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
    /// CLONE_NEWNET: clone's flags must have none of these bits without CAP_SYS_ADMIN.</summary>
    public const ulong NamespaceFlags = 0x7E020000;

    /// <summary>AF_VSOCK: host/guest sockets, not for containers.</summary>
    private const ulong AfVsock = 40;

    private const string Base = """
        accept accept4 access adjtimex alarm bind brk capget capset chdir chmod chown chown32 clock_adjtime
        clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep
        clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3 epoll_create
        epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2
        execve execveat exit exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate fanotify_mark fchdir
        fchmod fchmodat fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork
        fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex
        futex_time64 futex_waitv futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32
        getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid getpriority
        getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage getsid
        getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr inotify_add_watch
        inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
        io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit io_uring_enter io_uring_register
        io_uring_setup ipc kill landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32
        lgetxattr link linkat listen listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64
        madvise membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall
        mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
        mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall munmap
        name_to_handle_at nanosleep newfstatat _newselect open openat openat2 pause pidfd_open pidfd_send_signal
        pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2
        prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink
        readlinkat readv recv recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr rename
        renameat renameat2 restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
        rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity
        sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
        sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam
        sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send
        sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32
        setgroups setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid setresgid32 setresuid
        setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid setsockopt set_thread_area
        set_tid_address setuid setuid32 setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd
        signalfd4 sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs statfs64 statx symlink
        symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun
        timer_gettime timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime
        timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask
        uname unlink unlinkat utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write
        writev
        """;

    /// <summary>Syscalls allowed only with a capability (each group needs its one).</summary>
    private static readonly (string Cap, string Names)[] ByCapability =
    [
        ("CAP_DAC_READ_SEARCH", "open_by_handle_at"),
        ("CAP_SYS_ADMIN", "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount " +
                          "mount_setattr move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname " +
                          "sethostname setns syslog umount umount2 unshare"),
        ("CAP_SYS_BOOT", "reboot"),
        ("CAP_SYS_CHROOT", "chroot"),
        ("CAP_SYS_MODULE", "delete_module init_module finit_module"),
        ("CAP_SYS_PACCT", "acct"),
        ("CAP_SYS_PTRACE", "kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace"),
        ("CAP_SYS_RAWIO", "iopl ioperm"),
        ("CAP_SYS_TIME", "settimeofday stime clock_settime clock_settime64"),
        ("CAP_SYS_TTY_CONFIG", "vhangup"),
        ("CAP_SYS_NICE", "get_mempolicy mbind set_mempolicy set_mempolicy_home_node"),
        ("CAP_SYSLOG", "syslog"),
        ("CAP_BPF", "bpf"),
        ("CAP_PERFMON", "perf_event_open"),
    ];

    /// <summary>Architecture-specific allowances (Go's architecture names).</summary>
    private static readonly (string[] Arches, string Names)[] ByArchitecture =
    [
        (["ppc64le"], "sync_file_range2 swapcontext"),
        (["arm", "arm64"], "arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls"),
        (["amd64", "x32"], "arch_prctl"),
        (["amd64", "x32", "x86"], "modify_ldt"),
        (["s390", "s390x"], "s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr"),
        (["riscv64"], "riscv_flush_icache"),
    ];

    /// <summary>personality(2) values that are allowed: PER_LINUX, UNAME26, PER_LINUX32, PER_LINUX32|UNAME26,
    /// and 0xffffffff (which only queries).</summary>
    private static readonly ulong[] Personalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    public static SeccompProfile Build()
    {
        var syscalls = new List<SeccompSyscall>
        {
            Rule(Base, Allow),
            // ptrace is safe from kernel 4.8 on (seccomp is checked again after the tracer's changes).
            Rule("process_vm_readv process_vm_writev ptrace", Allow, includes: new SeccompScope { MinKernel = "4.8" }),
            Rule("socket", Allow, args: [Arg(0, "SCMP_CMP_NE", AfVsock)]),
        };
        syscalls.AddRange(Personalities.Select(v => Rule("personality", Allow, args: [Arg(0, "SCMP_CMP_EQ", v)])));
        syscalls.AddRange(ByArchitecture.Select(a => Rule(a.Names, Allow, includes: new SeccompScope { Arches = [.. a.Arches] })));
        // Not Take().Select() or Skip().Select(): chained LINQ operators are generic virtual calls, which
        // NativeAOT resolves at run time through its type loader.
        for (int i = 0; i < 2; i++)
            syscalls.Add(Rule(ByCapability[i].Names, Allow, includes: new SeccompScope { Caps = [ByCapability[i].Cap] }));
        // Without CAP_SYS_ADMIN: clone only without namespace flags (s390 swaps clone's first two arguments).
        syscalls.Add(Rule("clone", Allow, args: [Arg(0, "SCMP_CMP_MASKED_EQ", NamespaceFlags)],
            excludes: new SeccompScope { Caps = ["CAP_SYS_ADMIN"], Arches = ["s390", "s390x"] }));
        syscalls.Add(Rule("clone", Allow, args: [Arg(1, "SCMP_CMP_MASKED_EQ", NamespaceFlags)],
            includes: new SeccompScope { Arches = ["s390", "s390x"] }, excludes: new SeccompScope { Caps = ["CAP_SYS_ADMIN"] }));
        syscalls.Add(new SeccompSyscall
        {
            Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = SeccompAction.ENOSYS,
            Excludes = new SeccompScope { Caps = ["CAP_SYS_ADMIN"] },
        });
        for (int i = 2; i < ByCapability.Length; i++)
            syscalls.Add(Rule(ByCapability[i].Names, Allow, includes: new SeccompScope { Caps = [ByCapability[i].Cap] }));
        return new SeccompProfile { DefaultAction = "SCMP_ACT_ERRNO", DefaultErrnoRet = SeccompAction.EPERM, Syscalls = syscalls };
    }

    private static SeccompSyscall Rule(string names, string action, List<SeccompArg>? args = null,
        SeccompScope? includes = null, SeccompScope? excludes = null) => new()
    {
        Names = [.. names.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)],
        Action = action, Args = args, Includes = includes, Excludes = excludes,
    };

    /// <summary>For MASKED_EQ the mask is the value and the datum 0, as Docker writes it.</summary>
    private static SeccompArg Arg(uint index, string op, ulong value) => new() { Index = index, Op = op, Value = value };
}
