import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnzuClient, type AnzuClientOptions, type AnzuScope } from '../../src/anzu/client.js';
import { ApiError, NetworkError, TimeoutError, ValidationError } from '../../src/core/errors.js';

const TOKEN = 'anzu_at_7f3c9e1b2d4a';
const TEAM = { teamId: 'team 1', projectId: 'proj/2', environmentId: 'env?3' };
const TEAM_PATH =
  'https://api.anzuhq.com/2022.8/teams/team%201/projects/proj%2F2/environments/env%3F3/blocks/user_management/user_identities/:id';
const WORKSPACE_PATH =
  'https://api.anzuhq.com/2022.8/workspaces/ws_1/environments/env_1/user_management/user_identities/:id';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  method: string;
  url: string;
  id: string;
  headers: Headers;
  body: string;
}

/** Answers PATCHes on `path` with `responses` in turn (the last one repeats), recording each. */
function anzuApi(path: string, ...responses: (() => Response)[]) {
  const seen: Seen[] = [];
  server.use(
    http.all(path, async ({ request, params }) => {
      seen.push({
        method: request.method,
        url: request.url,
        id: params.id as string,
        headers: request.headers,
        body: await request.text(),
      });
      const respond = responses[Math.min(seen.length - 1, responses.length - 1)];
      return respond ? respond() : new HttpResponse(null, { status: 204 });
    }),
  );
  return seen;
}

const anzuError =
  (status: number, code: string, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({ error: { code, message: `${code} happened` } }, { status, headers });

const client = (options: Partial<AnzuClientOptions> = {}) =>
  new AnzuClient({ accessToken: TOKEN, ...TEAM, ...options } as AnzuClientOptions);

describe('AnzuClient.completeProvisioning', () => {
  it('PATCHes the team/project path with the bearer token and exactly the documented body', async () => {
    const seen = anzuApi(TEAM_PATH, () => HttpResponse.json({ id: 'x', provisioningStatus: 'complete' }));
    await expect(client().completeProvisioning('2EG6211MgQNCxmpK8u1qkgcuBjw')).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe('PATCH');
    expect(req?.id).toBe('2EG6211MgQNCxmpK8u1qkgcuBjw');
    expect(req?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers.get('content-type')).toBe('application/json');
    expect(req?.body).toBe('{"provisioning_status":"complete"}');
  });

  it('depends on no success body: any 2xx resolves, whatever it carries', async () => {
    const seen = anzuApi(
      TEAM_PATH,
      () => new HttpResponse('{not json', { headers: { 'content-type': 'application/json' } }),
      () => new HttpResponse(null, { status: 204 }),
      () => new HttpResponse('x'.repeat(2 * 1024 * 1024)),
    );
    for (let i = 0; i < 3; i++) await expect(client().completeProvisioning(`u${i}`)).resolves.toBeUndefined();
    expect(seen).toHaveLength(3);
  });

  it('uses the workspace path for a workspace scope', async () => {
    const seen = anzuApi(WORKSPACE_PATH);
    await new AnzuClient({ accessToken: TOKEN, workspaceId: 'ws_1', environmentId: 'env_1' }).completeProvisioning(
      'u1',
    );
    expect(seen.map((s) => s.id)).toEqual(['u1']);
  });

  it('URL-encodes the identity id', async () => {
    const seen = anzuApi(TEAM_PATH);
    await client().completeProvisioning('a/b c?d#e');
    expect(seen[0]?.url).toMatch(/user_identities\/a%2Fb%20c%3Fd%23e$/);
  });

  it('honours a custom baseUrl, with or without a trailing slash', async () => {
    const seen = anzuApi('http://127.0.0.1:9999/v/workspaces/w/environments/e/user_management/user_identities/:id');
    for (const baseUrl of ['http://127.0.0.1:9999/v', 'http://127.0.0.1:9999/v/']) {
      await new AnzuClient({ accessToken: TOKEN, workspaceId: 'w', environmentId: 'e', baseUrl }).completeProvisioning(
        'i',
      );
    }
    expect(seen).toHaveLength(2);
  });

  it('refuses an empty id without sending anything', async () => {
    const seen = anzuApi(TEAM_PATH);
    for (const id of ['', '  ', undefined as unknown as string]) {
      const error = await client()
        .completeProvisioning(id)
        .catch((e) => e);
      expect(ValidationError.is(error)).toBe(true);
      expect(error.issues[0].path).toBe('userIdentityId');
    }
    expect(seen).toHaveLength(0);
  });

  it("confirms in a given scope instead of the client's ids, in either shape", async () => {
    const team = anzuApi(
      'https://api.anzuhq.com/2022.8/teams/t%202/projects/p2/environments/e2/blocks/user_management/user_identities/:id',
    );
    const workspace = anzuApi(WORKSPACE_PATH);
    const own = anzuApi(TEAM_PATH);
    await client().completeProvisioning('u1', { scope: { teamId: 't 2', projectId: 'p2', environmentId: 'e2' } });
    await client().completeProvisioning('u2', { scope: { workspaceId: 'ws_1', environmentId: 'env_1' } });
    await client().completeProvisioning('u3');
    expect([team.map((s) => s.id), workspace.map((s) => s.id), own.map((s) => s.id)]).toEqual([['u1'], ['u2'], ['u3']]);
  });

  it('validates a given scope like the constructor, naming scope.<field>, and sends nothing', async () => {
    let sent = 0;
    const counting = new AnzuClient({
      accessToken: TOKEN,
      ...TEAM,
      fetch: async () => {
        sent++;
        return new Response(null, { status: 204 });
      },
    });
    const cases: [unknown, string[]][] = [
      [{ teamId: '', projectId: 'p', environmentId: 'e' }, ['scope.teamId']],
      [{ teamId: 't' }, ['scope.projectId', 'scope.environmentId']],
      [{ workspaceId: 'w', teamId: 't', environmentId: 'e' }, ['scope.workspaceId']],
      [{ workspaceId: '..', environmentId: '.' }, ['scope.workspaceId', 'scope.environmentId']],
      // Not an object: named by its missing fields, like an empty scope.
      ['ws_1', ['scope.teamId', 'scope.projectId', 'scope.environmentId']],
      [null, ['scope.teamId', 'scope.projectId', 'scope.environmentId']],
    ];
    for (const [scope, paths] of cases) {
      const error = await counting.completeProvisioning('u1', { scope: scope as AnzuScope }).catch((e) => e);
      expect(ValidationError.is(error)).toBe(true);
      expect(error.issues.map((i: { path: string }) => i.path)).toEqual(paths);
    }
    expect(sent).toBe(0);
  });

  it('refuses "." and ".." as ids, in the constructor and per call, sending nothing', async () => {
    const seen = anzuApi('https://api.anzuhq.com/*');
    for (const id of ['.', '..']) {
      const error = await client()
        .completeProvisioning(id)
        .catch((e) => e);
      expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['userIdentityId']);
      expect(() => client({ projectId: id })).toThrow(ValidationError);
    }
    expect(seen).toHaveLength(0);
  });

  it('keeps the path shape for ids that only look like dot segments', async () => {
    const seen = anzuApi('https://api.anzuhq.com/*');
    for (const id of ['%2e%2e', '.%2E', '...', '../x', '%2F..']) await client().completeProvisioning(id);
    const tails = seen.map((s) => new URL(s.url).pathname.split('/blocks/user_management/user_identities/'));
    // Each request reached .../user_identities/<one encoded segment>, under the client's own environment.
    for (const [head, tail] of tails) {
      expect(head).toBe('/2022.8/teams/team%201/projects/proj%2F2/environments/env%3F3');
      expect(tail).not.toContain('/');
    }
    expect(tails.map(([, tail]) => decodeURIComponent(tail as string))).toEqual([
      '%2e%2e',
      '.%2E',
      '...',
      '../x',
      '%2F..',
    ]);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i, then succeeds', async (status) => {
    const seen = anzuApi(TEAM_PATH, anzuError(status, 'X', { 'retry-after': '0' }), () => new HttpResponse(null));
    await client().completeProvisioning('u1');
    expect(seen).toHaveLength(2);
  });

  it('stops after `retries` retries and throws the typed ApiError', async () => {
    const seen = anzuApi(TEAM_PATH, anzuError(503, 'UNAVAILABLE', { 'retry-after': '0' }));
    const error = await client({ retries: 3 })
      .completeProvisioning('u1')
      .catch((e) => e);
    expect(seen).toHaveLength(4);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'anzu', status: 503, code: 'UNAVAILABLE' });
  });

  it.each([
    [400, 'INVALID'],
    [401, 'UNAUTHORIZED'],
    [403, 'NOT_ALLOWED'],
    [404, 'NOT_FOUND'],
  ])('never retries %i and maps Anzu error %s', async (status, code) => {
    const seen = anzuApi(TEAM_PATH, anzuError(status, code));
    const error = await client()
      .completeProvisioning('u1')
      .catch((e) => e);
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code, body: { error: { code } } });
    expect(error.message).toContain(`${code} happened`);
  });

  it('uses http_<status> when the error body is not Anzu-shaped', async () => {
    anzuApi(TEAM_PATH, () => new HttpResponse('<html>bad gateway</html>', { status: 418 }));
    await expect(client().completeProvisioning('u1')).rejects.toMatchObject({
      code: 'http_418',
      body: '<html>bad gateway</html>',
    });
  });

  it('throws a 429 at once when Retry-After is longer than 30 s', async () => {
    const seen = anzuApi(TEAM_PATH, anzuError(429, 'RATE_LIMIT', { 'retry-after': '120' }));
    await expect(client().completeProvisioning('u1')).rejects.toMatchObject({ status: 429, code: 'RATE_LIMIT' });
    expect(seen).toHaveLength(1);
  });

  it('retries network errors and reports a NetworkError when they persist', async () => {
    const seen = anzuApi(TEAM_PATH, () => HttpResponse.error());
    const error = await client({ retries: 1 })
      .completeProvisioning('u1')
      .catch((e) => e);
    expect(NetworkError.is(error)).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('times out each attempt with a TimeoutError', async () => {
    const seen = anzuApi(TEAM_PATH, () => new Promise<Response>(() => {}) as unknown as Response);
    const error = await client({ timeoutMs: 30, retries: 1 })
      .completeProvisioning('u1')
      .catch((e) => e);
    expect(TimeoutError.is(error)).toBe(true);
    expect(error.timeoutMs).toBe(30);
    expect(seen).toHaveLength(2);
  });

  it("rejects with an aborted signal's reason and sends nothing more", async () => {
    const seen = anzuApi(TEAM_PATH, anzuError(503, 'X'));
    const reason = new DOMException('stop', 'AbortError');
    const controller = new AbortController();
    const call = client({ retries: 5 }).completeProvisioning('u1', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
    const sent = seen.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(seen.length).toBe(sent);
  });

  it('never lets the access token into an error, even when Anzu echoes it', async () => {
    anzuApi(TEAM_PATH, () =>
      HttpResponse.json({ error: { code: 'NOT_ALLOWED', message: `token ${TOKEN} lacks scope` } }, { status: 403 }),
    );
    const error = await client()
      .completeProvisioning('u1')
      .catch((e) => e);
    for (const text of [
      error.message,
      String(error),
      error.stack,
      JSON.stringify(error),
      JSON.stringify({ ...error }),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe('AnzuClient options', () => {
  it('names every missing option at once', () => {
    const error = (() => {
      try {
        new AnzuClient({} as AnzuClientOptions);
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(ValidationError.is(error)).toBe(true);
    expect(error?.issues.map((i) => i.path).sort()).toEqual(['accessToken', 'environmentId', 'projectId', 'teamId']);
  });

  it('refuses empty strings, both scope shapes at once, and bad transport options', () => {
    expect(() => client({ accessToken: ' ' })).toThrow(/accessToken/);
    expect(() => client({ workspaceId: 'w' } as never)).toThrow(/workspaceId/);
    expect(() => client({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => client({ retries: -1 })).toThrow(/retries/);
  });

  it('requires https, allowing plain http only on loopback', () => {
    expect(() => client({ baseUrl: 'http://api.anzuhq.com/2022.8' })).toThrow(/https/);
    expect(() => client({ baseUrl: 'http://localhost:4000' })).not.toThrow();
    expect(() => client({ baseUrl: 'http://[::1]:4000' })).not.toThrow();
  });

  it('never puts the token in a validation error', () => {
    try {
      client({ baseUrl: `http://${TOKEN}.example.com` });
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
    }
  });
});

describe('AnzuClient.fromEnv', () => {
  it('reads the seed variable names', async () => {
    const seen = anzuApi(TEAM_PATH);
    const anzu = AnzuClient.fromEnv({
      ANZU_ACCESS_TOKEN: TOKEN,
      ANZU_TEAM_ID: TEAM.teamId,
      ANZU_PROJECT_ID: TEAM.projectId,
      ANZU_ENVIRONMENT_ID: TEAM.environmentId,
    });
    await anzu.completeProvisioning('u1');
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('uses ANZU_WORKSPACE_ID instead of team + project', async () => {
    const seen = anzuApi(WORKSPACE_PATH);
    await AnzuClient.fromEnv({
      ANZU_ACCESS_TOKEN: TOKEN,
      ANZU_WORKSPACE_ID: 'ws_1',
      ANZU_ENVIRONMENT_ID: 'env_1',
    }).completeProvisioning('u');
    expect(seen).toHaveLength(1);
  });

  it('refuses ANZU_WORKSPACE_ID together with ANZU_TEAM_ID or ANZU_PROJECT_ID, like the constructor', () => {
    for (const extra of [{ ANZU_TEAM_ID: 't' }, { ANZU_PROJECT_ID: 'p' }]) {
      const env = { ANZU_ACCESS_TOKEN: TOKEN, ANZU_WORKSPACE_ID: 'w', ANZU_ENVIRONMENT_ID: 'e', ...extra };
      const error = (() => {
        try {
          AnzuClient.fromEnv(env);
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(ValidationError.is(error)).toBe(true);
      expect(error?.issues.map((i) => i.path)).toEqual(['ANZU_WORKSPACE_ID']);
      expect(error?.issues[0]?.message).toBe(
        'give either ANZU_WORKSPACE_ID or ANZU_TEAM_ID + ANZU_PROJECT_ID, not both',
      );
      expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
    }
  });

  it('names each missing or empty variable, in the order of the constructor', () => {
    try {
      AnzuClient.fromEnv({ ANZU_ACCESS_TOKEN: '', ANZU_TEAM_ID: 't', ANZU_ENVIRONMENT_ID: ' \n' });
      expect.unreachable();
    } catch (error) {
      expect(ValidationError.is(error)).toBe(true);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
        'ANZU_ACCESS_TOKEN',
        'ANZU_PROJECT_ID',
        'ANZU_ENVIRONMENT_ID',
      ]);
      expect((error as ValidationError).message).toBe(
        'Invalid AnzuClient options: ANZU_ACCESS_TOKEN: is required; ANZU_PROJECT_ID: is required; ANZU_ENVIRONMENT_ID: is required',
      );
    }
  });

  it('keeps the names of other options in their issues', () => {
    const error = (() => {
      try {
        AnzuClient.fromEnv(
          { ANZU_ACCESS_TOKEN: TOKEN, ANZU_WORKSPACE_ID: 'w', ANZU_ENVIRONMENT_ID: 'e' },
          { retries: -1 },
        );
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.issues.map((i) => i.path)).toEqual(['retries']);
  });

  it('defaults to process.env', () => {
    const saved = { ...process.env };
    Object.assign(process.env, { ANZU_ACCESS_TOKEN: 't0k3n', ANZU_WORKSPACE_ID: 'w', ANZU_ENVIRONMENT_ID: 'e' });
    try {
      expect(AnzuClient.fromEnv()).toBeInstanceOf(AnzuClient);
    } finally {
      process.env = saved;
    }
  });
});
