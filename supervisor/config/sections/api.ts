import { boolean, integer, section, text } from '../fields.ts';

/** `[api]`: the REST/WS data API, /metrics and the dashboard. */
export const api = section('REST + WebSocket data API, Prometheus /metrics and the dashboard (bearer token BRAIN_API_TOKEN).', {
  enabled: boolean({ default: false, doc: 'Serve the API. Requires BRAIN_API_TOKEN in the environment.' }),
  host: text({
    default: '127.0.0.1',
    format: 'host',
    doc: 'Listen address. 127.0.0.1 keeps it on this machine; put a TLS proxy in front to expose it.',
  }),
  port: integer({ default: 8080, min: 1, max: 65_535, doc: 'TCP port.' }),
});
