// An order kept up to date while its payment is awaited. Paged lists use api/usePaged.
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Order } from "./market";

const awaitingPayment = (order: Order | null) => order !== null && (order.status === "pending" || order.status === "paid");

/** An order that re-reads itself every few seconds while it waits for its payment or license, so an admin's confirmation shows up here. */
export function useLiveOrder<T extends Order | null>(initial: T) {
  const [order, setOrder] = useState<T>(initial);
  const watched = awaitingPayment(order) ? order!.id : null;
  useEffect(() => {
    if (!watched) return;
    const timer = setInterval(() => void api.get<Order>(`/api/orders/${watched}`).then((next) => setOrder(next as T), () => undefined), 3000);
    return () => clearInterval(timer);
  }, [watched]);
  return [order, setOrder] as const;
}
