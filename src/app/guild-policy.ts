/**
 * What a guild's admins decide about its data: which channels /train may read, how long stored
 * messages are kept, and wiping everything.
 */
import type { AsyncStore } from "../store/async-store.ts";
import { checkValues } from "./catalogue/check.ts";

type Settings = Pick<AsyncStore, "settings">;
const CHANNELS = "train.channels";
const RETENTION = "retention.days";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The channel ids /train may read, or null for "any channel the bot can read". */
export async function allowedChannels(store: Settings, guildId: string): Promise<string[] | null> {
  const value = await store.settings.get<string[]>(guildId, CHANNELS);
  return Array.isArray(value) && value.length > 0 ? value : null;
}

export async function setAllowedChannels(store: Settings, guildId: string, channelIds: readonly string[]): Promise<void> {
  if (channelIds.length === 0) await store.settings.delete(guildId, CHANNELS);
  else await store.settings.set(guildId, CHANNELS, [...channelIds]);
}

/** Days stored messages are kept, or null to keep them until someone asks to forget. */
export async function retentionDays(store: Settings, guildId: string): Promise<number | null> {
  const days = await store.settings.get<number>(guildId, RETENTION);
  return typeof days === "number" && days > 0 ? days : null;
}

export async function setRetentionDays(store: Settings, guildId: string, days: number): Promise<void> {
  checkValues("admin retention", { days }); // the range is the catalogue's
  if (days === 0) await store.settings.delete(guildId, RETENTION);
  else await store.settings.set(guildId, RETENTION, days);
}

/** Deletes the messages older than the guild's retention period; returns how many. */
export async function applyRetention(store: Pick<AsyncStore, "settings" | "messages">, guildId: string, now = Date.now()): Promise<number> {
  const days = await retentionDays(store, guildId);
  return days === null ? 0 : store.messages.deleteBefore(guildId, now - days * DAY_MS);
}
