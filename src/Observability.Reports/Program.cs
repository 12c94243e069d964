// Entry point of the obs tool; everything else is in ObsCli.
return await Observability.Reports.ObsCli.RunAsync(args, Console.Out, Console.Error);
