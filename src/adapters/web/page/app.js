// The playground page: a chat with the model, the bot's slash commands with autocompletion,
// their pictures inline, and /train with a live loss curve. Plain browser JavaScript, no build.
// Everything the user or the model wrote is put in the page as text (textContent), never as HTML.

const UI = {
  en: {
    title: "MiniGPT playground",
    placeholder: "Say something, or type / for commands",
    send: "Send",
    sources: "Where did I learn this? (/sources)",
    you: "You",
    bot: "MiniGPT",
    system: "Playground",
    hint: "Enter sends · Shift+Enter: new line · / shows the commands · Tab completes",
    welcome:
      "Hi! I am a tiny language model that runs on this computer. Talk to me and I will continue the conversation, or try **/predict The cat**, **/attention The cat sat on the mat**, **/explain** — and teach me your own text with **/train**.",
    thinking: "thinking…",
    network: "The playground's server did not answer. Is `npm start` still running?",
    model: (name) => `model: ${name}`,
    other: "日本語",
    paste: "Paste a text here, or choose a .txt file:",
    file: "Upload .txt",
    preset: "Size",
    base: "Start from",
    fresh: "a new model",
    minutes: "Minutes",
    start: "Start training",
    corpus: "Use the shipped corpus",
    stop: "Stop",
    forget: "Forget my texts",
    fileTooBig: (mb) => `That file is too big (${mb} MB); choose one under 3 MB.`,
    following: "Training…",
    picker: "Model that answers",
    params: (n) => `${n} parameters`,
    valLoss: (x) => `val loss ${x}`,
  },
  ja: {
    title: "MiniGPT プレイグラウンド",
    placeholder: "話しかけるか、/ でコマンドを入力",
    send: "送信",
    sources: "どこで学んだ？（/sources）",
    you: "あなた",
    bot: "MiniGPT",
    system: "プレイグラウンド",
    hint: "Enter で送信 · Shift+Enter で改行 · / でコマンド一覧 · Tab で補完",
    welcome:
      "こんにちは！このコンピューターの上で動く小さな言語モデルです。話しかけると会話の続きを書きます。**/predict 今日は**、**/attention 猫が座った**、**/explain** も試してみてください。**/train** であなたの文章を学習させることもできます。",
    thinking: "考え中…",
    network: "プレイグラウンドのサーバーが応答しません。`npm start` は動いていますか？",
    model: (name) => `モデル: ${name}`,
    other: "English",
    paste: "ここに文章を貼り付けるか、.txt ファイルを選んでください:",
    file: ".txt をアップロード",
    preset: "大きさ",
    base: "元のモデル",
    fresh: "新しいモデル",
    minutes: "分",
    start: "学習を始める",
    corpus: "付属のコーパスを使う",
    stop: "止める",
    forget: "学習した文章を忘れる",
    fileTooBig: (mb) => `ファイルが大きすぎます（${mb} MB）。3 MB 未満のものを選んでください。`,
    following: "学習中…",
    picker: "答えるモデル",
    params: (n) => `パラメータ ${n}`,
    valLoss: (x) => `検証損失 ${x}`,
  },
};

/** until GET /api/commands has answered (it sends the limits: src/app/training-limits.ts) */
const MAX_UPLOAD_BYTES = 3 * 1024 * 1024;
const CURVE_REFRESH_MS = 1200;

let lang = localStorage.getItem("lang") ?? (navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en");
let commands = [];
/** GET /api/commands' training panel: { limits, text, needs: {preset: sentence}, cut: "…{kept}…{total}…" } */
let training = null;
/** resolves once GET /api/commands has answered (or failed) */
let commandsReady = Promise.resolve();
/** the chat so far, oldest first: what the model reads as the conversation */
const conversation = [];

const $ = (id) => document.getElementById(id);
const log = $("log");
const input = $("input");
const suggestions = $("suggestions");

// ---------------------------------------------------------------------------------------------
// Text: a small, safe subset of Discord's markup — **bold**, `code`, ```blocks```, "-# " small lines

function appendInline(parent, text) {
  const parts = text.split(/(\*\*[^*]+\*\*|`[^`]+`)/);
  for (const part of parts) {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
      const b = document.createElement("strong");
      b.textContent = part.slice(2, -2);
      parent.append(b);
    } else if (part.startsWith("`") && part.endsWith("`") && part.length > 2) {
      const c = document.createElement("code");
      c.textContent = part.slice(1, -1);
      parent.append(c);
    } else if (part) {
      parent.append(document.createTextNode(part));
    }
  }
}

function renderText(element, text) {
  element.replaceChildren();
  const blocks = text.split(/```/);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) {
      const pre = document.createElement("pre");
      pre.textContent = block.replace(/^[a-z]*\n/, "");
      element.append(pre);
      return;
    }
    block.split("\n").forEach((line, j, lines) => {
      if (line.startsWith("-# ")) {
        const small = document.createElement("small");
        appendInline(small, line.slice(3));
        element.append(small);
      } else {
        appendInline(element, line);
      }
      if (j < lines.length - 1) element.append("\n");
    });
  });
}

/** A number-like cell (+0.42, −1.30, 12.5 %, 3.) is set right-aligned in its column. */
const NUMBER_CELL = /^[+−-]?[\d.,]+(\s?%|\.)?$/;

/** A reply's blocks in order: text as renderText shows it, each table as an HTML table of its cells. */
function renderBlocks(element, blocks) {
  element.replaceChildren();
  for (const block of blocks) {
    if ("table" in block) {
      const table = document.createElement("table");
      table.className = "reply-table";
      for (const cells of block.table) {
        const row = document.createElement("tr");
        for (const cell of cells) {
          const td = document.createElement("td");
          if (NUMBER_CELL.test(cell)) td.className = "num";
          appendInline(td, cell);
          row.append(td);
        }
        table.append(row);
      }
      element.append(table);
    } else {
      const part = document.createElement("div");
      renderText(part, block.text);
      element.append(part);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function addMessage(kind, text, images = [], blocks = null) {
  const t = UI[lang];
  const row = document.createElement("article");
  row.className = `message ${kind}`;
  const avatar = document.createElement("div");
  avatar.className = "avatar";
  avatar.textContent = kind === "user" ? t.you.slice(0, 1) : kind === "bot" ? "◆" : "!";
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  const author = document.createElement("div");
  author.className = "author";
  author.textContent = kind === "user" ? t.you : kind === "bot" ? t.bot : t.system;
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  author.append(time);
  const body = document.createElement("div");
  body.className = "body";
  if (blocks) renderBlocks(body, blocks);
  else renderText(body, text);
  bubble.append(author, body);
  if (images.length > 0) bubble.append(imageRow(images));
  row.append(avatar, bubble);
  log.append(row);
  row.scrollIntoView({ block: "end" });
  return { row, body, bubble };
}

/** Follows the newest message while the reader is at the bottom (not while they scroll back). */
let atBottom = true;
log.addEventListener("scroll", () => {
  atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
});
function keepAtBottom(force = false) {
  if (force || atBottom) log.scrollTop = log.scrollHeight;
}

function imageRow(images) {
  const box = document.createElement("div");
  box.className = "images";
  for (const image of images) {
    const link = document.createElement("a");
    link.href = image.url;
    link.target = "_blank";
    link.rel = "noopener";
    const img = document.createElement("img");
    img.src = image.url;
    img.alt = image.name;
    img.width = image.width;
    img.height = image.height;
    img.dataset.name = image.name;
    // a picture of many small panels (all heads of all layers) shrunk to the message cannot be read: its own size, the row scrolls
    if (image.fine) img.classList.add("natural");
    img.addEventListener("load", () => keepAtBottom());
    link.append(img);
    box.append(link);
  }
  return box;
}

// ---------------------------------------------------------------------------------------------
// Talking to the server

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, lang }),
    });
  } catch {
    throw new Error(UI[lang].network);
  }
  const data = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(data.error ?? `${response.status}`);
  return data;
}

async function send(line) {
  addMessage("user", line);
  const pending = addMessage("bot", UI[lang].thinking);
  pending.body.classList.add("typing");
  try {
    if (line.startsWith("/")) {
      const reply = await post("/api/command", { line });
      pending.row.remove();
      showReply(reply);
    } else {
      conversation.push(line);
      const reply = await post("/api/chat", { messages: conversation });
      conversation.push(reply.text);
      pending.row.remove();
      const { bubble } = addMessage("bot", reply.text);
      // the texts trained here that share the longest stretches with this reply
      const sources = button(UI[lang].sources, "ghost");
      sources.classList.add("sources");
      sources.addEventListener("click", () => send(`/sources ${reply.text}`));
      bubble.append(sources);
    }
  } catch (err) {
    pending.row.remove();
    addMessage("error", err.message);
  }
}

function showReply(reply) {
  const { bubble } = addMessage("bot", reply.text, reply.images, reply.blocks);
  if (reply.panel === "train") bubble.append(trainPanel());
  if (reply.training) followTraining(bubble);
  if (reply.models) modelsChanged();
}

// ---------------------------------------------------------------------------------------------
// The header's model picker: the playground's models (GET /api/models), the one in use selected

const picker = $("model-picker");

/** "1.3 M", "124 M", "52 k". */
function compact(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return String(n);
}

async function loadModels() {
  try {
    const response = await fetch(`/api/models?lang=${lang}`);
    if (!response.ok) return;
    const data = await response.json();
    const t = UI[lang];
    picker.replaceChildren();
    for (const m of data.models) {
      const facts = m.usable
        ? [m.kind, t.params(compact(m.parameters)), t.valLoss(m.valLoss === null ? "–" : m.valLoss.toFixed(3))]
        : [m.kind, m.reason];
      const option = new Option(`${m.label} — ${facts.join(" · ")}`, m.ref, false, m.inUse);
      option.disabled = !m.usable;
      if (m.createdAt !== null) option.title = new Date(m.createdAt).toLocaleString(lang);
      picker.append(option);
    }
    picker.value = data.inUse;
    picker.hidden = false;
  } catch {
    // the next message will report a dead server
  }
}

/** After a model was chosen, renamed or deleted: the picker and the header's name again. */
function modelsChanged() {
  loadModels();
  loadCommands();
}

/** Chooses a model (the picker, or a training's "Use it"); says what answers now in the chat. */
async function useModel(ref) {
  try {
    const reply = await post("/api/models/use", { ref });
    addMessage("bot", reply.text);
  } catch (err) {
    addMessage("error", err.message);
  }
  modelsChanged();
}

picker.addEventListener("change", () => useModel(picker.value));

// ---------------------------------------------------------------------------------------------
// /train: the panel, and following a training live

function trainPanel() {
  const t = UI[lang];
  const card = document.createElement("form");
  card.className = "card train-panel";
  const label = document.createElement("div");
  label.textContent = t.paste;
  const text = document.createElement("textarea");
  text.name = "text";
  const row = document.createElement("div");
  row.className = "row";
  const file = document.createElement("input");
  file.type = "file";
  file.accept = ".txt,text/plain";
  file.setAttribute("aria-label", t.file);
  // the limits before anything is pasted, a live count against the chosen preset's need, and a word when a text is cut
  const limits = document.createElement("div");
  limits.className = "train-limits";
  limits.textContent = training?.text ?? "";
  // a panel opened before GET /api/commands answered: its limits once they are here
  if (!training) commandsReady.then(() => (limits.textContent = training?.text ?? ""));
  const count = document.createElement("div");
  count.className = "train-count";
  const cutNote = document.createElement("div");
  cutNote.className = "train-cut";
  cutNote.hidden = true;
  const maxChars = training?.limits.maxCharacters ?? Infinity;
  if (Number.isFinite(maxChars)) text.maxLength = maxChars;
  const putText = (value) => {
    text.value = value.length > maxChars ? value.slice(0, maxChars) : value;
    announceCut(cutNote, value.length, text.value.length);
    updateCount();
  };
  text.addEventListener("paste", (e) => {
    const pasted = e.clipboardData?.getData("text/plain") ?? "";
    const room = maxChars - (text.value.length - (text.selectionEnd - text.selectionStart));
    if (pasted.length <= room) return;
    e.preventDefault();
    const before = text.value.slice(0, text.selectionStart);
    putText(before + pasted + text.value.slice(text.selectionEnd));
  });
  text.addEventListener("input", () => updateCount());
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (chosen.size > (training?.limits.maxUploadBytes ?? MAX_UPLOAD_BYTES))
      return addMessage("error", t.fileTooBig((chosen.size / 1048576).toFixed(1)));
    putText(await chosen.text());
  });
  const preset = select("preset", ["baby", "tiny"]);
  // the base: a new model of the chosen size, or one of the playground's models to fine-tune (its size and tokenizer kept)
  const base = select("base", []);
  base.append(new Option(t.fresh, ""));
  fetch(`/api/train/bases?lang=${lang}`)
    .then((r) => (r.ok ? r.json() : { bases: [] }))
    .then((data) => {
      for (const b of data.bases ?? []) base.append(new Option(b.label, b.ref));
    })
    .catch(() => undefined);
  base.addEventListener("change", () => {
    preset.disabled = base.value !== "";
    updateCount();
  });
  const updateCount = () => {
    const need = training?.limits.presets.find((p) => p.preset === preset.value);
    if (!need) return;
    if (base.value !== "") {
      // a base's need depends on its window: the server says it if the text is too short
      count.textContent = text.value.length.toLocaleString(lang);
      count.classList.remove("enough");
      return;
    }
    const n = text.value.length;
    count.textContent = `${n.toLocaleString(lang)} / ${need.characters.toLocaleString(lang)} · ${training.needs[preset.value]}`;
    count.classList.toggle("enough", n >= need.characters);
    count.dataset.characters = String(n);
    count.dataset.needed = String(need.characters);
  };
  preset.addEventListener("change", () => updateCount());
  const minutes = document.createElement("input");
  minutes.type = "number";
  minutes.name = "minutes";
  minutes.min = "1";
  minutes.max = "10";
  minutes.value = "2";
  const start = button(t.start, "primary");
  start.type = "submit";
  const corpus = button(t.corpus, "ghost");
  const forget = button(t.forget, "ghost");
  forget.addEventListener("click", async () => {
    forget.disabled = true;
    try {
      showReply(await post("/api/train/texts/forget", {}));
    } catch (err) {
      addMessage("error", err.message);
    } finally {
      forget.disabled = false;
    }
  });
  row.append(file, labelled(t.base, base), labelled(t.preset, preset), labelled(t.minutes, minutes), start, corpus, forget);
  card.append(label, limits, text, count, cutNote, row);
  updateCount();
  const begin = async (source) => {
    start.disabled = corpus.disabled = true;
    try {
      const reply = await post("/api/train", {
        source,
        text: source === "text" ? text.value : undefined,
        ...(base.value !== "" ? { base: base.value } : { preset: preset.value }),
        minutes: Number(minutes.value),
      });
      if (reply.training) card.remove(); // started: /train opens a new panel for the next one
      showReply(reply);
    } catch (err) {
      addMessage("error", err.message);
    } finally {
      start.disabled = corpus.disabled = false;
    }
  };
  card.addEventListener("submit", (e) => {
    e.preventDefault();
    begin("text");
  });
  corpus.addEventListener("click", () => begin("corpus"));
  return card;
}

/** Says a text was cut to the maximum ("cut to 6,000 of its 10,000 characters"), in `note`; hides it otherwise. */
function announceCut(note, total, kept) {
  note.hidden = !(total > kept) || !training;
  if (note.hidden) return;
  note.textContent = training.cut.replace("{kept}", kept.toLocaleString(lang)).replace("{total}", total.toLocaleString(lang));
  note.dataset.kept = String(kept);
  note.dataset.total = String(total);
}

function followTraining(bubble) {
  const t = UI[lang];
  const card = document.createElement("div");
  card.className = "card training";
  const line = document.createElement("div");
  line.className = "training-line";
  line.textContent = t.following;
  const bar = document.createElement("div");
  bar.className = "progress";
  const fill = document.createElement("div");
  bar.append(fill);
  const curve = document.createElement("img");
  curve.className = "curve";
  curve.alt = "loss curve";
  curve.hidden = true;
  curve.addEventListener("load", () => keepAtBottom());
  const stop = button(t.stop, "danger");
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    try {
      await post("/api/train/stop", {});
    } catch (err) {
      addMessage("error", err.message);
    }
  });
  card.append(line, bar, curve, stop);
  bubble.append(card);
  keepAtBottom(true);

  // the bar: step N of the plan's M (M changes when the run re-plans)
  const showSteps = (step, total) => {
    fill.style.width = `${Math.min(100, (100 * step) / total).toFixed(1)}%`;
    bar.dataset.step = String(step);
    bar.dataset.total = String(total);
  };
  let shownPoints = 0;
  let lastRefresh = 0;
  const refreshCurve = (points, force) => {
    if (points === shownPoints || (!force && Date.now() - lastRefresh < CURVE_REFRESH_MS)) return;
    shownPoints = points;
    lastRefresh = Date.now();
    curve.src = `/api/train/curve.png?lang=${lang}&points=${points}`;
    curve.hidden = false;
    curve.dataset.points = String(points);
  };
  const events = new EventSource(`/api/train/events?lang=${lang}`);
  events.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    renderText(line, p.text);
    if (p.totalSteps) showSteps(p.step, p.totalSteps);
    if (p.points > 0) refreshCurve(p.points, false);
    keepAtBottom();
  });
  events.addEventListener("end", (e) => {
    const p = JSON.parse(e.data);
    events.close();
    renderText(line, p.text);
    if (p.totalSteps) showSteps(p.step, p.totalSteps);
    else fill.style.width = "100%";
    stop.remove();
    if (p.points > 0) refreshCurve(p.points, true);
    card.classList.add("ended");
    // kept but not chosen (it was worse, or cannot be compared): the user decides
    if (p.use) {
      const use = button(p.use.label, "primary");
      use.dataset.ref = p.use.ref;
      use.addEventListener("click", async () => {
        use.disabled = true;
        await useModel(p.use.ref);
        use.remove();
      });
      card.append(use);
    }
    modelsChanged();
  });
  events.addEventListener("idle", (e) => {
    events.close();
    renderText(line, JSON.parse(e.data).text);
    stop.remove();
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) stop.remove();
  };
}

function select(name, values) {
  const s = document.createElement("select");
  s.name = name;
  for (const v of values) s.append(new Option(v, v));
  return s;
}

function labelled(text, control) {
  const l = document.createElement("label");
  l.append(text, control);
  return l;
}

function button(text, kind) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = kind;
  b.textContent = text;
  return b;
}

// ---------------------------------------------------------------------------------------------
// Autocompletion of commands, options and choices

let shown = [];
let selected = 0;

/** What to suggest for the text before the cursor. */
function suggestionsFor(before) {
  if (!before.startsWith("/")) return [];
  const space = before.indexOf(" ");
  if (space < 0) {
    const typed = before.slice(1).toLowerCase();
    return commands
      .filter((c) => c.name.startsWith(typed))
      .map((c) => ({ label: `/${c.name}`, description: c.description[lang], replace: [0, before.length], insert: `/${c.name} ` }));
  }
  const command = commands.find((c) => c.name === before.slice(1, space).toLowerCase());
  if (!command) return [];
  const word = /(\S*)$/.exec(before)[1];
  const start = before.length - word.length;
  const colon = word.search(/[:=]/);
  if (colon >= 0) {
    // choices of an option: "preset:ba" → baby
    const option = command.options.find((o) => o.name === word.slice(0, colon).toLowerCase());
    const typed = word.slice(colon + 1).toLowerCase();
    return (option?.choices ?? [])
      .filter((c) => c.value.startsWith(typed))
      .map((c) => ({
        label: `${option.name}:${c.value}`,
        description: choiceDescription(c, lang),
        replace: [start, before.length],
        insert: `${option.name}:${c.value} `,
      }));
  }
  const used = new Set([...before.matchAll(/(?:^|\s)([a-z_]+)[:=]/g)].map((m) => m[1]));
  return command.options
    .filter((o) => !used.has(o.name) && o.name.startsWith(word.toLowerCase()))
    .map((o) => ({ label: `${o.name}:`, description: optionHelp(o), replace: [start, before.length], insert: `${o.name}:` }));
}

/** The catalogue's description already states the range and the default (GET /api/commands). */
function optionHelp(o) {
  const required = o.required ? (lang === "ja" ? "（必須）" : " (required)") : "";
  return `${o.description[lang]}${required}`;
}

/** A choice's label without its value in front ("attention: Query, Key…" → "Query, Key…"): the suggestion shows the value already. */
function choiceDescription(choice, lang) {
  const label = choice.label[lang];
  const prefix = `${choice.value}: `;
  return label.startsWith(prefix) ? label.slice(prefix.length) : label === choice.value ? "" : label;
}

function updateSuggestions() {
  const before = input.value.slice(0, input.selectionStart);
  shown = suggestionsFor(before);
  selected = 0;
  suggestions.replaceChildren(
    ...shown.map((s, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === selected));
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = s.label;
      const desc = document.createElement("span");
      desc.className = "desc";
      desc.textContent = s.description;
      li.append(name, desc);
      li.addEventListener("mousedown", (e) => {
        e.preventDefault();
        accept(i);
      });
      return li;
    }),
  );
  suggestions.hidden = shown.length === 0;
}

function moveSelection(delta) {
  selected = (selected + delta + shown.length) % shown.length;
  [...suggestions.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === selected)));
  suggestions.children[selected]?.scrollIntoView({ block: "nearest" });
}

function accept(i) {
  const s = shown[i];
  const after = input.value.slice(input.selectionStart);
  input.value = input.value.slice(0, s.replace[0]) + s.insert + after;
  const cursor = s.replace[0] + s.insert.length;
  input.setSelectionRange(cursor, cursor);
  input.focus();
  updateSuggestions();
}

// ---------------------------------------------------------------------------------------------
// The page

function applyLanguage() {
  const t = UI[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  $("title").textContent = t.title;
  input.placeholder = t.placeholder;
  fitInput();
  $("send").textContent = t.send;
  $("hint").textContent = t.hint;
  $("lang-toggle").textContent = t.other;
  picker.setAttribute("aria-label", t.picker);
  picker.title = t.picker;
}

/** The commands for autocompletion, and the name of the model that answers. */
async function loadCommands() {
  try {
    const response = await fetch(`/api/commands?lang=${lang}`);
    if (!response.ok) return;
    const data = await response.json();
    commands = data.commands;
    training = data.training ?? null;
    if (training) input.maxLength = training.limits.maxInputCharacters;
    $("model-name").textContent = UI[lang].model(data.model);
  } catch {
    // the next message will report a dead server
  }
}

// a paste longer than the input box takes is cut by the browser: say so under the box
input.addEventListener("paste", (e) => {
  const pasted = e.clipboardData?.getData("text/plain") ?? "";
  const room = input.maxLength - (input.value.length - (input.selectionEnd - input.selectionStart));
  const hint = $("hint");
  if (input.maxLength > 0 && pasted.length > room && training) {
    const total = input.value.length - (input.selectionEnd - input.selectionStart) + pasted.length;
    hint.textContent = training.cut.replace("{kept}", input.maxLength.toLocaleString(lang)).replace("{total}", total.toLocaleString(lang));
    hint.classList.add("cut");
  } else if (hint.classList.contains("cut")) {
    hint.classList.remove("cut");
    hint.textContent = UI[lang].hint;
  }
});

/** The composer grows with its text up to its max-height, and shows a scrollbar only beyond that. */
function fitInput() {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight}px`;
  input.style.overflowY = input.scrollHeight > input.clientHeight ? "auto" : "hidden";
}

input.addEventListener("input", () => {
  fitInput();
  updateSuggestions();
});
input.addEventListener("keydown", (e) => {
  if (!suggestions.hidden && shown.length > 0) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      return moveSelection(e.key === "ArrowDown" ? 1 : -1);
    }
    // Tab completes anything; Enter completes a half-typed command name ("/pre" → "/predict ")
    const half = shown[selected].label.startsWith("/") && shown[selected].insert.trim() !== input.value.trim();
    if (e.key === "Tab" || (e.key === "Enter" && !e.shiftKey && !e.isComposing && half)) {
      e.preventDefault();
      return accept(selected);
    }
    if (e.key === "Escape") {
      suggestions.hidden = true;
      return;
    }
  }
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $("composer-form").requestSubmit();
  }
});
$("composer-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const line = input.value.trim();
  if (!line) return;
  input.value = "";
  fitInput();
  suggestions.hidden = true;
  send(line);
});
$("lang-toggle").addEventListener("click", () => {
  lang = lang === "ja" ? "en" : "ja";
  localStorage.setItem("lang", lang);
  applyLanguage();
  updateSuggestions();
  modelsChanged();
});

// the Japanese font first: text laid out while it still loads could keep the fallback's empty boxes
await Promise.all(["400", "700"].map((weight) => document.fonts.load(`${weight} 1em "Playground JP"`, "あ"))).catch(() => undefined);
applyLanguage();
addMessage("bot", UI[lang].welcome);
commandsReady = loadCommands();
await commandsReady;
// the picker after the commands: the training panel reads its limits from those
await loadModels();
input.focus();
