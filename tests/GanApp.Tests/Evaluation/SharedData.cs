namespace GanApp.Tests.Evaluation;

/// <summary>Finds the project's sample data (<c>shared/data</c>, which sits beside the repository clone in CI) by walking
/// up from the test assembly's folder.</summary>
public static class SharedData
{
    public static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
