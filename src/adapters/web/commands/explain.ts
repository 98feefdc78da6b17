/** /explain [topic] [language] [text]: how a language model works, told with the live model's numbers. */
import { explainTopic, explanationMessage, listTopics, TOPICS, type TopicName } from "../../../app/explain/index.ts";
import { guildModelName } from "../../../app/model-registry.ts";
import { MAX_INPUT_CHARS } from "../../../app/prompt.ts";
import type { WebCommand } from "../command-spec.ts";
import type { Lang } from "../texts.ts";

export const explain: WebCommand = {
  spec: {
    name: "explain",
    description: {
      en: "How a language model works, shown with this model's own numbers",
      ja: "言語モデルのしくみを、このモデルの実際の数字で説明",
    },
    options: [
      {
        name: "topic",
        type: "string",
        description: { en: "What to explain (empty: the list, in reading order)", ja: "説明するテーマ（空なら一覧）" },
        choices: TOPICS.map((topic) => ({ value: topic, label: { en: topic, ja: topic } })),
      },
      {
        name: "language",
        type: "string",
        description: { en: "Language of the explanation (default: the page's)", ja: "説明の言語（既定: ページの言語）" },
        choices: [
          { value: "ja", label: { en: "日本語", ja: "日本語" } },
          { value: "en", label: { en: "English", ja: "English" } },
        ],
      },
      {
        name: "text",
        type: "string",
        maxLength: MAX_INPUT_CHARS,
        description: { en: "Your own sentence for the example", ja: "例に使う自分の文章" },
      },
    ],
  },
  async run(o, ctx) {
    const lang = (o.language as Lang | undefined) ?? ctx.lang;
    const topic = o.topic as TopicName | undefined;
    if (topic === undefined) return { text: listTopics(lang).text };
    const handle = await ctx.registry.forGuild(ctx.space);
    const stored = ctx.store.models.latestInfo(ctx.space);
    const isGuildModel = stored !== undefined && stored !== null && handle.name === guildModelName(stored.id);
    const text = o.text === undefined ? undefined : String(o.text);
    const explanation = await ctx.heavy(() => explainTopic(handle, topic, { lang, text, isGuildModel }));
    return { text: explanationMessage(explanation), images: explanation.pictures.map((p) => ({ name: p.name, png: p.png })) };
  },
};
