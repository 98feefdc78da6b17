/** A mistake in how a console command was typed (unknown flag, missing value, file not found): exit code 2, one line. */
export class UsageError extends Error {}
