// Starts a TypeScript worker: worker threads do not inherit tsx's loader, so register it here
// and then import the real entry (workerData.entry, a file URL).
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
