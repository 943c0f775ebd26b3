using Flit.Core.Workflow;

namespace Flit.Functions.Hosting;

/// <summary>What <c>POST /api/migrations</c> recorded: the request, the destination connection it names, who asked and
/// when. Kept in the migration's state (document <see cref="Document"/>) so every activity opens the same destination.</summary>
public sealed record MigrationRegistration(MigrationRequest Request, string Connection, string RequestedBy, DateTimeOffset RequestedAt)
{
    public const string Document = "registration";
}
