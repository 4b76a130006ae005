// Charts for the impact report, a family's measurements and the PDF (issue 5 part 3): pure
// functions from data to an accessible SVG string, and the same data as a table model for
// the table shown next to every chart (HTML and PDF). No HTTP, no I/O.
//
// Every SVG: role="img" with <title> and <desc> referenced by aria-labelledby (ids made from
// the chart's id, so several charts can share a page); no script, no external references
// (patterns are defined inside the SVG); all text escaped; a fixed viewBox and no width or
// height, so it scales with CSS; the same input gives the same bytes. Series and categories
// never differ by colour alone: radar series also differ by line dash and marker shape and
// are named in a legend; bar segments carry a pattern and their values are written out with
// a symbol per category (↑ = ↓). Colours have at least 3:1 contrast on white (WCAG 1.4.11)
// and white text on them at least 4.5:1. No data gives a chart that says so, not an error.
//
// Text comes in already translated (data/i18n); numbers are written with the decimal
// separator of Labels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oploop::charts {

struct Labels {
  std::string title;
  std::string description;
  std::string no_data = "Geen gegevens";
  char decimal_separator = ',';
};

// A table next to a chart: header cells and rows. A cell with a number keeps it, so that
// XLSX can write a typed cell; text is the display form (decimal separator applied).
struct Cell {
  std::string text;
  std::optional<double> number;
};
struct TableModel {
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

// --- radar: a family's domain scores at baseline, interim and final ---
struct RadarSeries {
  std::string name;                           // "Start", "Tussenmeting", "Eindmeting"
  std::vector<std::optional<double>> values;  // one per axis; null = not measured
};
struct RadarChart {
  std::string id;  // [a-z0-9-], unique on the page
  Labels labels;
  std::string axis_name = "Levensdomein";  // table header of the axis column
  std::vector<std::string> axes;           // the life domains (9)
  double min = 1;
  double max = 4;
  std::vector<RadarSeries> series;  // up to 3; more are ignored
};
std::string radar_svg(const RadarChart& chart);
TableModel radar_table(const RadarChart& chart);

// Geometry (for the tests): the viewBox is kRadarSize × kRadarSize, the centre
// (kRadarCentreX, kRadarCentreY), radius kRadarRadius; axis 0 points up, the others follow
// clockwise; a value is clamped to [min, max] and min sits at the centre.
inline constexpr double kRadarSize = 640;
inline constexpr double kRadarCentreX = 320;
inline constexpr double kRadarCentreY = 300;
inline constexpr double kRadarRadius = 200;
struct Point {
  double x = 0;
  double y = 0;
};
Point radar_point(std::size_t axis, std::size_t axes, double value, double min, double max);

// --- horizontal stacked bars: % improved / same / worse per domain ---
struct ChangeBar {
  std::string label;  // the domain
  double improved = 0;
  double same = 0;
  double worse = 0;  // percentages, normally adding up to 100
  int n = 0;
};
struct ChangeBarChart {
  std::string id;
  Labels labels;
  std::string label_name = "Levensdomein";
  std::string improved_name = "Vooruit";
  std::string same_name = "Gelijk";
  std::string worse_name = "Achteruit";
  std::string n_name = "n";
  std::vector<ChangeBar> bars;
};
std::string change_bars_svg(const ChangeBarChart& chart);
TableModel change_bars_table(const ChangeBarChart& chart);

// --- funnel: referrals → intake → matched → closed ---
struct FunnelStep {
  std::string label;
  std::int64_t count = 0;
};
struct FunnelChart {
  std::string id;
  Labels labels;
  std::string step_name = "Stap";
  std::string count_name = "Aantal";
  std::string share_name = "% van vorige stap";
  std::vector<FunnelStep> steps;
};
std::string funnel_svg(const FunnelChart& chart);
TableModel funnel_table(const FunnelChart& chart);

// --- columns per month: contacts per month ---
struct MonthValue {
  std::string month;  // display label, e.g. "01-2026"
  double value = 0;
};
struct MonthlyChart {
  std::string id;
  Labels labels;
  std::string month_name = "Maand";
  std::string value_name = "Aantal";
  std::vector<MonthValue> months;
};
std::string monthly_svg(const MonthlyChart& chart);
TableModel monthly_table(const MonthlyChart& chart);

}  // namespace oploop::charts
