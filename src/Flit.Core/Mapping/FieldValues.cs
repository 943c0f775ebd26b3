using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Flit.Core.Mapping;

/// <summary>
/// A record's mapped values: the field names are the spec's (shared by every record of an object), the values an
/// array. Cheaper than a hash table per record on million-row runs; reads like any read-only dictionary.
/// </summary>
internal sealed class FieldValues(string[] names, object?[] values, int count) : IReadOnlyDictionary<string, object?>
{
    public int Count => count;

    /// <summary>Name and value at a position, in the spec's order (no enumerator on hot paths).</summary>
    public (string Name, object? Value) At(int index) => (names[index], values[index]);

    public IEnumerable<string> Keys => names.Take(count);

    public IEnumerable<object?> Values => values.Take(count);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No value for field '{key}'.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return new KeyValuePair<string, object?>(names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
