using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

public sealed partial class Tensor
{
    /// <summary>Matrix product (torch.matmul) for 2-D and 3-D operands: [M,K]@[K,N], [B,M,K]@[B,K,N], and a 3-D operand
    /// with a 2-D one (the 2-D one is shared by every batch). Transposed views are passed to GEMM without copying.</summary>
    public Tensor MatMul(Tensor b)
    {
        var a = this;
        CheckSame("MatMul", a, b);
        if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3) throw TensorShapeException.For("MatMul", "operands must be 2-D or 3-D", a.Shape, b.Shape);
        int m = a.Shape[^2], k = a.Shape[^1], k2 = b.Shape[^2], n = b.Shape[^1];
        if (k != k2) throw TensorShapeException.For("MatMul", $"inner dimensions differ ({k} vs {k2})", a.Shape, b.Shape);
        int ba = a.Rank == 3 ? a.Shape[0] : 1, bb = b.Rank == 3 ? b.Shape[0] : 1;
        if (ba != bb && ba != 1 && bb != 1) throw TensorShapeException.For("MatMul", "batch sizes differ", a.Shape, b.Shape);
        int batch = Math.Max(ba, bb);
        int[] outShape = a.Rank == 3 || b.Rank == 3 ? [batch, m, n] : [m, n];
        var y = Empty(outShape, a.DType, a.Device);
        if (y.Numel > 0)
        {
            var (abuf, ta, sa, oa, aTmp) = GemmOperand(a, m, k);
            var (bbuf, tb, sb, ob, bTmp) = GemmOperand(b, k, n);
            var args = new GemmArgs(ta, tb, m, n, k, 1, 0, batch, ba == 1 ? 0 : sa, bb == 1 ? 0 : sb, (long)m * n, oa, ob, 0);
            a.Backend.Gemm(args, abuf.Buffer, bbuf.Buffer, y.Buffer);
            if (aTmp) abuf.Dispose();
            if (bTmp) bbuf.Dispose();
        }
        return Recorder.Record(y, OpKind.MatMul, null, a, b);
    }

    /// <summary>Describes x (2-D or 3-D, last two dims r×c) as a GEMM operand: dense per batch either row-major
    /// or transposed, with a uniform batch stride; otherwise a contiguous copy.</summary>
    private static (Tensor Buf, bool Trans, long BatchStride, long Offset, bool Temporary) GemmOperand(Tensor x, int r, int c)
    {
        int rs = x.Strides[^2], cs = x.Strides[^1];
        long bs = x.Rank == 3 ? x.Strides[0] : 0;
        bool batchOk = x.Rank == 2 || x.Shape[0] == 1 || bs >= (long)r * c;
        if (batchOk && (cs == 1 || c == 1) && (rs == c || r == 1)) return (x, false, x.Rank == 3 && x.Shape[0] > 1 ? bs : (long)r * c, x.Offset, false);
        if (batchOk && (rs == 1 || r == 1) && (cs == r || c == 1)) return (x, true, x.Rank == 3 && x.Shape[0] > 1 ? bs : (long)r * c, x.Offset, false);
        var t = x.ContiguousCopy();
        return (t, false, (long)r * c, 0, true);
    }
}
