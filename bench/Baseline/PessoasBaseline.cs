using System.Globalization;
using System.Text.Json;

/// <summary>
/// The rinha benchmark's baseline: the contest's routes in this process only — a dictionary of people, a set of
/// apelidos, search through a trigram index (each term's rarest trigram's people, checked by substring) — with no grains,
/// no persistence and no events. It measures what the load generator and one HTTP service reach on this machine, so
/// the service's figures can be read side by side. (A linear scan of every person per search, as it had before, made
/// its p99 26 s on the payloads of ../shared/rinha: the scan held the lock against creations at the top of the ramp.)
/// </summary>
internal static class PessoasBaseline
{
    private sealed record Person(string Id, string Apelido, string Nome, string Nascimento, string[]? Stack, string Text);

    public static void MapPessoasBaseline(this WebApplication app)
    {
        var gate = new Lock();
        var people = new List<Person>();
        var byId = new Dictionary<string, Person>(StringComparer.Ordinal);
        var apelidos = new HashSet<string>(StringComparer.Ordinal);
        var trigrams = new Dictionary<long, List<int>>(); // trigram of a person's lowercase text -> indexes in people, ascending

        app.MapPost("/pessoas", async (HttpRequest request) =>
        {
            Person? person;
            try
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                person = Read(body.RootElement, out var badRequest);
                if (badRequest) return Results.BadRequest();
            }
            catch (JsonException)
            {
                return Results.BadRequest();
            }
            if (person is null) return Results.UnprocessableEntity();
            lock (gate)
            {
                if (!apelidos.Add(person.Apelido)) return Results.UnprocessableEntity();
                people.Add(person);
                byId[person.Id] = person;
                for (var i = 0; i + 3 <= person.Text.Length; i++)
                {
                    var key = Trigram(person.Text, i);
                    if (!trigrams.TryGetValue(key, out var list)) trigrams[key] = list = [];
                    if (list.Count == 0 || list[^1] != people.Count - 1) list.Add(people.Count - 1);
                }
            }
            return Results.Created("/pessoas/" + person.Id, View(person));
        });
        app.MapGet("/pessoas/{id}", (string id) =>
        {
            lock (gate) return byId.TryGetValue(id, out var person) ? Results.Ok(View(person)) : Results.NotFound();
        });
        app.MapGet("/pessoas", (string? t) =>
        {
            if (string.IsNullOrEmpty(t)) return Results.BadRequest();
            var term = t.ToLowerInvariant();
            var found = new List<object>();
            lock (gate)
            {
                // Candidates: the people holding the term's rarest trigram (all people for a term under 3 characters).
                IReadOnlyList<int>? candidates = null;
                for (var i = 0; i + 3 <= term.Length; i++)
                {
                    if (!trigrams.TryGetValue(Trigram(term, i), out var list)) return Results.Ok(found);
                    if (candidates is null || list.Count < candidates.Count) candidates = list;
                }
                var count = candidates?.Count ?? people.Count;
                for (var i = 0; i < count && found.Count < 50; i++)
                {
                    var person = people[candidates?[i] ?? i];
                    if (person.Text.Contains(term, StringComparison.Ordinal)) found.Add(View(person));
                }
            }
            return Results.Ok(found);
        });
        app.MapGet("/contagem-pessoas", () =>
        {
            lock (gate) return Results.Text(people.Count.ToString(CultureInfo.InvariantCulture));
        });
    }

    private static long Trigram(string text, int at) => ((long)text[at] << 32) | ((long)text[at + 1] << 16) | text[at + 2];

    private static object View(Person p) => new { id = p.Id, apelido = p.Apelido, nome = p.Nome, nascimento = p.Nascimento, stack = p.Stack };

    /// <summary>The person of a body; null with <paramref name="badRequest"/> false when a rule is broken (422).</summary>
    private static Person? Read(JsonElement root, out bool badRequest)
    {
        badRequest = root.ValueKind != JsonValueKind.Object;
        if (badRequest) return null;
        var wrongType = false;
        string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.String) { wrongType = true; return null; }
            return value.GetString();
        }
        var apelido = Text("apelido");
        var nome = Text("nome");
        var nascimento = Text("nascimento");
        badRequest = wrongType;
        string[]? stack = null;
        if (root.TryGetProperty("stack", out var items) && items.ValueKind != JsonValueKind.Null)
        {
            if (items.ValueKind != JsonValueKind.Array || items.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String)) { badRequest = true; return null; }
            stack = items.EnumerateArray().Select(i => i.GetString()!).ToArray();
        }
        if (badRequest) return null;
        if (apelido is not { Length: >= 1 and <= 32 } || nome is not { Length: >= 1 and <= 100 }) return null;
        if (nascimento is not { Length: 10 } || !DateOnly.TryParseExact(nascimento, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return null;
        if (stack is not null && stack.Any(s => s.Length is < 1 or > 32)) return null;
        var text = string.Join('\0', new[] { apelido, nome }.Concat(stack ?? [])).ToLowerInvariant();
        return new Person(Guid.NewGuid().ToString(), apelido, nome, nascimento, stack, text);
    }
}
