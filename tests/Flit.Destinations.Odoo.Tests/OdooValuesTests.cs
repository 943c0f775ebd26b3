namespace Flit.Destinations.Odoo.Tests;

/// <summary>Ids go to Odoo as integers whatever shape they arrive in (facts #16: a float id is silently lost).</summary>
public sealed class OdooValuesTests
{
    [Theory]
    [InlineData("many2one")]
    [InlineData("many2one_reference")]
    [InlineData("integer")]
    public void ForWrite_IdAsDoubleOrText_IsALong(string type)
    {
        Assert.Equal(39L, OdooValues.ForWrite(type, 39.0d));
        Assert.Equal(39L, OdooValues.ForWrite(type, "39"));
        Assert.Equal(39L, OdooValues.ForWrite(type, 39));
    }

    [Fact]
    public void ForWrite_Many2manyIdsOrCommandsWithDoubles_AreCommandsOfLongs()
    {
        var plain = Assert.IsType<List<object?>>(OdooValues.ForWrite("many2many", new List<object?> { 3.0d, 4L }));
        var replace = Assert.IsType<List<object?>>(Assert.Single(plain));
        Assert.Equal<object?>([6L, 0L, new List<object?> { 3L, 4L }], replace);

        var commands = Assert.IsType<List<object?>>(OdooValues.ForWrite("many2many", new List<object?> { new List<object?> { 6.0d, 0.0d, new List<object?> { 5.0d } } }));
        Assert.Equal<object?>([6L, 0L, new List<object?> { 5L }], Assert.IsType<List<object?>>(Assert.Single(commands)));
    }

    [Fact]
    public void ForWrite_FractionalId_IsLeftAsItIs_ForOdooToRefuse()
    {
        Assert.Equal(39.5d, OdooValues.ForWrite("many2one", 39.5d));
    }
}
