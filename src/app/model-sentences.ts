/**
 * What every surface says about the models a place may use (/model list|use|rename|delete, the
 * playground's picker, a training that waits to be chosen), once per language. Medium marks
 * (Discord's markdown, its timestamps) are added by each formatter from the parts.
 */
import type { Lang } from "../lang.ts";
import type { CatalogueModel, CatalogueSource } from "./model-catalogue.ts";
import { formatInt, formatLoss } from "./number-format.ts";
import { line, type Part, type Piece, parts, quote, time } from "./reply.ts";

export interface ModelSentences {
  /** the list's first line: whose models, and the mark of the one in use */
  listHeader(where: "server" | "playground" | "direct"): string;
  source: Record<CatalogueSource, string>;
  /** one model's line after its mark and label: kind · size · val loss · when */
  row(v: { source: CatalogueSource; parameters: number; valLoss: number | null; createdAt: number | null }): Part[];
  unusable(reason: string): string;
  /** how to choose one (for those who may) */
  listHint(admin: boolean): string;
  used(v: { model: Piece; previous: Piece | null }): Part[];
  alreadyInUse(model: Piece): Part[];
  renamed(v: { model: Piece }): Part[];
  deleted(v: { model: Piece; nowInUse: Piece | null }): Part[];
  /** the button (Discord) or the choice (page) that switches to it */
  useIt: string;
}

/** A model as a list row or a sentence names it: `#2 “evening”`, `default`, `gpt2`. */
export function modelLabel(m: Pick<CatalogueModel, "ref" | "userName">): Part {
  // a quote: shown literally (a folder's `_` or a name's `*` is no markdown on Discord)
  return quote(m.userName ? `${m.ref} “${m.userName}”` : m.ref);
}

/** "1.3 M", "124 M", "52 k", "800". */
function compactCount(n: number, lang: Lang): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return formatInt(n, lang);
}

const en: ModelSentences = {
  listHeader: (where) =>
    `Models ${where === "server" ? "of this server" : where === "playground" ? "of this playground" : "here"} (▶ answers now):`,
  source: { shipped: "shipped", stored: "trained here", imported: "imported (host)" },
  row: (v) =>
    parts(
      `${en.source[v.source]} · ${compactCount(v.parameters, "en")} parameters · val loss ${formatLoss(v.valLoss)}`,
      ...(v.createdAt === null ? [] : [" · ", time(v.createdAt)]),
    ),
  unusable: (reason) => `cannot be used: ${reason}`,
  listHint: (admin) =>
    admin
      ? "Choose one with /model use and its ref (default, #2, a name…); a val loss compares only models trained on the same text."
      : "Someone with Manage Server can choose one with /model use; a val loss compares only models trained on the same text.",
  used: (v) =>
    v.previous ? line`${v.model} answers here from now on (instead of ${v.previous}).` : line`${v.model} answers here from now on.`,
  alreadyInUse: (model) => line`${model} already answers here.`,
  renamed: (v) => line`Renamed: ${v.model}.`,
  deleted: (v) => (v.nowInUse ? line`Deleted ${v.model}. It was answering here: ${v.nowInUse} answers now.` : line`Deleted ${v.model}.`),
  useIt: "Use it",
};

const ja: ModelSentences = {
  listHeader: (where) =>
    `${where === "server" ? "このサーバー" : where === "playground" ? "このプレイグラウンド" : "ここ"}で使えるモデル（▶ がいま答えているモデル）:`,
  source: { shipped: "付属", stored: "ここで学習", imported: "取り込み（ホスト）" },
  row: (v) =>
    parts(
      `${ja.source[v.source]} · パラメータ ${compactCount(v.parameters, "ja")} · 検証損失 ${formatLoss(v.valLoss)}`,
      ...(v.createdAt === null ? [] : [" · ", time(v.createdAt)]),
    ),
  unusable: (reason) => `使えません: ${reason}`,
  listHint: (admin) =>
    admin
      ? "/model use とモデルの指定（default、#2、名前…）で選べます。検証損失を比べられるのは、同じ文章で学習したモデルどうしだけです。"
      : "サーバー管理権限のある人が /model use で選べます。検証損失を比べられるのは、同じ文章で学習したモデルどうしだけです。",
  used: (v) =>
    v.previous ? line`これからは ${v.model} が答えます（${v.previous} のかわりに）。` : line`これからは ${v.model} が答えます。`,
  alreadyInUse: (model) => line`${model} はすでにここで答えています。`,
  renamed: (v) => line`名前を変えました: ${v.model}。`,
  deleted: (v) =>
    v.nowInUse
      ? line`${v.model} を削除しました。ここで答えていたので、いまは ${v.nowInUse} が答えます。`
      : line`${v.model} を削除しました。`,
  useIt: "これを使う",
};

export const MODEL_SENTENCES: Record<Lang, ModelSentences> = { en, ja };

/** Why a finished training's model did not take over (install-decision.ts's reasons). */
export function notSwitchedReason(reason: "worse" | "not-comparable" | "unknown-loss", lang: Lang): string {
  const reasons = {
    worse: { en: "its val loss is higher", ja: "検証損失のほうが大きいためです" },
    "not-comparable": {
      en: "the model in use was trained on other text, so their val losses cannot be compared",
      ja: "いまのモデルは別の文章で学習したので、検証損失を比べられないためです",
    },
    "unknown-loss": { en: "one of the val losses is unknown", ja: "どちらかの検証損失がわからないためです" },
  } as const;
  return reasons[reason][lang];
}

/** One model of the list as a line: ▶ (in use), its ref and name, then kind, size, val loss and date (or why it cannot be used). */
export function modelRow(m: CatalogueModel, lang: Lang): Part[] {
  const s = MODEL_SENTENCES[lang];
  const head = parts(m.inUse ? "▶ " : "　 ", modelLabel(m), " — ");
  if (!m.usable || m.parameters === null) return parts(...head, `${s.source[m.source]} · ${s.unusable(m.reason ?? "?")}`);
  return parts(...head, ...s.row({ source: m.source, parameters: m.parameters, valLoss: m.valLoss, createdAt: m.createdAt }));
}
