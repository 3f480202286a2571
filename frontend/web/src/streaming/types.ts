// The streaming API's shapes as the server sends them (docs/streaming.md), shared by the streaming pages.

export type Visibility = "public" | "unlisted" | "private";

/** A release as lists show it: search, charts, feeds, an artist's page, playlists, related releases. */
export interface ReleaseSummary {
  id: string;
  ownerId: string;
  artist: string;
  title: string;
  description: string | null;
  genre: string | null;
  tags: string[];
  mood: string | null;
  bpm: number | null;
  key: string | null;
  durationSeconds: number | null;
  explicit: boolean;
  hasArtwork: boolean;
  releaseAt: string;
  plays: number;
  likes: number;
  reposts: number;
  comments: number;
}

/** A whole release (GET /api/releases/{id}); `secret` and `error` only reach the owner. */
export interface Release extends ReleaseSummary {
  credits: { name: string; role: string; userId: string | null }[];
  license: string;
  visibility: Visibility;
  published: boolean;
  status: "processing" | "ready" | "failed";
  error: string | null;
  secret: string | null;
}

export interface ReleaseComment {
  id: string;
  releaseId: string;
  authorId: string;
  parentId: string | null;
  atSeconds: number;
  text: string;
  createdAt: string;
}

export interface FollowCounts {
  userId: string;
  followers: number;
  following: number;
  followedByMe: boolean;
}

export interface FeedItem {
  release: ReleaseSummary;
  actorId: string;
  repost: boolean;
  at: string;
}

export interface PlaylistSummary {
  id: string;
  ownerId: string;
  title: string;
  isPublic: boolean;
  count: number;
}

export interface Playlist {
  id: string;
  ownerId: string;
  title: string;
  description: string | null;
  isPublic: boolean;
  releases: ReleaseSummary[];
}

export interface Profile {
  id: string;
  displayName: string;
  bio: string | null;
  createdAt: string;
}

export interface GenreCount {
  genre: string;
  releases: number;
}
