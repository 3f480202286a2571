// A stand-in for api.stripe.com in the end-to-end tests (nothing outside the machine is reachable): Checkout
// sessions in subscription mode whose page has a "Pay" button, which sends the platform the signed
// customer.subscription.created webhook Stripe would send and returns the browser to the success URL; and the
// customer portal. Only what the platform calls is here.
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.env.JACAMENO_E2E_STRIPE_PORT ?? 5181);
const platform = process.env.JACAMENO_E2E_PLATFORM ?? "http://127.0.0.1:5180";
const secret = process.env.JACAMENO_E2E_STRIPE_SECRET ?? "whsec_e2e";
const sessions = new Map();

const read = (request) =>
  new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(new URLSearchParams(body)));
  });

const json = (response, value) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
};

async function subscribe(session) {
  const now = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id: `evt_${randomUUID().replaceAll("-", "")}`, object: "event", api_version: "2025-01-27.acacia", created: now, livemode: false,
    type: "customer.subscription.created",
    data: {
      object: {
        id: `sub_${session.user.replaceAll("-", "")}`, object: "subscription", customer: `cus_${session.user.replaceAll("-", "")}`, status: "active",
        cancel_at_period_end: false, metadata: { user_id: session.user, plan: session.plan },
        items: { object: "list", data: [{ id: "si_1", object: "subscription_item", current_period_end: now + 30 * 86400 }] },
      },
    },
  });
  const signature = createHmac("sha256", secret).update(`${now}.${payload}`).digest("hex");
  const answer = await fetch(`${platform}/api/payments/stripe/webhook`, {
    method: "POST", headers: { "content-type": "application/json", "stripe-signature": `t=${now},v1=${signature}` }, body: payload,
  });
  if (!answer.ok) throw new Error(`webhook answered ${answer.status}: ${await answer.text()}`);
}

createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
  try {
    if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const form = await read(request);
      const id = `cs_test_${randomUUID().replaceAll("-", "")}`;
      sessions.set(id, { user: form.get("subscription_data[metadata][user_id]"), plan: form.get("subscription_data[metadata][plan]"), success: form.get("success_url") });
      return json(response, { id, object: "checkout.session", mode: form.get("mode"), url: `http://127.0.0.1:${port}/pay/${id}` });
    }
    if (request.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
      const form = await read(request);
      return json(response, { id: `bps_${randomUUID()}`, object: "billing_portal.session", url: `http://127.0.0.1:${port}/portal?customer=${form.get("customer")}` });
    }
    const pay = url.pathname.match(/^\/pay\/(cs_test_[a-z0-9]+)$/);
    if (pay && sessions.has(pay[1])) {
      if (request.method === "GET") {
        response.writeHead(200, { "content-type": "text/html" });
        return response.end(`<!doctype html><title>Test checkout</title><h1>Test checkout: Premium ${sessions.get(pay[1]).plan}</h1>` +
          `<form method="post"><button type="submit">Pay</button></form>`);
      }
      await subscribe(sessions.get(pay[1]));
      response.writeHead(303, { location: sessions.get(pay[1]).success });
      return response.end();
    }
    if (url.pathname === "/health") return json(response, { ok: true });
    response.writeHead(404);
    response.end();
  } catch (error) {
    response.writeHead(500, { "content-type": "text/plain" });
    response.end(String(error));
  }
}).listen(port, "127.0.0.1");
