import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum NotificationKind {
  LOW_STOCK = "LOW_STOCK",
}
registerEnumType(NotificationKind, { name: "NotificationType" });

@ObjectType("Notification")
export class NotificationType {
  @Field(() => ID)
  id!: string;

  @Field(() => NotificationKind)
  type!: NotificationKind;

  productId!: string;

  @Field(() => String)
  message!: string;

  @Field(() => Int, { description: "Stock when the notification was last raised." })
  stock!: number;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver)
  updatedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  readAt!: Date | null;
}
