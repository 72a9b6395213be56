import { Field, ID, InputType, ObjectType } from "type-graphql";

@ObjectType("Customer")
export class CustomerType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => ID, { nullable: true, description: "The till's id for a customer created offline (syncOffline); null for one created online." })
  clientTempId!: string | null;
}

@InputType("CreateCustomerInput")
export class CreateCustomerInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}
