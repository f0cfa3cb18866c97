namespace Mta.Queue.Ids;

/// <summary>
/// Postfix's "safe" alphabet for queue IDs (safe_ultostr.c): digits and consonants, no vowels, so an ID
/// never spells a word. Time fields use all 52 characters; the suffix after the 'z' separator uses the first 51.
/// </summary>
public static class SafeAlphabet
{
    public const string Characters = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    public const int TimeBase = 52;
    public const int SuffixBase = 51;
    public const char Separator = 'z';

    /// <summary>Encodes <paramref name="value"/> in <paramref name="radix"/>, left-padded with '0' to at least <paramref name="minWidth"/>.</summary>
    public static string Encode(ulong value, int radix, int minWidth)
    {
        Span<char> buffer = stackalloc char[32];
        int pos = buffer.Length;
        do
        {
            buffer[--pos] = Characters[(int)(value % (ulong)radix)];
            value /= (ulong)radix;
        }
        while (value != 0);
        while (buffer.Length - pos < minWidth) buffer[--pos] = '0';
        return new string(buffer[pos..]);
    }

    /// <summary>Decodes a run of safe characters; false when a character is outside the first <paramref name="radix"/> ones.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, int radix, out ulong value)
    {
        value = 0;
        if (text.IsEmpty) return false;
        foreach (char c in text)
        {
            int digit = Characters.IndexOf(c);
            if (digit < 0 || digit >= radix) return false;
            value = checked(value * (ulong)radix + (ulong)digit);
        }
        return true;
    }

    /// <summary>
    /// The largest number not above <paramref name="value"/> whose base-52 digits contain no 'z' (digit 51).
    /// Postfix's own time fields may contain 'z' (it finds the separator with strrchr); common log parsers
    /// expect none before the separator, so our IDs avoid it at the cost of rounding the informational time down.
    /// </summary>
    public static ulong LargestWithoutSeparator(ulong value)
    {
        Span<int> digits = stackalloc int[16];
        int count = 0;
        for (ulong v = value; v != 0; v /= TimeBase) digits[count++] = (int)(v % TimeBase);
        int highestZ = -1;
        for (int i = count - 1; i >= 0; i--)
            if (digits[i] == TimeBase - 1) { highestZ = i; break; }
        if (highestZ < 0) return value;
        for (int i = highestZ; i >= 0; i--) digits[i] = TimeBase - 2;
        ulong result = 0;
        for (int i = count - 1; i >= 0; i--) result = result * TimeBase + (ulong)digits[i];
        return result;
    }
}
