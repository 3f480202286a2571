using System.Security.Cryptography;

namespace Jacameno.Common;

/// <summary>
/// Ids made from other ids (an order's asset per file, a user's library order per pack), so asking again finds what
/// the first request made instead of making another: the first 16 bytes of SHA-256 over the parts, in order.
/// </summary>
public static class DerivedIds
{
    public static Guid Of(params byte[][] parts) => new(SHA256.HashData([.. parts.SelectMany(p => p)])[..16]);
}
