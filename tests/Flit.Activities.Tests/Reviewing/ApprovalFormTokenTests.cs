using System.Text;
using Flit.Activities.Reviewing;
using Microsoft.Extensions.Time.Testing;

namespace Flit.Activities.Tests.Reviewing;

public sealed class ApprovalFormTokenTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a key of thirty-two bytes, at least");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private string Issue() => ApprovalFormToken.Issue(Key, "m1", "hash-a", _time.GetUtcNow().AddMinutes(30));

    [Fact]
    public void Verify_TheTokenIssuedForThisMigrationAndHash_IsTrue() =>
        Assert.True(ApprovalFormToken.Verify(Key, Issue(), "m1", "hash-a", _time));

    [Fact]
    public void Verify_AnotherSpecHash_IsFalse() =>
        Assert.False(ApprovalFormToken.Verify(Key, Issue(), "m1", "hash-b", _time));

    [Fact]
    public void Verify_AnotherMigration_IsFalse() =>
        Assert.False(ApprovalFormToken.Verify(Key, Issue(), "m2", "hash-a", _time));

    [Fact]
    public void Verify_AfterExpiry_IsFalse()
    {
        var token = Issue();
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.False(ApprovalFormToken.Verify(Key, token, "m1", "hash-a", _time));
    }

    [Fact]
    public void Verify_ALaterExpiryWrittenIntoTheToken_IsFalse()
    {
        var token = Issue();
        var forged = (_time.GetUtcNow().AddDays(30).ToUnixTimeSeconds()) + token[token.IndexOf('.', StringComparison.Ordinal)..];
        Assert.False(ApprovalFormToken.Verify(Key, forged, "m1", "hash-a", _time));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("123.not base64!")]
    public void Verify_MalformedToken_IsFalse(string? token) =>
        Assert.False(ApprovalFormToken.Verify(Key, token, "m1", "hash-a", _time));

    [Fact]
    public void Verify_AnotherKey_IsFalse() =>
        Assert.False(ApprovalFormToken.Verify(Encoding.UTF8.GetBytes("another key"), Issue(), "m1", "hash-a", _time));
}
