namespace GanAudio.Kernels;

/// <summary>An operand of a strided kernel: element <c>idx</c> of the logical shape lives at
/// <c>Offset + Σ idx[d]·Strides[d]</c> in <see cref="Buffer"/>. A stride of 0 broadcasts.</summary>
public readonly record struct StridedOperand(DeviceBuffer Buffer, int Offset, int[] Strides);
