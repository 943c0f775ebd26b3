using System.CommandLine;

namespace Flit.Cli.Commands;

/// <summary>Options several commands share, declared once so their names and defaults agree.</summary>
internal static class CommonOptions
{
    public static readonly Option<string> Workdir = new("--workdir")
    {
        Description = "Folder holding the local runner's state (staging, ID map, journal, reports).",
        DefaultValueFactory = _ => ".flit",
        Recursive = true,
    };

    public static Option<string> Migration() => new("--migration", "-m")
    {
        Description = "Migration id (letters, digits, '-', '_').",
        Required = true,
    };

    public static Option<string> Pair() => new("--pair")
    {
        Description = "Mapping pair: arkcase-odoo, casemanager-odoo, oncourse-odoo, actimo-odoo, actimo-dynamics.",
        Required = true,
    };

    public static Option<DirectoryInfo> Exports() => new("--exports")
    {
        Description = "Folder with the client's export files.",
        Required = true,
    };
}
