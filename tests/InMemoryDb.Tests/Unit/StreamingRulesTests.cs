using InMemoryDb.Grains.Streaming;
using InMemoryDb.Streaming;

namespace InMemoryDb.Tests.Unit;

/// <summary>The streaming platform's field rules, generated values and recommendation scores.</summary>
public sealed class StreamingRulesTests
{
    [Theory]
    [InlineData("529.982.247-25", "52998224725")]
    [InlineData("52998224725", "52998224725")]
    [InlineData("111.444.777-35", "11144477735")]
    public void ValidCpfsAreNormalisedToTheirDigits(string given, string expected) => Assert.Equal(expected, StreamingRules.NormalizeCpf(given));

    [Theory]
    [InlineData("529.982.247-26")] // wrong second check digit
    [InlineData("52998224715")] // wrong first check digit
    [InlineData("11111111111")] // all digits the same
    [InlineData("5299822472")] // ten digits
    [InlineData("529982247250")] // twelve digits
    [InlineData("52998a24725")]
    [InlineData("")]
    public void InvalidCpfsAreRefused(string given) => Assert.Null(StreamingRules.NormalizeCpf(given));

    [Fact]
    public void GeneratedCpfsAreValid()
    {
        for (var i = 0; i < 1000; i++)
        {
            var cpf = StreamingRules.NewCpf();
            Assert.Equal(cpf, StreamingRules.NormalizeCpf(cpf));
        }
    }

    [Theory]
    [InlineData("a@b.co", true)]
    [InlineData("maria.silva+tv@exemplo.com.br", true)]
    [InlineData("no-at.example.com", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("a@nodot", false)]
    [InlineData("a@.example.com", false)]
    [InlineData("a@example..com", false)]
    [InlineData("space in@example.com", false)]
    [InlineData("@example.com", false)]
    public void EmailsNeedALocalPartAndADottedDomain(string email, bool valid) => Assert.Equal(valid, StreamingRules.IsEmail(email));

    [Fact]
    public void GeneratedEmailsAreValidAndNameTheUser()
    {
        var email = StreamingRules.NewEmail("Fábio Araújo", 42, 0);
        Assert.Equal("fabio.araujo42@exemplo.com.br", email);
        Assert.True(StreamingRules.IsEmail(StreamingRules.NewEmail("Fábio Araújo", 42, 3)));
    }

    [Fact]
    public void EnumeratedValuesMatchInNfcOrNfd()
    {
        Assert.Equal("documentário", StreamingRules.OneOf("documenta\u0301rio", StreamingValues.Tipos));
        Assert.Equal("Padrão", StreamingRules.OneOf("Padrão", StreamingValues.Planos));
        Assert.Null(StreamingRules.OneOf("padrão", StreamingValues.Planos));
        Assert.Null(StreamingRules.OneOf("Série", StreamingValues.Tipos));
    }

    [Theory]
    [InlineData("Jose\u0301 Conceic\u0327a\u0303o", "José Conceição")]
    [InlineData("Ba\u0301sico", "Básico")]
    [InlineData("Padra\u0303o", "Padrão")]
    [InlineData("already composed: ãéç", "already composed: ãéç")]
    [InlineData("\u0301 a mark first, x\u0301 on no covered letter", "\u0301 a mark first, x\u0301 on no covered letter")]
    [InlineData("Ångström Żółć", "Ångström Żółć")]
    public void LatinLettersWithCombiningAccentsAreComposed(string given, string expected) => Assert.Equal(expected, LatinText.Nfc(given));

    [Theory]
    [InlineData("0.01", true)]
    [InlineData("29.90", true)]
    [InlineData("29.9", true)]
    [InlineData("1000000", true)]
    [InlineData("0", false)]
    [InlineData("-1", false)]
    [InlineData("10.001", false)]
    [InlineData("1000000.01", false)]
    public void PaymentsArePositiveWithAtMostTwoDecimals(string valor, bool valid)
        => Assert.Equal(valid, StreamingRules.CheckValor(decimal.Parse(valor, System.Globalization.CultureInfo.InvariantCulture)) is null);

    [Fact]
    public void ScoresAreStableAndWithinTheirRange()
    {
        for (long id = 1; id < 500; id++)
        {
            var score = Recommending.Score(7, id, 0.5);
            Assert.InRange(score, 0.5, 1.0);
            Assert.Equal(score, Recommending.Score(7, id, 0.5));
        }
        var popular = Recommending.Generated(9, null, 5).ToArray();
        Assert.Equal(5, popular.Length);
        Assert.All(popular, r => Assert.InRange(r.Pontuacao, 0.5, 0.8));
        Assert.Equal(popular, Recommending.Generated(9, null, 5).ToArray());
        Assert.All(Recommending.Generated(9, "filme", 4), r => Assert.Equal("filme", r.Tipo));
    }

    [Fact]
    public void SessionIdsNameTheirUser()
    {
        var id = StreamingKeys.NewSessionId(1234);
        Assert.True(StreamingKeys.TryParseSessionId(id, out var user));
        Assert.Equal(1234, user);
        Assert.False(StreamingKeys.TryParseSessionId("1234-xyz", out _));
        Assert.False(StreamingKeys.TryParseSessionId("0-" + new string('a', 32), out _));
        Assert.False(StreamingKeys.TryParseSessionId(Guid.NewGuid().ToString(), out _));
    }

    [Fact]
    public void PersonalDataIsMaskedInLogs()
    {
        Assert.Equal("m***@exemplo.com.br", Mask.Email("maria@exemplo.com.br"));
        Assert.Equal("***.***.***-25", Mask.Cpf("52998224725"));
    }
}
