using System.Diagnostics.Metrics;

namespace Flit.Tests.Shared;

/// <summary>A meter factory of a test's own: its meters are scoped to it, so a <c>MetricCollector</c> built on it sees
/// this test's measurements only, never those of tests running beside it.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
