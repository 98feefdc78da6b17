/** How the bot writes a token and a probability: a code span that survives backticks, a percentage, a bar. */

const BAR_WIDTH = 10;

/** Inline code that survives backticks in the token. */
export function codeSpan(token: string): string {
  return token.includes("`") ? `\`\` ${token} \`\`` : `\`${token}\``;
}

export function percent(p: number): string {
  if (p > 0 && p < 0.001) return "<0.1%";
  return `${(p * 100).toFixed(1)}%`;
}

/** ███░░░░░░░ for 0.3. */
export function probabilityBar(p: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, p)) * BAR_WIDTH);
  return "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
}
