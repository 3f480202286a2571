// The app's shell: the top bar, the routes (big pages load on demand, the editor above all), and the
// player bar that stays across pages.
import { lazy, Suspense } from "react";
import { NavLink, Route, Routes, useNavigate } from "react-router";
import { signOut } from "./api/client";
import { RequireUser, SignInPage, SignUpPage, SocialCallbackPage, useUser, VerifyEmailPage } from "./auth/auth";
import { ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, SettingsPage } from "./auth/recovery";
import { AcceptInvitationPage } from "./projects/AcceptInvitationPage";
import { PlayerBar, PlayerProvider } from "./streaming/player";
import { ProjectsPage } from "./projects/ProjectsPage";

const EditorPage = lazy(() => import("./editor/EditorPage"));
const DiscoverPage = lazy(() => import("./streaming/DiscoverPage"));
const ReleasePage = lazy(() => import("./streaming/ReleasePage"));
const UserPage = lazy(() => import("./streaming/UserPage"));
const PlaylistPage = lazy(() => import("./streaming/PlaylistPage"));
const MarketPage = lazy(() => import("./market/MarketPage"));
const ListingPage = lazy(() => import("./market/ListingPage"));
const PurchasesPage = lazy(() => import("./market/PurchasesPage"));
const SellerPage = lazy(() => import("./market/SellerPage"));
const InsightsPage = lazy(() => import("./streaming/InsightsPage"));
const ModerationPage = lazy(() => import("./auth/ModerationPage"));
const CopyrightPage = lazy(() => import("./auth/CopyrightPage"));
const ConsentPage = lazy(() => import("./apps/ConsentPage"));

export function App() {
  return (
    <PlayerProvider>
      <TopBar />
      <Suspense fallback={<p className="muted page">Loading…</p>}>
        <Routes>
          <Route path="/" element={<DiscoverPage />} />
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/auth/callback" element={<SocialCallbackPage />} />
          <Route path="/verify-email" element={<VerifyEmailPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/confirm-email" element={<ConfirmEmailPage />} />
          <Route path="/settings" element={<RequireUser><SettingsPage /></RequireUser>} />
          <Route path="/settings/premium" element={<RequireUser><SettingsPage /></RequireUser>} />
          <Route path="/oauth/consent" element={<RequireUser><ConsentPage /></RequireUser>} />
          <Route path="/admin/moderation" element={<RequireUser><ModerationPage /></RequireUser>} />
          <Route path="/copyright" element={<RequireUser><CopyrightPage /></RequireUser>} />
          <Route path="/invitations/accept" element={<RequireUser><AcceptInvitationPage /></RequireUser>} />
          <Route path="/projects" element={<RequireUser><ProjectsPage /></RequireUser>} />
          <Route path="/projects/:projectId" element={<RequireUser><EditorPage /></RequireUser>} />
          <Route path="/releases/:releaseId" element={<ReleasePage />} />
          <Route path="/users/:userId" element={<UserPage />} />
          <Route path="/playlists/:playlistId" element={<PlaylistPage />} />
          <Route path="/market" element={<MarketPage />} />
          <Route path="/market/listings/:listingId" element={<ListingPage />} />
          <Route path="/market/purchases" element={<RequireUser><PurchasesPage /></RequireUser>} />
          <Route path="/market/orders/:orderId" element={<RequireUser><PurchasesPage /></RequireUser>} />
          <Route path="/market/seller" element={<RequireUser><SellerPage /></RequireUser>} />
          <Route path="/insights" element={<RequireUser><InsightsPage /></RequireUser>} />
          <Route path="*" element={<main className="page"><h1>Not found</h1><p>There is no page here.</p></main>} />
        </Routes>
      </Suspense>
      <PlayerBar />
    </PlayerProvider>
  );
}

function TopBar() {
  const user = useUser();
  const navigate = useNavigate();
  return (
    <header className="top-bar">
      <NavLink to="/" className="brand">Jacameno</NavLink>
      <nav aria-label="Main">
        <NavLink to="/">Discover</NavLink>
        <NavLink to="/market">Marketplace</NavLink>
        {user && <NavLink to="/projects">Studio</NavLink>}
      </nav>
      <div className="spacer" />
      {user ? (
        <>
          {user.role === "admin" && <NavLink to="/admin/moderation">Moderation</NavLink>}
          <NavLink to="/insights">Insights</NavLink>
          <NavLink to="/settings">Settings</NavLink>
          <NavLink to={`/users/${user.id}`} className="muted">{user.displayName}</NavLink>
          <button className="link" onClick={() => void signOut().then(() => navigate("/"))}>Sign out</button>
        </>
      ) : (
        <>
          <NavLink to="/signin">Sign in</NavLink>
          <NavLink to="/signup" className="button">Sign up</NavLink>
        </>
      )}
    </header>
  );
}
