// Types of ./thread-control.mjs (the control block's Int32 slots and where the arguments start).
export declare const POSTED: 0;
export declare const DONE: 1;
export declare const CALLS: 2;
export declare const FAILED: 4;
export declare const NOT_STARTED: 5;
export declare const WORKER_SLEEPS: 6;
export declare const POSTER_SLEEPS: 7;
export declare const ARGS_OFFSET: 64;
