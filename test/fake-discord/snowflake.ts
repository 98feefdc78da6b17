/** Discord-shaped ids: (ms since 2015-01-01) << 22 | a counter, as decimal strings. */
export const DISCORD_EPOCH = 1420070400000n;

let counter = 0n;

/** A new id, increasing with time (and within the same millisecond). */
export function snowflake(at: number = Date.now()): string {
  counter = (counter + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | counter).toString();
}

/** The time (ms) an id was made at. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Which shard a guild belongs to, by Discord's formula. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
