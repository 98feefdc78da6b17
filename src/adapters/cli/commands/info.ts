/** `info [--model FILE]`: config, parameter counts by part, tokenizer, training, val loss. */
import { modelInfo } from "../../../app/model-info.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = cliUsage("info");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "info");
  const info = modelInfo(await modelFromOption(v));
  const c = info.config;
  const n = (x: number) => x.toLocaleString("en-US");
  const lines = [
    `model:      ${info.name}${info.preset ? ` (preset ${info.preset})` : ""}`,
    `shape:      ${c.nLayer} layers, ${c.nHead} heads, ${c.nEmbd} channels, block ${c.blockSize}, bias ${c.bias ? "on" : "off"}`,
    `tokenizer:  ${info.tokenizer.kind}, ${n(info.tokenizer.vocabSize)} tokens`,
    `parameters: ${n(info.params.total)} in all`,
    `  token embedding (= output head) ${n(info.params.embedding)}`,
    `  position embedding              ${n(info.params.position)}`,
    `  attention                       ${n(info.params.attention)}`,
    `  MLP                             ${n(info.params.mlp)}`,
    `  LayerNorm                       ${n(info.params.layernorm)}`,
    `training:   ${n(info.step)} steps${info.tokensSeen ? `, ${n(info.tokensSeen)} tokens seen` : ""}${info.trainSeconds ? `, ${info.trainSeconds.toFixed(0)} s` : ""}`,
    `loss:       train ${info.trainLoss?.toFixed(4) ?? "?"}, val ${info.valLoss?.toFixed(4) ?? "?"}`,
    `created:    ${info.createdAt ?? "?"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
