// The streaming API's shapes as the server sends them (docs/streaming.md), shared by the streaming pages.
import type { Schema } from "../api/types";

export type Visibility = Schema<"ReleaseVisibility">;

/** A release as lists show it: search, charts, feeds, an artist's page, playlists, related releases. */
export type ReleaseSummary = Schema<"ReleaseSummary">;

/** A whole release (GET /api/releases/{id}); `secret` and `error` only reach the owner. */
export type Release = Schema<"ReleaseInfo">;

export type ReleaseComment = Schema<"ReleaseComment">;

export type FollowCounts = Schema<"FollowCounts">;

export type FeedItem = Schema<"FeedItem">;

export type PlaylistSummary = Schema<"PlaylistSummary">;

export type Playlist = Schema<"PlaylistResponse">;

/** A user as anyone sees them (GET /api/users/{id}). */
export type Profile = Schema<"UserResponse">;

export type GenreCount = Schema<"GenreCount">;
