/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; the selected tab's panel shows. */
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface Tab {
  readonly id: string;
  readonly label: string;
}

export function Tabs(props: { label: string; tabs: readonly Tab[]; selected: string; onSelect: (id: string) => void; children: ComponentChildren }) {
  const list = useRef<HTMLDivElement>(null);
  const move = (e: KeyboardEvent) => {
    const i = props.tabs.findIndex((t) => t.id === props.selected);
    const next =
      e.key === 'ArrowRight' ? (i + 1) % props.tabs.length : e.key === 'ArrowLeft' ? (i - 1 + props.tabs.length) % props.tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? props.tabs.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    props.onSelect(props.tabs[next]!.id);
    list.current?.querySelector<HTMLButtonElement>(`#tab-${props.tabs[next]!.id}`)?.focus();
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={props.label} ref={list} onKeyDown={move}>
        {props.tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === props.selected}
            aria-controls={t.id === props.selected ? `panel-${t.id}` : undefined}
            tabIndex={t.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div class="tabpanel" role="tabpanel" id={`panel-${props.selected}`} aria-labelledby={`tab-${props.selected}`}>
        {props.children}
      </div>
    </>
  );
}
