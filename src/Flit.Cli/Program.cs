using System.CommandLine;
using Flit.Cli;
using Flit.Cli.Commands;
using Flit.Cli.Hosting;

var root = new RootCommand("flit: FlitFunctions' migration engine on one machine (local runner, embedded default stores).");
root.Options.Add(CommonOptions.Workdir);
root.Options.Add(CommonOptions.Store);
root.Options.Add(CommonOptions.StorageConnectionString);
root.Options.Add(CommonOptions.StorageAccountUrl);
root.Options.Add(CommonOptions.LogLevel);
root.Options.Add(CommonOptions.LogFile);
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

Microsoft.Extensions.Logging.ILoggerFactory loggers;
try
{
    loggers = CliLogging.Start(parse.GetValue(CommonOptions.LogLevel), parse.GetValue(CommonOptions.LogFile));
}
catch (UserFacingException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return e.ExitCode;
}

// Disposed before the process ends, so the log file and the console logger have written every line.
using (loggers)
{
    return await parse.InvokeAsync();
}
