import { useState } from 'preact/hooks';

/** Copy to the clipboard, with a fallback for plain-HTTP origins where the Clipboard API is missing. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({
  text,
  label = 'Copy',
  testid = 'copy',
}: {
  text: string;
  label?: string;
  testid?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="copy"
      data-testid={testid}
      onClick={async () => {
        await copyText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}
