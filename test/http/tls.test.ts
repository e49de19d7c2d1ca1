import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, defaultHttpOptions } from '../../src/http/index.ts';
import { recordConnects, TEST_USER_AGENT, failure } from './server.ts';

// Self-signed test certificate for 127.0.0.1 (EC P-256, made with openssl for this test only).
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbx1LflZ1Nqu9EJDe
vKMcucRelrQMX5wlqMw9qR2vXWKhRANCAATsbMvH+5bzUN2B1lEZFlKlSTWBO7Y9
2sGgoZ+qeetmsQqDt/XRj6M4gnG1roYChq1h8SK4P71VxQ0Pxu5ecCf0
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUfAl1cwFZF8GrhXkCVxYLs3nNrTIwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyODAxMzMzMFoYDzIxMjYxMTA0
MDEzMzMwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATsbMvH+5bzUN2B1lEZFlKlSTWBO7Y92sGgoZ+qeetmsQqDt/XRj6M4
gnG1roYChq1h8SK4P71VxQ0Pxu5ecCf0o2QwYjAdBgNVHQ4EFgQUAjunSl2ot5sT
+8jOeZO3Z2AzR9YwHwYDVR0jBBgwFoAUAjunSl2ot5sT+8jOeZO3Z2AzR9YwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
ID919ZYDwC+U7Uc953HniET5m3RenQ5bAcH+LFcGP+hcAiEApVNzS/GXETNlsa6M
HoffOVq8gIIgWv34nG5+WCDxAek=
-----END CERTIFICATE-----`;

const connects = recordConnects();
let server: https.Server;
let port = 0;
let requests = 0;
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = https.createServer({ key: KEY, cert: CERT }, (_req, res) => {
    requests++;
    res.end('secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of clients) c.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  connects.restore();
  for (const target of connects.targets) expect(target).toMatch(/^(127\.0\.0\.1|localhost):\d+$/);
});

describe('HttpClient over https', () => {
  it('verifies certificates: a self-signed one is refused', async () => {
    const origin = `https://127.0.0.1:${port}`;
    const c = new HttpClient(defaultHttpOptions({ userAgent: TEST_USER_AGENT, allowedOrigins: [origin], hostMinGapMs: 0, respectRobots: false, retries: 0 }));
    clients.push(c);
    const err = await failure(c.fetch(`${origin}/`));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/certificate/i);
    expect(requests).toBe(0);
  });

  it('checks the resolved address for https hosts too', async () => {
    const c = new HttpClient(defaultHttpOptions({ userAgent: TEST_USER_AGENT, hostMinGapMs: 0, respectRobots: false }));
    clients.push(c);
    const err = await failure(c.fetch(`https://localhost:${port}/`));
    expect(err.code).toBe('blocked_address');
    expect(requests).toBe(0);
  });
});
