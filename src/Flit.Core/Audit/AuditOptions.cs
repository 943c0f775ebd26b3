using Flit.Core.Values;

namespace Flit.Core.Audit;

/// <summary>What the audit needs beyond the records. Core does no I/O: file access comes in as functions.</summary>
public sealed record AuditOptions
{
    /// <summary>Destination users' e-mails; null when the destination is not known yet (owners are then listed to check).</summary>
    public IReadOnlySet<string>? DestinationUserEmails { get; init; }

    /// <summary>Odoo's default upload limit for the web client is 25 MB (<c>web.max_file_upload_size</c>, 128 MiB
    /// request bodies on the RPC side); larger files are flagged for manual retrieval.</summary>
    public long MaxAttachmentBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>Size of an export file by relative path, or null when it does not exist.</summary>
    public Func<string, long?> FileSize { get; init; } = _ => null;

    /// <summary>Text of an export file by relative path (for BPMN definitions), or null.</summary>
    public Func<string, string?> ReadText { get; init; } = _ => null;

    /// <summary>The source's convention for slash dates when no value proves the order.</summary>
    public DateOrder DateConvention { get; init; } = DateOrder.DayFirst;

    /// <summary>Records listed per finding (the count is always exact): enough to fix an export by, and the audit's
    /// memory stays bounded whatever the export's size (a million rows with one finding in ten would otherwise list
    /// them all).</summary>
    public int MaxRecordsPerFinding { get; init; } = 10_000;
}
