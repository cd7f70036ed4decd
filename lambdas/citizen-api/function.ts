import { accessSecrets } from '../../shared/adapters/crypto/access-secrets';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenAccessStore } from '../../shared/adapters/dynamodb/citizen-access-store';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { parseApiEvent, route } from '../../shared/adapters/http/api';
import { citizenRoutes } from '../../shared/adapters/http/citizen-routes';
import { normalizePhone } from '../../shared/domain/identity';
import type { EligibilityCheck } from '../../shared/domain/eligibility';
import type { FileStore } from '../../shared/domain/documents';
import type { PaymentGateway } from '../../shared/domain/payments';
import { visitWithFilesOf } from '../../shared/runtime/visit';
import { countryOfNumber, outboundRulesOf, type MessageSender } from '../../shared/domain/messaging';
import { appointmentBookOf } from '../../shared/runtime/appointments';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * The citizens' API, public at the gateway: sign-in by a code sent to the phone, then the citizen's own cases,
 * bookings and procedures. parse → route → JSON; each route checks the citizen's session itself.
 */
export function makeCitizenApiHandler(
  runtime: Runtime,
  ports: {
    sender: MessageSender;
    /** The deployment's agency checks (locally, against the fake agency). */
    eligibility?: EligibilityCheck;
    /** Where documents are uploaded (the uploads bucket; locally, the back end). */
    files?: FileStore;
    /** The payment gateway (locally, the fake one) and the secret its webhooks are signed with. */
    gateway?: PaymentGateway;
    webhookSecret?: string | (() => Promise<string>);
    /** The citizen's page, where the gateway sends the citizen back. */
    returnUrl?: () => string;
  },
) {
  const { deployment, catalogue } = runtime.config;
  const { doc, logger, clock } = runtime;
  const tables = storeTables(runtime);
  const book = appointmentBookOf(runtime);
  const outbound = outboundRulesOf(deployment, runtime.config.calendar);
  const cases = new DynamoCaseRepository(doc, tables);
  const citizens = new DynamoCitizenRepository(doc, tables.citizens);
  const visit = visitWithFilesOf(runtime, book, ports);
  const routes = citizenRoutes({
    access: {
      store: new DynamoCitizenAccessStore(doc, tables.citizens),
      secrets: accessSecrets,
      sender: ports.sender,
      clock,
      phoneOf: (raw) => normalizePhone(raw, deployment.country),
      reachable: (phone) => {
        const country = countryOfNumber(phone);
        return country !== undefined && outbound.countries.includes(country);
      },
      newId: runtime.newId,
    },
    citizens,
    cases,
    catalogue,
    core: {
      citizens,
      cases,
      clock,
      random: runtime.random,
      newId: runtime.newId,
      calendar: runtime.config.calendar,
      catalogue,
    },
    ...(visit ? { visit } : {}),
    ...(ports.webhookSecret ? { webhookSecret: ports.webhookSecret } : {}),
    country: deployment.country,
    ...(book ? { book } : {}),
    ...(ports.eligibility ? { eligibility: ports.eligibility } : {}),
    checkNames: Object.fromEntries(Object.entries(deployment.agencyChecks).map(([k, c]) => [k, c.name])),
    newId: runtime.newId,
  });
  const handler = async (event: unknown) => {
    // Nobody is staff here, whatever a request claims: every caller is the public, proven by their session.
    const request = { ...parseApiEvent(event), roles: new Set(['public'] as const), user: 'citizen' };
    const response = await route(routes, request);
    // Never the number, the code or the token: the route and its outcome.
    logger.info('request', { method: request.method, path: request.path, status: response.statusCode });
    return response;
  };
  return Object.assign(handler, { routes: routes.map((r) => [r.method, r.path] as const) });
}
