using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace GanAudio.App.Evaluation;

/// <summary>Eigen-decomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ with V orthogonal, by MathNet.Numerics
/// (Householder tridiagonalisation + QL, its managed provider). It replaced our cyclic Jacobi method: the same
/// eigenvalues to about 1e-14 of the largest on the covariance sizes evaluation uses, and faster at every one of them
/// (`bench/Bench numerics`).</summary>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues in ascending order and the matching unit eigenvectors as columns of V.</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException("matrix is not square");
        var evd = Matrix<double>.Build.DenseOfArray(matrix).Evd(Symmetricity.Symmetric);
        return (evd.EigenValues.Select(c => c.Real).ToArray(), evd.EigenVectors.ToArray());
    }

    /// <summary>The symmetric positive semi-definite square root V·diag(√max(λ, 0))·Vᵀ.</summary>
    public static double[,] Sqrt(double[,] matrix)
    {
        var (values, v) = Decompose(matrix);
        int n = values.Length;
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += v[i, k] * Math.Sqrt(Math.Max(values[k], 0)) * v[j, k];
                r[i, j] = s;
            }
        return r;
    }
}
