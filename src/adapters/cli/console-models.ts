/**
 * The console's `/model`, on the store the playground uses (its space "local"), typed as the
 * page types it and answered by the same use cases:
 *   /model                     the model answering here: its card's lines (src/app/replies/model.ts)
 *   /model list                the playground's models, the one in use marked ▶
 *   /model use #2              the playground answers with #2 from now on, and so does this console
 *   /model rename ref:#2 name:evening · /model delete #2
 * With --model FILE the console keeps answering with that file; the choice is still written.
 */
import { parseOptions, typedCommandSpec } from "../../app/catalogue/command-line.ts";
import { commandSpec } from "../../app/catalogue/index.ts";
import { modelReply } from "../../app/replies/model.ts";
import { type ModelsContext, modelDeleteReply, modelListReply, modelRenameReply, modelUseReply } from "../../app/replies/models.ts";
import { runNow } from "../../app/reply.ts";
import type { ConsoleCommand } from "./console-commands.ts";
import { terminalText } from "./reply-format.ts";

const SPEC = typedCommandSpec(commandSpec("model", "web"), "web");

export const modelCommand: ConsoleCommand = {
  name: "model",
  usage: "/model [list|use REF|rename|delete]",
  description: SPEC.description,
  async run(rest, session) {
    const options = parseOptions(rest, SPEC);
    const action = (options.action as string | undefined) ?? "show";
    const { space, lang } = session;
    const mc: ModelsContext = { lang, registry: space.registry, store: space.store, space: space.space, admin: true };
    const reply =
      action === "show"
        ? await modelReply({ registry: space.registry, store: space.store, space: space.space }, { lang, heavy: runNow })
        : action === "list"
          ? await modelListReply(mc)
          : await (action === "use" ? modelUseReply : action === "rename" ? modelRenameReply : modelDeleteReply)(mc, options);
    // the card's pictures are the console's `card` command's business: here its lines
    session.write(terminalText({ ...reply, pictures: [] }).out);
    return undefined;
  },
};
