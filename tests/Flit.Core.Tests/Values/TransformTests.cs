using Flit.Core.Destinations;
using Flit.Core.Transforms;
using Flit.Core.Values;
using FsCheck.Xunit;

namespace Flit.Core.Tests.Values;

public sealed class TransformTests
{
    [Theory]
    [InlineData("Low", "0")]
    [InlineData("medium", "1")]
    [InlineData("High", "2")]
    [InlineData("Critical", "3")]
    [InlineData("expedite", "3")]
    [InlineData("0", "0")]
    [InlineData("1", "0")]
    [InlineData("2", "1")]
    [InlineData("3", "2")]
    [InlineData("4", "3")]
    public void PriorityOf_SourceScale_LandsOnOddosFourValues(string source, string odoo) =>
        Assert.Equal(odoo, Transforms.Transforms.PriorityOf(source).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \r\n ")]
    [InlineData("Called back")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<p> </p>")]
    [InlineData("a < b and c > d")]
    public void HtmlPresence_IsEmptyExactlyWhenTheSafeHtmlIs(string? body)
    {
        var presence = Transforms.Transforms.Presence("html")!;

        var result = presence([body], Transforms.TransformContext.Utc);

        Assert.Null(result.Error);
        Assert.Equal(HtmlValues.ToSafeHtml(body) is null, result.Value is null);
    }

    [Fact]
    public void PriorityOf_OutOfScale_IsAnErrorNotAGuess()
    {
        Assert.NotNull(Transforms.Transforms.PriorityOf("7").Error);
        Assert.NotNull(Transforms.Transforms.PriorityOf("whenever").Error);
    }

    [Theory]
    [InlineData("Ada Lovelace", "Ada", "Lovelace")]
    [InlineData("Lovelace, Ada", "Ada", "Lovelace")]
    [InlineData("Ludwig van Beethoven", "Ludwig", "van Beethoven")]
    [InlineData("Martin Luther King Jr.", "Martin Luther", "King Jr.")]
    [InlineData("Madonna", "", "Madonna")]
    [InlineData("  Jean   de la  Fontaine ", "Jean", "de la Fontaine")]
    [InlineData("王小明", "小明", "王")]
    [InlineData("Анна Каренина", "Анна", "Каренина")]
    public void Split_RealWorldNames_FirstAndLast(string full, string first, string last) =>
        Assert.Equal((first, last), NameValues.Split(full));

    [Property]
    public bool Split_ThenJoin_GivesBackTheCollapsedName(string[] words)
    {
        var clean = (words ?? []).Select(w => new string((w ?? string.Empty).Where(char.IsLetter).ToArray())).Where(w => w.Length > 0).ToArray();
        var full = string.Join(' ', clean);
        var (first, last) = NameValues.Split(full);
        return NameValues.Join(first, last) == full || clean.Length == 1;
    }

    [Theory]
    [InlineData("Acme Ltd", "ACME Limited")]
    [InlineData("Smith & Sons Pty Ltd", "smith and sons")]
    [InlineData("The Widget Company", "Widget")]
    [InlineData("Café Müller GmbH", "cafe muller")]
    public void CompanyKey_SpellingsOfOneCompany_Agree(string a, string b) =>
        Assert.Equal(NameValues.CompanyKey(a), NameValues.CompanyKey(b));

    [Fact]
    public void CompanyKey_DifferentCompanies_Differ() =>
        Assert.NotEqual(NameValues.CompanyKey("Acme Ltd"), NameValues.CompanyKey("Acme Logistics Ltd"));

    [Theory]
    [InlineData("03/04/2025", DateOrder.DayFirst, 2025, 4, 3)]
    [InlineData("03/04/2025", DateOrder.MonthFirst, 2025, 3, 4)]
    [InlineData("2025-04-03", DateOrder.MonthFirst, 2025, 4, 3)]
    [InlineData("03 04 2025", DateOrder.DayFirst, 2025, 4, 3)]
    [InlineData("45750", DateOrder.DayFirst, 2025, 4, 3)]
    public void TryParseDate_RealWorldShapes(string text, DateOrder order, int y, int m, int d)
    {
        Assert.True(DateValues.TryParseDate(text, order, out var date, out var error), error);
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("31/02/2025")]
    [InlineData("2025-13-01")]
    [InlineData("yesterday")]
    public void TryParseDate_ImpossibleOrUnreadable_IsAnError(string text) =>
        Assert.False(DateValues.TryParseDate(text, DateOrder.DayFirst, out _, out _));

    [Fact]
    public void TryParseUtc_LocalTimeInSourceZone_ConvertsWithDaylightSaving()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

        Assert.True(DateValues.TryParseUtc("15/07/2025 14:30", DateOrder.DayFirst, london, out var summer, out _));
        Assert.True(DateValues.TryParseUtc("15/01/2025 14:30", DateOrder.DayFirst, london, out var winter, out _));
        Assert.True(DateValues.TryParseUtc("2025-07-15T14:30:00+02:00", DateOrder.DayFirst, london, out var offset, out _));

        Assert.Equal(new DateTime(2025, 7, 15, 13, 30, 0), summer);
        Assert.Equal(new DateTime(2025, 1, 15, 14, 30, 0), winter);
        Assert.Equal(new DateTime(2025, 7, 15, 12, 30, 0), offset);
    }

    [Fact]
    public void DateOrderDetector_OneUnambiguousValue_DecidesTheFile()
    {
        var detector = new DateOrderDetector();
        detector.Observe("03/04/2025");
        detector.Observe("04/25/2025");

        Assert.Equal(DateOrder.MonthFirst, detector.Decide(DateOrder.DayFirst));
        Assert.False(detector.IsContradictory);
        detector.Observe("25/04/2025");
        Assert.True(detector.IsContradictory);
    }

    [Theory]
    [InlineData("Call back <script>alert(1)</script><b>today</b>", "Call back <b>today</b>")]
    [InlineData("<p onclick=\"x()\">Hi 😀</p>", "<p>Hi 😀</p>")]
    [InlineData("a < b\nsecond line", "<p>a &lt; b<br>second line</p>")]
    public void ToSafeHtml_ScriptsAndHandlersGone_TextEscaped(string input, string expected) =>
        Assert.Equal(expected, HtmlValues.ToSafeHtml(input));

    [Theory]
    [InlineData("Shift Schedule", "x_shift_schedule")]
    [InlineData("Employment-Type (2024)", "x_employment_type_2024")]
    [InlineData("2nd Language", "x_f_2nd_language")]
    [InlineData("Ünïcödé naïve", "x_unicode_naive")]
    public void Odoo_CustomFieldName_IsXPrefixedSnakeCaseSqlIdentifier(string label, string expected) =>
        Assert.Equal(expected, FieldNames.Odoo(label));

    [Property]
    public bool Odoo_AnyLabel_ValidSqlIdentifierOf63CharsAtMost(string label)
    {
        var name = FieldNames.Odoo(label ?? string.Empty);
        return name.Length <= 63 && name.StartsWith("x_", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
    }

    [Theory]
    [InlineData("Shift Schedule", "flit_ShiftSchedule")]
    [InlineData("quiz-score %", "flit_QuizScore")]
    public void Dataverse_SchemaName_PrefixAndAlphanumeric(string label, string expected) =>
        Assert.Equal(expected, FieldNames.Dataverse(label));

    [Fact]
    public void TypeInference_FewDistinctValuesOverManyRows_IsAPicklist()
    {
        var inference = new TypeInference();
        foreach (var i in Enumerable.Range(0, 60))
        {
            inference.Observe(i % 3 == 0 ? "Night" : i % 3 == 1 ? "Day" : "Swing");
        }

        var type = inference.Infer();

        Assert.Equal("picklist", type.Kind);
        Assert.Equal("selection", type.OdooType);
        Assert.Equal(["Day", "Night", "Swing"], type.Options);
    }

    [Theory]
    [InlineData(new[] { "1", "22", "-3" }, "integer")]
    [InlineData(new[] { "1.5", "2", "3.25" }, "decimal")]
    [InlineData(new[] { "007", "12" }, "text")]
    [InlineData(new[] { "yes", "no" }, "boolean")]
    [InlineData(new[] { "2024-01-02", "2024-03-04" }, "date")]
    [InlineData(new[] { "a@b.io", "c@d.io" }, "email")]
    public void TypeInference_ValuesOfOneShape_ThatType(string[] values, string kind)
    {
        var inference = new TypeInference();
        foreach (var v in values)
        {
            inference.Observe(v);
        }

        Assert.Equal(kind, inference.Infer().Kind);
    }

    [Fact]
    public void Owner_KeyWithoutEmail_IsAnErrorNamingTheOwner()
    {
        var context = new TransformContext(TimeZoneInfo.Utc, DateOrder.DayFirst, key => key == "ann" ? "ann@acme.test" : null);

        Assert.Equal(new UserLookup("ann@acme.test"), Transforms.Transforms.Owner("ann", context).Value);
        Assert.Contains("'bob'", Transforms.Transforms.Owner("bob", context).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.234,56", 1234.56)]
    [InlineData("1,234.56", 1234.56)]
    [InlineData("£12", 12d)]
    public void Decimal_EuropeanAndEnglishSeparators(string text, double expected) =>
        Assert.Equal(expected, Transforms.Transforms.Decimal(text).Value);
}
