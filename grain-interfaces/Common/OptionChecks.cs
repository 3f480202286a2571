using Microsoft.Extensions.Options;

namespace Jacameno.Common;

/// <summary>One shape for every options validator: a list of (holds, message) checks, each failure reported by its message.</summary>
public static class OptionChecks
{
    public static ValidateOptionsResult Result(params (bool Holds, string Message)[] checks)
    {
        var failures = checks.Where(c => !c.Holds).Select(c => c.Message).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
