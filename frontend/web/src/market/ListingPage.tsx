export default function ListingPage() {
  return <main className="page"><h1>ListingPage</h1></main>;
}
