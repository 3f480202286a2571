export default function PlaylistPage() {
  return <main className="page"><h1>PlaylistPage</h1></main>;
}
