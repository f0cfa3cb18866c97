using System.Globalization;
using System.Text;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// Postfix's format_tv() as log_adhoc uses it for delay= and delays=: at most two significant digits for small
/// values, whole seconds from 10 s on, no more than delay_logging_resolution_limit digits after the point,
/// rounded half up, trailing zeros dropped. E.g. 0.004 -> "0", 0.123 -> "0.12", 1.25 -> "1.3", 9.96 -> "10".
/// </summary>
public static class DelayText
{
    private const int Million = 1_000_000;
    private const int SignificantDigits = 2;

    public static void Append(StringBuilder text, TimeSpan value, int resolutionDigits)
    {
        long totalMicroseconds = Math.Max(0, value.Ticks / 10);
        long seconds = totalMicroseconds / Million;
        long micros = totalMicroseconds % Million;
        int significantWidth = Pow10(SignificantDigits);

        // The smallest unit worth printing: the resolution limit, coarsened so only two significant digits show.
        long unit = Million / Pow10(Math.Clamp(resolutionDigits, 0, 6));
        if (unit < Million)
        {
            if (seconds > 0)
            {
                long scale = 1;
                while (seconds >= scale && scale <= significantWidth / 10) scale *= 10;
                unit = Million / significantWidth * scale;
            }
            else
            {
                while (micros >= significantWidth * unit) unit *= 10;
            }
        }
        if (unit > 1)
        {
            micros += unit / 2;
            if (micros >= Million) { seconds++; micros -= Million; }
        }
        text.Append(seconds.ToString(CultureInfo.InvariantCulture));
        if (micros < unit) return;
        text.Append('.');
        for (long rest = micros, place = Million / 10; rest >= unit && place > 0; place /= 10)
        {
            text.Append((char)('0' + rest / place));
            rest %= place;
        }
    }

    public static string Format(TimeSpan value, int resolutionDigits)
    {
        var text = new StringBuilder(8);
        Append(text, value, resolutionDigits);
        return text.ToString();
    }

    private static int Pow10(int exponent)
    {
        int result = 1;
        for (int i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
