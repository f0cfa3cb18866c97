namespace Mta.Config.Tests;

/// <summary>A fact that needs the real postconf; skipped only when /usr/sbin/postconf is absent.</summary>
public sealed class PostconfFactAttribute : FactAttribute
{
    public PostconfFactAttribute()
    {
        if (!RealPostconf.Available)
            Skip = "needs " + RealPostconf.Binary;
    }
}
