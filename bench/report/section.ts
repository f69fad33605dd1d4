/** What a scenario's part of the report gets, and what it gives. */
import type { TopLevelSpec } from 'vega-lite';
import type { ScenarioResult } from '../scenario.ts';

export interface SectionContext {
  /** Renders `spec` to charts/<name>.svg; resolves to the Markdown image that shows it. */
  chart(name: string, spec: TopLevelSpec): Promise<string>;
}

export interface Section {
  title: string;
  /** What was measured and how, for the reader (the scenario's own description is too terse). */
  method: string;
  /** Markdown: tables and charts of the scenario's figures. */
  render(result: ScenarioResult, context: SectionContext): Promise<string>;
}
