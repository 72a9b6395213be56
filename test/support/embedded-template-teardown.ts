import { removeEmbeddedTemplate } from "./embedded-template";

/** Jest's globalTeardown: the embedded template of this run is removed. */
export default async function teardown(): Promise<void> {
  removeEmbeddedTemplate();
}
