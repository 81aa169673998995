// The SSH handshake gate of the connection pool: never more than `limit` connects in flight,
// every caller served, a failing connect frees its slot.
import { describe, expect, it } from 'vitest';
import { HandshakeGate } from '../../engine/scheduler/connections.js';

describe('HandshakeGate', () => {
  it('bounds the connects in flight and serves every caller', async () => {
    const gate = new HandshakeGate(3);
    let inFlight = 0;
    let peak = 0;
    const connect = async (i: number) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2 + (i % 4)));
      inFlight--;
      if (i % 5 === 0) throw new Error(`host ${i} refused`);
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => gate.run(() => connect(i))));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(32);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(8);
  });
});
