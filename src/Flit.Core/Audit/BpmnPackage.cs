using System.Xml;
using System.Xml.Linq;

namespace Flit.Core.Audit;

/// <summary>Reads a BPMN 2.0 definition into a structure an admin can rebuild from (with the raw XML kept).</summary>
public static class BpmnPackage
{
    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal)
    {
        "startEvent", "endEvent", "userTask", "serviceTask", "scriptTask", "task", "exclusiveGateway", "parallelGateway",
        "inclusiveGateway", "intermediateCatchEvent", "boundaryEvent", "subProcess", "callActivity",
    };

    public static IReadOnlyDictionary<string, object?> Describe(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            return new Dictionary<string, object?> { ["error"] = $"Not valid BPMN XML: line {e.LineNumber}, position {e.LinePosition}: {e.Message}", ["xml"] = xml };
        }

        var processes = document.Descendants().Where(e => e.Name.LocalName == "process").Select(process => new Dictionary<string, object?>
        {
            ["id"] = (string?)process.Attribute("id"),
            ["name"] = (string?)process.Attribute("name"),
            ["steps"] = process.Elements().Where(e => Elements.Contains(e.Name.LocalName)).Select(e => new Dictionary<string, object?>
            {
                ["type"] = e.Name.LocalName,
                ["id"] = (string?)e.Attribute("id"),
                ["name"] = (string?)e.Attribute("name"),
                ["timer"] = e.Descendants().FirstOrDefault(d => d.Name.LocalName is "timeDuration" or "timeDate" or "timeCycle")?.Value,
                ["attachedTo"] = (string?)e.Attribute("attachedToRef"),
            }).ToList(),
            ["flows"] = process.Elements().Where(e => e.Name.LocalName == "sequenceFlow").Select(e => new Dictionary<string, object?>
            {
                ["from"] = (string?)e.Attribute("sourceRef"),
                ["to"] = (string?)e.Attribute("targetRef"),
                ["condition"] = e.Elements().FirstOrDefault(c => c.Name.LocalName == "conditionExpression")?.Value,
            }).ToList(),
        }).ToList();
        return new Dictionary<string, object?> { ["processes"] = processes, ["xml"] = xml };
    }
}
