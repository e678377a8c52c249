import { listActivationsOfUser } from '../db/activations.js';
import { listConnectionViewsByIds } from '../db/connections.js';
import { lastFlowEventSeq, listFlowEvents } from '../db/sessions.js';
import { findEndUserById } from '../db/users.js';
import type { Portico } from '../portico.js';
import type { ConnectSession } from './sessions.js';

/** What the widget shows (SPEC §5): the session's user and its connections with their state. */
export async function connectSessionView(p: Portico, s: ConnectSession) {
  const [user, views, activations, cursor] = await Promise.all([
    findEndUserById(p.db, s.endUserId),
    listConnectionViewsByIds(p.db, s.orgId, s.connectionIds),
    listActivationsOfUser(p.db, s.endUserId, s.connectionIds),
    lastFlowEventSeq(p.db, s.jti),
  ]);
  const connections = s.connectionIds.flatMap((id) => {
    const view = views.find((v) => v.connection.id === id);
    if (!view) return [];
    const activation = activations.find((a) => a.connectionId === id && a.environmentId === s.environmentId);
    const status =
      activation?.status === 'active' || activation?.status === 'needs_reauth'
        ? activation.status
        : ('inactive' as const);
    return [
      {
        id,
        name: view.connection.name,
        connector: { name: view.connectorName },
        authType: view.authType,
        status,
        ...(activation && activation.status !== 'revoked' ? { activationId: activation.id } : {}),
      },
    ];
  });
  return {
    user: {
      externalId: s.externalUserId,
      displayName: user?.displayName ?? null,
      email: user?.email ?? null,
    },
    connections,
    origin: s.origin,
    eventsCursor: cursor,
    expiresAt: new Date(s.expiresAt).toISOString(),
  };
}

export async function connectEvents(p: Portico, s: ConnectSession, after: number) {
  const rows = await listFlowEvents(p.db, s.jti, after, 100);
  return {
    data: rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      connectionId: r.connectionId,
      ...(r.activationId ? { activationId: r.activationId } : {}),
      ...(r.flowId ? { flowId: r.flowId } : {}),
      ...(r.error ? { error: r.error } : {}),
      createdAt: new Date(r.createdAt).toISOString(),
    })),
  };
}
