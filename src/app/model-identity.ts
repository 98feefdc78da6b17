/**
 * Which model answers, as a value rather than a name to parse back: the model shipped with the
 * bot, one trained here in the playground, a Discord server's own, or a file given by path.
 * modelName is the one table of how each kind is called, in both languages, for every surface.
 */
import type { Lang } from "../lang.ts";

export type ModelKind = "shipped" | "trained-here" | "server" | "imported";

export interface ModelIdentity {
  kind: ModelKind;
  /** "default" for the shipped model; the stored model's number; the file's path */
  id: string;
  /** how engine-level texts (pictures' default labels, logs) name it, in English */
  displayName: string;
}

/** The store's space of the web playground (a Discord server's space is its guild id). */
export const LOCAL_SPACE = "local";

export const SHIPPED_MODEL: ModelIdentity = { kind: "shipped", id: "default", displayName: "default model" };

/** A stored model of a space: the playground's own, or a server's. */
export function storedModel(space: string, modelId: number): ModelIdentity {
  return space === LOCAL_SPACE
    ? { kind: "trained-here", id: String(modelId), displayName: `your model #${modelId}` }
    : { kind: "server", id: String(modelId), displayName: `server model #${modelId}` };
}

/** A model file given by path (the console's --model, an imported checkpoint). */
export function importedModel(path: string, displayName: string = path): ModelIdentity {
  return { kind: "imported", id: path, displayName };
}

/** What every surface calls the model, in the reader's language. */
export function modelName(identity: ModelIdentity, lang: Lang): string {
  switch (identity.kind) {
    case "shipped":
      return lang === "ja" ? "既定のモデル" : "default model";
    case "server":
      return lang === "ja" ? `このサーバーのモデル #${identity.id}` : `server model #${identity.id}`;
    case "trained-here":
      return lang === "ja" ? `あなたのモデル #${identity.id}` : `your model #${identity.id}`;
    case "imported":
      return identity.displayName;
  }
}

/** The identity a handle carries, or (a handle made without one, e.g. in a test) its name as an imported model. */
export function identityOf(handle: { name: string; identity?: ModelIdentity }): ModelIdentity {
  return handle.identity ?? importedModel(handle.name);
}

/** The stored model `modelId` of a space is the one this identity names. */
export function isStoredModel(identity: ModelIdentity, modelId: number): boolean {
  return (identity.kind === "server" || identity.kind === "trained-here") && identity.id === String(modelId);
}
