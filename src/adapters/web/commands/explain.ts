/** /explain [topic] [language] [text]: how a language model works, told with the live model's numbers. */
import { explainTopic, explanationMessage, listTopics, type TopicName } from "../../../app/explain/index.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import type { Lang } from "../texts.ts";
import { storedRedactor } from "./shared.ts";
import { identityOf, isStoredModel } from "../../../app/model-identity.ts";

export const explain: WebCommand = {
  spec: webSpec("explain"),
  async run(o, ctx) {
    const lang = (o.language as Lang | undefined) ?? ctx.lang;
    const topic = o.topic as TopicName | undefined;
    if (topic === undefined) return { text: listTopics(lang).text };
    const handle = await ctx.registry.forGuild(ctx.space);
    const stored = ctx.store.models.latestInfo(ctx.space);
    const isGuildModel = stored !== undefined && stored !== null && isStoredModel(identityOf(handle), stored.id);
    const text = o.text === undefined ? undefined : String(o.text);
    const explanation = await ctx.heavy(() => explainTopic(handle, topic, { lang, text, isGuildModel, redactor: storedRedactor(ctx) }));
    return { text: explanationMessage(explanation), images: explanation.pictures.map((p) => ({ name: p.name, png: p.png })) };
  },
};
