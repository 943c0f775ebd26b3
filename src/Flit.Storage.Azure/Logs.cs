using Microsoft.Extensions.Logging;

namespace Flit.Storage.Azure;

/// <summary>
/// The Azure stores' log events: ids in this project's range (5000–5999; every project's range is listed in
/// Flit.Activities' Logs). The service, the HTTP method, the attempt and the status code only: never a URL, whose
/// blob names are the client's file names, nor the account's key.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Azure {StorageService} {Method} attempt {Attempt} answered {StatusCode}; the SDK retries it")]
    public static partial void StorageCallRetrying(this ILogger logger, string storageService, string method, int attempt, int statusCode);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Azure {StorageService} throttled {Method} on attempt {Attempt} ({StatusCode}); the SDK backs off and retries it")]
    public static partial void StorageThrottled(this ILogger logger, string storageService, string method, int attempt, int statusCode);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Azure {StorageService} {Method} attempt {Attempt} did not reach the service ({ErrorType})")]
    public static partial void StorageCallUnreachable(this ILogger logger, string storageService, string method, int attempt, string errorType);
}
