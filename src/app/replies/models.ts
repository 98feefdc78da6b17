/**
 * /model list|use|rename|delete as Replies, for every surface: the models a space may use (the
 * shipped one, those trained there, the host's imported ones) with their size, val loss and
 * date, the one in use marked; choosing, renaming and deleting them (src/app/model-catalogue.ts
 * does the work and refuses bad refs and names with an InputError naming the value and the
 * choices; nothing changes then). Who may choose is the surface's business (Discord: Manage
 * Server, checked by the dispatcher from the catalogue's `adminOnly`).
 */
import type { Lang } from "../../lang.ts";
import type { AsyncStore } from "../../store/async-store.ts";
import { deleteModel, listModels, type ModelList, renameModel, useModel } from "../model-catalogue.ts";
import { LOCAL_SPACE } from "../model-identity.ts";
import type { ModelRegistry } from "../model-registry.ts";
import { MODEL_SENTENCES, modelLabel, modelRow } from "../model-sentences.ts";
import { type Reply, text } from "../reply.ts";
import { requiredValue } from "./data.ts";
import type { ReplyOptions } from "./options.ts";

/** Direct messages have no models of their own: the shipped one answers there. */
export const DIRECT_SPACE = "direct";

export interface ModelsContext {
  lang: Lang;
  registry: ModelRegistry;
  store: Pick<AsyncStore, "models" | "runs">;
  /** a guild id, "local" (the playground); null: direct messages */
  space: string | null;
  /** the reader may choose (Discord: Manage Server; the playground: always) */
  admin: boolean;
}

const deps = (mc: ModelsContext) => ({ registry: mc.registry, store: mc.store });
const spaceOf = (mc: ModelsContext) => mc.space ?? DIRECT_SPACE;
const whereOf = (mc: ModelsContext) => (mc.space === null ? "direct" : mc.space === LOCAL_SPACE ? "playground" : "server");

/** The space's models as the list every surface shows (also the playground's picker, as JSON). */
export function modelList(mc: ModelsContext): Promise<ModelList> {
  return listModels(deps(mc), spaceOf(mc));
}

/** /model list: one line per model, ▶ before the one answering, and how to choose. */
export async function modelListReply(mc: ModelsContext): Promise<Reply> {
  const s = MODEL_SENTENCES[mc.lang];
  const list = await modelList(mc);
  return {
    body: [
      { line: [text(s.listHeader(whereOf(mc)))] },
      ...list.models.map((m) => ({ line: modelRow(m, mc.lang) })),
      ...(mc.space === null ? [] : [{ line: [] }, { line: [text(s.listHint(mc.admin))] }]),
    ],
    notices: [],
    pictures: [],
  };
}

/** /model use ref: the space answers with that model from now on (it is loaded first). */
export async function modelUseReply(mc: ModelsContext, o: ReplyOptions): Promise<Reply> {
  const s = MODEL_SENTENCES[mc.lang];
  const ref = String(requiredValue("model use", "ref", o.ref));
  const { model, previous } = await useModel(deps(mc), spaceOf(mc), ref);
  const line =
    previous?.ref === model.ref
      ? s.alreadyInUse(modelLabel(model))
      : s.used({ model: modelLabel(model), previous: previous ? modelLabel(previous) : null });
  return { body: [{ line }], notices: [], pictures: [] };
}

/** /model rename ref name: a trained model gets a name (the shipped and imported ones are refused). */
export async function modelRenameReply(mc: ModelsContext, o: ReplyOptions): Promise<Reply> {
  const ref = String(requiredValue("model rename", "ref", o.ref));
  const name = String(requiredValue("model rename", "name", o.name));
  const model = await renameModel(deps(mc), spaceOf(mc), ref, name);
  return { body: [{ line: MODEL_SENTENCES[mc.lang].renamed({ model: modelLabel(model) }) }], notices: [], pictures: [] };
}

/** /model delete ref: a trained model deleted; when it was answering, what answers now. */
export async function modelDeleteReply(mc: ModelsContext, o: ReplyOptions): Promise<Reply> {
  const ref = String(requiredValue("model delete", "ref", o.ref));
  const { deleted, wasInUse, nowInUse } = await deleteModel(deps(mc), spaceOf(mc), ref);
  const line = MODEL_SENTENCES[mc.lang].deleted({ model: modelLabel(deleted), nowInUse: wasInUse ? modelLabel(nowInUse) : null });
  return { body: [{ line }], notices: [], pictures: [] };
}

/**
 * What Discord suggests while `ref` is typed: the models whose ref or name contains it (at most
 * 25, Discord's limit), each shown as its list line without the date; `usable` ones only for
 * `use`, stored ones only for rename and delete.
 */
export async function modelSuggestions(mc: ModelsContext, subcommand: string, typed: string): Promise<{ name: string; value: string }[]> {
  const s = MODEL_SENTENCES[mc.lang];
  const list = await modelList(mc);
  const wanted = typed.trim().toLowerCase();
  return list.models
    .filter((m) => (subcommand === "use" ? m.usable : subcommand === "list" ? true : m.source === "stored"))
    .filter((m) => wanted === "" || m.ref.toLowerCase().includes(wanted) || (m.userName ?? "").toLowerCase().includes(wanted))
    .slice(0, 25)
    .map((m) => {
      const label = m.userName ? `${m.ref} “${m.userName}”` : m.ref;
      const loss = m.valLoss === null ? "" : ` · ${m.valLoss.toFixed(3)}`;
      const name = `${m.inUse ? "▶ " : ""}${label} · ${s.source[m.source]}${loss}`;
      // Discord: a suggestion's name is 1–100 characters
      return { name: [...name].slice(0, 100).join(""), value: m.ref };
    });
}
