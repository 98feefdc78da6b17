/** A tiny logger: one line per event with its context; tests pass their own to capture lines. */
export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>, error?: unknown): void;
}

const format = (message: string, context?: Record<string, unknown>) =>
  context && Object.keys(context).length > 0 ? `${message} ${JSON.stringify(context)}` : message;

export const consoleLogger: Logger = {
  info: (m, c) => console.log(format(m, c)),
  warn: (m, c) => console.warn(format(m, c)),
  error: (m, c, e) => console.error(format(m, c), e instanceof Error ? `\n${e.stack ?? e.message}` : e === undefined ? "" : e),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
