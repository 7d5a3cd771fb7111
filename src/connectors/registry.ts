/** Builds the client of a connection's package (the edges hand this factory to the use cases). */
import type { ConnectorFactory } from '../app/connectors/connections.ts';
import { MoneybirdConnector, MONEYBIRD_BASE_URL } from './moneybird/client.ts';
import { ExactConnector } from './exact/client.ts';
import { YukiConnector } from './yuki/client.ts';
import { realClock } from './http.ts';

export const DEFAULT_BASE_URLS = { moneybird: MONEYBIRD_BASE_URL, exact: 'https://start.exactonline.nl', yuki: 'https://api.yukiworks.nl' } as const;

export const buildConnector: ConnectorFactory = (conn, deps) => {
  const http = { gate: deps.gate, clock: deps.clock ?? realClock, vendorName: conn.vendor };
  switch (conn.vendor) {
    case 'moneybird':
      return new MoneybirdConnector({ baseUrl: conn.base_url, administrationId: conn.external_admin ?? '', token: String(deps.secret.token ?? '') }, { ...http, vendorName: 'Moneybird' });
    case 'exact':
      return new ExactConnector({ baseUrl: conn.base_url, division: conn.external_admin ?? '' }, deps.secret, deps.saveSecret, { ...http, vendorName: 'Exact Online' });
    case 'yuki':
      return new YukiConnector({ baseUrl: conn.base_url, administrationId: conn.external_admin ?? '', accessKey: String(deps.secret.accessKey ?? '') }, { ...http, vendorName: 'Yuki' });
  }
};
