/** A model's identity is a value the registry sets, and every surface names it from that value. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identityOf, isStoredModel, LOCAL_SPACE, modelName, SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { strings } from "../../src/adapters/discord/i18n.ts";
import { texts } from "../../src/adapters/web/texts.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { tinyCheckpointBytes, writeTinyModel } from "../discord/tiny-model.ts";

let dir: string;
let store: Store;
let registry: ModelRegistry;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "identity-test-"));
  store = openStore(path.join(dir, "bot.db"));
  registry = new ModelRegistry({
    models: asyncSqliteStore(store).models,
    defaultModelPath: writeTinyModel(path.join(dir, "default.safetensors"), 1),
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("model identity", () => {
  it("the registry says which model answers: shipped, a server's, or the playground's own", async () => {
    expect(identityOf(await registry.forGuild("g1"))).toEqual(SHIPPED_MODEL);
    const server = await registry.install("g1", tinyCheckpointBytes(2, 5));
    const local = await registry.install(LOCAL_SPACE, tinyCheckpointBytes(3, 5));
    expect(identityOf(await registry.forGuild("g1"))).toEqual({
      kind: "server",
      id: String(server.info.id),
      displayName: `server model #${server.info.id}`,
    });
    expect(identityOf(await registry.forGuild(LOCAL_SPACE))).toMatchObject({ kind: "trained-here", id: String(local.info.id) });
    expect(isStoredModel(identityOf(await registry.forGuild("g1")), server.info.id)).toBe(true);
    expect(isStoredModel(SHIPPED_MODEL, server.info.id)).toBe(false);
    // read back from the store by another registry (a restart): the same identity
    const again = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: path.join(dir, "default.safetensors") });
    expect(identityOf(await again.forGuild("g1"))).toEqual(identityOf(await registry.forGuild("g1")));
  });

  it("every surface names a model from the one table, never by parsing a name", () => {
    const server = { kind: "server", id: "7", displayName: "anything at all" } as const;
    const here = { kind: "trained-here", id: "7", displayName: "anything at all" } as const;
    for (const lang of ["en", "ja"] as const) {
      for (const identity of [SHIPPED_MODEL, server, here]) {
        expect(strings(lang).modelName(identity)).toBe(modelName(identity, lang));
        expect(texts(lang).modelName(identity)).toBe(modelName(identity, lang));
      }
    }
    expect(modelName(server, "ja")).toBe("このサーバーのモデル #7");
    expect(modelName(here, "en")).toBe("your model #7");
    expect(modelName({ kind: "imported", id: "/tmp/ckpt.pt", displayName: "ckpt.pt" }, "ja")).toBe("ckpt.pt");
  });
});
