import * as React from 'react';

const PATH = 'data-privacy-centre-print-path';
const ROOT = 'data-privacy-centre-print-root';

/**
 * Printing: only the frame's content, black on white, without Strapi's menus, the plugin's side
 * navigation, the page header's buttons or notifications; each element marked
 * `data-print-break` starts a new page. Everything that is not on the way from <body> to the
 * frame is hidden, so this holds whatever the admin's layout is made of, and the admin's
 * scrolling containers are opened up so every page prints, not only the visible one.
 */
const PRINT_CSS = `
@media print {
  @page { margin: 16mm 14mm; }
  html, body { background: #fff !important; height: auto !important; overflow: visible !important; }
  [${PATH}] > :not([${PATH}]):not([${ROOT}]) { display: none !important; }
  [${PATH}] {
    display: block !important; position: static !important; overflow: visible !important;
    height: auto !important; min-height: 0 !important; max-height: none !important;
    width: auto !important; max-width: none !important; margin: 0 !important; padding: 0 !important;
    background: #fff !important; box-shadow: none !important; border: 0 !important;
  }
  [${ROOT}], [${ROOT}] * {
    color: #000 !important; background: #fff !important; box-shadow: none !important;
    -webkit-print-color-adjust: economy; print-color-adjust: economy;
  }
  [${ROOT}] { font-size: 11pt; }
  [${ROOT}] button, [${ROOT}] [data-print="hide"] { display: none !important; }
  [${ROOT}] [data-print="only"] { display: block !important; }
  [${ROOT}] [data-print-break] { break-before: page; page-break-before: always; }
  [${ROOT}] [data-print-keep] { break-inside: avoid; page-break-inside: avoid; }
  [${ROOT}] pre, [${ROOT}] code { white-space: pre-wrap !important; word-break: break-all !important; }
  [${ROOT}] a { text-decoration: none !important; }
  /* Badges keep their words; a border keeps them visible without colour. */
  [${ROOT}] [data-badge] { border: 1px solid #000 !important; padding: 0 4px !important; }
  [${ROOT}] section, [${ROOT}] li { border-color: #999 !important; }
}
[${ROOT}] [data-print="only"] { display: none; }
`;

/**
 * The printable part of a page. Its ancestors are marked while it is shown, so the print
 * stylesheet can hide every one of their other children.
 */
export const PrintFrame = ({ children, testId }: { children: React.ReactNode; testId?: string }) => {
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const marked: Element[] = [];
    for (let node = ref.current?.parentElement; node && node !== document.documentElement; node = node.parentElement) {
      node.setAttribute(PATH, '');
      marked.push(node);
    }
    return () => marked.forEach((node) => node.removeAttribute(PATH));
  }, []);
  return (
    <div ref={ref} {...{ [ROOT]: '' }} data-testid={testId}>
      <style>{PRINT_CSS}</style>
      {children}
    </div>
  );
};
