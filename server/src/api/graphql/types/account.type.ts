import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { TillType } from "./till.type";

/** The internal values are the roles' own names, so services' roles pass through unchanged. */
export enum RoleValue {
  OWNER = "owner",
  MANAGER = "manager",
  CASHIER = "cashier",
  VIEWER = "viewer",
  TILL = "till",
}
registerEnumType(RoleValue, {
  name: "Role",
  valuesConfig: { TILL: { description: "A paired till's own credential (never a user's membership)." } },
});

@ObjectType("User")
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType("Membership", { description: "A shop the user belongs to, with their role there." })
export class MembershipType {
  @Field(() => ID)
  shopId!: string;

  @Field(() => String)
  shopName!: string;

  @Field(() => RoleValue)
  role!: RoleValue;
}

@ObjectType("Me", { description: "Who the request's credential speaks for." })
export class MeType {
  @Field(() => UserType, { nullable: true, description: "The signed-in user; null for a till's own credential." })
  user!: UserType | null;

  @Field(() => TillType, { nullable: true, description: "The paired till whose credential this is; null for a user." })
  till!: TillType | null;

  @Field(() => [MembershipType], { description: "Every shop of the user (none for a till)." })
  memberships!: MembershipType[];

  @Field(() => ID, { description: "The shop of this request (x-shop-id)." })
  shopId!: string;

  @Field(() => RoleValue, { description: "The role this request acts with in that shop." })
  role!: RoleValue;
}

@ObjectType("StaffPinHash", {
  description:
    "What a till needs to check a PIN offline: PBKDF2-SHA256(pin as UTF-8, salt, iterations) giving 32 bytes, equal to `hash`. " +
    "WebCrypto: importKey('raw', pin, 'PBKDF2') then deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256).",
})
export class StaffPinHashType {
  @Field(() => String, { description: "Always PBKDF2-SHA256 today." })
  algorithm!: string;

  @Field(() => Int)
  iterations!: number;

  @Field(() => String, { description: "Standard base64." })
  salt!: string;

  @Field(() => String, { description: "Standard base64 of the 32-byte derived key." })
  hash!: string;

  @Field(() => DateTimeISOResolver)
  updatedAt!: Date;
}

@ObjectType("StaffMember", { description: "A member of the shop as a shared till sees them, to pick the cashier by PIN." })
export class StaffMemberType {
  @Field(() => ID, { description: "The user's id: send it as a sale's staffId." })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RoleValue)
  role!: RoleValue;

  @Field(() => StaffPinHashType, { nullable: true, description: "Null until a PIN is set (setStaffPin)." })
  pinHash!: StaffPinHashType | null;
}

@ObjectType("SaleStaff", { description: "The cashier a sale was made by." })
export class SaleStaffType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}
