// The multi-call `mta` executable: chosen by program name (sendmail, mailq, postconf, ...) or by first argument.
Console.Error.WriteLine("mta: not yet: commands arrive with the foundation issue");
return 1;
