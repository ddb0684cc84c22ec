/** Library entry: `import { loadProfile, top } from 'pprof-doctor'`. A plain list of re-exports. */
export { FormatError, InputError, UserError } from './errors.js';
export { loadProfile, type LoadOptions, expandProfilePaths } from './input/load.js';
export { parseProfileBytes, type ParseOptions } from './input/detect.js';
export { decodePprof } from './input/pprof/decode.js';
export { parseTextProfile } from './input/text/index.js';
export { encodePprof } from './profile/encode.js';
export { validateProfile, assertValidProfile } from './profile/validate.js';
export type {
  FunctionInfo,
  InputFormat,
  Label,
  Line,
  Location,
  Mapping,
  PastedTable,
  Profile,
  SampleTable,
  SourceInfo,
  TableEdge,
  TableLine,
  TableRow,
  TextLack,
  ValueType,
} from './profile/model.js';
export { defaultSampleIndex, emptySamples } from './profile/model.js';
export { fetchProfile, isUrl, type FetchOptions, type FetchResult } from './fetch/resolve.js';
// pprof semantics (top / peek / traces), filters, units and pprof's text layouts.
export { top, type TopOptions, type TopReport, type TopRow } from './analysis/top.js';
export { peek, type PeekOptions, type PeekReport } from './analysis/peek.js';
export { traces, type TracesReport } from './analysis/traces.js';
export { prepare, resolveSampleIndex, computeTotal, type AnalysisOptions } from './analysis/prepare.js';
export type { Granularity } from './analysis/graph.js';
export { formatTop, formatPeek, formatTraces, topJson, type TextFormatOptions } from './report/pprof-text.js';
export { filterProfile, removeUninteresting, compileRegex, type NameFilters } from './profile/filter.js';
// Importing re2 also registers it as the regex engine of the filters.
export { re2 } from './profile/regex.js';
export { scale, scaledLabel, percentage } from './profile/units.js';
// Diagnosis: rules, engine, context inference, and the analysis report renderings.
export { analyzeProfiles, type AnalyzeInput, type AnalyzeOptions } from './diagnosis/engine.js';
export { loadRules, loadRuleDir, builtinRulesDir } from './diagnosis/load-rules-node.js';
export { parseRule, validateRule } from './diagnosis/rule-parse.js';
export { ruleSchema, type Rule, type Severity } from './diagnosis/schema.js';
export { inferContext, type ProcessInfo } from './diagnosis/context.js';
export type {
  AnalysisReport,
  Diagnosis,
  Evidence,
  Lens,
  Measure,
  MetricOut,
  OmittedAdvice,
  RemediationOut,
  RuledOut,
} from './diagnosis/report.js';
export { formatAnalysisText } from './report/analysis-text.js';
export { formatAnalysisJson, analysisJson } from './report/analysis-json.js';
export { renderReport, commandLine, REPORT_FORMATS, type ReportFormat, type RenderOptions } from './report/render.js';
// Comparing profiles over time: diff of two, trend across a series.
export { diff, type DiffOptions, type DiffReport, type DiffRow } from './analysis/diff.js';
export { trend, projectLimit, type TrendOptions, type TrendReport } from './analysis/trend.js';
export {
  trendGroups,
  type TrendGroup,
  type TrendGroupOptions,
  type TrendGroups,
  type TrendInput,
} from './analysis/trend-groups.js';
export { boundedGrowthFromRules, type BoundedGrowth } from './analysis/compare/bounded.js';
export { combineForDiff, checkComparable } from './analysis/compare/combine.js';
export { compareDiagnoses } from './analysis/compare/diagnosis.js';
export { formatDiffText } from './report/diff-text.js';
export { formatDiffJson } from './report/diff-json.js';
export { formatDiffMarkdown } from './report/diff-markdown.js';
export { formatDiffHtml } from './report/diff-html.js';
export { formatTrendText, formatTrendGroupsText } from './report/trend-text.js';
export { formatTrendJson, formatTrendGroupsJson } from './report/trend-json.js';
export { formatTrendMarkdown, formatTrendGroupsMarkdown } from './report/trend-markdown.js';
export { formatTrendHtml, formatTrendGroupsHtml } from './report/trend-html.js';
