namespace GanAudio.App.Training;

/// <summary>What the trainer needs from a dataset: fixed-length mono examples in [−1, 1] (or normalised), class labels,
/// and a resumable, seeded order.</summary>
public interface ITrainingData
{
    int Length { get; }

    int SampleRate { get; }

    /// <summary>Class (genre) names; label i is ClassNames[i].</summary>
    IReadOnlyList<string> ClassNames { get; }

    int Count { get; }

    /// <summary>The next batch in the seeded order: data is [batch, length] row-major.</summary>
    (float[] Data, int[] Labels) NextBatch(int batch);

    /// <summary>The position in the order (saved in checkpoints for exact resume).</summary>
    string SaveState();

    void LoadState(string state);

    /// <summary>Example i (for reports and evaluation baselines).</summary>
    float[] Example(int index, out int label);
}
