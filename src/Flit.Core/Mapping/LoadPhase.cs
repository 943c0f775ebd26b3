namespace Flit.Core.Mapping;

/// <summary>Dependency order of the load: a phase starts when the previous one is done.</summary>
public enum LoadPhase
{
    Companies = 1,
    Contacts = 2,
    Leads = 3,
    Activities = 4,
    Attachments = 5,
}
