namespace GanAudio.App.Data;

/// <summary>What the trainer needs from a dataset: full batches of fixed-length mono examples in [−1, 1] (or
/// normalised) with class labels, in a seeded order whose position can be saved and restored for exact resume.
/// <see cref="Batcher"/> is the implementation.</summary>
public interface ITrainingData
{
    int Length { get; }

    int SampleRate { get; }

    /// <summary>Class (genre) names; label i is ClassNames[i].</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Examples per epoch.</summary>
    int Count { get; }

    int BatchSize { get; }

    /// <summary>The next batch in the seeded order.</summary>
    AudioBatch NextBatch();

    /// <summary>The position in the order (saved in checkpoints for exact resume).</summary>
    BatcherState State { get; }

    void Restore(BatcherState state);

    /// <summary>Example i (for reports and evaluation baselines).</summary>
    float[] Example(int index, out int label);
}
