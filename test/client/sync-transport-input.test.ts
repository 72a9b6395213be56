import * as path from "node:path";
import * as ts from "typescript";
import { toInput } from "../../client/src/sync/sync-transport";

const ROOT = path.resolve(__dirname, "../..");
const TRANSPORT = path.join(ROOT, "client/src/sync/sync-transport.ts");
const GENERATED = path.join(ROOT, "client/src/generated/graphql.ts");

/** Type-checks the transport against the generated types, with `change` applied to them first. */
function transportErrors(change: (generated: string) => string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "client/tsconfig.json"), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    path.resolve(fileName) === GENERATED ? ts.createSourceFile(fileName, change(ts.sys.readFile(GENERATED)!), language) : read(fileName, language, ...rest);
  const program = ts.createProgram([TRANSPORT], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName) === TRANSPORT)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const addField = (type: string, field: string) => (generated: string) => {
  const opening = `export type ${type} = {\n`;
  expect(generated).toContain(opening);
  return generated.replace(opening, `${opening}  ${field}?: string | null | undefined;\n`);
};

describe("the sync transport's OfflineSaleInput", () => {
  it("carries every field of the sale and none of the record's others", () => {
    const sale = { clientTempId: "t1", createdAt: "2024-01-15T10:30:00Z", totalAmount: 3, customerId: "c1", items: [{ productId: "p", quantity: 1, price: 3 }] };
    const fromOlderBuild = { ...sale, syncError: "stale", items: [{ ...sale.items[0], name: "Mug" }] };
    expect(toInput(fromOlderBuild)).toEqual({ ...sale, items: [{ productId: "p", quantity: 1, price: 3, discountPercent: 0 }] });
    expect(JSON.parse(JSON.stringify(toInput({ ...sale, customerId: null })))).not.toHaveProperty("customerId");
  });

  it("fails to compile when the generated input type gains a field the transport does not send", () => {
    expect(transportErrors((generated) => generated)).toEqual([]);
    expect(transportErrors(addField("OfflineSaleInput", "receiptNote")).join("\n")).toContain("receiptNote");
    expect(transportErrors(addField("OfflineSaleItemInput", "serialNumber")).join("\n")).toContain("serialNumber");
  }, 60_000);
});
