/**
 * The Discord objects the fake hands out, as plain JSON in the API's snake_case: users,
 * guilds with channels/roles/members, messages. Only the fields discord.js reads.
 */
import { snowflake } from "./snowflake.ts";

export const Permission = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
} as const;

/** What @everyone may do in the fake guild, and what the bot is given by default. */
export const MEMBER_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseApplicationCommands;

export interface UserJSON {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
}

export interface ChannelJSON {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  position?: number;
  permission_overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
  recipients?: UserJSON[];
  [key: string]: unknown;
}

export interface RoleJSON {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  flags: number;
}

export interface MemberJSON {
  user: UserJSON;
  roles: string[];
  joined_at: string;
  deaf: boolean;
  mute: boolean;
  flags: number;
  nick?: string | null;
  permissions?: string;
}

export interface GuildJSON {
  id: string;
  name: string;
  owner_id: string;
  preferred_locale: string;
  channels: ChannelJSON[];
  roles: RoleJSON[];
  members: MemberJSON[];
  [key: string]: unknown;
}

export interface AttachmentJSON {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

export interface MessageJSON {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: UserJSON;
  member?: Omit<MemberJSON, "user">;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: UserJSON[];
  mention_roles: string[];
  attachments: AttachmentJSON[];
  embeds: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
  components?: unknown[];
  message_reference?: unknown;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
}

export const ChannelType = { GuildText: 0, DM: 1 } as const;

export function makeUser(username: string, options: { id?: string; bot?: boolean } = {}): UserJSON {
  return {
    id: options.id ?? snowflake(),
    username,
    discriminator: "0",
    global_name: username,
    avatar: null,
    ...(options.bot && { bot: true }),
  };
}

export function makeMember(user: UserJSON, roles: string[] = []): MemberJSON {
  return { user, roles, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null };
}

export function makeTextChannel(guildId: string, name: string, position = 0): ChannelJSON {
  return {
    id: snowflake(),
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    parent_id: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function makeRole(id: string, name: string, permissions: bigint, position = 0): RoleJSON {
  return { id, name, permissions: permissions.toString(), position, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
}

/**
 * A guild with a #general channel, @everyone (MEMBER_PERMISSIONS), the bot and the given
 * members. `botPermissions` replaces what the bot may do (through a role of its own).
 */
export function makeGuild(options: {
  id?: string;
  name: string;
  bot: UserJSON;
  members?: UserJSON[];
  owner?: UserJSON;
  locale?: string;
  everyonePermissions?: bigint;
}): GuildJSON {
  const id = options.id ?? snowflake();
  const owner = options.owner ?? options.members?.[0] ?? options.bot;
  const everyone = makeRole(id, "@everyone", options.everyonePermissions ?? MEMBER_PERMISSIONS);
  const humans = (options.members ?? []).filter((u) => u.id !== options.bot.id);
  return {
    id,
    name: options.name,
    owner_id: owner.id,
    preferred_locale: options.locale ?? "en-US",
    channels: [makeTextChannel(id, "general")],
    roles: [everyone],
    members: [makeMember(options.bot), ...humans.map((u) => makeMember(u))],
    icon: null,
    features: [],
    emojis: [],
    stickers: [],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 1 + humans.length,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    system_channel_flags: 0,
    afk_timeout: 300,
    application_id: null,
    system_channel_id: null,
    rules_channel_id: null,
    public_updates_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    splash: null,
    discovery_splash: null,
  };
}

/** Mentions Discord would resolve from the content: <@id> / <@!id> of known users. */
export function mentionedUsers(content: string, knownUsers: Iterable<UserJSON>): UserJSON[] {
  const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]));
  return [...knownUsers].filter((u) => ids.has(u.id));
}

export function makeMessage(fields: {
  channelId: string;
  guildId?: string;
  author: UserJSON;
  content: string;
  mentions?: UserJSON[];
  id?: string;
  attachments?: AttachmentJSON[];
  embeds?: unknown[];
  flags?: number;
}): MessageJSON {
  const id = fields.id ?? snowflake();
  return {
    id,
    channel_id: fields.channelId,
    ...(fields.guildId !== undefined && { guild_id: fields.guildId }),
    author: fields.author,
    content: fields.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: /@(everyone|here)/.test(fields.content),
    mentions: fields.mentions ?? [],
    mention_roles: [],
    attachments: fields.attachments ?? [],
    embeds: fields.embeds ?? [],
    pinned: false,
    type: 0,
    flags: fields.flags ?? 0,
    components: [],
  };
}
