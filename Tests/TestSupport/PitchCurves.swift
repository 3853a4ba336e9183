import Foundation

/// Issue 13's pitch curves, in cents about the tone's f0, for tones of known pitch (Tones.gliding).
public enum PitchCurves {
    /// A 40-cent attack scoop over 50 ms (linear from −40 cents to the held pitch), then from
    /// 0.3 s a 5.5 Hz vibrato of ±20 cents.
    public static func scoopAndVibrato(_ t: Double) -> Double {
        t < 0.05 ? -40 * (1 - t / 0.05) : (t < 0.3 ? 0 : 20 * sin(2 * Double.pi * 5.5 * (t - 0.3)))
    }

    /// A tom's fall: from +150 to −150 cents over 0.4 s (exponential approach), held after.
    public static func fall(_ t: Double) -> Double {
        if t >= 0.4 { return -150 }
        let progress: Double = (1 - exp(-t / 0.1)) / (1 - exp(-4.0))
        return 150 - 300 * progress
    }
}
