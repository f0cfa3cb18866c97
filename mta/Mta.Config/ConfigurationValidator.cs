using Mta.Config.MasterCf;

namespace Mta.Config;

/// <summary>
/// Converts every typed parameter once, as Postfix's daemons do at start-up, and collects the fatal texts
/// instead of stopping at the first (the operator reports them all; <c>postfix check</c> prints them).
/// With a master.cf, each service is checked again with its -o overrides applied, the message prefixed by
/// the service ("submission/inet: ...") only when the override is what breaks it.
/// </summary>
public static class ConfigurationValidator
{
    public static IReadOnlyList<string> Validate(ParameterSet parameters, MasterCfFile? master = null)
    {
        var errors = new List<string>(ValidateParameters(parameters));
        if (master is null)
            return errors;
        foreach (var service in master.Services)
        {
            if (service.Overrides.Count == 0)
                continue;
            foreach (var error in ValidateParameters(service.Apply(parameters)))
                if (!errors.Contains(error))
                    errors.Add($"{service.Key}: {error}");
        }
        return errors;
    }

    /// <summary>Fatal texts for every typed parameter that does not convert (empty when all are valid).</summary>
    public static IReadOnlyList<string> ValidateParameters(ParameterSet parameters)
    {
        var errors = new List<string>();
        foreach (var parameter in parameters.Defaults.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            // Raw parameters (smtpd_expansion_filter, mailbox_command, ...) are never $-expanded by Postfix.
            if (ParameterCatalogue.IsRaw(parameter.Name))
                continue;
            try
            {
                _ = parameter switch
                {
                    BoolParameter b => (object)parameters.Get(b),
                    IntParameter i => parameters.Get(i),
                    LongParameter l => parameters.Get(l),
                    TimeParameter t => parameters.Get(t),
                    ListParameter l => parameters.Get(l),
                    StringParameter s => parameters.Get(s),
                    _ => parameters.Expand(parameter.Name),
                };
            }
            catch (ConfigException e)
            {
                if (!errors.Contains(e.Message))
                    errors.Add(e.Message);
            }
        }
        return errors;
    }
}
