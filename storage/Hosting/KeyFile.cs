using System.Security.Cryptography;

namespace Jacameno.Hosting;

/// <summary>Secret keys that embedded mode generates once and keeps in the data directory.</summary>
public static class KeyFile
{
    public static byte[] LoadOrCreate(string path, int length = 64)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(length);
        var scratch = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(scratch, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            // Two processes racing: the first rename wins and both read the winner's key.
            File.Move(scratch, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(scratch);
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
