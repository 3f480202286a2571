export default function MarketPage() {
  return <main className="page"><h1>MarketPage</h1></main>;
}
