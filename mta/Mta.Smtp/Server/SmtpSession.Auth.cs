using System.Text;

namespace Mta.Smtp.Server;

/// <summary>AUTH PLAIN and LOGIN (RFC 4954) against <see cref="ISaslCredentials"/>.</summary>
internal sealed partial class SmtpSession
{
    private SmtpLineReader? _saslReader;

    private async ValueTask<bool> AuthAsync(string args)
    {
        if (!SaslOffered)
            return await FailAsync("503 5.5.1 Error: authentication not enabled");
        if (_info.IsAuthenticated)
            return await FailAsync("503 5.5.1 Error: already authenticated");
        if (_transaction is not null)
            return await FailAsync("503 5.5.1 Error: MAIL transaction in progress");
        var words = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 2)
            return await FailAsync("501 5.5.4 Syntax: AUTH mechanism");
        var mechanism = words[0].ToUpperInvariant();
        var initial = words.Length == 2 ? words[1] : null;

        string? username, password;
        switch (mechanism)
        {
            case "PLAIN":
                var response = initial is null or "=" ? (initial == "=" ? "" : await ChallengeAsync("")) : initial;
                if (response is null)
                    return false;
                var plain = Decode(response);
                if (plain is null)
                    return await FailAsync("501 5.5.2 Cannot decode response");
                var parts = plain.Split('\0');
                if (parts.Length != 3)
                    return await AuthFailedAsync(mechanism, null);
                (username, password) = (parts[1], parts[2]);
                break;
            case "LOGIN":
                var user64 = initial ?? await ChallengeAsync("VXNlcm5hbWU6");
                if (user64 is null)
                    return false;
                username = Decode(user64);
                if (username is null)
                    return await FailAsync("501 5.5.2 Cannot decode response");
                var pass64 = await ChallengeAsync("UGFzc3dvcmQ6");
                if (pass64 is null)
                    return false;
                password = Decode(pass64);
                if (password is null)
                    return await FailAsync("501 5.5.2 Cannot decode response");
                break;
            default:
                Log($"warning: {NameAddr}: SASL {mechanism} authentication failed: Invalid authentication mechanism");
                return await FailAsync("535 5.7.8 Error: authentication failed: Invalid authentication mechanism");
        }

        if (!await _credentials!.VerifyAsync(username, password, _aborted))
            return await AuthFailedAsync(mechanism, username);
        _info.SaslMethod = mechanism;
        _info.SaslUsername = username;
        await ReplyAsync("235 2.7.0 Authentication successful");
        return true;
    }

    private async ValueTask<bool> AuthFailedAsync(string mechanism, string? username)
    {
        Log($"warning: {NameAddr}: SASL {mechanism} authentication failed: authentication failure" +
            (username is null ? "" : $", sasl_username={username}"));
        Reject("auth");
        return await FailAsync("535 5.7.8 Error: authentication failed: authentication failure");
    }

    /// <summary>Sends "334 challenge" and reads the client's answer; null when the client aborted ("*") or the line was bad.</summary>
    private async ValueTask<string?> ChallengeAsync(string challenge)
    {
        await ReplyAsync($"334 {challenge}".TrimEnd() + (challenge.Length == 0 ? " " : ""));
        // Responses may be longer than a command line: smtpd_sasl_response_limit bounds them.
        _saslReader ??= new SmtpLineReader(_settings.SaslResponseLimit);
        var status = await ReadLineAsync(command: true, _saslReader);
        if (status == LineStatus.Closed)
            throw new ConnectionClosedException();
        if (status == LineStatus.TooLong)
        {
            await ReplyAsync("500 5.5.6 Authentication exchange line is too long");
            return null;
        }
        var line = Encoding.ASCII.GetString(_saslReader.Line).Trim();
        if (line == "*")
        {
            await ReplyAsync("501 5.7.0 Authentication aborted");
            return null;
        }
        return line;
    }

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
