namespace GenStats.Physics;

/// <summary>A four-momentum (E, px, py, pz) with a pure boost; the toys' kinematics only.</summary>
internal readonly record struct LorentzVector(double E, double X, double Y, double Z)
{
    /// <summary>This vector seen from a frame moving with velocity −β (i.e. boosted by +β).</summary>
    public LorentzVector Boost(double bx, double by, double bz)
    {
        double b2 = bx * bx + by * by + bz * bz;
        if (b2 == 0) return this;
        double gamma = 1 / Math.Sqrt(1 - b2), bp = bx * X + by * Y + bz * Z;
        double k = (gamma - 1) * bp / b2 + gamma * E;
        return new LorentzVector(gamma * (E + bp), X + k * bx, Y + k * by, Z + k * bz);
    }

    /// <summary>The unit 3-vector along the momentum.</summary>
    public (double X, double Y, double Z) Direction()
    {
        double n = Math.Sqrt(X * X + Y * Y + Z * Z);
        return (X / n, Y / n, Z / n);
    }
}
