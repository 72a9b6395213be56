import type { DataSource } from "typeorm";
import { cachedMembershipLookup } from "../../server/src/auth/membership-lookup";

function fakeDatabase(roles: Record<string, string>) {
  const asked: string[] = [];
  const dataSource = {
    query: async (_sql: string, [shopId, userId]: string[]) => {
      asked.push(`${shopId}/${userId}`);
      const role = roles[`${shopId}/${userId}`];
      return role ? [{ role }] : [];
    },
  } as unknown as DataSource;
  return { dataSource, asked, roles };
}

describe("membership lookup", () => {
  it("asks the database once per shop and user within the TTL, and again after it", async () => {
    const db = fakeDatabase({ "s/u": "cashier" });
    const lookup = cachedMembershipLookup(db.dataSource, 50);
    expect(await lookup("s", "u")).toBe("cashier");
    expect(await lookup("s", "u")).toBe("cashier");
    expect(db.asked).toEqual(["s/u"]);
    db.roles["s/u"] = "viewer";
    await new Promise((r) => setTimeout(r, 60));
    expect(await lookup("s", "u")).toBe("viewer");
    expect(db.asked).toHaveLength(2);
  });

  it("remembers that a user has no membership, and never mixes shops or users", async () => {
    const db = fakeDatabase({ "s1/u": "owner" });
    const lookup = cachedMembershipLookup(db.dataSource, 1000);
    expect(await lookup("s2", "u")).toBeNull();
    expect(await lookup("s2", "u")).toBeNull();
    expect(await lookup("s1", "u")).toBe("owner");
    expect(await lookup("s1", "v")).toBeNull();
    expect(db.asked).toEqual(["s2/u", "s1/u", "s1/v"]);
  });
});
