"""The stylesheet embedded in every HTML rendering.

Colours are neutral so one sheet reads in light and dark notebook themes: text keeps
the page's own colour (``inherit``/``currentColor``), lines and tints are grey with
transparency, and the few accents (green, amber, the highlight) are mid-tones that
stay legible on white and on near-black. Every rule is scoped under ``.rk`` so it
cannot restyle the rest of a notebook, and selectors carry one extra class where
JupyterLab's own ``.jp-RenderedHTMLCommon`` rules would otherwise win.
"""

from __future__ import annotations

CSS = """
.rk{line-height:1.5;max-width:60rem;color:inherit;font-size:inherit;margin:.2em 0}
.rk *{box-sizing:border-box}
.rk .rk-q{font-size:.9em;opacity:.75;margin:0 0 .3em}
.rk .rk-label{font-weight:600;text-transform:uppercase;letter-spacing:.05em;font-size:.85em;
  margin-right:.5em}
.rk .rk-text{font-size:1.06em;margin:.1em 0 .5em;white-space:pre-wrap}
.rk .rk-ref{font-size:.7em;line-height:0;vertical-align:super;margin-left:.12em}
.rk .rk-ref a,.rk .rk-num{display:inline-block;min-width:1.5em;padding:0 .38em;
  border-radius:.75em;text-align:center;text-decoration:none;color:inherit;font-weight:600;
  background:rgba(127,127,127,.2);line-height:1.5}
.rk .rk-ref a:hover{background:rgba(127,127,127,.4)}
.rk .rk-unsupported{text-decoration:underline wavy rgba(214,137,16,.9);
  text-decoration-skip-ink:none;text-underline-offset:.22em}
.rk .rk-flag{font-size:.7em;margin-left:.35em;padding:.05em .45em;border-radius:.75em;
  border:1px solid rgba(214,137,16,.85);white-space:nowrap;vertical-align:.15em}
.rk .rk-warning{font-size:.88em;margin:.1em 0 .5em;padding:.3em .6em;border-radius:.35em;
  border-left:3px solid rgba(214,137,16,.9);background:rgba(214,137,16,.1)}
.rk .rk-refusal{font-size:1.06em;font-weight:600;margin:.1em 0 .4em}
.rk .rk-note{margin:0 0 .4em;opacity:.8}
.rk .rk-guess{font-size:.9em;margin:0 0 .5em;opacity:.85}
.rk .rk-gauge{display:flex;align-items:center;flex-wrap:wrap;gap:.25em .7em;font-size:.86em;
  margin:.3em 0 .7em}
.rk .rk-bar{position:relative;width:12em;height:.55em;border-radius:.3em;
  background:rgba(127,127,127,.22)}
.rk .rk-fill{position:absolute;left:0;top:0;bottom:0;border-radius:.3em;background:#2f9e5b}
.rk.rk-refused .rk-fill{background:#d6891a}
.rk .rk-threshold{position:absolute;top:-.3em;bottom:-.3em;width:2px;margin-left:-1px;
  background:currentColor;opacity:.75}
.rk .rk-badge{font-size:.85em;font-weight:600;padding:.05em .55em;border-radius:.75em;
  border:1px solid #2f9e5b}
.rk.rk-refused .rk-badge{border-color:#d6891a}
.rk .rk-h{font-size:.78em;font-weight:600;text-transform:uppercase;letter-spacing:.06em;
  opacity:.7;margin:.9em 0 .3em}
.rk details.rk-src{border:1px solid rgba(127,127,127,.3);border-radius:.45em;margin:.35em 0}
.rk details.rk-src>summary{cursor:pointer;padding:.4em .65em;list-style-position:inside}
.rk details.rk-src[open]>summary{border-bottom:1px solid rgba(127,127,127,.2)}
.rk .rk-file{font-weight:600;margin-left:.3em;word-break:break-all}
.rk .rk-where{opacity:.75;margin-left:.4em}
.rk .rk-score{float:right;opacity:.7;font-size:.86em;font-variant-numeric:tabular-nums;
  margin-left:.8em}
.rk .rk-snip{display:block;font-size:.92em;opacity:.9;margin:.2em 0 0 1.1em}
.rk details[open]>summary .rk-snip{display:none}
.rk .rk-body{padding:.5em .8em .6em}
.rk mark{background:rgba(255,190,0,.4);color:inherit;padding:0 .12em;border-radius:.2em}
.rk blockquote.rk-passage{margin:0;padding:.1em 0 .1em .85em;background:none;
  border-left:3px solid rgba(127,127,127,.4);white-space:pre-wrap;max-height:26em;
  overflow:auto;font-size:.94em}
.rk .rk-meta{font-size:.76em;opacity:.6;margin-top:.45em;font-family:monospace;
  word-break:break-all}
.rk .rk-foot{font-size:.76em;opacity:.6;margin-top:.6em}
.rk .rk-title{font-weight:600;margin:0 0 .4em}
.rk .rk-muted{opacity:.65}
.rk .rk-empty{opacity:.7;font-style:italic}
.rk table.rk-table{border-collapse:collapse;width:100%;font-size:.9em;margin:0}
.rk table.rk-table th{text-align:left;font-weight:600;padding:.35em .6em;
  border-bottom:1px solid rgba(127,127,127,.45);white-space:nowrap}
.rk table.rk-table td{text-align:left;vertical-align:top;padding:.35em .6em;
  border-bottom:1px solid rgba(127,127,127,.18);white-space:normal}
.rk table.rk-table tbody tr:nth-child(odd){background:none}
.rk table.rk-table tbody tr:hover{background:rgba(127,127,127,.08)}
.rk table.rk-table td.rk-n{text-align:right;font-variant-numeric:tabular-nums;
  white-space:nowrap}
.rk .rk-mini{display:inline-block;width:2.6em;height:.4em;border-radius:.2em;
  background:rgba(127,127,127,.22);margin-right:.45em;vertical-align:middle;overflow:hidden}
.rk .rk-mini>span{display:block;height:100%;background:#3f7fd9}
.rk details.rk-more>summary{cursor:pointer;font-size:.85em;opacity:.7;margin-top:.2em}
.rk details.rk-more blockquote.rk-passage{margin-top:.3em}
"""
