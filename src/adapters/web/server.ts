/**
 * The web playground's server: the page, and a small JSON API over the same use cases the bot
 * calls. Plain node:http, no framework; the page needs no build step.
 *
 *   GET  /                      the chat page (page/index.html, app.js, style.css)
 *   GET  /api/commands          the slash commands and their options (for autocompletion), the model's name,
 *                               the training panel's limits and sentences (src/app/training-panel.ts)
 *   GET  /api/models            the playground's models (the header's picker): ref, label, kind, size, val loss, date, in use
 *   POST /api/models/use        { ref, lang }                       → { text, models, inUse }
 *   POST /api/chat              { messages: string[], lang }        → { text }
 *   POST /api/command           { line: "/predict The cat", lang }  → reply
 *   POST /api/train             { source, text?, preset?, minutes?, lang } → reply
 *   POST /api/train/stop        { lang }                            → reply
 *   GET  /api/train/events      server-sent events: the training's progress, then its end
 *   GET  /api/train/curve.png   the loss curve so far (the bot's picture)
 *   GET  /images/<id>.png       a picture from an earlier reply
 *   GET  /fonts/regular.ttf     the pictures' Noto Sans JP (for browsers without Japanese fonts)
 *
 * A reply is { text, images: [{ url, name, width, height, fine? }], panel?, training? }. Errors are
 * { error } with a 4xx status (400 bad values, 404, 405, 413 over the body limit, 415 not JSON).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createHeavyQueue } from "../../app/heavy-queue.ts";
import { pictureFontFiles } from "../../app/pictures.ts";
import type { ModelRegistry } from "../../app/model-registry.ts";
import { InputError } from "../../app/prompt.ts";
import { DEFAULT_TRAINING_MINUTES, DEFAULT_TRAINING_PRESET, type TrainingService } from "../../app/training-service.ts";
import type { AsyncStore } from "../../store/async-store.ts";
import { checkOption, parseCommandLine, type WebContext, type WebReply } from "./command-spec.ts";
import { chatReply } from "./chat.ts";
import { WEB_COMMANDS } from "./commands/index.ts";
import { type AccessPolicy, allowedHostNames, decideAccess, isLoopbackHost, SECRET_PARAM } from "./access.ts";
import { HttpError, pngSize, readJsonBody, SECURITY_HEADERS, sendBytes, sendJson } from "./http.ts";
import { trainingPanel } from "../../app/training-panel.ts";
import { forgetLocalTrainingTexts, localTrainingBases, lossCurvePng, startLocalTraining, stopLocalTraining } from "./local-training.ts";
import { ImageShelf } from "./image-shelf.ts";
import { followTraining } from "./training-events.ts";
import { SENTENCES } from "../../app/sentences.ts";
import { errorSentence, type Lang, langOf, texts } from "./texts.ts";
import { train as trainCommand } from "./commands/train.ts";
import { identityOf } from "../../app/model-identity.ts";
import { modelUseReply } from "../../app/replies/models.ts";
import { modelsContext } from "./commands/model.ts";
import { modelsJson } from "./models-json.ts";
import { webReply } from "./reply-format.ts";

/** Requests carry a line of text at most (the input limit is 6,000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;
/** /api/train carries the training text: up to 1,000,000 characters, 3 bytes each at worst. */
export const MAX_TRAIN_BODY_BYTES = 4 * 1024 * 1024;
/** The store's space of the playground (the bot's spaces are Discord guild ids). */
export const LOCAL_SPACE = "local";

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "page");
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

export interface WebServerOptions {
  registry: ModelRegistry;
  store: AsyncStore;
  training: TrainingService;
  /** default 127.0.0.1 */
  host?: string;
  /** host names the Host header may carry besides localhost and HOST (e.g. "pi.local") */
  allowedHosts?: readonly string[];
  /** asked of every request; required when `host` is not a loopback address (see access.ts) */
  secret?: string | null;
  /** default 3000; 0 = any free port */
  port?: number;
  /** told about requests that failed on the server's side */
  onError?: (message: string, error: unknown) => void;
}

export interface WebServer {
  url: string;
  /** with a secret: the link that sets its cookie (url + ?key=secret) */
  loginUrl: string | null;
  server: Server;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const secret = options.secret ?? null;
  if (!isLoopbackHost(host) && secret === null) {
    throw new Error(
      `HOST=${host} shares the playground beyond this computer: it needs a secret (startPlayground makes one beside the database)`,
    );
  }
  const policy: AccessPolicy = { host, allowedHosts: options.allowedHosts ?? [], secret };
  const allowedNames = allowedHostNames(policy);
  const shelf = new ImageShelf();
  const heavy = createHeavyQueue();
  const streams = new Set<ServerResponse>();
  const onError = options.onError ?? ((m, e) => console.error(m, e));

  /** A reply as JSON: its pictures go on the shelf and are sent as links. */
  const replyJson = (reply: WebReply) => ({
    text: reply.text,
    ...(reply.blocks && { blocks: reply.blocks }),
    images: (reply.images ?? []).map((image) => ({
      url: shelf.put(image.png),
      name: image.name,
      ...pngSize(image.png),
      ...(image.fine && { fine: true }),
    })),
    ...(reply.panel && { panel: reply.panel }),
    ...(reply.training && { training: true }),
    ...(reply.models && { models: true }),
  });

  /** `request.lang`: the browser's language, then the one the page sent with its request. */
  async function route(req: IncomingMessage, res: ServerResponse, url: URL, request: { lang: Lang }): Promise<void> {
    const method = req.method ?? "GET";
    const context = (lang: unknown): WebContext => {
      if (lang !== undefined && lang !== null) request.lang = langOf(lang);
      return {
        lang: request.lang,
        registry: options.registry,
        store: options.store,
        training: options.training,
        space: LOCAL_SPACE,
        heavy,
      };
    };
    const page = PAGE_FILES[url.pathname];
    if (page) {
      requireMethod(method, "GET");
      return sendBytes(res, page.type, readFileSync(path.join(PAGE_DIR, page.file)));
    }
    switch (url.pathname) {
      case "/api/commands": {
        requireMethod(method, "GET");
        const ctx = context(url.searchParams.get("lang"));
        const handle = await options.registry.forGuild(LOCAL_SPACE);
        return sendJson(res, 200, {
          commands: WEB_COMMANDS.map((c) => c.spec),
          model: texts(ctx.lang).modelName(identityOf(handle)),
          training: trainingPanel(ctx.lang),
        });
      }
      case "/api/models": {
        requireMethod(method, "GET");
        return sendJson(res, 200, await modelsJson(modelsContext(context(url.searchParams.get("lang")))));
      }
      case "/api/models/use": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        const mc = modelsContext(context(body.lang));
        if (typeof body.ref !== "string") throw new HttpError(400, 'ref must name a model, e.g. "default" or "#2"');
        const reply = webReply(await modelUseReply(mc, { ref: body.ref }));
        return sendJson(res, 200, { ...replyJson(reply), ...(await modelsJson(mc)) });
      }
      case "/api/chat": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        const ctx = context(body.lang);
        return sendJson(res, 200, await chatReply(ctx, body.messages, body.seed));
      }
      case "/api/command": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        const ctx = context(body.lang);
        if (typeof body.line !== "string") throw new HttpError(400, 'line must be the text of a command, e.g. "/predict The cat"');
        const { spec, options: parsed } = parseCommandLine(
          body.line,
          WEB_COMMANDS.map((c) => c.spec),
        );
        const command = WEB_COMMANDS.find((c) => c.spec === spec)!;
        return sendJson(res, 200, replyJson(await command.run(parsed, ctx)));
      }
      case "/api/train": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_TRAIN_BODY_BYTES);
        const ctx = context(body.lang);
        const option = (name: string) => trainCommand.spec.options.find((o) => o.name === name)!;
        const source = checkOption(option("source"), body.source ?? "text") as "corpus" | "text";
        const preset = checkOption(option("preset"), body.preset ?? DEFAULT_TRAINING_PRESET) as typeof DEFAULT_TRAINING_PRESET;
        const minutes = checkOption(option("minutes"), body.minutes ?? DEFAULT_TRAINING_MINUTES) as number;
        const text = body.text === undefined ? undefined : String(body.text);
        const base = body.base === undefined || body.base === null || body.base === "" ? undefined : String(body.base);
        const presetGiven = body.preset !== undefined;
        return sendJson(res, 200, replyJson(await startLocalTraining(ctx, { source, text, preset, minutes, base, presetGiven })));
      }
      case "/api/train/bases": {
        requireMethod(method, "GET");
        return sendJson(res, 200, { bases: await localTrainingBases(context(url.searchParams.get("lang"))) });
      }
      case "/api/train/stop": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        return sendJson(res, 200, replyJson(stopLocalTraining(context(body.lang))));
      }
      case "/api/train/texts/forget": {
        requireMethod(method, "POST");
        const body = await readJsonBody(req, MAX_BODY_BYTES);
        return sendJson(res, 200, replyJson(await forgetLocalTrainingTexts(context(body.lang))));
      }
      case "/api/train/events":
        requireMethod(method, "GET");
        return followTraining(req, res, context(url.searchParams.get("lang")), streams);
      case "/api/train/curve.png": {
        requireMethod(method, "GET");
        const png = await heavy(() => lossCurvePng(context(url.searchParams.get("lang"))));
        if (!png) throw new HttpError(404, "there is no loss curve yet");
        return sendBytes(res, "image/png", png);
      }
    }
    const font = /^\/fonts\/(regular|bold)\.ttf$/.exec(url.pathname);
    if (font) {
      requireMethod(method, "GET");
      return sendBytes(res, "font/ttf", readFileSync(pictureFontFiles()[font[1] === "bold" ? 1 : 0]), "public, max-age=86400");
    }
    const image = /^\/images\/([a-z0-9-]+)\.png$/.exec(url.pathname);
    if (image) {
      requireMethod(method, "GET");
      const png = shelf.get(image[1]);
      if (!png) throw new HttpError(404, "this picture is no longer kept; run the command again");
      return sendBytes(res, "image/png", png, "private, max-age=3600");
    }
    throw new HttpError(404, `nothing here: ${url.pathname.slice(0, 100)}`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://playground.local");
    const request = { lang: langOf(req.headers["accept-language"]) };
    const fail = (status: number, message: string) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, status, { error: message });
    };
    const access = decideAccess(req, url, policy, allowedNames);
    if (access.kind === "refuse") return fail(access.status, access.message);
    if (access.kind === "login") {
      res.writeHead(303, { ...SECURITY_HEADERS, "set-cookie": access.cookie, location: access.location, "cache-control": "no-store" });
      return void res.end();
    }
    route(req, res, url, request).catch((err: unknown) => {
      if (err instanceof HttpError) return fail(err.status, err.message);
      if (err instanceof InputError) {
        return fail(400, errorSentence(request.lang, err.code, err.values, err.message));
      }
      onError(`web: ${req.method} ${url.pathname} failed`, err);
      fail(500, SENTENCES[request.lang].commandFailed(url.pathname));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // on every interface (HOST=0.0.0.0): this computer reaches it as localhost
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    loginUrl: secret === null ? null : `http://${shown}:${port}/?${SECRET_PARAM}=${secret}`,
    server,
    async close() {
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function requireMethod(method: string, allowed: string): void {
  if (method !== allowed) throw new HttpError(405, `use ${allowed} here (got ${method})`);
}
