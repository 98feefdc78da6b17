/**
 * The host's imported models: what MODELS_DIR (default data/models/, where `fetch-model` puts
 * its downloads) holds, each entry read from its headers only (no weights, no tokenizer tables),
 * so a list of several 500 MB models answers at once. An entry is one of:
 *
 *   a folder with config.json            a Hugging Face GPT-2 folder (fetch-model's)
 *   a folder with ckpt.pt                nanoGPT's out-<name>/ (meta.pkl beside ckpt.pt)
 *   a .pt / .ckpt / .safetensors file    nanoGPT's ckpt.pt or safetensors, or this project's checkpoint
 *
 * Other files (meta.pkl, notes, hidden files) are not models and are left out. An entry that
 * looks like a model but cannot be used (a download not finished, a tensor missing, no
 * tokenizer…) is listed as unusable with the reason loading would give; it never stops the list.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type GPTConfig, validateConfig } from "../model/config.ts";
import { readSafetensorsHeader } from "../model/import/safetensors-source.ts";
import { countParams } from "../model/params.ts";
import { openFileSource } from "../store/file-source.ts";
import { DEFAULT_MODELS_DIR } from "./fetch-model.ts";
import { type ImportModelOptions, importedKind, probeImportedModel } from "./import-model.ts";

const MODEL_FILE = /\.(pt|ckpt|safetensors)$/i;

interface EntryBase {
  /** its name in the folder: how a user refers to it (`models use gpt2`) */
  name: string;
  /** what loadModelFile takes (the folder, or the file) */
  path: string;
}

export interface UsableImport extends EntryBase {
  usable: true;
  /** "Hugging Face GPT-2", "nanoGPT ckpt.pt", "nanoGPT safetensors", "this project's checkpoint" */
  format: string;
  config: GPTConfig;
  parameters: number;
  step: number;
  valLoss: number | null;
  /** the file's modification time (ms since the epoch) */
  modifiedAt: number;
}

export interface UnusableImport extends EntryBase {
  usable: false;
  reason: string;
}

export type ImportedEntry = UsableImport | UnusableImport;

/** MODELS_DIR from the environment, else data/models. */
export function modelsDirFrom(env: Record<string, string | undefined> = process.env): string {
  return env.MODELS_DIR?.trim() || DEFAULT_MODELS_DIR;
}

/** Every model-like entry of `dir`, by name; an absent folder holds none. */
export function scanImportedModels(dir: string, options: ImportModelOptions = {}): ImportedEntry[] {
  if (!existsSync(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch (err) {
    throw new Error(`cannot read the models folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const entries: ImportedEntry[] = [];
  for (const name of names.sort()) {
    const entry = probeEntry(dir, name, options);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** One entry of the folder by its name (undefined: no such model there). */
export function findImportedModel(dir: string, name: string, options: ImportModelOptions = {}): ImportedEntry | undefined {
  if (name === "" || name.startsWith(".") || name.includes("/") || name.includes("\\") || !existsSync(path.join(dir, name)))
    return undefined;
  return probeEntry(dir, name, options);
}

/**
 * The file or folder loadModelFile takes for the entry `name` of `dir`, found without reading
 * it (cheap enough for every message); undefined when there is no such model entry.
 */
export function resolveImportPath(dir: string, name: string): string | undefined {
  if (name === "" || name.startsWith(".") || name.includes("/") || name.includes("\\")) return undefined;
  const full = path.join(dir, name);
  if (!existsSync(full)) return undefined;
  if (!statSync(full).isDirectory()) return MODEL_FILE.test(name) ? full : undefined;
  if (existsSync(path.join(full, "config.json"))) return full;
  const ckpt = path.join(full, "ckpt.pt");
  return existsSync(ckpt) ? ckpt : undefined;
}

/** An entry read from its headers; undefined when it is not a model at all (a note, a meta.pkl). */
function probeEntry(dir: string, name: string, options: ImportModelOptions): ImportedEntry | undefined {
  const full = path.join(dir, name);
  let modelPath: string;
  try {
    // 1. which file loading would read
    if (statSync(full).isDirectory()) {
      const inside = readdirSync(full);
      const partial = inside.filter((f) => f.endsWith(".part"));
      if (partial.length > 0)
        return unusable(name, full, `download not finished (${partial.join(", ")}): run fetch-model again to resume it`);
      if (inside.includes("config.json")) modelPath = full;
      else if (inside.includes("ckpt.pt")) modelPath = path.join(full, "ckpt.pt");
      else
        return unusable(name, full, "neither a Hugging Face GPT-2 folder (config.json + model.safetensors) nor a nanoGPT folder (ckpt.pt)");
    } else if (MODEL_FILE.test(name)) modelPath = full;
    else return undefined;
    // 2. its headers, checked as loading checks them
    const modifiedAt = statSync(modelPath).mtimeMs;
    const kind = importedKind(modelPath);
    const probe = kind === null ? probeOwnCheckpoint(modelPath) : probeImportedModel(modelPath, kind, options);
    return {
      name,
      path: modelPath,
      usable: true,
      format: probe.source,
      config: probe.config,
      parameters: countParams(probe.config),
      step: probe.step,
      valLoss: probe.valLoss,
      modifiedAt,
    };
  } catch (err) {
    return unusable(name, full, (err as Error).message);
  }
}

function unusable(name: string, file: string, reason: string): UnusableImport {
  return { name, path: file, usable: false, reason };
}

/** This project's checkpoint: its config and step from the header (the checksum is checked when it loads). */
function probeOwnCheckpoint(file: string): { config: GPTConfig; step: number; valLoss: number | null; source: string } {
  const source = openFileSource(file);
  try {
    const { metadata } = readSafetensorsHeader(source);
    if (metadata.config === undefined) throw new Error(`${file}: __metadata__ has no "config": not a model this project can read`);
    let config: GPTConfig;
    try {
      config = validateConfig(JSON.parse(metadata.config) as GPTConfig);
    } catch (err) {
      throw new Error(`${file}: its config is not usable (${(err as Error).message})`, { cause: err });
    }
    const step = Number(metadata.step ?? 0);
    const valLoss = metadata.val_loss === undefined ? Number.NaN : Number(metadata.val_loss);
    return {
      config,
      step: Number.isSafeInteger(step) && step >= 0 ? step : 0,
      valLoss: Number.isFinite(valLoss) ? valLoss : null,
      source: "this project's checkpoint",
    };
  } finally {
    source.close();
  }
}
