export default function PurchasesPage() {
  return <main className="page"><h1>PurchasesPage</h1></main>;
}
