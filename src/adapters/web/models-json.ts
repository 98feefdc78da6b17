/**
 * The playground's models as the header's picker reads them (GET /api/models): each with what
 * a user types to choose it (`ref`), its label, kind, size, val loss and date in the page's
 * language, whether it answers now, and why it cannot be used when it cannot.
 *
 *   { inUse: "#2", models: [{ ref, label, kind, parameters, valLoss, createdAt, inUse, usable, reason }] }
 */
import { MODEL_SENTENCES } from "../../app/model-sentences.ts";
import { type ModelsContext, modelList } from "../../app/replies/models.ts";

export interface PickerModel {
  ref: string;
  /** `#2 “evening”`, `default`, `gpt2` */
  label: string;
  source: "shipped" | "stored" | "imported";
  /** the kind in the page's language: "shipped", "trained here", "imported (host)" */
  kind: string;
  parameters: number | null;
  valLoss: number | null;
  /** ms since the epoch */
  createdAt: number | null;
  inUse: boolean;
  usable: boolean;
  reason: string | null;
}

export async function modelsJson(mc: ModelsContext): Promise<{ inUse: string; models: PickerModel[] }> {
  const s = MODEL_SENTENCES[mc.lang];
  const list = await modelList(mc);
  return {
    inUse: list.inUse,
    models: list.models.map((m) => ({
      ref: m.ref,
      label: m.userName ? `${m.ref} “${m.userName}”` : m.ref,
      source: m.source,
      kind: s.source[m.source],
      parameters: m.parameters,
      valLoss: m.valLoss,
      createdAt: m.createdAt,
      inUse: m.inUse,
      usable: m.usable,
      reason: m.reason,
    })),
  };
}
