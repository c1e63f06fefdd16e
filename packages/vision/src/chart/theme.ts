// The look shared by every Convoy chart and figure, in Node (SVG, then PNG) and in the browser
// (the playground's live charts): matplotlib's first colours and its default font, DejaVu Sans,
// so the pictures sit naturally next to the textbook's matplotlib figures.

/** matplotlib's tab:blue and tab:orange, the first two colours of its default cycle. */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'] as const;

/** The font charts ask for. PNGs are drawn with DejaVu Sans from the dejavu-fonts-ttf package. */
export const CHART_FONT_FAMILY = "'DejaVu Sans', Verdana, sans-serif";

export const INK_COLOR = '#222222';
export const GRID_COLOR = '#e1e1e1';
export const AXIS_COLOR = '#6e6e6e';
export const BACKGROUND_COLOR = '#ffffff';

/** Text of titles, axis names and labels, legends. */
export const CHART_TEXT_STYLE = {
  fontFamily: CHART_FONT_FAMILY,
  color: INK_COLOR,
} as const;
