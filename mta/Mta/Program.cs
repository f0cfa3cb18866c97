// The multi-call `mta` executable: see Cli for how a command is chosen.
return Mta.Cli.Run(args, Console.Out, Console.Error, Mta.Cli.InvokedName());
