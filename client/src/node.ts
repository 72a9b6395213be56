/** Node-only entry point (`@pos-sync/client/node`): kept apart so browser bundles never pull in `node:fs`. */
export { FileStorage } from "./storage/file-storage";
export * from "./index";
