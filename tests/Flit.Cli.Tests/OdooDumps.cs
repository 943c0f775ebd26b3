using System.Text.RegularExpressions;

namespace Flit.Cli.Tests;

/// <summary>Sandbox dumps to compare a database with itself before and after: without the stamps the server sets
/// itself, which no API sets back.</summary>
internal static partial class OdooDumps
{
    /// <summary>Without write_date and write_uid: a rollback's own write moves them.</summary>
    public static string WithoutWriteStamps(string dump) => WriteStamps().Replace(dump, string.Empty);

    /// <summary>Also without create_date: a resumed run may create a record in another second than the reference.</summary>
    public static string WithoutServerStamps(string dump) => ServerStamps().Replace(dump, string.Empty);

    [GeneratedRegex(@"""(write_date)"":""[^""]*"",?|""write_uid"":\d+,?")]
    private static partial Regex WriteStamps();

    [GeneratedRegex(@"""(create_date|write_date)"":""[^""]*"",?|""write_uid"":\d+,?")]
    private static partial Regex ServerStamps();
}
