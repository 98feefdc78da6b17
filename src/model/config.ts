/**
 * The shape of a GPT, in nanoGPT's words. Size legend used across the engine:
 * B batch, T time (positions), C channels (n_embd), NH heads, HS head size (C / NH),
 * V vocabulary size, L layers.
 */
export interface GPTConfig {
  /** V: how many distinct tokens the model knows. */
  vocabSize: number;
  /** The longest context the model can read (size of the position table). */
  blockSize: number;
  /** L: transformer blocks stacked. */
  nLayer: number;
  /** NH: attention heads per block. */
  nHead: number;
  /** C: width of every token vector. */
  nEmbd: number;
  /** Biases in every Linear and LayerNorm (GPT-2 checkpoints) or none (nanoGPT's default). */
  bias: boolean;
  /** The MLP's GELU: absent = the tanh form (GPT-2, this project); "erf" = the exact form (nanoGPT's nn.GELU()). */
  gelu?: "erf";
}

export type PresetName = "tiny" | "baby" | "small";

/** Presets without a vocabulary: the tokenizer decides V. */
export const PRESETS: Record<PresetName, Omit<GPTConfig, "vocabSize">> = {
  // for tests: every code path, a few thousand parameters
  tiny: { blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, bias: false },
  // nanoGPT's README CPU run (shakespeare_char on a laptop)
  baby: { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, bias: false },
  // nanoGPT's shakespeare_char model
  small: { blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, bias: false },
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export function presetConfig(name: PresetName, vocabSize: number, overrides: Partial<GPTConfig> = {}): GPTConfig {
  return validateConfig({ ...PRESETS[name], vocabSize, ...overrides });
}

/** Throws with the offending values when a config cannot describe a GPT. */
export function validateConfig(config: GPTConfig): GPTConfig {
  const problems: string[] = [];
  for (const key of ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1) problems.push(`${key} must be a positive integer, got ${v}`);
  }
  if (typeof config.bias !== "boolean") problems.push(`bias must be true or false, got ${String(config.bias)}`);
  if (config.gelu !== undefined && config.gelu !== "erf")
    problems.push(`gelu must be absent (tanh form) or "erf", got ${String(config.gelu)}`);
  if (problems.length === 0 && config.nEmbd % config.nHead !== 0) {
    problems.push(`nEmbd ${config.nEmbd} is not divisible by nHead ${config.nHead}`);
  }
  if (problems.length > 0) throw new Error(`invalid model config: ${problems.join("; ")}`);
  return config;
}
