using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace Flit.Storage.Azure;

/// <summary>
/// Logs each storage call attempt the SDK will retry (its retry policy does the retrying; this only makes it visible):
/// throttling (429, 503 "server busy") apart from other transient answers (408, 500, 502, 504) and from attempts that
/// never reached the service. Runs once per attempt (<see cref="HttpPipelinePosition.PerRetry"/>).
/// </summary>
internal sealed class StorageRetryLog(ILogger logger, string service) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception e) when (Unreachable(message, e))
        {
            throw;
        }

        Observe(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (Unreachable(message, e))
        {
            throw;
        }

        Observe(message);
    }

    private void Observe(HttpMessage message)
    {
        if (!message.HasResponse)
        {
            return;
        }

        var status = message.Response.Status;
        var attempt = message.ProcessingContext.RetryNumber + 1;
        if (status is 429 or 503)
        {
            logger.StorageThrottled(service, message.Request.Method.Method, attempt, status);
        }
        else if (status is 408 or 500 or 502 or 504)
        {
            logger.StorageCallRetrying(service, message.Request.Method.Method, attempt, status);
        }
    }

    /// <summary>Logs, and lets the exception go on (an exception filter that returns false).</summary>
    private bool Unreachable(HttpMessage message, Exception e)
    {
        if (e is not OperationCanceledException)
        {
            logger.StorageCallUnreachable(service, message.Request.Method.Method, message.ProcessingContext.RetryNumber + 1, e.GetType().Name);
        }

        return false;
    }
}
