using Microsoft.Extensions.Logging;

namespace Flit.Destinations.Odoo;

/// <summary>
/// The Odoo connector's log events: fixed ids in this project's range (2000–2999; the ranges of every project are listed
/// in Flit.Activities' Logs), named placeholders, no personal data — models, methods, reason codes, attempts and delays,
/// never the values sent or Odoo's messages about them. Never the URL's secrets: the client logs no URL at all.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connected to Odoo {ServerVersion} over {Protocol}")]
    public static partial void OdooConnected(this ILogger logger, string? serverVersion, string protocol);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Odoo call {TargetModel}.{Method} attempt {Attempt} failed ({ReasonCode}); retrying in {DelayMs} ms")]
    public static partial void OdooCallRetrying(this ILogger logger, string targetModel, string method, int attempt, string reasonCode, long delayMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Odoo throttled {TargetModel}.{Method} on attempt {Attempt} ({ReasonCode}); retrying in {DelayMs} ms")]
    public static partial void OdooThrottled(this ILogger logger, string targetModel, string method, int attempt, string reasonCode, long delayMs);
}
