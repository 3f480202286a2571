export default function DiscoverPage() {
  return <main className="page"><h1>DiscoverPage</h1></main>;
}
