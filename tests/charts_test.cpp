// Charts (src/charts/charts.hpp): every SVG is well-formed XML (checked by the small parser
// below), accessible (role="img", <title> and <desc> referenced by aria-labelledby), free of
// scripts and external references, escapes its text, puts radar points where the geometry
// says, and draws a "no data" chart for empty input.
#include <cctype>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "charts/charts.hpp"
#include "core/text.hpp"

namespace oploop::charts {
namespace {

// A tiny XML well-formedness checker: one root element, properly nested tags, quoted and
// unique attributes, only the five predefined entities and numeric character references, no
// raw '<' or '&' in text. Returns an error message, or nothing when the document is fine.
struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
};

class XmlChecker {
 public:
  explicit XmlChecker(const std::string& text) : s_(text) {}

  std::optional<std::string> check() {
    skip_space();
    if (!element()) return error_;
    skip_space();
    if (i_ != s_.size()) return "content after the root element at " + std::to_string(i_);
    return std::nullopt;
  }
  const std::vector<Element>& elements() const { return elements_; }

 private:
  bool fail(const std::string& message) {
    if (error_.empty()) error_ = message + " at offset " + std::to_string(i_);
    return false;
  }
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
           c == '.';
  }
  std::string name() {
    const std::size_t start = i_;
    while (i_ < s_.size() && name_char(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  bool entity() {  // at '&'
    const std::size_t end = s_.find(';', i_);
    if (end == std::string::npos) return fail("unterminated entity");
    const std::string e = s_.substr(i_ + 1, end - i_ - 1);
    const bool numeric =
        e.size() > 1 && e[0] == '#' && e.find_first_not_of("0123456789", 1) == std::string::npos;
    if (!numeric && e != "amp" && e != "lt" && e != "gt" && e != "quot" && e != "apos") {
      return fail("unknown entity &" + e + ";");
    }
    i_ = end + 1;
    return true;
  }
  bool element() {
    if (i_ >= s_.size() || s_[i_] != '<') return fail("expected '<'");
    ++i_;
    Element el;
    el.name = name();
    if (el.name.empty()) return fail("empty tag name");
    for (;;) {
      skip_space();
      if (i_ >= s_.size()) return fail("unterminated tag");
      if (s_[i_] == '/' || s_[i_] == '>') break;
      std::string attribute = name();
      if (attribute.empty()) return fail("bad attribute name");
      for (const auto& [n, v] : el.attributes) {
        if (n == attribute) return fail("duplicate attribute " + attribute);
      }
      if (i_ >= s_.size() || s_[i_] != '=') return fail("expected '='");
      ++i_;
      if (i_ >= s_.size() || s_[i_] != '"') return fail("attribute value not quoted");
      ++i_;
      const std::size_t start = i_;
      while (i_ < s_.size() && s_[i_] != '"') {
        if (s_[i_] == '<') return fail("'<' in attribute value");
        if (s_[i_] == '&') {
          if (!entity()) return false;
        } else {
          ++i_;
        }
      }
      if (i_ >= s_.size()) return fail("unterminated attribute value");
      el.attributes.emplace_back(attribute, s_.substr(start, i_ - start));
      ++i_;
    }
    elements_.push_back(el);
    if (s_[i_] == '/') {
      if (i_ + 1 >= s_.size() || s_[i_ + 1] != '>') return fail("expected '/>'");
      i_ += 2;
      return true;
    }
    ++i_;  // '>'
    for (;;) {
      if (i_ >= s_.size()) return fail("unclosed <" + el.name + ">");
      if (s_[i_] == '<') {
        if (s_.compare(i_, 2, "</") == 0) {
          i_ += 2;
          const std::string closing = name();
          if (closing != el.name) return fail("</" + closing + "> closes <" + el.name + ">");
          skip_space();
          if (i_ >= s_.size() || s_[i_] != '>') return fail("expected '>'");
          ++i_;
          return true;
        }
        if (!element()) return false;
      } else if (s_[i_] == '&') {
        if (!entity()) return false;
      } else {
        ++i_;
      }
    }
  }

  const std::string& s_;
  std::size_t i_ = 0;
  std::string error_;
  std::vector<Element> elements_;
};

std::optional<std::string> attribute(const Element& e, const std::string& name) {
  for (const auto& [n, v] : e.attributes) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// Well-formed, accessible, self-contained.
void expect_accessible_svg(const std::string& svg, const std::string& id) {
  XmlChecker xml(svg);
  const auto problem = xml.check();
  ASSERT_FALSE(problem) << *problem << "\n" << svg;
  const auto& elements = xml.elements();
  ASSERT_FALSE(elements.empty());
  const Element& root = elements.front();
  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(attribute(root, "role"), "img");
  EXPECT_EQ(attribute(root, "aria-labelledby"), id + "-title " + id + "-desc");
  EXPECT_TRUE(attribute(root, "viewBox"));
  EXPECT_FALSE(attribute(root, "width")) << "fixed size would not scale with CSS";
  EXPECT_FALSE(attribute(root, "height"));
  ASSERT_GE(elements.size(), 3u);
  EXPECT_EQ(elements[1].name, "title");
  EXPECT_EQ(attribute(elements[1], "id"), id + "-title");
  EXPECT_EQ(elements[2].name, "desc");
  EXPECT_EQ(attribute(elements[2], "id"), id + "-desc");
  for (const Element& e : elements) {
    EXPECT_NE(e.name, "script");
    EXPECT_NE(e.name, "image");
    EXPECT_NE(e.name, "foreignObject");
    for (const auto& [n, v] : e.attributes) {
      EXPECT_FALSE(n.starts_with("on")) << "event handler " << n;
      EXPECT_FALSE(n == "href" || n == "xlink:href") << "reference " << v;
      if (v.find("url(") != std::string::npos) {
        EXPECT_TRUE(v.starts_with("url(#")) << "external url " << v;
      }
    }
  }
  EXPECT_EQ(svg.find("http://", svg.find("xmlns") + 40), std::string::npos);
}

Labels labels(const std::string& title) {
  return {title, "Beschrijving van " + title, "Geen gegevens", ','};
}

RadarChart nine_domains() {
  RadarChart chart{.id = "radar-1", .labels = labels("Gezin 12")};
  chart.axes = {"Gezondheid", "Financiën",    "Wonen",   "Opvoeding",      "Netwerk",
                "Werk",       "Dagbesteding", "Welzijn", "Zelfredzaamheid"};
  chart.min = 1;
  chart.max = 4;
  chart.series = {{"Start", {2, 2.5, 3, 1, 1.5, 2, 2, 3, 2.25}},
                  {"Tussenmeting", {2.5, 2.5, 3, 2, 2, std::nullopt, 2, 3, 2.5}},
                  {"Eindmeting", {3, 3, 3.5, 2.5, 2.5, 3, 3, 3.5, 3}}};
  return chart;
}

TEST(Charts, AllChartsAreWellFormedAndAccessible) {
  expect_accessible_svg(radar_svg(nine_domains()), "radar-1");

  ChangeBarChart bars{.id = "change", .labels = labels("Verandering")};
  bars.bars = {{"Gezondheid", 60, 30, 10, 20}, {"Wonen", 0, 100, 0, 5}, {"Werk", 0, 0, 0, 0}};
  expect_accessible_svg(change_bars_svg(bars), "change");

  FunnelChart funnel{.id = "funnel", .labels = labels("Trechter")};
  funnel.steps = {{"Aanmeldingen", 120}, {"Intake", 90}, {"Gekoppeld", 60}, {"Afgesloten", 0}};
  expect_accessible_svg(funnel_svg(funnel), "funnel");

  MonthlyChart monthly{.id = "contacts", .labels = labels("Contacten per maand")};
  for (int m = 1; m <= 14; ++m) monthly.months.push_back({std::to_string(m) + "-2026", m * 3.0});
  expect_accessible_svg(monthly_svg(monthly), "contacts");
  monthly.months.resize(5);
  expect_accessible_svg(monthly_svg(monthly), "contacts");
}

TEST(Charts, TextIsEscaped) {
  RadarChart chart = nine_domains();
  chart.labels.title = "Title <&> \"quoted\" 'single'";
  chart.labels.description = "<script>alert(1)</script>";
  chart.axes[0] = "<&>";
  chart.series[0].name = "a&b";
  const std::string svg = radar_svg(chart);
  expect_accessible_svg(svg, "radar-1");
  EXPECT_NE(svg.find("Title &lt;&amp;&gt; &quot;quoted&quot; &#39;single&#39;"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">&lt;&amp;&gt;</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<&>"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);

  ChangeBarChart bars{.id = "bars", .labels = labels("<&>")};
  bars.bars = {{"<&>", 50, 25, 25, 8}};
  const std::string bar_svg = change_bars_svg(bars);
  expect_accessible_svg(bar_svg, "bars");
  EXPECT_EQ(bar_svg.find("<&>"), std::string::npos);

  EXPECT_EQ(text::xml_escape(std::string("a\x01z")), "a z");
  RadarChart odd = nine_domains();
  odd.id = "Bad id\"><script>";
  expect_accessible_svg(radar_svg(odd), "bad-id---script-");
}

TEST(Charts, RadarPointsAreWhereTheGeometrySays) {
  // Four axes on a 0–4 scale: up, right, down, left; min at the centre, max on the rim.
  const Point top = radar_point(0, 4, 4, 0, 4);
  EXPECT_NEAR(top.x, kRadarCentreX, 1e-9);
  EXPECT_NEAR(top.y, kRadarCentreY - kRadarRadius, 1e-9);
  const Point right = radar_point(1, 4, 2, 0, 4);
  EXPECT_NEAR(right.x, kRadarCentreX + kRadarRadius / 2, 1e-9);
  EXPECT_NEAR(right.y, kRadarCentreY, 1e-9);
  const Point centre = radar_point(2, 4, 0, 0, 4);
  EXPECT_NEAR(centre.x, kRadarCentreX, 1e-9);
  EXPECT_NEAR(centre.y, kRadarCentreY, 1e-9);
  const Point clamped = radar_point(3, 4, 9, 0, 4);  // above max: on the rim
  EXPECT_NEAR(clamped.x, kRadarCentreX - kRadarRadius, 1e-9);
  EXPECT_NEAR(clamped.y, kRadarCentreY, 1e-9);

  RadarChart chart{.id = "r", .labels = labels("Vier")};
  chart.axes = {"A", "B", "C", "D"};
  chart.min = 0;
  chart.max = 4;
  chart.series = {{"Start", {4, 2, 0, 3}}};
  const std::string svg = radar_svg(chart);
  expect_accessible_svg(svg, "r");
  // 320,300 is the centre, radius 200: (320,100) (420,300) (320,300) (170,300).
  EXPECT_NE(svg.find("points=\"320.00,100.00 420.00,300.00 320.00,300.00 170.00,300.00\""),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<circle cx=\"420.00\" cy=\"300.00\""), std::string::npos);

  // Nine axes: axis 3 at 3 of 1–4 lies at angle -90° + 120°, two thirds out.
  const Point nine = radar_point(3, 9, 3, 1, 4);
  const double angle = (-90.0 + 120.0) * std::numbers::pi / 180;
  EXPECT_NEAR(nine.x, kRadarCentreX + kRadarRadius * 2 / 3 * std::cos(angle), 1e-9);
  EXPECT_NEAR(nine.y, kRadarCentreY + kRadarRadius * 2 / 3 * std::sin(angle), 1e-9);
}

TEST(Charts, EmptyDataDrawsANoDataChart) {
  RadarChart radar{.id = "r", .labels = labels("Leeg")};
  radar.labels.no_data = "Nog geen metingen";
  std::string svg = radar_svg(radar);
  expect_accessible_svg(svg, "r");
  EXPECT_NE(svg.find("Nog geen metingen"), std::string::npos);
  radar.axes = nine_domains().axes;
  radar.series = {{"Start", std::vector<std::optional<double>>(9)}};
  EXPECT_NE(radar_svg(radar).find("Nog geen metingen"), std::string::npos);

  ChangeBarChart bars{.id = "b", .labels = labels("Leeg")};
  svg = change_bars_svg(bars);
  expect_accessible_svg(svg, "b");
  EXPECT_NE(svg.find("Geen gegevens"), std::string::npos);

  FunnelChart funnel{.id = "f", .labels = labels("Leeg")};
  expect_accessible_svg(funnel_svg(funnel), "f");
  funnel.steps = {{"Aanmeldingen", 0}, {"Intake", 0}};
  svg = funnel_svg(funnel);
  expect_accessible_svg(svg, "f");
  EXPECT_NE(svg.find("Geen gegevens"), std::string::npos);

  MonthlyChart monthly{.id = "m", .labels = labels("Leeg")};
  svg = monthly_svg(monthly);
  expect_accessible_svg(svg, "m");
  EXPECT_NE(svg.find("Geen gegevens"), std::string::npos);
  monthly.months = {{"01-2026", 0}, {"02-2026", 0}};  // all zero: axis still drawn
  expect_accessible_svg(monthly_svg(monthly), "m");
}

TEST(Charts, OutputIsDeterministicAndSeriesDifferByMoreThanColour) {
  const std::string a = radar_svg(nine_domains());
  EXPECT_EQ(a, radar_svg(nine_domains()));
  EXPECT_NE(a.find("stroke-dasharray=\"8 4\""), std::string::npos);  // second series dashed
  EXPECT_NE(a.find("<rect x="), std::string::npos);                  // square markers
  EXPECT_NE(a.find(">Tussenmeting</text>"), std::string::npos);      // legend names it
  ChangeBarChart bars{.id = "b", .labels = labels("B")};
  bars.bars = {{"Wonen", 62.5, 25, 12.5, 8}};
  const std::string svg = change_bars_svg(bars);
  EXPECT_NE(svg.find("↑63% =25% ↓13% (n 8)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("url(#b-same)"), std::string::npos);
}

TEST(Charts, TableModelsCarryTheSameData) {
  const TableModel radar = radar_table(nine_domains());
  ASSERT_EQ(radar.headers.size(), 4u);
  EXPECT_EQ(radar.headers[0], "Levensdomein");
  EXPECT_EQ(radar.headers[2], "Tussenmeting");
  ASSERT_EQ(radar.rows.size(), 9u);
  EXPECT_EQ(radar.rows[1][0].text, "Financiën");
  EXPECT_EQ(radar.rows[1][1].text, "2,50");
  EXPECT_EQ(radar.rows[1][1].number, 2.5);
  EXPECT_EQ(radar.rows[5][2].text, "–");
  EXPECT_FALSE(radar.rows[5][2].number);

  FunnelChart funnel{.id = "f", .labels = labels("F")};
  funnel.labels.decimal_separator = '.';
  funnel.steps = {{"Referrals", 120}, {"Intake", 90}, {"Matched", 0}, {"Closed", 0}};
  const TableModel f = funnel_table(funnel);
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0][2].text, "–");
  EXPECT_EQ(f.rows[1][1].number, 90);
  EXPECT_EQ(f.rows[1][2].text, "75.0");
  EXPECT_EQ(f.rows[3][2].text, "–");  // previous step 0: no share

  ChangeBarChart bars{.id = "b", .labels = labels("B")};
  bars.bars = {{"Wonen", 62.5, 25, 12.5, 8}};
  const TableModel b = change_bars_table(bars);
  EXPECT_EQ(b.headers.size(), 5u);
  EXPECT_EQ(b.rows[0][1].number, 8);
  EXPECT_EQ(b.rows[0][2].text, "62,5");

  MonthlyChart monthly{.id = "m", .labels = labels("M")};
  monthly.months = {{"01-2026", 4}, {"02-2026", 7}};
  const TableModel m = monthly_table(monthly);
  EXPECT_EQ(m.rows[1][1].text, "7");
  EXPECT_EQ(m.rows[1][1].number, 7);
}

}  // namespace
}  // namespace oploop::charts
