namespace Flit.Activities.Reporting;

/// <summary>
/// The first <c>capacity</c> items of a stream in an order, kept as the stream goes by: a report lists the first
/// records by file and line, as a reader expects, without holding (or sorting) the millions it was drawn from.
/// </summary>
public sealed class FirstInOrder<T>(int capacity, IComparer<T> order)
{
    private readonly List<T> _items = new(Math.Min(capacity, 1024));

    public void Add(T item)
    {
        if (capacity <= 0 || (_items.Count == capacity && order.Compare(item, _items[^1]) >= 0))
        {
            return;
        }

        // After equal items: of two alike, the one seen first stays first.
        var at = _items.BinarySearch(item, order);
        at = at < 0 ? ~at : at + 1;
        while (at < _items.Count && order.Compare(_items[at], item) == 0)
        {
            at++;
        }

        _items.Insert(at, item);
        if (_items.Count > capacity)
        {
            _items.RemoveAt(_items.Count - 1);
        }
    }

    public IReadOnlyList<T> Items => _items;
}
