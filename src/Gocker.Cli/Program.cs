using Gocker.Cli;

// Multi-call binary: invoked as gocker-init (argv[0]) it is the container's init, whatever the arguments.
return Entry.Run(args);
