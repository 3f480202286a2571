export default function ReleasePage() {
  return <main className="page"><h1>ReleasePage</h1></main>;
}
