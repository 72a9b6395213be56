import express, { Router } from "express";
import type { z } from "zod";
import type { PairedTill } from "../../auth/till.service";
import { loginRequestSchema, pairRequestSchema, refreshRequestSchema } from "../../auth/auth-requests.schema";
import type { AppConfig } from "../../config/config";
import type { Services } from "../../services";
import { BadRequestError } from "../../shared/errors";
import { authRateLimits } from "../http/auth-rate-limits";
import { PER_PROCESS_STORES, type RateLimitStores } from "../http/rate-limit-store";

export const LOGIN_PATH = "/api/auth/login";
export const REFRESH_PATH = "/api/auth/refresh";
export const LOGOUT_PATH = "/api/auth/logout";
export const PAIR_PATH = "/api/tills/pair";

/**
 * Signing in, over REST only (no bearer token is needed to call them): a person's login, the
 * refresh and logout of any session, and a till's pairing. Each parses its body, calls one service
 * method and answers; errors are mapped by the app's error handler.
 */
export function authRoutes(config: AppConfig, services: Services, rateLimitStores: RateLimitStores = PER_PROCESS_STORES): Router {
  const router = Router();
  const json = express.json({ limit: "16kb", strict: false });
  const limits = authRateLimits(config, rateLimitStores);
  router.post(LOGIN_PATH, json, ...limits.login, async (req, res) => {
    const { email, password } = bodyOf(loginRequestSchema, req.body);
    res.json(await services.accounts.login(email, password));
  });
  router.post(REFRESH_PATH, json, async (req, res) => {
    res.json(await services.accounts.refresh(bodyOf(refreshRequestSchema, req.body).refreshToken));
  });
  router.post(LOGOUT_PATH, json, async (req, res) => {
    await services.accounts.logout(bodyOf(refreshRequestSchema, req.body).refreshToken);
    res.status(204).end();
  });
  router.post(PAIR_PATH, json, ...limits.pair, async (req, res) => {
    res.json(pairedBody(await services.tills.pair(bodyOf(pairRequestSchema, req.body).code)));
  });
  return router;
}

function bodyOf<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BadRequestError(issue.path.length ? `${issue.path.join(".")} ${issue.message}` : "Body must be a JSON object");
}

function pairedBody({ till, accessToken, refreshToken, expiresIn }: PairedTill) {
  return {
    till: { id: till.id, code: till.code, name: till.name, shopId: till.shopId, shopName: till.shopName },
    accessToken,
    refreshToken,
    expiresIn,
  };
}
