// Test helpers for anything that needs someone signed in: a sign-in answer as the server sends it.
import type { TokenResponse, User } from "./client";

export function tokensFor(user: Pick<User, "id" | "displayName"> & Partial<User>): TokenResponse {
  return {
    accessToken: "token",
    refreshToken: "refresh",
    expiresIn: 900,
    tokenType: "Bearer",
    user: {
      email: `${user.id}@example.test`,
      bio: null,
      role: "user",
      linkedLogins: [],
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      emailVerified: true,
      deletionDueAt: null,
      ...user,
    },
  };
}
