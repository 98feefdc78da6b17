/**
 * The console's way into the store the bot and the playground use: DATABASE_URL, else
 * DATABASE_PATH (default data/bot.db), and the host's MODELS_DIR (default data/models), from the environment or .env.
 * `npm run cli -- predict --model '#2'` and the console's `/model use` read models from here.
 */
import { type CatalogueDeps, listModels, resolveRef } from "../../app/model-catalogue.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { LOCAL_SPACE } from "../../app/model-identity.ts";
import { consoleEnvironment, openConsoleSpace } from "./console-space.ts";

export type Env = Record<string, string | undefined>;

/** `.env` under the real environment (real variables win), as the bot reads them. */
export const cliEnvironment: () => Env = consoleEnvironment;

/** Opens the store and the registry the console would (openConsoleSpace), runs `use`, and closes the store again. */
export async function withModelStore<T>(env: Env, use: (deps: CatalogueDeps) => Promise<T>): Promise<T> {
  const space = await openConsoleSpace(env);
  try {
    return await use({ registry: space.registry, store: space.store });
  } finally {
    await space.close();
  }
}

/**
 * The model a ref names in a space of the store (default the playground's): "default", "#2",
 * a name given to it, an imported model's folder name. Loaded completely before the store is
 * closed (a stored model's bytes live in the store). An unknown ref is an InputError listing the refs.
 */
export async function storeModelHandle(ref: string, env: Env = cliEnvironment(), space = LOCAL_SPACE): Promise<ModelHandle> {
  return withModelStore(env, async (deps) => {
    const model = resolveRef(await listModels(deps, space), ref);
    const choice =
      model.source === "shipped"
        ? ({ kind: "shipped" } as const)
        : model.source === "imported"
          ? ({ kind: "imported", name: model.ref } as const)
          : ({ kind: "stored", modelId: Number(model.identity.id) } as const);
    return deps.registry.load(space, choice);
  });
}
