namespace Mta.Config.Tests;

/// <summary>A theory that needs the real postconf; skipped only when /usr/sbin/postconf is absent.</summary>
public sealed class PostconfTheoryAttribute : TheoryAttribute
{
    public PostconfTheoryAttribute()
    {
        if (!RealPostconf.Available)
            Skip = "needs " + RealPostconf.Binary;
    }
}
