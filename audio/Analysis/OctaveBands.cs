namespace Jacameno.Audio.Analysis;

/// <summary>Long-term energy per octave band (31.5 Hz to 16 kHz), from 8192-point spectra averaged over the whole signal.</summary>
public static class OctaveBands
{
    /// <summary>Band centres in Hz.</summary>
    public static readonly double[] Centres = [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000];

    /// <summary>Bands whose centre is below 45% of the rate (the rest are not measured).</summary>
    public static int Usable(int sampleRate) => Centres.Count(b => b < sampleRate * 0.45);

    /// <summary>Level of each usable band in dB (negative infinity for an empty band).</summary>
    public static double[] Levels(IReadOnlyList<float[]> audio, int sampleRate)
    {
        const int size = 8192;
        var bands = Usable(sampleRate);
        var spectra = Spectrogram.Magnitudes(Spectrogram.Mono(audio), size, size);
        var energy = new double[bands];
        foreach (var spectrum in spectra)
        {
            for (var k = 1; k < spectrum.Length; k++)
            {
                var band = (int)Math.Round(Math.Log2(k * (double)sampleRate / size / 31.5));
                if (band >= 0 && band < bands)
                {
                    energy[band] += spectrum[k] * spectrum[k];
                }
            }
        }

        return [.. energy.Select(e => e > 0 ? 10 * Math.Log10(e / spectra.Length) : double.NegativeInfinity)];
    }
}
