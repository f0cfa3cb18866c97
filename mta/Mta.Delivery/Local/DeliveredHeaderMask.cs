namespace Mta.Delivery.Local;

/// <summary>prepend_delivered_header: which deliveries get a Delivered-To: header (mailbox and maildir count as "file").</summary>
[Flags]
public enum DeliveredHeaderMask
{
    None = 0,
    Command = 1,
    File = 2,
    Forward = 4,
}

public static class DeliveredHeaderMasks
{
    public static DeliveredHeaderMask Parse(string list)
    {
        var mask = DeliveredHeaderMask.None;
        foreach (var word in Config.Lists.ConfigList.Split(list))
        {
            mask |= word.ToLowerInvariant() switch
            {
                "command" => DeliveredHeaderMask.Command,
                "file" => DeliveredHeaderMask.File,
                "forward" => DeliveredHeaderMask.Forward,
                _ => throw new Config.ConfigException($"bad prepend_delivered_header value: \"{word}\""),
            };
        }
        return mask;
    }
}
