// The MailServer operator entry point.
Console.Error.WriteLine("mta-operator: not yet: the operator arrives with the operator issue");
return 1;
