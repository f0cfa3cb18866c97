namespace Mta.Smtp;

/// <summary>The password check behind AUTH PLAIN/LOGIN (a user:password table, a Kubernetes Secret, ...).</summary>
public interface ISaslCredentials
{
    /// <summary>True when the user exists and the password matches.</summary>
    ValueTask<bool> VerifyAsync(string username, string password, CancellationToken cancellationToken);
}
