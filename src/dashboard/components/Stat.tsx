export function Stat({ label, value, testid, tone }: { label: string; value: string; testid?: string; tone?: string }) {
  return (
    <div class={`stat ${tone ?? ''}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value" data-testid={testid}>
        {value}
      </div>
    </div>
  );
}
