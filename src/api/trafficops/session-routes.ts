/**
 * Traffic Ops sessions (upstream `traffic_ops_golang/login`): `POST /user/login` with
 * `{"u": <user name>, "p": <password>}` checks the password (the password service: default domain,
 * throttled after repeated failures, logged without the password) and sets the `mojolicious`
 * cookie every other Traffic Ops route reads, holding a Portcullis token (system scope: Traffic Ops
 * permissions are system role grants; 6 hours or the token lifetime, whichever is shorter, as
 * upstream's cookie). `POST /user/logout` revokes that token and expires the cookie. Both answer
 * in the alerts envelope with upstream's texts, which the Go client checks.
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AppContext } from '../../app-context.js';
import { principal } from '../../auth/authenticate.js';
import { readCredential } from '../../auth/credentials.js';
import { badRequest } from '../../errors.js';
import { requestLog } from '../shared/request-log.js';
import { alerts } from './envelope.js';
import { loginBodySchema } from './schemas.js';

export const MOJO_COOKIE = 'mojolicious';
/** Upstream's cookie lifetime (defaultCookieDuration). */
const COOKIE_MS = 6 * 60 * 60 * 1000;
const INVALID = 'Invalid username or password.';

export function sessionRoutes(router: Router, app: AppContext, auth: Middleware): void {
  const { passwords, tokens } = app.services;

  router.post('/user/login', async (ctx) => {
    const parsed = loginBodySchema.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw badRequest(parsed.error.issues[0]!.message);
    const name = parsed.data.u ?? '';
    const password = parsed.data.p ?? '';
    if (name === '' || password === '') throw badRequest('username and password are required');
    const login = await passwords.verify({ name }, password, { source: ctx.ip, log: requestLog(ctx) });
    if (!login.ok) {
      if (login.reason === 'throttled') ctx.set('Retry-After', String(Math.ceil(login.retryAfterMs / 1000)));
      ctx.status = 401;
      ctx.body = { alerts: alerts('error', INVALID) };
      return;
    }
    const token = await tokens.issue(login.user.id, { type: 'system' }, { methods: ['password'] });
    const expires = new Date(Math.min(token.expiresAt.getTime(), Date.now() + COOKIE_MS));
    ctx.cookies.set(MOJO_COOKIE, token.id, { path: '/', expires, httpOnly: true, overwrite: true });
    ctx.body = { alerts: alerts('success', 'Successfully logged in.') };
  });

  router.post('/user/logout', auth, async (ctx: Context) => {
    principal(ctx); // authenticated by `auth`
    // The session's own token stops working (a static admin token or an external JWT cannot be
    // revoked here; its cookie is expired all the same).
    const credential = readCredential(ctx, ['cookie:mojolicious', 'bearer']);
    const token = credential ? await tokens.validate(credential) : undefined;
    if (token) await tokens.revoke(token);
    ctx.cookies.set(MOJO_COOKIE, '', { path: '/', expires: new Date(0), httpOnly: true, overwrite: true });
    ctx.body = { alerts: alerts('success', 'You are logged out.') };
  });
}
