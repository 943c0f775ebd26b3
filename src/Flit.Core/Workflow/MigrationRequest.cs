using System.Text.Json.Serialization;

namespace Flit.Core.Workflow;

/// <summary>Sample mode loads a representative slice and ends with the field-level diff; full mode loads everything and
/// opens the delta window; a delta pass loads a newer export of a migration run in full: what is new is created, what
/// changed is updated (never over an edit made in the destination since), the rest is left alone.</summary>
public enum RunMode
{
    Sample,
    Full,
    Delta,
}

/// <summary>What an engineer asks for when starting a migration (the orchestration input: small, serialisable).</summary>
/// <param name="MigrationId">Stable id of the migration (also the orchestration instance id).</param>
/// <param name="Tenant">Client tenant; part of every external id.</param>
/// <param name="Pair">Mapping pair, e.g. <c>arkcase-odoo</c>.</param>
/// <param name="ExportPrefix">Where the client's exports are (a folder or a blob prefix).</param>
/// <param name="Mode">Sample or full.</param>
/// <param name="BatchSize">Records per destination call.</param>
/// <param name="SampleSize">Records per object in sample mode.</param>
/// <param name="ApprovalTimeout">How long the run waits for a person to approve the mapping.</param>
/// <param name="DeltaWindow">How long full mode keeps the delta-pickup window open.</param>
/// <param name="FallbackOwnerEmail">Destination user for records whose owner has no destination user.</param>
/// <param name="Encoding">The text encoding of the export files that have no byte order mark (a .NET or IANA name such
/// as <c>shift_jis</c>), or null to detect it. Left out of the JSON when null, so the inputs of runs journaled before
/// it existed hash the same.</param>
/// <param name="OverwriteDestinationEdits">Write records that someone changed in the destination since the migration
/// wrote them (<c>--force</c>); without it they are conflicts, reported and left as they are. Left out of the JSON when
/// false, like <paramref name="Encoding"/>.</param>
public sealed record MigrationRequest(
    string MigrationId,
    string Tenant,
    string Pair,
    string ExportPrefix,
    RunMode Mode,
    int BatchSize = 500,
    int SampleSize = 200,
    TimeSpan? ApprovalTimeout = null,
    TimeSpan? DeltaWindow = null,
    string? FallbackOwnerEmail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Encoding = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool OverwriteDestinationEdits = false)
{
    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromDays(7);

    public static readonly TimeSpan DefaultDeltaWindow = TimeSpan.FromHours(48);

    /// <summary>The migration's tag in the destination: part of the external id of everything its prepare step creates,
    /// so its rollback removes only that. A fixed-length hash first, so no tag is the start of another's; then the id,
    /// for people reading it (safe in Odoo xmlid names and Dataverse keys).</summary>
    public string OwnerTag =>
        System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(MigrationId)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..10]
        + "_" + Mapping.CompiledMapping.Slug(MigrationId, 20);
}
