/**
 * A throwaway PostgreSQL server for tests, from Debian's `postgresql` package
 * (/usr/lib/postgresql/<version>/bin): initdb into a temporary folder, start on a free
 * 127.0.0.1 port (its socket in that folder too), one fresh database per test (ICU en-US collation), stop and delete
 * at the end. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
 * (runuser). `findPostgres()` says why it cannot, for the tests' skip message.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const ROOT = "/usr/lib/postgresql";
const OS_USER = "postgres";

export type PostgresBinaries = { bin: string; runAs: string | null } | { missing: string };

/** The newest installed server's bin folder, and the user to run it as (null: ourselves). */
export function findPostgres(): PostgresBinaries {
  const versions = existsSync(ROOT)
    ? readdirSync(ROOT)
        .filter((v) => existsSync(path.join(ROOT, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) return { missing: `no PostgreSQL server under ${ROOT}/*/bin (apt-get install postgresql)` };
  const bin = path.join(ROOT, versions[0], "bin");
  if (process.getuid?.() !== 0) return { bin, runAs: null };
  try {
    execFileSync("id", [OS_USER], { stdio: "ignore" });
  } catch {
    return { missing: `running as root and there is no "${OS_USER}" user to run the PostgreSQL server as` };
  }
  return { bin, runAs: OS_USER };
}

export interface TestPostgres {
  /** a new empty database on the server; its URL */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Steps: 1. a temporary folder the server's user owns  2. initdb (trust auth, C locale, UTF-8)
 * 3. pg_ctl start on a free port, waiting until it accepts connections  4. an admin pool.
 */
export async function startPostgres(found: { bin: string; runAs: string | null }): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "pg-test-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const run = (tool: string, args: string[]) => {
    const command = path.join(found.bin, tool);
    const [file, argv] = found.runAs ? ["runuser", ["-u", found.runAs, "--", command, ...args]] : [command, args];
    execFileSync(file, argv, { stdio: "pipe", cwd: dir });
  };
  const port = await freePort();
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "test", "--locale=C", "-E", "UTF8", "--no-sync"]);
    const serverOptions = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`could not start the test PostgreSQL server: ${e.stderr?.toString() || e.message}`, { cause: err });
  }
  // a test run that ends without stop() (a crash, ^C) must not leave a server running
  const stopNow = () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);
  const base = `postgres://test@127.0.0.1:${port}`;
  const admin = new pg.Pool({ connectionString: `${base}/postgres`, max: 1 });
  let count = 0;
  return {
    async newDatabase() {
      const name = `t${++count}`;
      // an ICU English collation, as a production server's default usually is (not C, where
      // "B" < "a"): the store's own COLLATE "C" columns must keep SQLite's byte order
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
      return `${base}/${name}`;
    },
    async stop() {
      await admin.end();
      process.removeListener("exit", stopNow);
      stopNow();
    },
  };
}
