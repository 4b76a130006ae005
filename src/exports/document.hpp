// A report as data, independent of its file format: a title, who and when, and sections of
// paragraphs, charts (server-rendered SVG) and tables with typed cells. The impact report, the
// savings report, the foundation view and the research export build one of these; the PDF,
// XLSX and CSV writers render it. Keeping the report's content here means the three formats
// can never disagree about a figure.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace oploop::exports {

// How a column's numbers are written: an integer count, a number with `decimals`, a share
// 0..1 shown as a percentage, or money in euro cents.
enum class Kind { text, integer, number, percent, money_cents };

struct Column {
  std::string key;    // machine name: CSV header, stable across languages
  std::string label;  // shown in the PDF and as the XLSX header
  Kind kind = Kind::text;
  int decimals = 0;  // for Kind::number
};

// An empty cell (std::monostate) is "no value" (not computed, or suppressed), never zero.
using Cell = std::variant<std::monostate, std::string, long long, double>;

struct Table {
  std::string id;     // machine name: XLSX sheet name, CSV `table` value
  std::string title;  // caption
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::string note;  // a footnote under the table: how the figures were computed
};

struct Chart {
  std::string title;
  std::string svg;  // a complete <svg> document from charts/
};

struct Section {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<Chart> charts;
  std::vector<Table> tables;
};

struct Document {
  std::string title;         // "Impactrapportage"
  std::string organisation;  // the organisation's name (or "Alle organisaties")
  std::string period;        // as shown: "01-01-2026 t/m 31-12-2026"
  std::string generated_at;  // as shown: "02-12-2026 19:04" (Europe/Amsterdam)
  std::vector<Section> sections;
};

}  // namespace oploop::exports
