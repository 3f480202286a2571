export default function SellerPage() {
  return <main className="page"><h1>SellerPage</h1></main>;
}
