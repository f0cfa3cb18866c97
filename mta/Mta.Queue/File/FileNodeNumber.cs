namespace Mta.Queue.File;

/// <summary>
/// Hands out a number unique to each store instance opened on one queue directory (smtpd, sendmail,
/// postsuper may run side by side), from a counter file updated under an exclusive lock.
/// It is the unique part of the queue IDs this instance makes, standing in for Postfix's inode number.
/// </summary>
internal static class FileNodeNumber
{
    public static long Next(string counterFile)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var file = new FileStream(counterFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                using var reader = new StreamReader(file, leaveOpen: true);
                string text = reader.ReadToEnd().Trim();
                long next = (text.Length == 0 ? 0 : long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)) + 1;
                if (next >= 1L << 31) next = 1;
                file.SetLength(0);
                file.Position = 0;
                var bytes = System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
                file.Write(bytes);
                file.Flush(flushToDisk: true);
                return next;
            }
            catch (IOException) when (attempt < 2000)
            {
                Thread.Sleep(1);
            }
        }
    }
}
