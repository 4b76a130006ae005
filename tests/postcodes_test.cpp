// Postcode areas (issue 3, "Where people live"): distances between PC4 centres, and the CSV
// import on both engines — comma and semicolon files, the Dutch decimal comma, a byte order
// mark and CRLF, other column names and orders, a bad header, bad rows (all-or-nothing:
// nothing is written), the demo file — and `oploop import postcodes FILE` as the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/resources.hpp"
#include "geo/postcodes.hpp"
#include "support/oploop_process.hpp"
#include "support/test_app.hpp"
#include "support/test_databases.hpp"

namespace oploop::testing {
namespace {

using Areas = std::map<std::string, std::pair<double, double>>;

TEST(Distance, GreatCircleBetweenAreaCentres) {
  const geo::Coordinates a{52.0, 5.0};
  EXPECT_DOUBLE_EQ(geo::distance_km(a, a), 0.0);
  // One degree of latitude on a sphere of 6371 km: 111.19 km.
  EXPECT_NEAR(geo::distance_km(a, {53.0, 5.0}), 111.195, 0.001);
  EXPECT_NEAR(geo::distance_km(a, {52.0135, 5.0}), 1.501, 0.001);
  // A degree of longitude is shorter at 52° N (cos 52° ≈ 0.616).
  EXPECT_NEAR(geo::distance_km(a, {52.0, 6.0}), 68.46, 0.05);
  // Symmetric. Utrecht centre (3511) to Amsterdam centre (1011): about 35 km.
  const geo::Coordinates utrecht{52.0930, 5.1130}, amsterdam{52.3740, 4.9000};
  EXPECT_DOUBLE_EQ(geo::distance_km(utrecht, amsterdam), geo::distance_km(amsterdam, utrecht));
  EXPECT_NEAR(geo::distance_km(utrecht, amsterdam), 34.5, 1.0);
}

class Postcodes : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    if (!database_->available()) GTEST_SKIP() << database_->skip_reason();
  }
  Result<geo::ImportReport> import(const std::string& csv) {
    auto conn = database_->db().acquire();
    return geo::import_postcode_areas(*conn, csv);
  }
  Areas areas() {
    Areas out;
    auto conn = database_->db().acquire();
    for (const auto& r : conn->query("SELECT pc4, latitude, longitude FROM postcode_areas"))
      out[r.text(0)] = {r.real(1), r.real(2)};
    return out;
  }
  std::unique_ptr<TestDatabase> database_;
};

TEST_P(Postcodes, ImportsACommaSeparatedFile) {
  auto report = import(
      "pc4,latitude,longitude\n"
      "3511,52.0930,5.1130\n"
      "3512,52.0890,5.1230\n"
      "1011,52.3740,4.9000\n");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->rows, 3);
  EXPECT_EQ(report->skipped, 0);
  const Areas expected = {
      {"3511", {52.0930, 5.1130}}, {"3512", {52.0890, 5.1230}}, {"1011", {52.3740, 4.9000}}};
  EXPECT_EQ(areas(), expected);
  // What the matching reads: the area of a full postcode, none for an unknown one.
  auto conn = database_->db().acquire();
  auto area = geo::area_of(*conn, "3511AB");
  ASSERT_TRUE(area.has_value());
  EXPECT_DOUBLE_EQ(area->latitude, 52.0930);
  EXPECT_DOUBLE_EQ(area->longitude, 5.1130);
  EXPECT_FALSE(geo::area_of(*conn, "9999ZZ").has_value());
  EXPECT_FALSE(geo::area_of(*conn, "").has_value());
}

TEST_P(Postcodes, SemicolonsDecimalCommasByteOrderMarkAndCrlf) {
  auto report = import(
      "\xEF\xBB\xBFpc4;latitude;longitude\r\n"
      "3511;52,0930;5,1130\r\n"
      "\r\n"
      "\"3512\";\"52,089\";\"5,123\"\r\n");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->rows, 2);
  EXPECT_EQ(areas(), (Areas{{"3511", {52.093, 5.113}}, {"3512", {52.089, 5.123}}}));
}

TEST_P(Postcodes, OtherColumnNamesOrderAndExtraColumns) {
  auto report = import(
      "gemeente,LNG,Lat,Postcode,inwoners\n"
      "Utrecht,5.1130,52.0930,3511,12000\n"
      "\"Utrecht, centrum\",5.1230,52.0890,3512,9000\n");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(areas(), (Areas{{"3511", {52.093, 5.113}}, {"3512", {52.089, 5.123}}}));
}

TEST_P(Postcodes, ImportingAgainUpdatesAreas) {
  ASSERT_TRUE(import("pc4,latitude,longitude\n3511,52.0,5.0\n3512,52.1,5.1\n").has_value());
  auto report = import("pc4,latitude,longitude\n3511,52.5,5.5\n");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->rows, 1);
  EXPECT_EQ(areas(), (Areas{{"3511", {52.5, 5.5}}, {"3512", {52.1, 5.1}}}));
}

TEST_P(Postcodes, ABadHeaderOrAnEmptyFileIsRefused) {
  for (const std::string header :
       {"code,latitude,longitude", "pc4,lat", "pc4,x,y", "postcode latitude longitude"}) {
    auto r = import(header + "\n3511,52.0930,5.1130\n");
    ASSERT_FALSE(r.has_value()) << header;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().fields,
              (std::map<std::string, std::string>{{"header", "postcodes.header"}}))
        << header;
  }
  auto empty = import("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().fields,
            (std::map<std::string, std::string>{{"file", "postcodes.empty"}}));
  EXPECT_TRUE(areas().empty());
}

TEST_P(Postcodes, ABadRowFailsTheWholeImportAndWritesNothing) {
  ASSERT_TRUE(import("pc4,latitude,longitude\n1000,52.0,5.0\n").has_value());
  const Areas before = areas();
  const std::vector<std::string> bad_rows = {
      "351,52.1,5.1",     // three digits
      "0351,52.1,5.1",    // no Dutch postcode starts with 0
      "35A1,52.1,5.1",    // not a number
      "3511AB,52.1,5.1",  // a full postcode, not an area
      "3511,abc,5.1",     // latitude not a number
      "3511,52.1x,5.1",   // trailing rubbish
      "3511,,5.1",        // empty
      "3511,52.1",        // a column short
      "3511,nan,5.1",     // not finite
      "3511,inf,5.1",     //
      "3511,48.85,2.35",  // Paris: outside the Netherlands
      "3511,52.1,7.9",    // east of the border
  };
  for (const auto& row : bad_rows) {
    SCOPED_TRACE(row);
    // The update of 1000 and the new 1001 come before the bad row (line 4): neither is kept.
    auto r = import("pc4,latitude,longitude\n1000,52.5,5.5\n1001,52.0135,5.0\n" + row + "\n");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().fields,
              (std::map<std::string, std::string>{{"line 4", "postcodes.bad_row"}}));
    EXPECT_EQ(areas(), before);
  }
}

TEST_P(Postcodes, TheShippedDemoFileImports) {
  const std::string csv = read_text_file(resource_path("data/postcodes/demo-pc4.csv"));
  int lines = 0;
  for (char ch : csv) lines += ch == '\n';
  auto report = import(csv);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->rows, lines - 1);
  EXPECT_EQ(static_cast<int>(areas().size()), lines - 1);
  EXPECT_TRUE(areas().count("3511"));
}

// `oploop --db URL import postcodes FILE`: exit 0 and the count; a bad file exit 1 with the
// line named, nothing written; a missing file a usage error.
TEST_P(Postcodes, CommandLineImport) {
  if (!std::filesystem::exists(oploop_binary()))
    GTEST_SKIP() << "oploop binary not found at " << oploop_binary() << " (set OPLOOP_BIN)";
  TempDir dir;
  const Environment env = {{"OPLOOP_SECRET_KEY_FILE", dir.file("secret.key")}};
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name)) << text;
    return dir.file(name);
  };
  const std::string good =
      write("good.csv", "pc4;latitude;longitude\n3511;52,093;5,113\n1011;52,374;4,9\n");
  const std::string bad = write("bad.csv", "pc4,latitude,longitude\n3512,52.089,5.123\nxxxx,1,2\n");
  const std::string url = database_->url();

  auto ok = run_oploop({"--db", url, "import", "postcodes", good}, "", env);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "2 postcode areas imported\n");
  EXPECT_EQ(areas(), (Areas{{"3511", {52.093, 5.113}}, {"1011", {52.374, 4.9}}}));

  auto refused = run_oploop({"--db", url, "import", "postcodes", bad}, "", env);
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("line 3"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("This row has no valid postcode or coordinates."), std::string::npos)
      << refused.err;
  EXPECT_EQ(areas().size(), 2u);
  EXPECT_FALSE(areas().count("3512"));

  auto missing = run_oploop({"--db", url, "import", "postcodes", dir.file("nope.csv")}, "", env);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.exit_code, 1) << "a usage error, not a refused file: " << missing.err;
  EXPECT_EQ(areas().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, Postcodes, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing
