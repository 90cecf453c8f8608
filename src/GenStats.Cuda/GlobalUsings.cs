global using FBuffer = ILGPU.Runtime.MemoryBuffer1D<float, ILGPU.Stride1D.Dense>;
global using FView = ILGPU.Runtime.ArrayView1D<float, ILGPU.Stride1D.Dense>;
global using IView = ILGPU.Runtime.ArrayView1D<int, ILGPU.Stride1D.Dense>;
