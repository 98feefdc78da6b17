/**
 * The fake's REST API under /api/v10: just the routes the bot uses, answering like Discord
 * (JSON errors with a message and code; 204 where Discord sends no body).
 */
import { makeMessage, type AttachmentJSON, type MessageJSON } from "./entities.ts";
import type { FakeDiscord, RecordedRequest } from "./server.ts";
import { snowflake } from "./snowflake.ts";

export interface RouteResult {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** false for interaction callbacks and webhooks (they carry their own token) */
  auth: boolean;
  handle(fake: FakeDiscord, req: RecordedRequest, params: string[]): RouteResult;
}

export const InteractionCallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredMessageUpdate: 6,
  UpdateMessage: 7,
} as const;

/** Message flag: only the user who ran the command sees it. */
export const EPHEMERAL = 1 << 6;

const ok = (body?: unknown): RouteResult => ({ status: body === undefined ? 204 : 200, body });
const error = (status: number, code: number, message: string): RouteResult => ({ status, body: { message, code } });

const ROUTES: Route[] = [
  route("GET", "/gateway/bot", true, (fake) =>
    ok({
      url: fake.gatewayUrl,
      shards: fake.recommendedShards,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    }),
  ),
  route("GET", "/gateway", false, (fake) => ok({ url: fake.gatewayUrl })),
  route("GET", "/users/@me", true, (fake) => ok(fake.botUser)),
  route("GET", "/applications/@me", true, (fake) =>
    ok({ id: fake.applicationId, name: fake.botUser.username, flags: 0, bot: fake.botUser, description: "", icon: null }),
  ),

  // application commands: global and per guild
  route("PUT", "/applications/:app/commands", true, (fake, req, [app]) => putCommands(fake, app, req, undefined)),
  route("PUT", "/applications/:app/guilds/:guild/commands", true, (fake, req, [app, guild]) => putCommands(fake, app, req, guild)),
  route("GET", "/applications/:app/commands", true, (fake) => ok(fake.commands.get("global") ?? [])),
  route("GET", "/applications/:app/guilds/:guild/commands", true, (fake, _req, [, guild]) => ok(fake.commands.get(guild) ?? [])),

  // interactions
  route("POST", "/interactions/:id/:token/callback", false, interactionCallback),
  route("GET", "/webhooks/:app/:token/messages/@original", false, (fake, _req, [, token]) => {
    const it = fake.interactionByToken(token);
    return it?.original ? ok(it.original) : error(404, 10008, "Unknown Message");
  }),
  route("PATCH", "/webhooks/:app/:token/messages/@original", false, (fake, req, [, token]) => {
    const it = fake.interactionByToken(token);
    if (!it) return error(404, 10015, "Unknown Webhook");
    if (!it.original) return error(404, 10008, "Unknown Message");
    it.original = editMessage(fake, it.original, req);
    return ok(it.original);
  }),
  route("DELETE", "/webhooks/:app/:token/messages/@original", false, (fake, _req, [, token]) => {
    const it = fake.interactionByToken(token);
    if (!it?.original) return error(404, 10008, "Unknown Message");
    it.original = undefined;
    it.originalDeleted = true;
    return ok();
  }),
  route("POST", "/webhooks/:app/:token", false, (fake, req, [, token]) => {
    const it = fake.interactionByToken(token);
    if (!it) return error(404, 10015, "Unknown Webhook");
    if (it.callbackType === undefined) return error(400, 40060, "Interaction has not been acknowledged");
    const message = messageFromBody(fake, it.channelId, it.guildId, req);
    it.followUps.push(message);
    return ok(message);
  }),
  route("PATCH", "/webhooks/:app/:token/messages/:message", false, (fake, req, [, token, messageId]) => {
    const it = fake.interactionByToken(token);
    const index = it?.followUps.findIndex((m) => m.id === messageId) ?? -1;
    if (!it || index < 0) return error(404, 10008, "Unknown Message");
    it.followUps[index] = editMessage(fake, it.followUps[index], req);
    return ok(it.followUps[index]);
  }),

  // channels
  route("GET", "/channels/:channel", true, (fake, _req, [channel]) => {
    const found = fake.channel(channel);
    return found ? ok(found) : error(404, 10003, "Unknown Channel");
  }),
  route("POST", "/channels/:channel/typing", true, (fake, _req, [channel]) =>
    fake.channel(channel) ? ok() : error(404, 10003, "Unknown Channel"),
  ),
  route("POST", "/channels/:channel/messages", true, (fake, req, [channel]) => {
    const found = fake.channel(channel);
    if (!found) return error(404, 10003, "Unknown Channel");
    const message = messageFromBody(fake, channel, found.guild_id, req);
    fake.history(channel).push(message);
    return ok(message);
  }),
  route("GET", "/channels/:channel/messages", true, channelMessages),
  // the bot edits a message of its own: one it posted, or an interaction's (non-ephemeral) reply
  route("PATCH", "/channels/:channel/messages/:message", true, (fake, req, [channel, messageId]) => {
    if (!fake.channel(channel)) return error(404, 10003, "Unknown Channel");
    const history = fake.history(channel);
    const index = history.findIndex((m) => m.id === messageId && m.author.id === fake.botUser.id);
    if (index >= 0) {
      history[index] = editMessage(fake, history[index]!, req);
      return ok(history[index]);
    }
    const it = fake.interactions.find(
      (x) => x.channelId === channel && x.original?.id === messageId && (x.original.flags & EPHEMERAL) === 0,
    );
    if (!it?.original) return error(404, 10008, "Unknown Message");
    it.original = editMessage(fake, it.original, req);
    return ok(it.original);
  }),
  route("POST", "/users/@me/channels", true, (fake, req) =>
    ok(fake.dmChannelWith(String((req.body as { recipient_id?: unknown })?.recipient_id))),
  ),
];

function route(method: string, template: string, auth: boolean, handle: Route["handle"]): Route {
  const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/:\w+/g, "([^/]+)")}$`);
  return { method, pattern, auth, handle };
}

/** Finds the route; checks the bot token where the route needs one. */
export function handleRoute(fake: FakeDiscord, req: RecordedRequest): RouteResult {
  for (const r of ROUTES) {
    if (r.method !== req.method) continue;
    const match = r.pattern.exec(req.path);
    if (!match) continue;
    if (r.auth) {
      const token = /^Bot (.+)$/.exec(req.authorization ?? "")?.[1];
      if (!token || !fake.isTokenAccepted(token)) return error(401, 0, "401: Unauthorized");
    }
    return r.handle(fake, req, match.slice(1));
  }
  return error(404, 0, `404: Not Found (the fake Discord has no route ${req.method} ${req.path})`);
}

function putCommands(fake: FakeDiscord, app: string, req: RecordedRequest, guildId: string | undefined): RouteResult {
  if (app !== fake.applicationId) return error(403, 50001, "Missing Access");
  if (!Array.isArray(req.body)) return error(400, 50035, "Invalid Form Body: expected an array of commands");
  const registered = (req.body as Record<string, unknown>[]).map((c) => ({
    id: snowflake(),
    application_id: app,
    version: snowflake(),
    type: 1,
    ...(guildId !== undefined && { guild_id: guildId }),
    ...c,
  }));
  fake.commands.set(guildId ?? "global", registered);
  return ok(registered);
}

function interactionCallback(fake: FakeDiscord, req: RecordedRequest, [id, token]: string[]): RouteResult {
  const it = fake.interactionById(id);
  if (!it || it.token !== token) return error(404, 10062, "Unknown interaction");
  // Discord's 3-second rule: the first response must come in time
  if (req.at - it.sentAt > fake.callbackDeadlineMs) {
    it.late = true;
    return error(404, 10062, "Unknown interaction");
  }
  if (it.callbackType !== undefined) return error(400, 40060, "Interaction has already been acknowledged.");
  const { type, data } = (req.body ?? {}) as { type?: number; data?: Record<string, unknown> };
  it.callbackType = type;
  it.acknowledgedAt = req.at;
  if (type === InteractionCallbackType.ChannelMessageWithSource || type === InteractionCallbackType.DeferredChannelMessageWithSource) {
    const flags = Number(data?.flags ?? 0);
    it.original = messageFromBody(fake, it.channelId, it.guildId, { ...req, body: data ?? {} }, { interactionFlags: flags });
  }
  const withResponse = req.query.get("with_response") === "true";
  if (!withResponse) return ok();
  return ok({
    interaction: {
      id: it.id,
      type: 2,
      activity_instance_id: null,
      response_message_id: it.original?.id,
      response_message_loading: type === 5,
      response_message_ephemeral: Boolean(Number(data?.flags ?? 0) & EPHEMERAL),
    },
    resource: { type, ...(it.original && { message: it.original }) },
  });
}

/** GET /channels/{id}/messages: newest first, `before`/`after` an id, `limit` 1–100 (default 50). */
function channelMessages(fake: FakeDiscord, req: RecordedRequest, [channel]: string[]): RouteResult {
  if (!fake.channel(channel)) return error(404, 10003, "Unknown Channel");
  if (!fake.canReadHistory(channel)) return error(403, 50001, "Missing Access");
  const limit = Number(req.query.get("limit") ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return error(400, 50035, `Invalid Form Body: limit must be 1–100, got ${req.query.get("limit")}`);
  const before = req.query.get("before");
  const after = req.query.get("after");
  let messages = [...fake.history(channel)];
  if (before !== null) messages = messages.filter((m) => BigInt(m.id) < BigInt(before));
  if (after !== null) messages = messages.filter((m) => BigInt(m.id) > BigInt(after));
  messages.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  // with `after`, Discord returns the oldest ones after it (still newest first)
  const page = after !== null && before === null ? messages.slice(-limit) : messages.slice(0, limit);
  return ok(page);
}

/** A message from a JSON body (or multipart payload_json + files), sent by the bot. */
function messageFromBody(
  fake: FakeDiscord,
  channelId: string,
  guildId: string | undefined,
  req: RecordedRequest,
  options: { interactionFlags?: number } = {},
): MessageJSON {
  const body = (req.body ?? {}) as {
    content?: string;
    embeds?: unknown[];
    flags?: number;
    message_reference?: unknown;
    components?: unknown[];
  };
  const message = makeMessage({
    channelId,
    ...(guildId !== undefined && { guildId }),
    author: fake.botUser,
    content: body.content ?? "",
    attachments: attachmentsOf(fake, req),
    embeds: body.embeds ?? [],
    flags: options.interactionFlags ?? Number(body.flags ?? 0),
  });
  if (body.message_reference !== undefined) message.message_reference = body.message_reference;
  if (body.components !== undefined) message.components = body.components;
  message.mention_everyone = fake.pingsOf(req.body).everyone;
  return message;
}

function editMessage(fake: FakeDiscord, message: MessageJSON, req: RecordedRequest): MessageJSON {
  const body = (req.body ?? {}) as { content?: string; embeds?: unknown[] };
  const attachments = attachmentsOf(fake, req);
  return {
    ...message,
    ...(body.content !== undefined && { content: body.content }),
    ...(body.embeds !== undefined && { embeds: body.embeds }),
    ...(attachments.length > 0 && { attachments }),
    edited_timestamp: new Date().toISOString(),
  };
}

function attachmentsOf(fake: FakeDiscord, req: RecordedRequest): AttachmentJSON[] {
  return req.files.map((f) => {
    const id = snowflake();
    const url = `${fake.baseUrl}/attachments/${id}/${encodeURIComponent(f.filename ?? "file")}`;
    return {
      id,
      filename: f.filename ?? "file",
      size: f.data.length,
      url,
      proxy_url: url,
      ...(f.contentType && { content_type: f.contentType }),
    };
  });
}
