/**
 * Whether the standard OpenTelemetry variables ask for traces: an OTLP
 * endpoint, or a traces exporter other than `none`; OTEL_SDK_DISABLED=true
 * wins. Its own file so deciding costs nothing: the SDK (sdk.ts) is only
 * loaded when the answer is yes.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER;
  if (exporters) return exporters.split(',').some((e) => e.trim() !== '' && e.trim() !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}
