using System.CommandLine;
using Flit.Cli;
using Flit.Cli.Commands;

var root = new RootCommand("flit: FlitFunctions' migration engine on one machine (local runner, embedded default stores).");
root.Options.Add(CommonOptions.Workdir);
root.Options.Add(CommonOptions.Store);
root.Options.Add(CommonOptions.StorageConnectionString);
root.Options.Add(CommonOptions.StorageAccountUrl);
foreach (var command in FlitCommands.All())
{
    root.Subcommands.Add(command);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    await Console.Error.WriteLineAsync("Run `flit --help` for the commands and their options.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
