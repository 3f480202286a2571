export default function UserPage() {
  return <main className="page"><h1>UserPage</h1></main>;
}
