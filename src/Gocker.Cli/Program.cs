using Gocker.Cli;

// Multi-call binary: the pre-runtime constructor (native/preinit.c) runs the monitor, exec's entry and,
// as gocker-init (argv[0]), the --init reaper before Main; the container's init is native/init.c.
return Entry.Run(args);
