import { Field, ID, InputType, ObjectType } from "type-graphql";

@ObjectType("Customer")
export class CustomerType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;
}

@InputType("CreateCustomerInput")
export class CreateCustomerInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}
