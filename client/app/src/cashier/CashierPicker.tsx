import { useEffect, useId, useState } from "react";
import { PinPad } from "./PinPad";
import { type Cashier, type StaffMember, cashiersOf } from "./staff-store";
import type { PinLockState } from "./use-pin-lock";
import type { StaffState } from "./use-staff";

/**
 * "Who is selling?": the shop's staff (downloaded with the till's credential, cached for offline),
 * tap your name, enter your PIN. Members without a PIN are shown but cannot be picked.
 */
export function CashierPicker({ staff, pinLock, onPicked }: { staff: StaffState; pinLock: PinLockState; onPicked: (cashier: Cashier) => void }) {
  const [chosen, setChosen] = useState<StaffMember | null>(null);
  const headingId = useId();
  const { refresh } = staff;
  // Shown again (a switch of cashier): fetch the list, so a PIN set a moment ago is known.
  useEffect(() => refresh(), [refresh]);
  const members = cashiersOf(staff.staff ?? []);
  const pinHash = chosen?.pinHash;

  return (
    <main className="cashier-picker" aria-labelledby={headingId}>
      <h1 id={headingId}>Who is selling?</h1>
      {chosen && pinHash ? (
        <PinPad name={chosen.name} pinHash={pinHash} pinLock={pinLock} onRight={() => onPicked({ id: chosen.id, name: chosen.name })} onCancel={() => setChosen(null)} />
      ) : (
        <StaffButtons members={members} onChoose={setChosen} />
      )}
      {staff.staff === null && <p role="status">Loading the staff list…</p>}
      {staff.staff !== null && members.length === 0 && (
        <p role="alert">{staff.problem ? `The staff list could not be downloaded: ${staff.problem}` : "This shop has no staff who can sell yet."}</p>
      )}
      {staff.problem && members.length > 0 && <p className="muted">Showing the staff list saved on this till (the server could not be reached).</p>}
    </main>
  );
}

function StaffButtons({ members, onChoose }: { members: StaffMember[]; onChoose: (member: StaffMember) => void }) {
  return (
    <ul className="staff-list">
      {members.map((member) => (
        <li key={member.id}>
          <button className="staff" onClick={() => onChoose(member)} disabled={!member.pinHash} aria-describedby={member.pinHash ? undefined : `no-pin-${member.id}`}>
            <span className="name">{member.name}</span>
            <span className="muted">{member.pinHash ? roleName(member.role) : <span id={`no-pin-${member.id}`}>no PIN yet: a manager sets one</span>}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function roleName(role: string): string {
  return role.charAt(0) + role.slice(1).toLowerCase();
}
