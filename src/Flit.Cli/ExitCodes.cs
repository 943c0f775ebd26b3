namespace Flit.Cli;

/// <summary>Process exit codes; scripts and CI branch on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something unexpected failed; the message says what and the log has the details.</summary>
    public const int Error = 1;

    /// <summary>The command line was wrong: an unknown command, option, pair or encoding, a migration id outside the documented characters.</summary>
    public const int Usage = 2;

    /// <summary>No approval matches the mapping spec: nothing was written.</summary>
    public const int NotApproved = 3;

    /// <summary>The run finished but some records failed; the report lists each with its reason.</summary>
    public const int CompletedWithFailures = 4;

    /// <summary>The input cannot be used as it is: an empty export folder or one with no file of the pair's layout, a file
    /// without its key column, a corrupt file, an undecidable encoding, bad configuration.</summary>
    public const int BadInput = 5;

    /// <summary>The run stopped before loading anything because owners match no destination user and no fallback owner
    /// is set (or the fallback is no user): the message lists them and says what to do. Nothing was written.</summary>
    public const int OwnersUnmatched = 6;
}
