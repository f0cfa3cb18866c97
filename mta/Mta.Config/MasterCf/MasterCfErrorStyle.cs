namespace Mta.Config.MasterCf;

/// <summary>Which Postfix program's master.cf error texts to produce.</summary>
public enum MasterCfErrorStyle
{
    /// <summary>master(8) (what start-up and postfix check report): "FILE: line N: bad transport type: X".</summary>
    Master,

    /// <summary>postconf(1): "file FILE: line N: bad field count", "invalid type field \"X\" in \"LINE\"".</summary>
    Postconf,
}
