using System.Net;

namespace Mta.Smtp.Server;

/// <summary>
/// One master.cf smtpd service to run: where it listens and the settings its sessions use (main.cf plus the
/// service's -o overrides). <paramref name="Name"/> identifies the service across reloads (e.g. "smtp", "submission").
/// </summary>
public sealed record SmtpListener(
    string Name,
    IPEndPoint EndPoint,
    SmtpdSettings Settings,
    ISmtpPolicy Policy,
    ISaslCredentials? Credentials = null);
