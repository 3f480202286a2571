// The server's shapes come from its OpenAPI document: `npm run gen:api` (run by `npm run build`) turns
// openapi.json, which a .NET test keeps equal to what the server serves, into schema.d.ts. The app names
// them through `Schema<"…">` rather than writing them by hand, so a change on the server fails `tsc`.
import type { components } from "./schema";

export type Schemas = components["schemas"];

/**
 * A schema as the server writes it, which is narrower than the document says in two ways:
 * - .NET documents each number as `number | string` because it also reads numbers sent as strings, but it
 *   always writes numbers;
 * - properties with a default (the project document's, a tier's terms) are documented as optional, but
 *   every property is written (null when empty), and the app relies on finding them.
 */
export type Sent<T> = number extends T
  ? Exclude<T, string>
  : T extends readonly (infer U)[]
    ? Sent<U>[]
    : T extends object
      ? { [K in keyof T]-?: Sent<T[K]> }
      : T;

/** The named schema as the server sends it. */
export type Schema<Name extends keyof Schemas> = Sent<Schemas[Name]>;
