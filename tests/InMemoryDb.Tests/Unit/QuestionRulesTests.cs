using InMemoryDb.Grains;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;

namespace InMemoryDb.Tests.Unit;

public sealed class QuestionRulesTests
{
    private static QuestionInput Question(string correta = "b", long id = 1, string a = "3", string b = "4", string c = "5", string d = "6")
        => new(id, "2+2?", a, b, c, d, correta, "facil", "matematica");

    private static AnswerInput Answer(string datahora = "2025-05-01T10:00:00Z", string usuario = "ana", long attempt = 1, long id = 1, string chosen = "b")
        => new(id, chosen, datahora, usuario, attempt);

    private static QuestionSnapshot Stored(QuestionInput input)
    {
        var (errors, letter) = QuestionRules.Check(input);
        Assert.Empty(errors);
        return new QuestionSnapshot(input.QuestionId, input.QuestionText, input.AlternativaA, input.AlternativaB, input.AlternativaC, input.AlternativaD,
            QuestionRules.StoredCorreta(input.AlternativaCorreta), input.Dificuldade, input.Assunto, letter, DateTimeOffset.UtcNow, 1);
    }

    [Theory]
    [InlineData("b", 'b', "b")]
    [InlineData("B", 'b', "b")]
    [InlineData(" c ", 'c', "c")]
    [InlineData("6", 'd', "6")]
    [InlineData(" 3 ", 'a', " 3 ")]
    public void CorrectAlternativeIsALetterOrTheTextOfOneAlternative(string correta, char letter, string stored)
    {
        var (errors, resolved) = QuestionRules.Check(Question(correta));
        Assert.Empty(errors);
        Assert.Equal(letter, resolved);
        Assert.Equal(stored, QuestionRules.StoredCorreta(correta));
    }

    [Theory]
    [InlineData("e")]
    [InlineData("7")]
    [InlineData("ab")]
    public void CorrectAlternativeThatNamesNoAlternativeIsInvalid(string correta)
        => Assert.Contains("alternativa_correta", QuestionRules.Check(Question(correta)).Errors.Keys);

    [Fact]
    public void CorrectAlternativeMatchingSeveralTextsIsInvalid()
        => Assert.Contains("alternativa_correta", QuestionRules.Check(Question("x", a: "x", b: "x")).Errors.Keys);

    [Fact]
    public void BlankAndTooLongFieldsAreInvalidAndIdMustBePositive()
    {
        var errors = QuestionRules.Check(Question() with { QuestionText = "  ", Assunto = new string('x', 201), QuestionId = 0 }).Errors;
        Assert.Equal(["assunto", "question_id", "question_text"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("b", true)]
    [InlineData("B", true)]
    [InlineData(" b", true)]
    [InlineData("4", true)]
    [InlineData("a", false)]
    [InlineData("3", false)]
    [InlineData("four", false)]
    public void AttemptIsCorrectByLetterInAnyCaseOrByTheRightText(string chosen, bool correct)
        => Assert.Equal(correct, QuestionRules.IsCorrect(Stored(Question("b")), chosen));

    [Fact]
    public void ALetterAlwaysReadsAsALetter()
    {
        // Alternative b's text is "a": choosing "a" picks alternative a, which is wrong.
        var question = Stored(Question("b", a: "x", b: "a"));
        Assert.False(QuestionRules.IsCorrect(question, "a"));
        Assert.True(QuestionRules.IsCorrect(question, "B"));
    }

    [Theory]
    [InlineData("2025-05-01T10:00:00Z", true)]
    [InlineData("2025-05-01T10:00:00.123456+03:00", true)]
    [InlineData("2025-05-01T10:00", true)]
    [InlineData("2025-05-01 10:00:00", true)]
    [InlineData("2025-05-01", false)]
    [InlineData("01/05/2025 10:00", false)]
    [InlineData("ontem", false)]
    [InlineData("2025-13-01T10:00:00", false)]
    public void DatahoraMustBeAnIsoDateTime(string value, bool valid)
        => Assert.Equal(valid, !QuestionRules.Check(Answer(datahora: value)).ContainsKey("datahora"));

    [Theory]
    [InlineData("ana", true)]
    [InlineData("José da Silva", true)]
    [InlineData("12345", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("a/b", false)]
    [InlineData("a\nb", false)]
    public void UsuarioIsNonBlankWithoutSlashOrControlCharacters(string usuario, bool valid)
        => Assert.Equal(valid, !QuestionRules.Check(Answer(usuario: usuario)).ContainsKey("usuario"));

    [Fact]
    public void AttemptNumberAndQuestionIdMustBePositive()
        => Assert.Equal(["nro_tentativa", "question_id"], QuestionRules.Check(Answer(attempt: 0, id: -1)).Keys.Order());

    [Fact]
    public void KeysRoundTripAndAreNeverDigitsOnly()
    {
        Assert.Equal("questions/42", QuestionKeys.Question(42));
        Assert.Equal(42, QuestionKeys.ParseQuestion("questions/42"));
        var key = QuestionKeys.Answer("12345", 7, 3);
        Assert.Equal("answers/12345/7/3", key);
        Assert.Equal(("12345", 7L, 3L), QuestionKeys.ParseAnswer(key));
        Assert.Equal("answers/" + Partitioning.Of("12345/7/3"), IndexPartitions.Of(key));
        Assert.Throws<FormatException>(() => QuestionKeys.ParseAnswer("answers/x/1"));
        Assert.Throws<FormatException>(() => QuestionKeys.ParseQuestion("questions/0"));
    }
}
