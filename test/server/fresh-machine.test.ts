import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Issue 14 item 15: the README's test command is all the set-up a fresh machine needs. */
const ROOT = resolve(__dirname, "../..");
const SCRIPT = join(ROOT, "scripts/ensure-chromium.sh");

describe("item 15: the README's test command on a fresh machine", () => {
  test("npm test ensures Debian's Chromium before any test runs, and .ci/run adds no set-up of its own", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.pretest.startsWith("bash scripts/ensure-chromium.sh &&")).toBe(true);
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("npm ci && npm test");
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).not.toMatch(/apt-get/);
  });

  test("the browser check passes at once when the browser is there", () => {
    const run = spawnSync("bash", [SCRIPT], { env: { ...process.env, CHROMIUM_PATH: "/bin/true" }, encoding: "utf8" });
    expect(run.status).toBe(0);
  });

  test("without the browser and without a way to install it, the check fails naming what to install", () => {
    // A PATH with only what the script needs besides apt-get: it must not pretend to have installed anything.
    const bin = mkdtempSync(join(tmpdir(), "no-apt-"));
    for (const tool of ["id"]) symlinkSync(execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), join(bin, tool));
    const run = spawnSync(process.env.SHELL_BASH ?? "/bin/bash", [SCRIPT], {
      env: { PATH: bin, CHROMIUM_PATH: "/nonexistent/chromium" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("apt-get install chromium");
  });
});
