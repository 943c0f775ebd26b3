namespace Flit.Core.Destinations;

/// <summary>When a destination's change to a record is someone else's: later than the migration's own write.</summary>
public static class DestinationEdit
{
    /// <summary>
    /// Whether the destination changed the record after <paramref name="writtenAt"/>. Destinations keep the time to the
    /// second (Odoo's <c>write_date</c>), so a change in the same second as the write counts as the write's own.
    /// </summary>
    public static bool IsLater(DateTimeOffset? modifiedAt, DateTimeOffset writtenAt) =>
        modifiedAt is { } modified && modified.UtcDateTime > writtenAt.UtcDateTime.AddTicks(-(writtenAt.UtcDateTime.Ticks % TimeSpan.TicksPerSecond));
}
