namespace GanAudio.Bench;

/// <summary>A benchmark suite, found by reflection: `dotnet run -c Release --project bench/Bench -- &lt;name&gt; [args]`.</summary>
public interface IBenchSuite
{
    string Name { get; }

    string Description { get; }

    int Run(string[] args);
}
