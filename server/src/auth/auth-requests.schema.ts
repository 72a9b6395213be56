import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "./passwords";

/**
 * The bodies of the sign-in routes, shared by the REST routes (which validate with them) and the
 * OpenAPI document (which is generated from them). Lengths are capped so no body makes the server
 * hash megabytes.
 */
export const loginRequestSchema = z.object({
  email: z.string({ error: "must be a string" }).min(1, { error: "is required" }).max(254),
  password: z.string({ error: "must be a string" }).min(1, { error: "is required" }).max(MAX_PASSWORD_LENGTH),
});

export const refreshRequestSchema = z.object({
  refreshToken: z.string({ error: "must be a string" }).min(1, { error: "is required" }).max(200),
});

export const pairRequestSchema = z.object({
  code: z.string({ error: "must be a string" }).min(1, { error: "is required" }).max(40),
});
