using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>State of one MAIL transaction, from MAIL FROM to the end of DATA/BDAT LAST (or RSET).</summary>
internal sealed class MailTransaction(string sender, string storedSender, QueueId queueId, DateTimeOffset arrival)
{
    /// <summary>The sender as the client gave it (logs, policy).</summary>
    public string Sender { get; } = sender;

    /// <summary>The sender after canonical rewriting (what is stored).</summary>
    public string StoredSender { get; } = storedSender;

    public QueueId QueueId { get; } = queueId;
    public DateTimeOffset Arrival { get; } = arrival;

    public long DeclaredSize { get; init; }
    public bool Body8Bit { get; init; }
    public bool Smtputf8 { get; init; }
    public DsnRet? Ret { get; init; }
    public string? EnvId { get; init; }

    /// <summary>Accepted RCPT addresses as given (policy, Received: "for" clause).</summary>
    public List<string> AcceptedRecipients { get; } = [];

    /// <summary>Recipients to store, after rewriting.</summary>
    public List<Recipient> Recipients { get; } = [];

    /// <summary>Open while DATA/BDAT content is being stored.</summary>
    public IMessageWriter? Writer { get; set; }
    public MessageContentWriter? Content { get; set; }

    /// <summary>At least one BDAT was received (DATA, MAIL, RCPT are then out of order).</summary>
    public bool InBdat { get; set; }

    /// <summary>A BDAT failed: skip further chunks until BDAT LAST or RSET.</summary>
    public bool BdatFailed { get; set; }

    public async ValueTask DiscardAsync()
    {
        Content?.Dispose();
        Content = null;
        if (Writer is { } writer)
        {
            Writer = null;
            try
            {
                await writer.DisposeAsync();
            }
            catch (Exception e) when (e is QueueUnavailableException or IOException)
            {
                // Nothing was committed; the store cleans up what it can.
            }
        }
    }
}
