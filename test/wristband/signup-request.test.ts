import { describe, expect, it } from 'vitest';
import { buildSignupBody, type SignupRequest, validateSignupRequest } from '../../src/wristband/signup-request.js';
import { APPLICATION_SIGNUP, TENANT_SIGNUP } from './mock-wristband.js';

const issuesOf = (request: unknown) => validateSignupRequest(request);
const pathsOf = (request: unknown) => issuesOf(request).map((i) => i.path);
const tenant = (fields: Record<string, unknown>) => ({ ...TENANT_SIGNUP, ...fields });
const x = (n: number) => 'x'.repeat(n);

describe('validateSignupRequest: levels', () => {
  it('accepts a minimal request of each level', () => {
    expect(issuesOf(TENANT_SIGNUP)).toEqual([]);
    expect(issuesOf(APPLICATION_SIGNUP)).toEqual([]);
  });

  it('requires the application level fields', () => {
    expect(issuesOf({ level: 'application', email: 'a@b.c' })).toEqual([
      { path: 'applicationId', message: 'is required for application-level signups' },
      { path: 'tenantName', message: 'is required for application-level signups' },
      { path: 'tenantDisplayName', message: 'is required for application-level signups' },
    ]);
  });

  it('requires tenantId at tenant level', () => {
    expect(issuesOf({ level: 'tenant', email: 'a@b.c' })).toEqual([
      { path: 'tenantId', message: 'is required for tenant-level signups' },
    ]);
  });

  it("refuses the other level's fields (mixing levels)", () => {
    expect(issuesOf({ ...APPLICATION_SIGNUP, tenantId: 't1' })).toEqual([
      { path: 'tenantId', message: 'is only for tenant-level signups' },
    ]);
    expect(pathsOf({ ...TENANT_SIGNUP, applicationId: 'a', tenantName: 'acme', tenantDisplayName: 'Acme' })).toEqual([
      'applicationId',
      'tenantName',
      'tenantDisplayName',
    ]);
  });

  it("treats the other level's fields set to undefined as absent", () => {
    expect(issuesOf({ ...APPLICATION_SIGNUP, tenantId: undefined })).toEqual([]);
  });

  it('requires a known level, and still checks the other fields', () => {
    expect(issuesOf({ email: 'a@b.c', tenantId: 't' })).toEqual([
      { path: 'level', message: expect.stringContaining("must be 'application'") },
    ]);
    expect(pathsOf({ level: 'org', email: '', tenantId: x(27) })).toEqual(['level', 'email', 'tenantId']);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, undefined, 'a@b.c', ['a']]) {
      expect(issuesOf(value)).toEqual([{ path: '', message: 'must be an object' }]);
    }
  });

  it('refuses unknown properties, naming them, so that a typo does not drop data', () => {
    expect(issuesOf(tenant({ tenantname: 'acme', firstName: 'Ada' }))).toEqual([
      { path: 'tenantname', message: 'is not a known field' },
      { path: 'firstName', message: 'is not a known field' },
    ]);
    expect(issuesOf(tenant({ constructor: 'x', toString: 'y' }))).toEqual([
      { path: 'constructor', message: 'is not a known field' },
      { path: 'toString', message: 'is not a known field' },
    ]);
  });
});

describe('validateSignupRequest: field constraints of the seed', () => {
  it('requires email, 1–200 characters with an @', () => {
    expect(issuesOf({ level: 'tenant', tenantId: 't' })).toEqual([{ path: 'email', message: 'is required' }]);
    expect(issuesOf(tenant({ email: '' }))).toEqual([
      { path: 'email', message: 'must be 1–200 characters long (got 0)' },
    ]);
    expect(issuesOf(tenant({ email: 'ada.example.com' }))).toEqual([
      { path: 'email', message: 'must be an email address' },
    ]);
    expect(pathsOf(tenant({ email: '@example.com' }))).toEqual(['email']);
    expect(pathsOf(tenant({ email: 'ada@' }))).toEqual(['email']);
    expect(pathsOf(tenant({ email: `${x(190)}@example.c` }))).toEqual([]); // 200
    expect(pathsOf(tenant({ email: `${x(191)}@example.c` }))).toEqual(['email']); // 201
  });

  it.each([
    ['fullName', 1, 200],
    ['givenName', 1, 200],
    ['familyName', 1, 200],
    ['username', 1, 200],
    ['clientId', 1, 26],
    ['state', 1, 26],
    ['tenantDomainName', 3, 20],
  ])('checks %s length %i–%i', (field, min, max) => {
    expect(pathsOf(tenant({ [field]: x(min) }))).toEqual([]);
    expect(pathsOf(tenant({ [field]: x(max) }))).toEqual([]);
    expect(issuesOf(tenant({ [field]: x(min - 1) }))).toEqual([
      { path: field, message: `must be ${min}–${max} characters long (got ${min - 1})` },
    ]);
    expect(pathsOf(tenant({ [field]: x(max + 1) }))).toEqual([field]);
  });

  it.each([
    ['applicationId', 1, 26],
    ['tenantName', 3, 20],
    ['tenantDisplayName', 1, 200],
  ])('checks application-level %s length %i–%i', (field, min, max) => {
    expect(pathsOf({ ...APPLICATION_SIGNUP, [field]: x(max) })).toEqual([]);
    expect(pathsOf({ ...APPLICATION_SIGNUP, [field]: x(min - 1) })).toEqual([field]);
    expect(pathsOf({ ...APPLICATION_SIGNUP, [field]: x(max + 1) })).toEqual([field]);
  });

  it('checks tenantId length 1–26', () => {
    expect(pathsOf(tenant({ tenantId: x(26) }))).toEqual([]);
    expect(pathsOf(tenant({ tenantId: '' }))).toEqual(['tenantId']);
    expect(pathsOf(tenant({ tenantId: x(27) }))).toEqual(['tenantId']);
  });

  it('counts length as string.length (UTF-16 code units, as documented)', () => {
    expect(pathsOf(tenant({ state: '😀'.repeat(13) }))).toEqual([]); // 26 code units
    expect(pathsOf(tenant({ state: '😀'.repeat(14) }))).toEqual(['state']);
  });

  it.each(['+14155550123', '+442071838750', '+12', `+1${'2'.repeat(14)}`])(
    'accepts the E.164 number %s',
    (phoneNumber) => {
      expect(issuesOf(tenant({ phoneNumber }))).toEqual([]);
    },
  );

  it.each([
    '14155550123',
    '+0123456',
    '+1 415 555 0123',
    '+1-415-555-0123',
    '+1',
    `+1${'2'.repeat(15)}`,
    '+1415555012a',
  ])('refuses the phone number %j', (phoneNumber) => {
    expect(pathsOf(tenant({ phoneNumber }))).toEqual(['phoneNumber']);
  });

  it.each(['2000-01-01', '2024-02-29', '2000-02-29', '1999-12-31'])('accepts the birthdate %s', (birthdate) => {
    expect(issuesOf(tenant({ birthdate }))).toEqual([]);
  });

  it.each([
    ['2023-02-29', 'must be a real calendar date'],
    ['1900-02-29', 'must be a real calendar date'],
    ['2023-04-31', 'must be a real calendar date'],
    ['2023-13-01', 'must be a real calendar date'],
    ['2023-00-10', 'must be a real calendar date'],
    ['2023-01-00', 'must be a real calendar date'],
    ['01/02/2023', 'must be a date as YYYY-MM-DD'],
    ['2023-1-2', 'must be a date as YYYY-MM-DD'],
    ['2023-01-02T00:00:00Z', 'must be 1–10 characters long (got 20)'],
  ])('refuses the birthdate %j', (birthdate, message) => {
    expect(issuesOf(tenant({ birthdate }))).toEqual([{ path: 'birthdate', message }]);
  });

  it('requires a non-empty password and never repeats it', () => {
    expect(issuesOf(tenant({ password: '' }))).toEqual([{ path: 'password', message: 'must be at least 1 character' }]);
    expect(issuesOf(tenant({ password: x(5000) }))).toEqual([]);
    const issues = issuesOf(tenant({ password: 12345678, email: 'hunter2-no-at' }));
    expect(issues).toEqual([
      { path: 'email', message: 'must be an email address' },
      { path: 'password', message: 'must be a string' },
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/12345678|hunter2/);
  });

  it('refuses a field of the wrong type, including null', () => {
    expect(issuesOf(tenant({ givenName: null, state: 5, email: ['a@b'] }))).toEqual([
      { path: 'email', message: 'must be a string' },
      { path: 'givenName', message: 'must be a string' },
      { path: 'state', message: 'must be a string' },
    ]);
  });

  it('still accepts the deprecated tenantDomainName next to tenantName', () => {
    expect(issuesOf({ ...APPLICATION_SIGNUP, tenantDomainName: 'acme' })).toEqual([]);
  });

  it('lists every bad field at once', () => {
    expect(
      pathsOf({
        level: 'application',
        applicationId: '',
        tenantName: 'ab',
        email: 'nope',
        phoneNumber: '555',
        birthdate: '2023-02-30',
        state: x(27),
      }),
    ).toEqual(['tenantDisplayName', 'applicationId', 'tenantName', 'email', 'phoneNumber', 'birthdate', 'state']);
  });
});

describe('buildSignupBody', () => {
  it('drops the level tag and undefined fields, and keeps everything else as given', () => {
    const request: SignupRequest = {
      ...APPLICATION_SIGNUP,
      givenName: 'Ada',
      familyName: undefined,
      tenantDomainName: 'acme',
      password: 'pw',
    };
    expect(JSON.parse(buildSignupBody(request))).toEqual({
      applicationId: 'app_01hx',
      tenantName: 'acme',
      tenantDisplayName: 'Acme Inc.',
      email: 'ada@acme.test',
      givenName: 'Ada',
      tenantDomainName: 'acme',
      password: 'pw',
    });
    expect(buildSignupBody(TENANT_SIGNUP)).toBe('{"tenantId":"tnt_01hx","email":"ada@example.com"}');
  });
});
