using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mta.Operator.Tests.Crd;

/// <summary>
/// The subset of Kubernetes structural-schema validation the MailServer CRD uses: type, format int32/int64/date-time,
/// required, enum, minimum/maximum, minLength/maxLength, maxProperties, pattern, items, additionalProperties,
/// x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields, defaults (applied first, as the API server
/// does) and x-kubernetes-validations through <see cref="CelRules"/>. Unknown fields are errors (kubectl's strict
/// field validation), so a typo in a sample fails here rather than being pruned silently.
/// </summary>
public static class StructuralSchemaValidator
{
    /// <summary>Defaults the object in place and returns every violation as "path: message".</summary>
    public static List<string> Validate(JsonObject schema, JsonNode? value)
    {
        ApplyDefaults(schema, value);
        var errors = new List<string>();
        Check(schema, value, "", errors);
        return errors;
    }

    /// <summary>Fills absent properties that have a default, then descends (defaults get their own nested defaults).</summary>
    public static void ApplyDefaults(JsonObject schema, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, propSchema) in properties)
                    {
                        if (!obj.ContainsKey(name) && propSchema?["default"] is { } dflt)
                            obj[name] = dflt.DeepClone();
                        if (obj[name] is { } child)
                            ApplyDefaults((JsonObject)propSchema!, child);
                    }
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, child) in obj.ToList())
                        ApplyDefaults(additional, child);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                    ApplyDefaults(items, item);
                break;
        }
    }

    private static void Check(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "<root>" : path;
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
                errors.Add($"{at}: must not be null");
            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!IsInteger(value) && !IsString(value))
                errors.Add($"{at}: must be an integer or a string");
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object":
                CheckObject(schema, value, path, errors);
                break;
            case "array":
                if (value is not JsonArray array)
                {
                    errors.Add($"{at}: must be an array");
                    return;
                }

                if (schema["minItems"] is { } minItems && array.Count < minItems.GetValue<long>())
                    errors.Add($"{at}: must have at least {minItems} items");
                for (var i = 0; i < array.Count; i++)
                    Check((JsonObject)schema["items"]!, array[i], $"{path}[{i}]", errors);
                break;
            case "string":
                if (!IsString(value))
                {
                    errors.Add($"{at}: must be a string, got {value.ToJsonString()}");
                    return;
                }

                CheckString(schema, value.GetValue<string>(), at, errors);
                break;
            case "integer":
                if (!IsInteger(value))
                {
                    errors.Add($"{at}: must be an integer, got {value.ToJsonString()}");
                    return;
                }

                CheckInteger(schema, value.GetValue<long>(), at, errors);
                break;
            case "boolean":
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    errors.Add($"{at}: must be a boolean, got {value.ToJsonString()}");
                break;
            default:
                errors.Add($"{at}: schema has no type (structural schemas need one)");
                break;
        }
    }

    private static void CheckObject(JsonObject schema, JsonNode value, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "<root>" : path;
        if (value is not JsonObject obj)
        {
            errors.Add($"{at}: must be an object");
            return;
        }

        var errorsBefore = errors.Count;
        if (schema["maxProperties"] is { } maxProperties && obj.Count > maxProperties.GetValue<long>())
            errors.Add($"{at}: must have at most {maxProperties} properties");
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var opaque = properties is null && additional is null; // e.g. metadata: the API server checks it itself
        foreach (var (name, child) in obj)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (properties?[name] is JsonObject propSchema)
                Check(propSchema, child, childPath, errors);
            else if (additional is not null)
                Check(additional, child, childPath, errors);
            else if (!preserve && !opaque)
                errors.Add($"{childPath}: unknown field");
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = required!.GetValue<string>();
            if (!obj.ContainsKey(name))
                errors.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: Required value");
        }

        // Rules run on well-typed values only (the API server reports schema errors and skips CEL on them).
        if (errors.Count != errorsBefore)
            return;
        foreach (var rule in schema["x-kubernetes-validations"]?.AsArray() ?? [])
        {
            var text = rule!["rule"]!.GetValue<string>();
            if (!CelRules.Evaluate(text, obj))
                errors.Add($"{at}: Invalid value: {rule["message"]?.GetValue<string>() ?? text}");
        }
    }

    private static void CheckString(JsonObject schema, string text, string at, List<string> errors)
    {
        if (schema["enum"] is JsonArray values && !values.Any(v => v?.GetValue<string>() == text))
            errors.Add($"{at}: Unsupported value: \"{text}\"");
        if (schema["minLength"] is { } min && text.Length < min.GetValue<long>())
            errors.Add($"{at}: must be at least {min} characters");
        if (schema["maxLength"] is { } max && text.Length > max.GetValue<long>())
            errors.Add($"{at}: must be at most {max} characters");
        if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
            errors.Add($"{at}: must match '{pattern}'");
        if (schema["format"]?.GetValue<string>() == "date-time"
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            errors.Add($"{at}: must be a date-time");
    }

    private static void CheckInteger(JsonObject schema, long number, string at, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < min.GetValue<long>())
            errors.Add($"{at}: must be greater than or equal to {min}");
        if (schema["maximum"] is { } max && number > max.GetValue<long>())
            errors.Add($"{at}: must be less than or equal to {max}");
        if (schema["format"]?.GetValue<string>() == "int32" && number is < int.MinValue or > int.MaxValue)
            errors.Add($"{at}: must fit in int32");
    }

    private static bool IsString(JsonNode value) => value.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && value is JsonValue v && v.TryGetValue<long>(out _);
}
