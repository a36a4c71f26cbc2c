using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// The built-in schemas of seed 004's sample models. <c>users</c>: email (valid, unique), full_name (1–100),
/// age (optional integer 0–150), password (8–128, stored only as a hash). <c>orders</c>: product_name (1–200),
/// quantity (integer ≥ 1), total_price (number ≥ 0), user_id (an existing users id). Both accept an optional
/// string <c>id</c> and reject unknown fields. Every other table is schemaless (any JSON object).
/// </summary>
public static partial class TableSchemas
{
    /// <summary>The schema name reported for a table.</summary>
    public static string Describe(string table) => table switch
    {
        TableNames.Users => "users: email, full_name, age?, password",
        TableNames.Orders => "orders: product_name, quantity, total_price, user_id",
        _ => "schemaless",
    };

    /// <summary>The tables that exist without ever holding a record.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [TableNames.Orders, TableNames.Users];

    /// <summary>Normalises an email address for uniqueness (case-insensitive).</summary>
    public static string NormalizeEmail(string email) => email.ToLowerInvariant();

    /// <summary>
    /// Checks a whole record of <paramref name="table"/> (after a merge, with any new plain-text password in it).
    /// Returns the errors by field; empty when valid.
    /// </summary>
    public static Dictionary<string, string[]> Validate(string table, JsonObject data, bool passwordRequired)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (table)
        {
            case TableNames.Users:
                RequireString(data, "email", 3, 254, errors, IsEmail, "must be a valid email address");
                RequireString(data, "full_name", 1, 100, errors);
                OptionalInteger(data, "age", 0, 150, errors);
                if (passwordRequired || data.ContainsKey("password"))
                {
                    RequireString(data, "password", 8, 128, errors);
                }
                RejectUnknown(data, ["id", "email", "full_name", "age", "password"], table, errors);
                break;
            case TableNames.Orders:
                RequireString(data, "product_name", 1, 200, errors);
                RequireInteger(data, "quantity", 1, long.MaxValue, errors);
                RequireNumber(data, "total_price", 0, errors);
                RequireString(data, "user_id", 1, TableNames.MaxIdLength, errors);
                RejectUnknown(data, ["id", "product_name", "quantity", "total_price", "user_id"], table, errors);
                break;
        }
        return errors;
    }

    private static void RequireString(JsonObject data, string field, int min, int max, Dictionary<string, string[]> errors,
        Func<string, bool>? rule = null, string? ruleMessage = null)
    {
        if (!data.TryGetPropertyValue(field, out var node) || node is null)
        {
            errors[field] = ["is required"];
            return;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors[field] = ["must be a string"];
            return;
        }
        var value = node.GetValue<string>();
        var length = value.EnumerateRunes().Count();
        if (length < min || length > max)
        {
            errors[field] = [min == max ? $"must be {min} characters" : $"must be {min} to {max} characters long"];
            return;
        }
        if (rule is not null && !rule(value))
        {
            errors[field] = [ruleMessage!];
        }
    }

    private static void OptionalInteger(JsonObject data, string field, long min, long max, Dictionary<string, string[]> errors)
    {
        if (data.TryGetPropertyValue(field, out var node) && node is not null)
        {
            CheckInteger(node, field, min, max, errors);
        }
    }

    private static void RequireInteger(JsonObject data, string field, long min, long max, Dictionary<string, string[]> errors)
    {
        if (!data.TryGetPropertyValue(field, out var node) || node is null)
        {
            errors[field] = ["is required"];
            return;
        }
        CheckInteger(node, field, min, max, errors);
    }

    private static void CheckInteger(JsonNode node, string field, long min, long max, Dictionary<string, string[]> errors)
    {
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var value))
        {
            errors[field] = ["must be an integer"];
            return;
        }
        if (value < min || value > max)
        {
            errors[field] = [max == long.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}"];
        }
    }

    private static void RequireNumber(JsonObject data, string field, double min, Dictionary<string, string[]> errors)
    {
        if (!data.TryGetPropertyValue(field, out var node) || node is null)
        {
            errors[field] = ["is required"];
            return;
        }
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<double>(out var value) || !double.IsFinite(value))
        {
            errors[field] = ["must be a number"];
            return;
        }
        if (value < min)
        {
            errors[field] = [$"must be at least {min}"];
        }
    }

    private static void RejectUnknown(JsonObject data, string[] known, string table, Dictionary<string, string[]> errors)
    {
        foreach (var (name, _) in data)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                errors[name] = [$"is not a field of {table} (fields: {string.Join(", ", known)})"];
            }
        }
    }

    private static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    [GeneratedRegex(@"\A[^@\s\p{Cc}""(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
