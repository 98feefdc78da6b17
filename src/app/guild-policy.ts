/**
 * What a guild's admins decide about its data: which channels /train may read, how long stored
 * messages are kept, and wiping everything.
 */
import type { Store } from "../store/index.ts";
import { checkValues } from "./catalogue/check.ts";

type Settings = Pick<Store, "settings">;
const CHANNELS = "train.channels";
const RETENTION = "retention.days";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The channel ids /train may read, or null for "any channel the bot can read". */
export function allowedChannels(store: Settings, guildId: string): string[] | null {
  const value = store.settings.get<string[]>(guildId, CHANNELS);
  return Array.isArray(value) && value.length > 0 ? value : null;
}

export function setAllowedChannels(store: Settings, guildId: string, channelIds: readonly string[]): void {
  if (channelIds.length === 0) store.settings.delete(guildId, CHANNELS);
  else store.settings.set(guildId, CHANNELS, [...channelIds]);
}

/** Days stored messages are kept, or null to keep them until someone asks to forget. */
export function retentionDays(store: Settings, guildId: string): number | null {
  const days = store.settings.get<number>(guildId, RETENTION);
  return typeof days === "number" && days > 0 ? days : null;
}

export function setRetentionDays(store: Settings, guildId: string, days: number): void {
  checkValues("admin retention", { days }); // the range is the catalogue's
  if (days === 0) store.settings.delete(guildId, RETENTION);
  else store.settings.set(guildId, RETENTION, days);
}

/** Deletes the messages older than the guild's retention period; returns how many. */
export function applyRetention(store: Pick<Store, "settings" | "messages">, guildId: string, now = Date.now()): number {
  const days = retentionDays(store, guildId);
  return days === null ? 0 : store.messages.deleteBefore(guildId, now - days * DAY_MS);
}
