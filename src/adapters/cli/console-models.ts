/**
 * The console's `/model` lines, on the store the playground uses (space "local"):
 *   /model            the model answering in this console
 *   /model list       the playground's models (the one it answers with marked ▶)
 *   /model use REF    the playground answers with REF from now on, and so does this console
 * Kept apart from the chat loop: it takes a line and says whether it was one of these.
 */
import type { Lang } from "../../lang.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { modelInfo } from "../../app/model-info.ts";
import { LOCAL_SPACE } from "../../app/model-identity.ts";
import { inputErrorSentence } from "../../app/input-messages.ts";
import { InputError } from "../../app/prompt.ts";
import { modelListReply, modelUseReply } from "../../app/replies/models.ts";
import { terminalText } from "./reply-format.ts";
import { cliEnvironment, type Env, storeModelHandle, withModelStore } from "./store-models.ts";

export interface ConsoleModelResult {
  /** what to print */
  out: string;
  /** the model the console answers with from now on (absent: unchanged) */
  handle?: ModelHandle;
}

/** undefined: the line is not a /model line. */
export async function consoleModelLine(
  line: string,
  current: ModelHandle,
  lang: Lang,
  env: Env = cliEnvironment(),
): Promise<ConsoleModelResult | undefined> {
  const match = /^\/model(?:\s+(\S+))?(?:\s+([\s\S]+))?$/.exec(line.trim());
  if (!match) return undefined;
  const [, sub, ref] = match;
  const mc = (deps: Parameters<Parameters<typeof withModelStore>[1]>[0]) => ({
    lang,
    registry: deps.registry,
    store: deps.store,
    space: LOCAL_SPACE,
    admin: true,
  });
  try {
    if (sub === undefined || sub === "show") {
      const info = modelInfo(current);
      return { out: `${info.name}: ${info.params.total.toLocaleString("en-US")} parameters, val loss ${info.valLoss?.toFixed(3) ?? "?"}` };
    }
    if (sub === "list") return { out: await withModelStore(env, async (deps) => terminalText(await modelListReply(mc(deps))).out) };
    if (sub === "use") {
      if (ref === undefined)
        return { out: "/model use needs a model: default, #N, its name, or an imported model's name (see /model list)" };
      // `/model use ref:#2` as the playground writes it, or `/model use #2`
      const given = ref.trim().replace(/^ref[:=]/i, "");
      const out = await withModelStore(env, async (deps) => terminalText(await modelUseReply(mc(deps), { ref: given })).out);
      return { out, handle: await storeModelHandle(given, env) };
    }
    return { out: `/model ${sub}: unknown; try /model list or /model use REF` };
  } catch (err) {
    if (err instanceof InputError) return { out: `error: ${inputErrorSentence(lang, err)}` };
    throw err;
  }
}
