using System.Buffers;
using System.Text;
using InMemoryDb.Api.Http;
using InMemoryDb.Bench.Rinha;
using InMemoryDb.Grains.Pessoas;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Tests.Unit;

/// <summary>The people rules, ids and search index, and the load generator's schedule and independent rules.</summary>
public sealed class PessoaRulesTests
{
    [Fact]
    public void IdsAreVersion5UuidsOfTheApelido()
    {
        // Reference values from Python's uuid.uuid5 with the same namespace.
        Assert.Equal(Guid.Parse("7ae4dff4-312b-5253-aacf-2fc28dadd536"), PessoaIds.ForApelido("josé"));
        Assert.Equal(Guid.Parse("5204659a-121d-5487-9ba5-101b077641e4"), PessoaIds.ForApelido("ana"));
        Assert.NotEqual(PessoaIds.ForApelido("Ana"), PessoaIds.ForApelido("ana"));
        Assert.Equal(PessoaIds.ForApelido(new string('x', 2000)), PessoaIds.ForApelido(new string('x', 2000)));
    }

    [Theory]
    [InlineData("2000-02-29", true)]
    [InlineData("1999-12-31", true)]
    [InlineData("0001-01-01", true)]
    [InlineData("2000-13-01", false)]
    [InlineData("2001-02-29", false)]
    [InlineData("2000-00-10", false)]
    [InlineData("0000-01-01", false)]
    [InlineData("2000-1-01", false)]
    [InlineData(" 2000-01-01", false)]
    [InlineData("2000-01-01 ", false)]
    [InlineData("２０００-01-01", false)]
    [InlineData("10", false)]
    public void DatesMustBeRealAndWrittenAaaaMmDd(string text, bool valid) => Assert.Equal(valid, PessoaRules.IsDate(text));

    [Fact]
    public void RulesNameEveryBrokenField()
    {
        var errors = PessoaRules.Validate(new NovaPessoa(null, new string('n', 101), "2000-02-30", ["ok", new string('s', 33)]))!;
        Assert.Equal(["apelido", "nascimento", "nome", "stack"], errors.Keys.Order());
        Assert.Null(PessoaRules.Validate(new NovaPessoa("a", "n", "2000-01-01", null)));
        Assert.Null(PessoaRules.Validate(new NovaPessoa("a", "n", "2000-01-01", [])));
        Assert.NotNull(PessoaRules.Validate(new NovaPessoa("a", "n", "2000-01-01", [null!])));
        // 32 characters that take 64 UTF-16 units (outside the BMP) are fine; 33 are not.
        Assert.Null(PessoaRules.Validate(new NovaPessoa(string.Concat(Enumerable.Repeat("😀", 32)), "n", "2000-01-01", null)));
        Assert.NotNull(PessoaRules.Validate(new NovaPessoa(string.Concat(Enumerable.Repeat("😀", 33)), "n", "2000-01-01", null)));
    }

    [Fact]
    public void SearchIndexFindsSubstringsPerFieldCaseInsensitively()
    {
        var index = new PessoaSearchIndex();
        var jose = new Pessoa("1", "zé", "José Roberto", "2000-01-01", ["Node", "C#"]);
        var ana = new Pessoa("2", "aninha", "Ana Maria", "2000-01-01", null);
        Assert.True(index.Add(jose));
        Assert.True(index.Add(ana));
        Assert.False(index.Add(jose with { Nome = "Outro" }));
        Assert.Equal(2, index.Count);

        string[] Ids(string term, int limit = 50) => index.Search(PessoaSearchIndex.Normalize(term), limit).Select(p => p.Id).ToArray();
        Assert.Equal(["1"], Ids("node"));
        Assert.Equal(["1"], Ids("BERTO"));
        Assert.Equal(["1"], Ids("c#"));
        Assert.Equal(["1"], Ids("josé r"));
        Assert.Equal(["1", "2"], Ids("r"));
        Assert.Equal(["1"], Ids("R", limit: 1));
        Assert.Equal(["2"], Ids("an"));
        Assert.Equal(["2"], Ids("ninha"));
        Assert.Empty(Ids("robertonode"));
        Assert.Empty(Ids("zéjosé"));
        Assert.Empty(Ids("xyz"));
        Assert.Empty(Ids("\0"));
    }

    [Fact]
    public void SearchIndexAgreesWithAScanOnTheContestData()
    {
        var rows = RinhaLoadTest.ReadRows(Path.Combine(TestData.RinhaDirectory, "pessoas-payloads.tsv")).Take(3000);
        var index = new PessoaSearchIndex();
        var people = new List<Pessoa>();
        foreach (var row in rows)
        {
            var (nova, error) = PessoaBody.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(row)));
            if (error is not null || PessoaRules.Validate(nova!) is not null) continue;
            var pessoa = new Pessoa(people.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nova!.Apelido!, nova.Nome!, nova.Nascimento!, nova.Stack);
            if (index.Add(pessoa)) people.Add(pessoa);
        }
        var terms = RinhaLoadTest.ReadRows(Path.Combine(TestData.RinhaDirectory, "termos-busca.tsv")).Take(150)
            .Concat(["java", "Rust", "c", "go", "on", people[7].Nome[3..9], people[42].Apelido]);
        foreach (var term in terms)
        {
            var lowered = PessoaSearchIndex.Normalize(term);
            var expected = people.Where(p => p.Apelido.Contains(term, StringComparison.OrdinalIgnoreCase)
                || p.Nome.Contains(term, StringComparison.OrdinalIgnoreCase)
                || (p.Stack ?? []).Any(s => s.Contains(term, StringComparison.OrdinalIgnoreCase))).Select(p => p.Id).ToArray();
            Assert.Equal(expected, index.Search(lowered, int.MaxValue).Select(p => p.Id).ToArray());
            Assert.Equal(expected.Take(50), index.Search(lowered, 50).Select(p => p.Id).ToArray());
        }
    }

    [Fact]
    public void GeneratorRulesAgreeWithTheServiceOnEveryContestRow()
    {
        var rows = RinhaLoadTest.ReadRows(Path.Combine(TestData.RinhaDirectory, "pessoas-payloads.tsv"));
        Assert.Equal(100_000, rows.Length);
        var generator = new ContestRules();
        var service = new HashSet<string>(StringComparer.Ordinal);
        var (badRequest, invalid) = (0, 0);
        foreach (var row in rows)
        {
            var (nova, error) = PessoaBody.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(row)));
            var created = false;
            if (error is not null) badRequest++;
            else if (PessoaRules.Validate(nova!) is not null) invalid++;
            else created = service.Add(nova!.Apelido!);
            Assert.True(created == generator.Accept(row), row);
        }
        Assert.Equal(service.Count, generator.Created);
        // The contest file's invalid kinds: stack "string" or 1 (400); long fields, bad dates, long stack elements (422).
        Assert.Equal(657, badRequest);
        Assert.True(invalid > 10_000);
    }

    [Fact]
    public void ContestProfileHasTheContestsArrivals()
    {
        var random = new Random(1);
        var criacao = RinhaLoadTest.CriacaoSteps.Sum(s => s.Arrivals(random).Count());
        Assert.InRange(criacao, 54_540 + 20 + 40, 54_540 + 20 + 115);
        Assert.Equal(50 + 9_540, RinhaLoadTest.BuscaValidaSteps.Sum(s => s.Arrivals(random).Count()));
        Assert.Equal(50 + 4_140, RinhaLoadTest.BuscaInvalidaSteps.Sum(s => s.Arrivals(random).Count()));

        // Arrival i of a ramp a→b over d happens at the t solving i = a·t + (b − a)·t²/(2d).
        var ramp = InjectionStep.Ramp(6, 600, 180).Arrivals(random).ToArray();
        Assert.Equal(54_540, ramp.Length);
        foreach (var i in new[] { 0, 1, 1000, 30_000, 54_539 })
        {
            var t = ramp[i];
            Assert.Equal(i, 6 * t + 594 * t * t / 360, 6);
        }
        Assert.True(ramp.Zip(ramp.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i / 2.0), InjectionStep.Constant(2, 10).Arrivals(random));
        var scaled = RinhaLoadTest.CriacaoSteps.Select(s => s.Scale(0.1, 0.1)).ToArray();
        Assert.Equal(20.5, scaled.Sum(s => s.Seconds), 9);
        Assert.Equal(546, scaled[2].Arrivals(random).Count());
    }
}
