import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { moduleLogger, OptOutRegistry } from './twilio-common.js';
import { twilioRequestErrors } from './twilio-request-errors.js';
import { registerSmsRoutes } from './twilio-sms.routes.js';
import { defaultIsUrgent, registerVoiceRoutes, weeklyHoursCalendar } from './twilio-voice.routes.js';
import { loadSdk, type TwilioParams, type TwilioRouteContext, type TwilioRouterDeps } from './twilio-webhook.js';

export type { TwilioRouterDeps } from './twilio-webhook.js';
export { defaultIsUrgent, weeklyHoursCalendar } from './twilio-voice.routes.js';

/** The algorithms X-Twilio-Webhooks-Signature-Settings may name (the SDK knows these two). */
const SIGNATURE_ALGORITHMS = new Set(['HMAC_SHA1', 'HMAC_SHA256']);

/**
 * Twilio webhooks under `/webhooks/twilio`: inbound SMS, SMS delivery receipts and
 * the hotline IVR. Every request must carry a valid `X-Twilio-Signature` for
 * PUBLIC_BASE_URL + its path (so it works behind proxies); anything else gets 403.
 * A signed request whose fields break its webhook's schema gets a 400 naming the field,
 * a body Twilio never sends (bogus encoding, too large) a plain-text 4xx: never a 500.
 */
export function createTwilioRouter(deps: TwilioRouterDeps): Router {
  const { config } = deps;
  const log = moduleLogger(deps.logger, 'adapters/twilio');
  void loadSdk().catch((err) => log.error({ err }, 'cannot load the twilio SDK'));

  const router = express.Router();
  // Twilio posts form bodies; parse them here so the router works whatever the app parses.
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  router.use(verifySignature);

  async function verifySignature(req: Request, res: Response, next: NextFunction): Promise<void> {
    const sdk = await loadSdk();
    const signature = req.header('X-Twilio-Signature');
    // Twilio signs the URL it called: our public origin (not the Host behind a proxy) + the original path and query.
    const url = `${config.publicBaseUrl}${req.originalUrl}`;
    const params = (req.body ?? {}) as TwilioParams;
    let valid = false;
    if (signature) {
      const settings = req.header('X-Twilio-Webhooks-Signature-Settings');
      const algorithm = settings ? sdk.getSignatureAlgorithm(settings) : undefined;
      try {
        if (settings && config.webhookSharedKeySecret) {
          // The SDK console.warns the algorithm name it does not know: anyone could fill our logs through that header.
          valid = SIGNATURE_ALGORITHMS.has(algorithm!.toUpperCase()) && sdk.validateRequest(config.webhookSharedKeySecret, signature, url, params, algorithm);
        } else {
          valid = sdk.validateRequest(config.authToken, signature, url, params);
        }
      } catch {
        valid = false; // a URL the SDK cannot parse was not signed by Twilio either
      }
    }
    if (!valid) {
      log.warn({ path: req.path, hasSignature: !!signature }, 'rejected a Twilio webhook with a bad signature');
      res.status(403).type('text/plain').send('Invalid X-Twilio-Signature');
      return;
    }
    next();
  }

  const ctx: TwilioRouteContext = {
    config,
    sink: deps.sink,
    onDeliveryStatus: deps.onDeliveryStatus,
    log,
    optOuts: new OptOutRegistry(deps.state),
    isUrgent: deps.isUrgent ?? defaultIsUrgent,
    isBusinessHours: deps.isBusinessHours ?? weeklyHoursCalendar(config.businessHours),
  };
  registerSmsRoutes(router, ctx);
  registerVoiceRoutes(router, ctx);
  router.use(twilioRequestErrors(log));
  return router;
}
