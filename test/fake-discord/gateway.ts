/**
 * The fake gateway: a WebSocket endpoint speaking Discord's JSON protocol (no compression).
 *
 *   client connects  → HELLO (op 10, heartbeat_interval)
 *   IDENTIFY (op 2)  → READY (op 0) listing the shard's guilds as unavailable, then one
 *                      GUILD_CREATE per guild (discord.js waits for them before "ready")
 *   HEARTBEAT (op 1) → HEARTBEAT_ACK (op 11)
 *   RESUME (op 6)    → the events missed since `seq`, then RESUMED; unknown session → op 9
 *
 * A session outlives its socket, so events dispatched while disconnected are replayed on RESUME.
 */
import type { IncomingMessage } from "node:http";
import { WebSocket, WebSocketServer } from "ws";
import type { GuildJSON, UserJSON } from "./entities.ts";
import { shardOfGuild, snowflake } from "./snowflake.ts";

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

export interface GatewayPayload {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

export interface GatewaySession {
  id: string;
  shard: [number, number];
  intents: number;
  /** the last sequence number sent */
  seq: number;
  /** every dispatch sent, for replay on RESUME */
  sent: GatewayPayload[];
  socket: WebSocket | null;
  resumed: number;
}

export interface GatewayWorld {
  isTokenAccepted(token: string): boolean;
  botUser: UserJSON;
  applicationId: string;
  guilds: GuildJSON[];
  heartbeatIntervalMs: number;
  resumeUrl: string;
  /** false: like an application without the Message Content intent enabled in the portal */
  messageContentAllowed: boolean;
}

/** The privileged intent Message Content (1 << 15). */
const MESSAGE_CONTENT_INTENT = 1 << 15;

/** One received payload, for assertions (identify, heartbeat, resume…). */
export interface ReceivedPayload {
  sessionId: string | null;
  payload: GatewayPayload;
}

export class FakeGateway {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly sessions = new Map<string, GatewaySession>();
  /** every connection's request URL (path and query: v, encoding, compress) */
  readonly connections: string[] = [];
  readonly received: ReceivedPayload[] = [];
  private readonly listeners = new Set<(r: ReceivedPayload) => void>();

  constructor(private readonly world: GatewayWorld) {}

  handleUpgrade(request: IncomingMessage, socket: import("node:stream").Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request.url ?? ""));
  }

  /** Called with every payload the bot sends. */
  onReceive(listener: (r: ReceivedPayload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session that owns a guild (DMs: shard 0), if connected. */
  sessionFor(guildId: string | undefined): GatewaySession {
    const sessions = [...this.sessions.values()];
    if (sessions.length === 0) throw new Error("no gateway session: is the bot connected?");
    const count = sessions[0].shard[1];
    const shard = guildId === undefined ? 0 : shardOfGuild(guildId, count);
    const session = sessions.filter((s) => s.shard[0] === shard).pop();
    if (!session) throw new Error(`no gateway session for shard ${shard} of ${count} (guild ${guildId})`);
    return session;
  }

  /** Sends a dispatch event (op 0) on a session; kept for replay if the socket is down. */
  dispatch(session: GatewaySession, t: string, d: unknown): void {
    const payload: GatewayPayload = { op: Op.Dispatch, t, s: ++session.seq, d };
    session.sent.push(payload);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  /** Sends any payload (e.g. op 1 to ask for a heartbeat, op 7 to ask for a reconnect). */
  send(session: GatewaySession, payload: GatewayPayload): void {
    if (session.socket?.readyState !== WebSocket.OPEN) throw new Error(`session ${session.id} has no open socket`);
    session.socket.send(JSON.stringify(payload));
  }

  /** Closes a session's socket with a code (4000 = unknown error: the client resumes). */
  disconnect(session: GatewaySession, code = 4000): void {
    session.socket?.close(code, "fake disconnect");
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private onConnection(ws: WebSocket, url: string): void {
    this.connections.push(url);
    let session: GatewaySession | null = null;
    const send = (payload: GatewayPayload) => ws.send(JSON.stringify(payload));
    send({ op: Op.Hello, d: { heartbeat_interval: this.world.heartbeatIntervalMs }, s: null, t: null });

    ws.on("message", (raw) => {
      const payload = JSON.parse(String(raw)) as GatewayPayload;
      const received = { sessionId: session?.id ?? null, payload };
      this.received.push(received);
      for (const listener of this.listeners) listener(received);
      switch (payload.op) {
        case Op.Heartbeat:
          send({ op: Op.HeartbeatAck, s: null, t: null });
          break;
        case Op.Identify:
          session = this.identify(ws, payload.d as IdentifyData);
          break;
        case Op.Resume:
          session = this.resume(ws, payload.d as ResumeData);
          break;
        default:
          break; // presence updates, member requests…: ignored
      }
    });
    ws.on("close", () => {
      if (session && session.socket === ws) session.socket = null;
    });
  }

  private identify(ws: WebSocket, d: IdentifyData): GatewaySession | null {
    if (!this.world.isTokenAccepted(d.token)) {
      ws.close(4004, "Authentication failed.");
      return null;
    }
    if (d.intents & MESSAGE_CONTENT_INTENT && !this.world.messageContentAllowed) {
      ws.close(4014, "Disallowed intent(s).");
      return null;
    }
    const shard: [number, number] = d.shard ?? [0, 1];
    const session: GatewaySession = { id: snowflake(), shard, intents: d.intents, seq: 0, sent: [], socket: ws, resumed: 0 };
    this.sessions.set(session.id, session);
    const guilds = this.world.guilds.filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
    this.dispatch(session, "READY", {
      v: 10,
      user: this.world.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.world.resumeUrl,
      shard,
      application: { id: this.world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      user_settings: {},
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      session_type: "normal",
      auth: {},
      _trace: ["fake-discord"],
    });
    for (const guild of guilds) this.dispatch(session, "GUILD_CREATE", guild);
    return session;
  }

  private resume(ws: WebSocket, d: ResumeData): GatewaySession | null {
    const session = this.sessions.get(d.session_id);
    if (!session || !this.world.isTokenAccepted(d.token)) {
      ws.send(JSON.stringify({ op: Op.InvalidSession, d: false, s: null, t: null }));
      return null;
    }
    session.socket = ws;
    session.resumed++;
    for (const missed of session.sent.filter((p) => (p.s ?? 0) > d.seq)) ws.send(JSON.stringify(missed));
    this.dispatch(session, "RESUMED", { _trace: ["fake-discord"] });
    return session;
  }
}

interface IdentifyData {
  token: string;
  intents: number;
  shard?: [number, number];
}

interface ResumeData {
  token: string;
  session_id: string;
  seq: number;
}
