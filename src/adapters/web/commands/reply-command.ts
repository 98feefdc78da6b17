/**
 * A playground command whose answer is a Reply use case (src/app/replies/): the typed options
 * (already checked against the catalogue by the command line's parser) go to the use case with
 * the playground's model, language, heavy queue and stored texts; the Reply becomes the page's JSON.
 */
import { neuronIndexerFor } from "../../../app/neuron-indexer.ts";
import type { ReplyUseCase } from "../../../app/replies/options.ts";
import { sourceScopeFor } from "../../../app/sources.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { webReply } from "../reply-format.ts";
import { storedRedactor } from "./shared.ts";

export function webReplyCommand(name: string, present: ReplyUseCase): WebCommand {
  return {
    spec: webSpec(name),
    async run(options, ctx) {
      const handle = await ctx.registry.forGuild(ctx.space);
      const storedModelId = async () => (await ctx.store.models.latestInfo(ctx.space))?.id ?? null;
      const neuronIndex = (h: typeof handle) => neuronIndexerFor(ctx.store).status(ctx.space, h);
      // the playground is one person's: its stored texts are theirs, no author is asked
      const sources = sourceScopeFor(ctx.store, ctx.space, null);
      const pending = present(
        { handle, lang: ctx.lang, heavy: ctx.heavy, redactor: await storedRedactor(ctx), storedModelId, neuronIndex, sources },
        options,
      );
      return webReply(await pending());
    },
  };
}
