using System.CommandLine;
using Flit.Cli.Hosting;
using Flit.Core.Mapping;
using Flit.Core.Workflow;
using Flit.Sources.Readers;
using Flit.Storage.Azure;

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

    public static readonly Option<string> Store = new("--store")
    {
        Description = "Where migrations keep staging, ID maps, journals and state: local (files and SQLite under --workdir) or azure (Blob and Table Storage, as the Functions app does).",
        DefaultValueFactory = _ => "local",
        Recursive = true,
    };

    public static readonly Option<string?> StorageConnectionString = new("--storage-connection-string")
    {
        Description = "With --store azure: the storage account's connection string (UseDevelopmentStorage=true for Azurite); default FLIT_STORAGE_CONNECTION_STRING.",
        Recursive = true,
    };

    public static readonly Option<Uri?> StorageAccountUrl = new("--storage-account-url")
    {
        Description = "With --store azure: the account's blob endpoint (https://<account>.blob.core.windows.net), signed in with Entra ID (managed identity, Azure CLI, environment).",
        Recursive = true,
    };

    /// <summary>The workspace on the stores the options name; a bad combination is a usage error naming the options.</summary>
    public static Workspace OpenWorkspace(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var root = parse.GetValue(Workdir)!;
        var kind = parse.GetValue(Store)?.Trim().ToLowerInvariant();
        if (kind == "local")
        {
            return new Workspace(root);
        }

        if (kind != "azure")
        {
            throw new UserFacingException($"Unknown store '{parse.GetValue(Store)}'. Stores: local, azure.", ExitCodes.Usage);
        }

        var connection = parse.GetValue(StorageConnectionString) ?? Environment.GetEnvironmentVariable("FLIT_STORAGE_CONNECTION_STRING");
        var account = parse.GetValue(StorageAccountUrl);
        if ((connection is null) == (account is null))
        {
            throw new UserFacingException("--store azure needs the account: --storage-connection-string (or FLIT_STORAGE_CONNECTION_STRING) or --storage-account-url, one of them.", ExitCodes.Usage);
        }

        try
        {
            var options = new AzureStorageOptions { ConnectionString = connection, AccountUrl = account, Loggers = CliLogging.Loggers };
            return new Workspace(root, _ => MigrationStores.Azure(options));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UserFacingException($"The Azure storage settings are not usable: {e.Message}", ExitCodes.Usage);
        }
    }

    // Before the options that use it: static fields initialise in order.
    private static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    /// <summary>The log's minimum level (<see cref="Hosting.CliLogging"/>): a level name, case-insensitive.</summary>
    public static readonly Option<Microsoft.Extensions.Logging.LogLevel?> LogLevel = new("--log-level")
    {
        Description = $"Log from this level on: {string.Join(", ", LogLevels)}. To the --log-file when given (default {Hosting.CliLogging.DefaultFileLevel} there), else to standard error; without either option nothing is logged.",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
            if (LogLevels.FirstOrDefault(l => l.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                return Enum.Parse<Microsoft.Extensions.Logging.LogLevel>(name);
            }

            result.AddError($"Unknown log level '{text}'. Levels: {string.Join(", ", LogLevels)}.");
            return null;
        },
    };

    /// <summary>Where the log goes as JSON lines, scope properties included.</summary>
    public static readonly Option<string?> LogFile = new("--log-file")
    {
        Description = "Write the log to this file as JSON lines (appended), each with its MigrationId, RunId, Stage, ObjectType and BatchId. Standard output stays the run's summary.",
        Recursive = true,
    };

    public static Option<string> Migration()
    {
        var option = new Option<string>("--migration", "-m")
        {
            Description = $"Migration id ({MigrationIds.Rule}).",
            Required = true,
        };
        option.Validators.Add(result =>
        {
            if (MigrationIds.Problem(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return option;
    }

    public static Option<string> Pair() => ValidPair(new Option<string>("--pair")
    {
        Description = $"Mapping pair: {string.Join(", ", MappingSpecLoader.ShippedPairs)}.",
        Required = true,
    });

    /// <summary>Refuses at parse time a pair no spec ships for (exit 2, the pairs listed).</summary>
    public static Option<string> ValidPair(Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            var pair = result.GetValueOrDefault<string>();
            if (!MappingSpecLoader.ShippedPairs.Contains(pair?.Trim().ToLowerInvariant() ?? string.Empty))
            {
                result.AddError($"Unknown pair '{pair}'. Pairs: {string.Join(", ", MappingSpecLoader.ShippedPairs)}.");
            }
        });
        return option;
    }

    /// <summary>How long full mode keeps its delta-pickup window open.</summary>
    public static Option<TimeSpan?> DeltaWindow() =>
        Duration("--delta-window", "How long full mode keeps the delta-pickup window open", null, $"default {MigrationRequest.DefaultDeltaWindow.TotalHours:0}h");

    /// <summary>A duration given as days, hours, minutes or seconds: <c>2d</c>, <c>48h</c>, <c>90m</c>, <c>30s</c>.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan? defaultValue, string? defaultText = null)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = $"{description}, e.g. 48h, 2d, 90m or 30s ({defaultText ?? $"default {defaultValue!.Value.TotalSeconds:0}s"}).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
                var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
                if (double.TryParse(text[..^Math.Min(1, text.Length)], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount > 0
                    && unit is 'd' or 'h' or 'm' or 's')
                {
                    return unit switch { 'd' => TimeSpan.FromDays(amount), 'h' => TimeSpan.FromHours(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromSeconds(amount) };
                }

                result.AddError($"{name} '{text}': give a positive number of days, hours, minutes or seconds, e.g. 48h, 2d, 90m or 30s.");
                return null;
            },
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return option;
    }

    /// <summary>The encoding of export files that carry no byte order mark, when detection cannot tell (or guesses wrong).</summary>
    public static Option<string?> Encoding()
    {
        var option = new Option<string?>("--encoding")
        {
            Description = $"Text encoding of export files without a byte order mark, when it is not detected (UTF-8, UTF-16, UTF-32, Windows-1252 are): a .NET or IANA name such as {string.Join(", ", ExportEncodings.Examples)}.",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !ExportEncodings.TryResolve(name, out _))
            {
                result.AddError($"Unknown encoding '{name}'. Use a .NET or IANA name, for example {string.Join(", ", ExportEncodings.Examples)}.");
            }
        });
        return option;
    }

    public static Option<DirectoryInfo> Exports() => new("--exports")
    {
        Description = "Folder with the client's export files.",
        Required = true,
    };
}
