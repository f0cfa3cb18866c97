using System.Net;

namespace Mta.Smtp.Server;

/// <summary>
/// One master.cf smtpd service to run: where it listens and the settings its sessions use (main.cf plus the
/// service's -o overrides). <paramref name="Name"/> identifies the service across reloads (e.g. "smtp", "submission").
/// <paramref name="Limits"/> is anvil (connection count/rate, message and recipient rates); null means no limits.
/// Its limiter should be one instance per process, shared by every listener, as Postfix has one anvil.
/// </summary>
public sealed record SmtpListener(
    string Name,
    IPEndPoint EndPoint,
    SmtpdSettings Settings,
    ISmtpPolicy Policy,
    ISaslCredentials? Credentials = null,
    Mta.Smtp.Policy.ClientLimits? Limits = null);
