/**
 * A fake Discord on 127.0.0.1 for tests: REST under /api/v10 and a WebSocket gateway on one
 * random free port. The real discord.js client connects to it (rest.api = fake.apiUrl; the
 * gateway URL comes from GET /gateway/bot). Every REST request is recorded — method, path,
 * query, JSON body, multipart files — so tests assert on what the bot sent; tests drive the
 * bot by dispatching INTERACTION_CREATE and MESSAGE_CREATE.
 *
 *   const fake = await FakeDiscord.start();
 *   // start the bot with token fake.token, DISCORD_API_URL fake.apiUrl …
 *   const it = fake.interact({ command: "predict", options: { text: "hello" }, locale: "ja" });
 *   const reply = await it.reply();
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import {
  type ChannelJSON,
  ChannelType,
  type GuildJSON,
  MEMBER_PERMISSIONS,
  type MessageJSON,
  type UserJSON,
  makeGuild,
  makeMember,
  makeMessage,
  makeTextChannel,
  makeUser,
  mentionedUsers,
  Permission,
} from "./entities.ts";
import { FakeGateway, type GatewaySession, Op } from "./gateway.ts";
import { type MultipartPart, multipartBoundary, parseMultipart } from "./multipart.ts";
import { EPHEMERAL, handleRoute } from "./routes.ts";
import { DISCORD_EPOCH, snowflake } from "./snowflake.ts";

export interface RecordedRequest {
  method: string;
  /** below /api/v10, without the query, e.g. "/channels/123/messages" */
  path: string;
  query: URLSearchParams;
  authorization?: string;
  /** the JSON body, or a multipart body's payload_json */
  body: unknown;
  /** multipart file parts (files[n]), bytes included */
  files: MultipartPart[];
  /** performance.now() when the request had arrived */
  at: number;
  status?: number;
  response?: unknown;
}

/** A message the bot showed for an interaction (reply, edit of the original, or follow-up). */
export interface ShownMessage {
  request: RecordedRequest;
  content: string;
  ephemeral: boolean;
  files: MultipartPart[];
  body: Record<string, unknown>;
}

export interface FakeInteraction {
  id: string;
  token: string;
  commandName: string;
  guildId?: string;
  channelId: string;
  user: UserJSON;
  /** performance.now() when INTERACTION_CREATE was dispatched */
  sentAt: number;
  callbackType?: number;
  acknowledgedAt?: number;
  /** the callback came after the deadline (Discord: "Unknown interaction") */
  late?: boolean;
  original?: MessageJSON;
  originalDeleted?: boolean;
  followUps: MessageJSON[];
  /** resolves with the first callback request (reply or deferral) */
  acknowledged(): Promise<RecordedRequest>;
  /** resolves with the first message shown that has content, files or embeds */
  reply(timeoutMs?: number): Promise<ShownMessage>;
}

export interface InteractOptions {
  command: string;
  /** option values by name; types come from the registered command, else inferred */
  options?: Record<string, string | number | boolean>;
  /** run this subcommand of the command (the options are then the subcommand's) */
  subcommand?: string;
  guildId?: string;
  channelId?: string;
  user?: UserJSON;
  /** the user's client language, e.g. "ja" or "en-US" */
  locale?: string;
  /** what the user may do (sent as member.permissions) */
  memberPermissions?: bigint;
  /** what the bot may do in the channel (sent as app_permissions) */
  appPermissions?: bigint;
  /** send it from a DM with the bot */
  dm?: boolean;
}

export interface SayOptions {
  content: string;
  channelId?: string;
  author?: UserJSON;
  /** a DM with the bot instead of a guild channel */
  dm?: boolean;
}

export interface FakeDiscordOptions {
  /** how many guilds (each with #general, the bot, alice and bob); default 1 */
  guilds?: number;
  /** what GET /gateway/bot recommends */
  recommendedShards?: number;
  heartbeatIntervalMs?: number;
}

const API_PREFIX = "/api/v10";

export class FakeDiscord extends EventEmitter {
  readonly applicationId: string;
  readonly botUser: UserJSON;
  /** a token of the right shape, accepted by the fake */
  readonly token: string;
  readonly alice = makeUser("alice");
  readonly bob = makeUser("bob");
  readonly guilds: GuildJSON[] = [];
  readonly requests: RecordedRequest[] = [];
  /** tokens answered with 401 */
  readonly rejectedTokens = new Set<string>();
  /** registered commands: "global" or a guild id → the PUT body with ids */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly interactions: FakeInteraction[] = [];
  /** false: identify with the Message Content intent is refused (close 4014), as when the portal switch is off */
  messageContentAllowed = true;
  /** Discord's 3-second rule for the first interaction response */
  callbackDeadlineMs = 3000;
  recommendedShards: number;
  readonly gateway: FakeGateway;
  private readonly histories = new Map<string, MessageJSON[]>();
  private readonly dmChannels = new Map<string, ChannelJSON>();
  private port = 0;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    super();
    this.applicationId = snowflake();
    this.botUser = makeUser("minigpt", { id: this.applicationId, bot: true });
    this.token = fakeToken(this.applicationId);
    this.recommendedShards = options.recommendedShards ?? 1;
    // guild i is made at time base + i, so with N shards guild i lands on shard i mod N
    const now = Date.now();
    const base = now - ((now - Number(DISCORD_EPOCH)) % 1000);
    for (let i = 0; i < (options.guilds ?? 1); i++) {
      this.guilds.push(
        makeGuild({
          id: snowflake(base + i),
          name: `Guild ${i + 1}`,
          bot: this.botUser,
          members: [this.alice, this.bob],
          owner: this.alice,
        }),
      );
    }
    const fake = this;
    this.gateway = new FakeGateway({
      isTokenAccepted: (t) => this.isTokenAccepted(t),
      botUser: this.botUser,
      applicationId: this.applicationId,
      guilds: this.guilds,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      get messageContentAllowed() {
        return fake.messageContentAllowed;
      },
      get resumeUrl() {
        return `ws://127.0.0.1:${fake.port}/gateway-resume`;
      },
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    server.on("request", (req, res) => {
      fake.onRequest(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers });
          res.end(body === undefined ? undefined : JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: `fake Discord failed: ${err.message}`, code: 0 }));
        },
      );
    });
    server.on("upgrade", (req, socket, head) => {
      if (req.url?.startsWith("/gateway")) fake.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** for discord.js `rest.api` / DISCORD_API_URL */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }
  get guild(): GuildJSON {
    return this.guilds[0];
  }
  /** #general of the first guild */
  get channelId(): string {
    return this.guild.channels[0].id;
  }

  async stop(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  isTokenAccepted(token: string): boolean {
    return token.split(".").length === 3 && !this.rejectedTokens.has(token);
  }

  // -------------------------------------------------------------------------------------------
  // Driving the bot

  /** Resolves once `count` shards have identified (and received READY). */
  async waitForSessions(count = 1, timeoutMs = 20_000): Promise<GatewaySession[]> {
    await this.waitUntil(() => this.gateway.sessions.size >= count, `${count} gateway session(s)`, timeoutMs, this.gateway);
    return [...this.gateway.sessions.values()];
  }

  /** Dispatches INTERACTION_CREATE for a slash command. */
  interact(o: InteractOptions): FakeInteraction {
    return this.dispatchInteraction(o, `/${o.command}`, 2, (guildId) => ({
      id: this.commandId(o.command, guildId),
      name: o.command,
      type: 1,
      options: this.commandOptions(o.command, guildId, o.options ?? {}, o.subcommand),
    }));
  }

  /**
   * Dispatches an autocomplete interaction (type 4) while `focused` is typed: the options so far,
   * the focused one marked as Discord marks it. The bot answers with callback type 8 and its choices.
   */
  autocomplete(o: InteractOptions & { focused: string }): FakeInteraction {
    return this.dispatchInteraction(o, `/${o.command} (autocomplete)`, 4, (guildId) => {
      const options = this.commandOptions(o.command, guildId, o.options ?? {}, o.subcommand) as {
        name: string;
        options?: { name: string; focused?: boolean }[];
        focused?: boolean;
      }[];
      for (const option of o.subcommand === undefined ? options : (options[0].options ?? []))
        if (option.name === o.focused) option.focused = true;
      return { id: this.commandId(o.command, guildId), name: o.command, type: 1, options };
    });
  }

  /** A user presses a button (a message component interaction, type 3) under one of the bot's messages. */
  press(o: Omit<InteractOptions, "command" | "options" | "subcommand"> & { message: MessageJSON; customId: string }): FakeInteraction {
    // where the message is: its server and channel (none: a DM)
    const where = o.message.guild_id ? { guildId: o.message.guild_id, channelId: o.message.channel_id } : { dm: true as const };
    return this.dispatchInteraction(
      { ...o, ...where, command: `button:${o.customId}` },
      `button ${o.customId}`,
      3,
      () => ({ custom_id: o.customId, component_type: 2 }),
      {
        message: o.message,
      },
    );
  }

  private dispatchInteraction(
    o: InteractOptions,
    what: string,
    type: number,
    data: (guildId: string | undefined) => unknown,
    extra: Record<string, unknown> = {},
  ): FakeInteraction {
    const guild = o.dm ? undefined : (this.guilds.find((g) => g.id === o.guildId) ?? this.guild);
    const user = o.user ?? this.alice;
    const channel = guild ? guild.channels.find((c) => c.id === (o.channelId ?? guild.channels[0].id))! : this.dmChannelWith(user.id);
    const id = snowflake();
    const token = `fake-interaction-token-${id}`;
    const payload = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data: data(guild?.id),
      channel_id: channel.id,
      channel: { ...channel },
      locale: o.locale ?? "en-US",
      app_permissions: String(o.appPermissions ?? MEMBER_PERMISSIONS),
      entitlements: [],
      authorizing_integration_owners: { "0": guild?.id ?? "0" },
      context: guild ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
      ...(guild
        ? {
            guild_id: guild.id,
            guild_locale: guild.preferred_locale,
            member: { ...makeMember(user), permissions: String(o.memberPermissions ?? MEMBER_PERMISSIONS) },
          }
        : { user }),
    };
    const interaction: FakeInteraction = {
      id,
      token,
      commandName: o.command,
      ...(guild && { guildId: guild.id }),
      channelId: channel.id,
      user,
      sentAt: performance.now(),
      followUps: [],
      acknowledged: () =>
        this.waitForRequest((r) => r.path === `/interactions/${id}/${token}/callback`, `the callback of interaction ${id} (${what})`),
      reply: (timeoutMs?: number) => this.waitForShown(interaction, timeoutMs),
    };
    this.interactions.push(interaction);
    this.gateway.dispatch(this.gateway.sessionFor(guild?.id), "INTERACTION_CREATE", payload);
    return interaction;
  }

  /** A user writes a message (MESSAGE_CREATE); `<@id>` in the content mentions that user. */
  say(o: SayOptions): MessageJSON {
    const author = o.author ?? this.alice;
    const channel = o.dm ? this.dmChannelWith(author.id) : this.channel(o.channelId ?? this.channelId);
    if (!channel) throw new Error(`no channel ${o.channelId}`);
    const known = [this.botUser, this.alice, this.bob];
    const message = makeMessage({
      channelId: channel.id,
      ...(channel.guild_id !== undefined && { guildId: channel.guild_id }),
      author,
      content: o.content,
      mentions: mentionedUsers(o.content, known),
    });
    this.history(channel.id).push(message);
    const member = channel.guild_id === undefined ? undefined : (({ user: _user, ...rest }) => rest)(makeMember(author));
    // like Discord, the event names the channel's type (discord.js needs it to build an uncached DM channel)
    this.gateway.dispatch(this.gateway.sessionFor(channel.guild_id), "MESSAGE_CREATE", {
      ...message,
      channel_type: channel.type,
      ...(member && { member }),
    });
    return message;
  }

  /**
   * Puts older messages into a channel's history (for GET /channels/{id}/messages), one second
   * apart from `startAt`. `type` other than 0 makes a system message (e.g. 7, a member joined).
   */
  seedHistory(
    channelId: string,
    messages: { author?: UserJSON; content: string; type?: number }[],
    startAt = Date.now() - 3_600_000,
  ): MessageJSON[] {
    const channel = this.channel(channelId);
    const seeded = messages.map((m, i) => {
      const at = startAt + i * 1000;
      const message = makeMessage({
        id: snowflake(at),
        channelId,
        ...(channel?.guild_id !== undefined && { guildId: channel.guild_id }),
        author: m.author ?? this.alice,
        content: m.content,
      });
      message.timestamp = new Date(at).toISOString();
      if (m.type !== undefined) message.type = m.type;
      return message;
    });
    this.history(channelId).unshift(...seeded);
    return seeded;
  }

  /** Adds a text channel to a guild (announced with CHANNEL_CREATE when the bot is connected). */
  addChannel(name: string, guildId: string = this.guild.id): ChannelJSON {
    const guild = this.guilds.find((g) => g.id === guildId);
    if (!guild) throw new Error(`no guild ${guildId}`);
    const channel = makeTextChannel(guild.id, name, guild.channels.length);
    guild.channels.push(channel);
    if (this.gateway.sessions.size > 0) this.gateway.dispatch(this.gateway.sessionFor(guild.id), "CHANNEL_CREATE", channel);
    return channel;
  }

  /** Takes permissions away from the bot in one channel (a member overwrite + CHANNEL_UPDATE). */
  denyBotInChannel(channelId: string, deny: bigint): void {
    const channel = this.channel(channelId);
    if (!channel?.guild_id) throw new Error(`no guild channel ${channelId}`);
    channel.permission_overwrites = [
      ...(channel.permission_overwrites ?? []).filter((o) => o.id !== this.botUser.id),
      { id: this.botUser.id, type: 1, allow: "0", deny: String(deny) },
    ];
    if (this.gateway.sessions.size > 0) this.gateway.dispatch(this.gateway.sessionFor(channel.guild_id), "CHANNEL_UPDATE", channel);
  }

  // -------------------------------------------------------------------------------------------
  // Observing the bot

  /** Waits for a recorded request matching `predicate` (already there, or the next one). */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, what = "a matching request", timeoutMs = 20_000): Promise<RecordedRequest> {
    // 1. among the requests so far; 2. then each new one alone (the earlier ones were looked at
    // once: with hundreds of waiters, scanning every request again on each arrival made the
    // fake's own bookkeeping the slowest part of a load run)
    const earlier = this.requests.find(predicate);
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest) => {
        if (!predicate(r)) return;
        cleanup();
        resolve(r);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off("request", onRequest);
      };
      this.on("request", onRequest);
    });
  }

  /** Requests that show a message (content/files/embeds): channel messages, replies, edits, follow-ups. */
  messagesSent(): RecordedRequest[] {
    return this.requests.filter((r) => showsMessage(r));
  }

  /** Who Discord would notify for a message body, given its allowed_mentions. */
  pingsOf(body: unknown): { everyone: boolean; users: string[]; roles: string[]; repliedUser: boolean } {
    // a whole RecordedRequest has no content of its own: checking it would always say "no pings"
    if (body !== null && typeof body === "object" && "method" in body && "path" in body && "body" in body)
      throw new Error("pingsOf takes a message body (request.body), not the recorded request");
    const b = (body ?? {}) as {
      content?: string;
      allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
      message_reference?: unknown;
    };
    const content = b.content ?? "";
    const allowed = b.allowed_mentions;
    const parse = new Set(allowed === undefined ? ["users", "roles", "everyone"] : (allowed.parse ?? []));
    const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]);
    const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]);
    return {
      everyone: /@(everyone|here)/.test(content) && parse.has("everyone"),
      users: userIds.filter((id) => parse.has("users") || (allowed?.users ?? []).includes(id)),
      roles: roleIds.filter((id) => parse.has("roles") || (allowed?.roles ?? []).includes(id)),
      repliedUser: b.message_reference !== undefined && (allowed === undefined || allowed.replied_user === true),
    };
  }

  // -------------------------------------------------------------------------------------------
  // State the routes read

  channel(id: string): ChannelJSON | undefined {
    for (const g of this.guilds) {
      const c = g.channels.find((ch) => ch.id === id);
      if (c) return c;
    }
    return [...this.dmChannels.values()].find((c) => c.id === id);
  }

  history(channelId: string): MessageJSON[] {
    let list = this.histories.get(channelId);
    if (!list) {
      list = [];
      this.histories.set(channelId, list);
    }
    return list;
  }

  dmChannelWith(userId: string): ChannelJSON {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      const user = [this.alice, this.bob].find((u) => u.id === userId) ?? makeUser("someone", { id: userId });
      channel = { id: snowflake(), type: ChannelType.DM, recipients: [user], last_message_id: null, flags: 0 };
      this.dmChannels.set(userId, channel);
    }
    return channel;
  }

  /** Whether the bot may read a channel's history: role permissions, then channel overwrites. */
  canReadHistory(channelId: string): boolean {
    const channel = this.channel(channelId);
    if (!channel?.guild_id) return true;
    const guild = this.guilds.find((g) => g.id === channel.guild_id)!;
    const me = guild.members.find((m) => m.user.id === this.botUser.id)!;
    let allowed = guild.roles.filter((r) => r.id === guild.id || me.roles.includes(r.id)).reduce((p, r) => p | BigInt(r.permissions), 0n);
    if (allowed & Permission.Administrator) return true;
    for (const o of channel.permission_overwrites ?? []) {
      if (o.id === guild.id || me.roles.includes(o.id) || o.id === this.botUser.id) allowed = (allowed & ~BigInt(o.deny)) | BigInt(o.allow);
    }
    const needed = Permission.ViewChannel | Permission.ReadMessageHistory;
    return (allowed & needed) === needed;
  }

  interactionById(id: string): FakeInteraction | undefined {
    return this.interactions.find((i) => i.id === id);
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    return this.interactions.find((i) => i.token === token);
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** Faults to answer instead of the real route (429 with Retry-After, 500, …), each a number of times. */
  private readonly faults: { match: (r: RecordedRequest) => boolean; status: number; retryAfterSeconds?: number; times: number }[] = [];

  /** The next `times` requests that match get `status` (429 comes with Retry-After) instead of an answer. */
  injectFault(fault: { match: (r: RecordedRequest) => boolean; status: number; retryAfterSeconds?: number; times?: number }): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  private faultFor(record: RecordedRequest): { status: number; body?: unknown; headers?: Record<string, string> } | undefined {
    const fault = this.faults.find((f) => f.times > 0 && f.match(record));
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.status !== 429) return { status: fault.status, body: { message: "injected fault", code: 0 } };
    const after = fault.retryAfterSeconds ?? 0.2;
    return {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: after, global: false },
      headers: {
        "retry-after": String(after),
        "x-ratelimit-scope": "user",
        "x-ratelimit-limit": "1",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": String(after),
        "x-ratelimit-bucket": "injected",
      },
    };
  }

  private async onRequest(req: IncomingMessage): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", this.baseUrl);
    const pathname = decodeURIComponent(url.pathname); // discord.js sends @original as %40original
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname,
      query: url.searchParams,
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      body: undefined,
      files: [],
      at: performance.now(),
    };
    // 1. the body: JSON, or multipart with payload_json and files
    const boundary = multipartBoundary(req.headers["content-type"]);
    if (boundary) {
      const parts = parseMultipart(raw, boundary);
      const payload = parts.find((p) => p.name === "payload_json");
      record.body = payload ? JSON.parse(payload.data.toString("utf8")) : {};
      record.files = parts.filter((p) => p.name !== "payload_json");
    } else if (raw.length > 0) {
      record.body = JSON.parse(raw.toString("utf8"));
    }
    // 2. the answer
    const result: { status: number; body?: unknown; headers?: Record<string, string> } =
      this.faultFor(record) ??
      (pathname.startsWith(API_PREFIX) ? handleRoute(this, record) : { status: 404, body: { message: "404: Not Found", code: 0 } });
    record.status = result.status;
    record.response = result.body;
    this.requests.push(record);
    this.emit("request", record);
    return result;
  }

  private commandId(name: string, guildId: string | undefined): string {
    const registered = [...(guildId ? (this.commands.get(guildId) ?? []) : []), ...(this.commands.get("global") ?? [])];
    return String(registered.find((c) => c.name === name)?.id ?? snowflake());
  }

  /** Options as Discord sends them, typed by the registered definition when there is one. */
  private commandOptions(
    name: string,
    guildId: string | undefined,
    values: Record<string, string | number | boolean>,
    subcommand?: string,
  ) {
    const registered = [...(guildId ? (this.commands.get(guildId) ?? []) : []), ...(this.commands.get("global") ?? [])];
    type OptionDefinition = { name: string; type: number; options?: OptionDefinition[] };
    const definition = registered.find((c) => c.name === name) as { options?: OptionDefinition[] } | undefined;
    const declared =
      subcommand === undefined ? definition?.options : definition?.options?.find((o) => o.name === subcommand && o.type === 1)?.options;
    const typed = Object.entries(values).map(([optionName, value]) => {
      const type = declared?.find((o) => o.name === optionName)?.type;
      const inferred = typeof value === "string" ? 3 : typeof value === "boolean" ? 5 : Number.isInteger(value) ? 4 : 10;
      return { name: optionName, type: type ?? inferred, value };
    });
    return subcommand === undefined ? typed : [{ name: subcommand, type: 1, options: typed }];
  }

  private waitForShown(it: FakeInteraction, timeoutMs?: number): Promise<ShownMessage> {
    const belongs = (r: RecordedRequest) => r.path.includes(`/${it.token}`) && r.status !== undefined && r.status < 300 && showsMessage(r);
    return this.waitForRequest(belongs, `a message for interaction ${it.id} (/${it.commandName})`, timeoutMs).then((request) => {
      const body = ((request.path.endsWith("/callback") ? (request.body as { data?: unknown }).data : request.body) ?? {}) as Record<
        string,
        unknown
      >;
      return {
        request,
        body,
        content: String(body.content ?? ""),
        ephemeral: (Number(body.flags ?? 0) & EPHEMERAL) !== 0,
        files: request.files,
      };
    });
  }

  private waitUntil(condition: () => boolean, what: string, timeoutMs: number, emitter: EventEmitter | FakeGateway): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listen = (): (() => void) => {
        if (emitter instanceof FakeGateway) return emitter.onReceive(check);
        emitter.on("request", check);
        return () => emitter.off("request", check);
      };
      const stop = listen();
      const cleanup = () => {
        clearTimeout(timer);
        stop();
      };
    });
  }
}

/** Whether a request puts a message on screen (as opposed to a deferral, typing, fetch…). */
function showsMessage(r: RecordedRequest): boolean {
  if (r.method !== "POST" && r.method !== "PATCH") return false;
  const isCallback = /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(r.path);
  const isWebhook = /^\/webhooks\//.test(r.path);
  const isChannelMessage = /^\/channels\/[^/]+\/messages$/.test(r.path) && r.method === "POST";
  if (!isCallback && !isWebhook && !isChannelMessage) return false;
  const body = ((isCallback ? (r.body as { data?: unknown })?.data : r.body) ?? {}) as { content?: string; embeds?: unknown[] };
  return Boolean(body.content) || (body.embeds?.length ?? 0) > 0 || r.files.length > 0;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A token of the real shape: base64(id).timestamp.hmac (all fake). */
export function fakeToken(applicationId: string): string {
  const id = Buffer.from(applicationId).toString("base64url");
  return `${id}.GfAkE1.${"fakefakefakefakefakefakefakefake".slice(0, 38)}`;
}

export { Op };
