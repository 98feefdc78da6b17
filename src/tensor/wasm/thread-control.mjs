// The control block two kernel threads meet through (./threads.ts posts, ./thread-worker.mjs
// serves): a SharedArrayBuffer of Int32 slots, then, from ARGS_OFFSET bytes on, float64s with
// each call's function number, argument count and arguments. Plain JavaScript, so the worker
// needs no TypeScript loader; ./thread-control.d.mts gives the types.

/** the job number the posting thread posted last */
export const POSTED = 0;
/** the job number the worker finished last */
export const DONE = 1;
/** how many calls the posted job has (−1: stop) */
export const CALLS = 2;
/** 1 if one of the worker's calls threw */
export const FAILED = 4;
/** 1 if the worker could not instantiate the module */
export const NOT_STARTED = 5;
/** 1 while the worker sleeps (the poster must notify POSTED) */
export const WORKER_SLEEPS = 6;
/** 1 while the posting thread sleeps (the worker must notify DONE) */
export const POSTER_SLEEPS = 7;
/** where the float64 arguments start, in bytes (after the Int32 slots) */
export const ARGS_OFFSET = 64;
