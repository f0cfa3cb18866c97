namespace Mta.Config.MasterCf;

/// <summary>master.cf column 2. Texts: inet, unix, unix-dgram, fifo, pass.</summary>
public enum ServiceType
{
    Inet,
    Unix,
    UnixDgram,
    Fifo,
    Pass,
}
