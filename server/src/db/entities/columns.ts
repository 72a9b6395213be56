import type { ValueTransformer } from "typeorm";

/** pg returns BIGINT as a string; money in cents stays well inside Number's exact range (2^53). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** NUMERIC(5,2) comes back as a string too; discount percents are small exact decimals. */
export const numericNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
