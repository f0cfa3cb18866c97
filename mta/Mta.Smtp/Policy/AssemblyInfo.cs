using System.Runtime.CompilerServices;

// Policy tests build SessionInfo states (HELO, SASL, client names) that only smtpd sets in production.
[assembly: InternalsVisibleTo("Mta.Smtp.Tests")]
