using GenStats.Tensors;

namespace GenStats.Observables;

/// <summary>TEMPORARY stub until the trig ops land.</summary>
public static class TensorObservables
{
    /// <summary>stub</summary>
    public static Tensor DeltaPhi(Tensor phi1, Tensor phi2) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor DeltaR(Tensor eta1, Tensor phi1, Tensor eta2, Tensor phi2) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor Mass(Tensor[] pt, Tensor[] eta, Tensor[] phi, Tensor[]? mass = null) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor MassFromFourMomenta(Tensor[] e, Tensor[] px, Tensor[] py, Tensor[] pz) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor SystemPt(Tensor[] pt, Tensor[] phi) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor SystemPhi(Tensor[] pt, Tensor[] phi) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor SystemRapidity(Tensor[] pt, Tensor[] eta, Tensor[]? mass = null) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor TransverseMass(Tensor pt1, Tensor phi1, Tensor pt2, Tensor phi2) => throw new NotImplementedException();
    /// <summary>stub</summary>
    public static Tensor TransverseMass(Tensor pt1, Tensor phi1, Tensor m1, Tensor pt2, Tensor phi2, Tensor m2) => throw new NotImplementedException();
}
