using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Mta.Operator.Tests.Crd;

/// <summary>
/// Walks a C# API type and its schema node side by side and reports every difference: property sets (both ways),
/// JSON types and integer formats, required fields, and defaults (a C# initializer and a schema default must both
/// exist and agree, nested defaults included).
/// </summary>
public static class SchemaTypeMapping
{
    public static List<string> Compare(Type type, JsonObject schema, string path)
    {
        var problems = new List<string>();
        CompareObject(type, schema, path, problems);
        return problems;
    }

    public static IReadOnlyDictionary<string, PropertyInfo> JsonProperties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
        .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{type.Name}.{p.Name} has no [JsonPropertyName]"));

    private static void CompareObject(Type type, JsonObject schema, string path, List<string> problems)
    {
        if (schema["type"]?.GetValue<string>() != "object")
        {
            problems.Add($"{path}: C# {type.Name} is an object, schema type is {schema["type"]}");
            return;
        }

        var csharp = JsonProperties(type);
        var schemaProps = (schema["properties"] as JsonObject)?.Select(p => p.Key).ToHashSet() ?? [];
        foreach (var name in csharp.Keys.Except(schemaProps))
            problems.Add($"{path}.{name}: in C# {type.Name}, missing from the schema");
        foreach (var name in schemaProps.Except(csharp.Keys))
            problems.Add($"{path}.{name}: in the schema, missing from C# {type.Name}");

        var requiredCs = csharp.Where(p => p.Value.GetCustomAttribute<JsonRequiredAttribute>() is not null).Select(p => p.Key).ToHashSet();
        var requiredSchema = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        if (!requiredCs.SetEquals(requiredSchema))
            problems.Add($"{path}: required differs: C# [{string.Join(", ", requiredCs.Order())}], schema [{string.Join(", ", requiredSchema.Order())}]");

        var instance = Activator.CreateInstance(type)!;
        foreach (var (name, property) in csharp)
        {
            if (schema["properties"]?[name] is not JsonObject propSchema)
                continue;
            var propPath = $"{path}.{name}";
            CompareValueType(property.PropertyType, propSchema, propPath, problems);
            if (requiredCs.Contains(name))
            {
                // A required field has no default; a value type's zero here is not an initializer.
                if (propSchema["default"] is not null)
                    problems.Add($"{propPath}: required and defaulted in the schema");
                continue;
            }

            CompareDefault(property.GetValue(instance), propSchema, propPath, problems);
        }
    }

    private static void CompareDefault(object? csharpDefault, JsonObject propSchema, string path, List<string> problems)
    {
        var schemaDefault = propSchema["default"]?.DeepClone();
        if (csharpDefault is null && schemaDefault is null)
            return;
        if (csharpDefault is null || schemaDefault is null)
        {
            problems.Add($"{path}: default differs: C# {(csharpDefault is null ? "none" : KubernetesJson.Serialize(csharpDefault))}, schema {(schemaDefault is null ? "none" : schemaDefault.ToJsonString())}");
            return;
        }

        StructuralSchemaValidator.ApplyDefaults(propSchema, schemaDefault);
        var expected = JsonNode.Parse(KubernetesJson.Serialize(csharpDefault));
        if (!JsonNode.DeepEquals(expected, schemaDefault))
            problems.Add($"{path}: default differs: C# {expected?.ToJsonString()}, schema (defaulted) {schemaDefault.ToJsonString()}");
    }

    private static void CompareValueType(Type type, JsonObject schema, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = schema["type"]?.GetValue<string>();
        var format = schema["format"]?.GetValue<string>();
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;

        void Expect(string? wantType, string? wantFormat = null, bool wantIntOrString = false)
        {
            if (schemaType != wantType || (wantFormat is not null && format != wantFormat) || intOrString != wantIntOrString)
                problems.Add($"{path}: C# {type.Name} wants type={wantType ?? "-"} format={wantFormat ?? "-"} int-or-string={wantIntOrString}, schema has type={schemaType ?? "-"} format={format ?? "-"} int-or-string={intOrString}");
        }

        if (type == typeof(string)) Expect("string");
        else if (type == typeof(int)) Expect("integer", "int32");
        else if (type == typeof(long)) Expect("integer", "int64");
        else if (type == typeof(bool)) Expect("boolean");
        else if (type == typeof(DateTime)) Expect("string", "date-time");
        else if (type == typeof(ResourceQuantity) || type == typeof(IntOrString)) Expect(null, wantIntOrString: true);
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            Expect("object");
            if (schema["additionalProperties"] is JsonObject values)
                CompareValueType(type.GetGenericArguments()[1], values, path + ".*", problems);
            else
                problems.Add($"{path}: C# map, schema has no additionalProperties");
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            Expect("array");
            if (schema["items"] is JsonObject items)
                CompareValueType(type.GetGenericArguments()[0], items, path + "[]", problems);
            else
                problems.Add($"{path}: C# list, schema has no items");
        }
        else if (type.IsClass)
        {
            CompareObject(type, schema, path, problems);
        }
        else
        {
            problems.Add($"{path}: C# type {type.Name} has no schema mapping in this test");
        }
    }
}
