/**
 * Manila answers every request with its request context's id, `req-<uuid>`, in
 * `x-compute-request-id` (upstream's wsgi layer) and `x-openstack-request-id` (oslo.middleware's
 * RequestId); manila-tempest-plugin's client asserts the first on every call. The value is the
 * app's own request id (the one in `X-Request-Id`, which stays as it is), prefixed as upstream.
 */
import type { Context, Next } from 'koa';

export async function computeRequestId(ctx: Context, next: Next): Promise<void> {
  const id = String(ctx.state.requestId ?? '');
  const value = id.startsWith('req-') ? id : `req-${id}`;
  ctx.set('x-compute-request-id', value);
  ctx.set('x-openstack-request-id', value);
  await next();
}
