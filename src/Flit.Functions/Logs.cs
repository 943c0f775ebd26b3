using Microsoft.Extensions.Logging;

namespace Flit.Functions;

/// <summary>The Functions host's own log events (ids 4000–4999; docs/ops.md lists them). The engine's activities log
/// theirs under the migration's scope, which Application Insights keeps as custom dimensions.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Migration {MigrationId} started for tenant {Tenant}: {Pair}, {Mode} run to connection {Connection}")]
    public static partial void MigrationStarted(this ILogger logger, string migrationId, string tenant, string pair, string mode, string connection);
}
