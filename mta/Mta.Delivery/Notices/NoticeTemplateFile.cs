using Mta.Config;

namespace Mta.Delivery.Notices;

/// <summary>
/// bounce_template_file (bounce(5)): "failure_template = &lt;&lt;EOF" ... "EOF" sections (or one-line values) that
/// replace built-in templates. Each template starts with "Charset:", "From:", "Subject:" and "Postmaster-Subject:"
/// lines, then a blank line, then the text. As in Postfix, a template with a problem is ignored with a warning and
/// the built-in one stays; a file that cannot be read is fatal.
/// </summary>
public static class NoticeTemplateFile
{
    public static NoticeTemplateSet Load(string path, ICollection<string> warnings)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"open {path}: {e.Message}");
        }
        var set = NoticeTemplateSet.BuiltIn;
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            int equals = line.IndexOf('=');
            if (equals <= 0 || line[..equals].Trim().Length == 0)
                throw new ConfigException($"{path}, line {lineNumber}: missing '=' after attribute name: \"{line}\"");
            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.StartsWith("<<", StringComparison.Ordinal))
            {
                var marker = value[2..].Trim();
                if (marker.Length == 0) throw new ConfigException($"{path}, line {lineNumber}: missing end marker after <<");
                if (!char.IsAsciiLetterOrDigit(marker[0])) throw new ConfigException($"{path}, line {lineNumber}: malformed end marker after <<");
                var body = new List<string>();
                bool ended = false;
                while (++i < lines.Length)
                {
                    if (lines[i] == marker) { ended = true; break; }
                    body.Add(lines[i]);
                }
                if (!ended) warnings.Add($"{path}, line {i}: missing \"{marker}\" end marker");
                value = string.Join('\n', body);
            }
            set = name switch
            {
                "failure_template" => set with { Failure = Parse(set.Failure, path, value, warnings) },
                "delay_template" => set with { Delay = Parse(set.Delay, path, value, warnings) },
                "success_template" => set with { Success = Parse(set.Success, path, value, warnings) },
                // sendmail -bv reports are not produced here; accept the name so a stock file loads cleanly.
                "verify_template" => set,
                _ => Warn(set, warnings, $"{path}, line {lineNumber}: unknown template name: {name} -- ignoring this template"),
            };
        }
        return set;
    }

    private static NoticeTemplateSet Warn(NoticeTemplateSet set, ICollection<string> warnings, string warning)
    {
        warnings.Add(warning);
        return set;
    }

    /// <summary>One template's text (bounce_template_parse_buffer()); the built-in on any problem.</summary>
    private static NoticeTemplate Parse(NoticeTemplate builtIn, string origin, string text, ICollection<string> warnings)
    {
        var template = builtIn with { Origin = origin };
        var lines = text.Split('\n');
        int i = 0;
        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(c => c <= ' ' || c >= 127)) break;
            var label = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (value.Length == 0) return Ignore(builtIn, warnings, $"{origin}: empty \"{label}\" header value in {builtIn.ClassName} template -- ignoring this template");
            if (!System.Text.Ascii.IsValid(value)) return Ignore(builtIn, warnings, $"{origin}: non-ASCII \"{label}\" header value in {builtIn.ClassName} template -- ignoring this template");
            switch (label.ToLowerInvariant())
            {
                case "charset": template = template with { Charset = value }; break;
                case "from": template = template with { From = value }; break;
                case "subject": template = template with { Subject = value }; break;
                case "postmaster-subject" when builtIn.PostmasterSubject is null:
                    return Ignore(builtIn, warnings, $"{origin}: inapplicable \"{label}\" header label in {builtIn.ClassName} template -- ignoring this template");
                case "postmaster-subject": template = template with { PostmasterSubject = value }; break;
                default:
                    return Ignore(builtIn, warnings, $"{origin}: unknown \"{label}\" header label in {builtIn.ClassName} template -- ignoring this template");
            }
        }
        while (i < lines.Length && string.IsNullOrWhiteSpace(lines[i])) i++;
        if (i == lines.Length) return Ignore(builtIn, warnings, $"{origin}: missing message text in {builtIn.ClassName} template -- ignoring this template");
        var body = lines[i..];
        if (string.Equals(template.Charset, "us-ascii", StringComparison.OrdinalIgnoreCase) && body.Any(l => !System.Text.Ascii.IsValid(l)))
        {
            warnings.Add($"{origin}: 8-bit message text in {builtIn.ClassName} template");
            warnings.Add("please specify a charset value other than us-ascii");
            return Ignore(builtIn, warnings, "-- ignoring this template for now");
        }
        return template with { Lines = body };
    }

    private static NoticeTemplate Ignore(NoticeTemplate builtIn, ICollection<string> warnings, string warning)
    {
        warnings.Add(warning);
        return builtIn;
    }
}
