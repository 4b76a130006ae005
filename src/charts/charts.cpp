#include "charts/charts.hpp"

#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace oploop::charts {

namespace {

constexpr std::string_view kInk = "#1a1a1a";   // text: 17:1 on white
constexpr std::string_view kGrid = "#767676";  // grid and axes: 4.5:1 on white

struct SeriesStyle {
  std::string_view colour;  // ≥ 3:1 on white
  std::string_view dash;
  int marker;  // 0 circle, 1 square, 2 triangle
};
constexpr std::array<SeriesStyle, 3> kSeries = {{
    {"#1f5f99", "", 0},     // blue, solid, circles
    {"#b35900", "8 4", 1},  // dark orange, dashed, squares
    {"#5b2a86", "2 3", 2},  // purple, dotted, triangles
}};

constexpr std::string_view kImproved = "#1b7837";  // green
constexpr std::string_view kSame = "#5f5f5f";      // grey
constexpr std::string_view kWorse = "#b2182b";     // red
constexpr std::string_view kBar = "#1f5f99";

std::string safe_id(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out += ok ? c : '-';
  }
  return out.empty() ? "chart" : out;
}

// Coordinates: two decimals, always a dot (SVG syntax).
std::string xy(double v) {
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") s = "0.00";
  return s;
}

// A number for people: fixed decimals, halves rounded away from zero (62.5 → 63, as people
// expect; printf would give 62), with the locale's separator.
std::string display(double v, int decimals, char separator) {
  const double scale = std::pow(10.0, decimals);
  std::string s = fmt::format("{:.{}f}", std::round(v * scale) / scale, decimals);
  if (s.starts_with('-') && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  for (char& c : s) {
    if (c == '.') c = separator;
  }
  return s;
}

std::string open_svg(const std::string& id, const Labels& labels, double width, double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"{}-title {}-desc\" class=\"chart\" font-family=\"sans-serif\" "
      "font-size=\"14\" fill=\"{}\">\n<title id=\"{}-title\">{}</title>\n<desc "
      "id=\"{}-desc\">{}</desc>\n",
      xy(width), xy(height), id, id, kInk, id, text::xml_escape(labels.title), id,
      text::xml_escape(labels.description));
}

std::string text(double x, double y, std::string_view content, std::string_view anchor = "start",
                 std::string_view extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", xy(x), xy(y),
                     anchor, extra, text::xml_escape(content));
}

std::string no_data_svg(const std::string& id, const Labels& labels, double width, double height) {
  std::string svg = open_svg(id, labels, width, height);
  svg += fmt::format(
      "<rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" "
      "stroke-dasharray=\"6 4\"/>\n",
      xy(width - 2), xy(height - 2), kGrid);
  svg += text(width / 2, height / 2, labels.no_data, "middle", " class=\"no-data\"");
  return svg + "</svg>\n";
}

std::string marker(int shape, Point p, std::string_view colour) {
  switch (shape) {
    case 1:
      return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"{}\"/>\n",
                         xy(p.x - 4.5), xy(p.y - 4.5), colour);
    case 2:
      return fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"/>\n", xy(p.x),
                         xy(p.y - 6), xy(p.x + 5.5), xy(p.y + 4), xy(p.x - 5.5), xy(p.y + 4),
                         colour);
    default:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/>\n", xy(p.x), xy(p.y),
                         colour);
  }
}

Cell number_cell(double v, int decimals, char separator) {
  return {display(v, decimals, separator), v};
}

// A round upper bound for a value axis: 1, 2 or 5 × 10^k steps, four to five of them.
std::pair<double, double> nice_axis(double max) {
  if (!(max > 0)) return {1, 0.25};
  const double raw = max / 4;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  return {std::ceil(max / step - 1e-9) * step, step};
}

}  // namespace

// --- radar ---

Point radar_point(std::size_t axis, std::size_t axes, double value, double min, double max) {
  const double angle =
      -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(axis) /
                                  static_cast<double>(std::max<std::size_t>(axes, 1));
  double fraction = max > min ? (value - min) / (max - min) : 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  return {kRadarCentreX + kRadarRadius * fraction * std::cos(angle),
          kRadarCentreY + kRadarRadius * fraction * std::sin(angle)};
}

std::string radar_svg(const RadarChart& chart) {
  const std::string id = safe_id(chart.id);
  const std::size_t axes = chart.axes.size();
  const std::size_t series = std::min<std::size_t>(chart.series.size(), kSeries.size());
  bool any = false;
  for (std::size_t s = 0; s < series; ++s) {
    for (std::size_t a = 0; a < std::min(axes, chart.series[s].values.size()); ++a) {
      any = any || chart.series[s].values[a].has_value();
    }
  }
  if (axes < 3 || !any || !(chart.max > chart.min)) {
    return no_data_svg(id, chart.labels, kRadarSize, kRadarSize);
  }
  std::string svg = open_svg(id, chart.labels, kRadarSize, kRadarSize);
  const char sep = chart.labels.decimal_separator;

  // Rings: one per whole scale point when there are at most 10, else four.
  const double span = chart.max - chart.min;
  const bool whole = span <= 10 && std::floor(span) == span;
  const int rings = whole ? static_cast<int>(span) : 4;
  svg += "<g class=\"grid\" fill=\"none\" stroke=\"" + std::string(kGrid) + "\">\n";
  for (int r = 1; r <= rings; ++r) {
    const double value = chart.min + span * r / rings;
    std::string points;
    for (std::size_t a = 0; a < axes; ++a) {
      const Point p = radar_point(a, axes, value, chart.min, chart.max);
      points += (a ? " " : "") + xy(p.x) + "," + xy(p.y);
    }
    svg += fmt::format("<polygon points=\"{}\" stroke-width=\"{}\"/>\n", points,
                       r == rings ? "1.5" : "0.75");
  }
  for (std::size_t a = 0; a < axes; ++a) {
    const Point p = radar_point(a, axes, chart.max, chart.min, chart.max);
    svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"0.75\"/>\n",
                       xy(kRadarCentreX), xy(kRadarCentreY), xy(p.x), xy(p.y));
  }
  svg += "</g>\n<g class=\"scale\" font-size=\"11\">\n";
  for (int r = 0; r <= rings; ++r) {
    const double value = chart.min + span * r / rings;
    const Point p = radar_point(0, axes, value, chart.min, chart.max);
    svg += text(p.x + 4, p.y - 3, display(value, whole ? 0 : 1, sep));
  }
  svg += "</g>\n<g class=\"axes\">\n";
  for (std::size_t a = 0; a < axes; ++a) {
    const double angle = -std::numbers::pi / 2 +
                         2 * std::numbers::pi * static_cast<double>(a) / static_cast<double>(axes);
    const double c = std::cos(angle);
    const double s = std::sin(angle);
    const double x = kRadarCentreX + (kRadarRadius + 14) * c;
    const double y = kRadarCentreY + (kRadarRadius + 14) * s + 5 + (s > 0.3 ? 8 : 0);
    svg += text(x, y, chart.axes[a], c > 0.2 ? "start" : (c < -0.2 ? "end" : "middle"));
  }
  svg += "</g>\n";

  for (std::size_t s = 0; s < series; ++s) {
    const RadarSeries& data = chart.series[s];
    const SeriesStyle& style = kSeries[s];
    std::vector<Point> present;
    for (std::size_t a = 0; a < std::min(axes, data.values.size()); ++a) {
      if (data.values[a])
        present.push_back(radar_point(a, axes, *data.values[a], chart.min, chart.max));
    }
    // The series' name as an SVG <title> (a tooltip): aria-label is not allowed on a plain <g>.
    svg += fmt::format("<g class=\"series series-{}\"><title>{}</title>\n", s,
                       text::xml_escape(data.name));
    if (present.size() >= 2) {
      std::string points;
      for (std::size_t i = 0; i < present.size(); ++i) {
        points += (i ? " " : "") + xy(present[i].x) + "," + xy(present[i].y);
      }
      svg += fmt::format(
          "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.1\" stroke=\"{}\" "
          "stroke-width=\"2.5\"{}/>\n",
          points, style.colour, style.colour,
          style.dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", style.dash));
    }
    for (const Point& p : present) svg += marker(style.marker, p, style.colour);
    svg += "</g>\n";
  }

  // Legend: line style, marker and name, so no series depends on colour.
  svg += "<g class=\"legend\">\n";
  const double width = 180;
  const double left = kRadarSize / 2 - width * static_cast<double>(series) / 2;
  for (std::size_t s = 0; s < series; ++s) {
    const SeriesStyle& style = kSeries[s];
    const double x = left + width * static_cast<double>(s);
    const double y = 600;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n",
        xy(x), xy(y), xy(x + 36), xy(y), style.colour,
        style.dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", style.dash));
    svg += marker(style.marker, {x + 18, y}, style.colour);
    svg += text(x + 44, y + 5, chart.series[s].name);
  }
  svg += "</g>\n";
  return svg + "</svg>\n";
}

TableModel radar_table(const RadarChart& chart) {
  TableModel table;
  const std::size_t series = std::min<std::size_t>(chart.series.size(), kSeries.size());
  table.headers.push_back(chart.axis_name);
  for (std::size_t s = 0; s < series; ++s) table.headers.push_back(chart.series[s].name);
  for (std::size_t a = 0; a < chart.axes.size(); ++a) {
    std::vector<Cell> row{{chart.axes[a], std::nullopt}};
    for (std::size_t s = 0; s < series; ++s) {
      const auto& values = chart.series[s].values;
      if (a < values.size() && values[a]) {
        row.push_back(number_cell(*values[a], 2, chart.labels.decimal_separator));
      } else {
        row.push_back({"–", std::nullopt});
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// --- stacked bars ---

std::string change_bars_svg(const ChangeBarChart& chart) {
  const std::string id = safe_id(chart.id);
  constexpr double width = 760;
  constexpr double row = 36;
  constexpr double top = 56;
  constexpr double bar_left = 220;
  constexpr double bar_width = 340;
  const double height = top + row * static_cast<double>(chart.bars.size()) + 12;
  if (chart.bars.empty()) return no_data_svg(id, chart.labels, width, 200);
  const char sep = chart.labels.decimal_separator;
  std::string svg = open_svg(id, chart.labels, width, height);
  // Patterns: improved solid, same striped, worse dotted.
  svg += fmt::format(
      "<defs>\n<pattern id=\"{0}-same\" patternUnits=\"userSpaceOnUse\" width=\"8\" "
      "height=\"8\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" "
      "fill=\"{1}\"/><rect width=\"3\" height=\"8\" fill=\"#ffffff\" "
      "fill-opacity=\"0.45\"/></pattern>\n<pattern id=\"{0}-worse\" "
      "patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\" "
      "fill=\"{2}\"/><circle cx=\"4\" cy=\"4\" r=\"1.8\" fill=\"#ffffff\" "
      "fill-opacity=\"0.6\"/></pattern>\n</defs>\n",
      id, kSame, kWorse);
  const std::array<std::string, 3> fills = {std::string(kImproved), "url(#" + id + "-same)",
                                            "url(#" + id + "-worse)"};
  const std::array<std::string, 3> names = {"↑ " + chart.improved_name, "= " + chart.same_name,
                                            "↓ " + chart.worse_name};
  svg += "<g class=\"legend\">\n";
  for (int k = 0; k < 3; ++k) {
    const double x = bar_left + 130.0 * k;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"14\" width=\"18\" height=\"18\" fill=\"{}\" stroke=\"{}\"/>\n", xy(x),
        fills[k], kInk);
    svg += text(x + 24, 28, names[k]);
  }
  svg += "</g>\n";
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const ChangeBar& bar = chart.bars[i];
    const double y = top + row * static_cast<double>(i);
    svg += fmt::format("<g class=\"bar\">\n");
    svg += text(bar_left - 10, y + 18, bar.label, "end");
    const std::array<double, 3> parts = {std::max(0.0, bar.improved), std::max(0.0, bar.same),
                                         std::max(0.0, bar.worse)};
    const double total = parts[0] + parts[1] + parts[2];
    double x = bar_left;
    if (total > 0) {
      for (int k = 0; k < 3; ++k) {
        const double w = bar_width * parts[k] / total;
        if (w <= 0) continue;
        svg += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" fill=\"{}\" stroke=\"#ffffff\" "
            "stroke-width=\"1\"/>\n",
            xy(x), xy(y + 2), xy(w), fills[k]);
        x += w;
      }
    } else {
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" fill=\"none\" stroke=\"{}\" "
          "stroke-dasharray=\"4 3\"/>\n",
          xy(bar_left), xy(y + 2), xy(bar_width), kGrid);
    }
    svg += text(
        bar_left + bar_width + 10, y + 18,
        fmt::format("↑{}% ={}% ↓{}% ({} {})", display(bar.improved, 0, sep),
                    display(bar.same, 0, sep), display(bar.worse, 0, sep), chart.n_name, bar.n),
        "start", " font-size=\"13\"");
    svg += "</g>\n";
  }
  return svg + "</svg>\n";
}

TableModel change_bars_table(const ChangeBarChart& chart) {
  TableModel table;
  const char sep = chart.labels.decimal_separator;
  table.headers = {chart.label_name, chart.n_name, "% " + chart.improved_name,
                   "% " + chart.same_name, "% " + chart.worse_name};
  for (const ChangeBar& bar : chart.bars) {
    table.rows.push_back({{bar.label, std::nullopt},
                          number_cell(bar.n, 0, sep),
                          number_cell(bar.improved, 1, sep),
                          number_cell(bar.same, 1, sep),
                          number_cell(bar.worse, 1, sep)});
  }
  return table;
}

// --- funnel ---

std::string funnel_svg(const FunnelChart& chart) {
  const std::string id = safe_id(chart.id);
  constexpr double width = 760;
  constexpr double row = 58;
  constexpr double centre = 460;
  constexpr double widest = 380;
  std::int64_t most = 0;
  for (const FunnelStep& step : chart.steps) most = std::max(most, step.count);
  if (chart.steps.empty() || most <= 0) return no_data_svg(id, chart.labels, width, 200);
  const char sep = chart.labels.decimal_separator;
  const double height = row * static_cast<double>(chart.steps.size()) + 16;
  std::string svg = open_svg(id, chart.labels, width, height);
  for (std::size_t i = 0; i < chart.steps.size(); ++i) {
    const FunnelStep& step = chart.steps[i];
    const double y = 8 + row * static_cast<double>(i);
    const double w =
        std::max(2.0, widest * static_cast<double>(std::max<std::int64_t>(step.count, 0)) /
                          static_cast<double>(most));
    svg += "<g class=\"step\">\n";
    svg += text(20, y + 26, step.label);
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"40\" fill=\"{}\"/>\n",
                       xy(centre - w / 2), xy(y), xy(w), kBar);
    std::string figure = std::to_string(step.count);
    if (i > 0 && chart.steps[i - 1].count > 0) {
      figure += " (" +
                display(100.0 * static_cast<double>(step.count) /
                            static_cast<double>(chart.steps[i - 1].count),
                        0, sep) +
                "%)";
    }
    svg += text(centre + widest / 2 + 14, y + 26, figure);
    svg += "</g>\n";
  }
  return svg + "</svg>\n";
}

TableModel funnel_table(const FunnelChart& chart) {
  TableModel table;
  const char sep = chart.labels.decimal_separator;
  table.headers = {chart.step_name, chart.count_name, chart.share_name};
  for (std::size_t i = 0; i < chart.steps.size(); ++i) {
    const FunnelStep& step = chart.steps[i];
    std::vector<Cell> row = {{step.label, std::nullopt},
                             number_cell(static_cast<double>(step.count), 0, sep)};
    if (i > 0 && chart.steps[i - 1].count > 0) {
      row.push_back(number_cell(
          100.0 * static_cast<double>(step.count) / static_cast<double>(chart.steps[i - 1].count),
          1, sep));
    } else {
      row.push_back({"–", std::nullopt});
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// --- monthly columns ---

std::string monthly_svg(const MonthlyChart& chart) {
  const std::string id = safe_id(chart.id);
  constexpr double width = 760;
  constexpr double height = 380;
  constexpr double left = 64;
  constexpr double right = 744;
  constexpr double top = 24;
  constexpr double bottom = 300;
  if (chart.months.empty()) return no_data_svg(id, chart.labels, width, height);
  const char sep = chart.labels.decimal_separator;
  double most = 0;
  bool whole = true;
  for (const MonthValue& m : chart.months) {
    most = std::max(most, m.value);
    whole = whole && std::floor(m.value) == m.value;
  }
  const auto [axis_max, step] = nice_axis(most);
  const int decimals = whole && std::floor(step) == step ? 0 : 1;
  std::string svg = open_svg(id, chart.labels, width, height);
  svg += "<g class=\"grid\" font-size=\"12\">\n";
  for (double v = 0; v <= axis_max + step / 2; v += step) {
    const double y = bottom - (bottom - top) * v / axis_max;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
        xy(left), xy(y), xy(right), xy(y), kGrid, v == 0 ? "1.5" : "0.5");
    svg += text(left - 8, y + 4, display(v, decimals, sep), "end");
  }
  svg += "</g>\n";
  const std::size_t n = chart.months.size();
  const double slot = (right - left) / static_cast<double>(n);
  const double column = slot * 0.7;
  const bool rotate = n > 12;
  for (std::size_t i = 0; i < n; ++i) {
    const MonthValue& m = chart.months[i];
    const double x = left + slot * static_cast<double>(i) + (slot - column) / 2;
    const double h = (bottom - top) * std::max(0.0, m.value) / axis_max;
    svg += "<g class=\"month\">\n";
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", xy(x),
                       xy(bottom - h), xy(column), xy(h), kBar);
    if (n <= 24) {
      svg += text(x + column / 2, bottom - h - 5, display(m.value, decimals, sep), "middle",
                  " font-size=\"12\"");
    }
    const double lx = x + column / 2;
    const double ly = bottom + 18;
    svg +=
        rotate
            ? text(lx, ly, m.month, "end",
                   fmt::format(" font-size=\"12\" transform=\"rotate(-45 {} {})\"", xy(lx), xy(ly)))
            : text(lx, ly, m.month, "middle", " font-size=\"12\"");
    svg += "</g>\n";
  }
  return svg + "</svg>\n";
}

TableModel monthly_table(const MonthlyChart& chart) {
  TableModel table;
  table.headers = {chart.month_name, chart.value_name};
  bool whole = true;
  for (const MonthValue& m : chart.months) whole = whole && std::floor(m.value) == m.value;
  for (const MonthValue& m : chart.months) {
    table.rows.push_back({{m.month, std::nullopt},
                          number_cell(m.value, whole ? 0 : 1, chart.labels.decimal_separator)});
  }
  return table;
}

}  // namespace oploop::charts
