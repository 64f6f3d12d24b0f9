/**
 * The state of an in-memory Wristband application and the rules of its two signup APIs:
 * tenants, users, the activation emails they were sent, and what each Signup Workflow policy
 * answers; also the sandbox methods that read that state. HTTP concerns (paths, tokens) live in
 * wristband-sandbox.ts.
 */
import {
  WRISTBAND_REQUEST_CODE_FIELD,
  WRISTBAND_RESULT_ACTIVATION_COMPLETE,
  WRISTBAND_RESULT_ACTIVATION_LINK_SENT,
  WRISTBAND_RESULT_ACTIVATION_OTP_SENT,
  WRISTBAND_RESULT_EMAIL_VERIFICATION,
  WRISTBAND_RESULT_MFA_ENROLLMENT_REQUIRED,
} from '../wristband/constants.js';
import { numericCode, opaqueToken, wristbandId } from './random.js';
import { copies, jsonResponse, type SandboxRequest } from './sandbox-http.js';
import { violationError, violationsError } from './wristband-errors.js';
import { signupViolations } from './wristband-signup-rules.js';

/** Path of the browser redirect that ends the email-verification signup (documented by Wristband). */
const CREATE_AUTH_SESSION_PATH = '/api/v1/signup/create-auth-session';

export interface Tenant {
  id: string;
  name: string;
  displayName: string;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  status: 'PENDING_SIGNUP_ACTIVATION' | 'ACTIVE';
}

/**
 * An activation email: `key` is the link's `emailAuthCode`, or with `otp` the `requestCode` that
 * Activate User takes together with the one-time code.
 */
export interface ActivationEmail {
  key: string;
  otp?: string | undefined;
}

/** The Signup Workflow policy (the sandbox's options). */
export interface ModelPolicy {
  verification: 'link' | 'otp' | 'email_verification';
  mfaRequired?: boolean | undefined;
  magicLinks?: boolean | undefined;
  /** When set, the only `applicationId` signups may name. */
  applicationId?: string | undefined;
}

/** A provision-user body that passed signupViolations: the level's fields are strings. */
interface CheckedSignupBody {
  email: string;
  tenantId?: string | null;
  applicationId: string;
  tenantName: string;
  tenantDisplayName: string;
  state?: string;
}

/**
 * The state of the Wristband application `applicationId`: its two endpoints as functions of a
 * request, and the sandbox methods that show the state (`view`).
 */
export function createWristbandModel(policy: ModelPolicy, applicationId: string) {
  /** Tenants by application and lower-cased name: names are unique per application, case-insensitively. */
  const tenants = new Map<string, Tenant>();
  /** Users by tenant id and lower-cased email: an email is unique per tenant, case-insensitively. */
  const users = new Map<string, User>();
  /** The one activation email per user that can still activate them: a resend replaces it, activation spends it. */
  const pending = new Map<User, ActivationEmail>();
  /** Latest activation email per lower-cased address: what the user would find in their inbox. */
  const inbox = new Map<string, ActivationEmail>();
  // Magic links need a verified address, so they force an activation email even under email verification.
  const flow = policy.magicLinks ? policy.verification.replace('email_verification', 'link') : policy.verification;

  const addTenant = (applicationId: string, name: string, displayName: string): Tenant => {
    const tenant = { id: wristbandId(), name, displayName };
    tenants.set(`${applicationId}/${name.toLowerCase()}`, tenant);
    return tenant;
  };

  /**
   * The final answer of a signup or activation: the result (MFA enrollment first, when the tenant
   * requires it) and the redirect to Wristband's create-auth-session endpoint.
   */
  const finished = (result: string, origin: string, state?: string): Response => {
    const query = new URLSearchParams({ signup_code: opaqueToken(), ...(state && { state }) });
    return jsonResponse(200, {
      result: policy.mfaRequired ? WRISTBAND_RESULT_MFA_ENROLLMENT_REQUIRED : result,
      redirectUrl: `${origin}${CREATE_AUTH_SESSION_PATH}?${query}`,
    });
  };

  /** `POST /api/v1/signup/provision-user`. */
  const provisionUser = ({ json, url }: SandboxRequest): Response => {
    const violations = signupViolations(json);
    if (violations) return violationsError(violations);
    const { email, tenantId, applicationId, tenantName, tenantDisplayName, state } =
      json as unknown as CheckedSignupBody;
    const address = email.toLowerCase();
    const userKey = (tenant: Tenant) => `${tenant.id}/${address}`;

    let tenant: Tenant | undefined;
    if (tenantId === undefined || tenantId === null) {
      if ((policy.applicationId ?? applicationId) !== applicationId)
        return violationError('applicationId', 'not_found');
      tenant = tenants.get(`${applicationId}/${tenantName.toLowerCase()}`);
      // An existing tenant name is only acceptable for its own user signing up again.
      if (tenant && !users.has(userKey(tenant))) return violationError('tenantName', 'not_unique');
      tenant ??= addTenant(applicationId, tenantName, tenantDisplayName);
    } else {
      tenant = [...tenants.values()].find((t) => t.id === tenantId);
      if (!tenant) return violationError('tenantId', 'not_found');
    }

    let user = users.get(userKey(tenant));
    // Wristband resends the activation to a user who never finished it; an ACTIVE one is a duplicate.
    if (user?.status === 'ACTIVE') return violationError('email', 'not_unique');
    if (!user) {
      user = { id: wristbandId(), tenantId: tenant.id, email, status: 'PENDING_SIGNUP_ACTIVATION' };
      users.set(userKey(tenant), user);
    }
    if (flow === 'email_verification') {
      user.status = 'ACTIVE';
      return finished(WRISTBAND_RESULT_EMAIL_VERIFICATION, url.origin, state);
    }
    const sent: ActivationEmail = { key: opaqueToken(), otp: flow === 'otp' ? numericCode() : undefined };
    // A resent email replaces the previous one: only the newest code works.
    pending.set(user, sent);
    inbox.set(address, sent);
    return jsonResponse(
      200,
      sent.otp
        ? { result: WRISTBAND_RESULT_ACTIVATION_OTP_SENT, [WRISTBAND_REQUEST_CODE_FIELD]: sent.key }
        : { result: WRISTBAND_RESULT_ACTIVATION_LINK_SENT },
    );
  };

  /**
   * `POST /api/v1/user-activation/activate-user`: `{emailAuthCode}` or `{requestCode, verificationCode}`.
   * A body with neither, or with both, names no live code: `invalid`.
   */
  const activateUser = ({ json, url }: SandboxRequest): Response => {
    const { emailAuthCode, requestCode, verificationCode } = json;
    const link = emailAuthCode !== undefined;
    const field = link ? 'emailAuthCode' : 'requestCode';
    // One form exactly: with both codes, or neither, the key is undefined and matches nothing.
    const key = link === (requestCode === undefined) ? (link ? emailAuthCode : requestCode) : undefined;
    // A link's code does not work as a requestCode, nor the other way round.
    const [user, sent] = [...pending].find(([, email]) => email.key === key && !email.otp === link) ?? [];
    if (!user) return violationError(field, 'invalid');
    if (!link && verificationCode !== sent?.otp) return violationError('verificationCode', 'invalid');
    user.status = 'ACTIVE';
    pending.delete(user);
    return finished(WRISTBAND_RESULT_ACTIVATION_COMPLETE, url.origin);
  };

  const latestEmail = (email: string) => inbox.get(String(email).toLowerCase());
  const view = {
    otpFor: (email: string) => latestEmail(email)?.otp,
    linkCodeFor(email: string) {
      const latest = latestEmail(email);
      return latest?.otp ? undefined : latest?.key;
    },
    requestCodeFor(email: string) {
      const latest = latestEmail(email);
      return latest?.otp ? latest.key : undefined;
    },
    users: () => copies(users),
    tenants: () => copies(tenants),
    addTenant: ({ name, displayName = name }: { name: string; displayName?: string }) => ({
      ...addTenant(applicationId, name, displayName),
    }),
  };
  return { provisionUser, activateUser, view };
}
