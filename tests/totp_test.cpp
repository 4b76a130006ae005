#include "auth/totp.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace oploop::auth {
namespace {

using std::chrono::seconds;

// RFC 6238 appendix B: the SHA-1 seed is the ASCII text "12345678901234567890".
const std::string kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TimePoint at(std::int64_t unix_seconds) { return TimePoint(seconds(unix_seconds)); }

struct Vector {
  std::int64_t time;
  std::string eight_digits;  // as printed in the RFC
};

// The RFC prints 8-digit codes; a 6-digit code is the same number mod 10^6, its last 6 digits.
// Its last vector (t = 20000000000, the year 2603) lies beyond system_clock's nanosecond range.
const std::vector<Vector> kRfcVectors = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"},
};

TEST(Totp, MatchesRfc6238Sha1Vectors) {
  for (const auto& v : kRfcVectors) {
    const std::string six = v.eight_digits.substr(2);
    EXPECT_EQ(totp_code(kRfcSecret, at(v.time)), six) << "t=" << v.time;
    EXPECT_EQ(verify_totp(kRfcSecret, six, at(v.time)), v.time / 30) << "t=" << v.time;
  }
}

TEST(Totp, AcceptsOneStepEitherSideAndReportsTheCodesStep) {
  const std::int64_t t = 1234567890;
  const std::int64_t step = t / 30;
  const std::string code = totp_code(kRfcSecret, at(t));
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(t + 30)), step);  // code from the previous step
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(t - 30)), step);  // clock of the phone ahead
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(t + 60)), std::nullopt);
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(t - 60)), std::nullopt);
}

TEST(Totp, StepBoundariesFollowThirtySecondWindows) {
  const std::int64_t start = 1111111110;  // a multiple of 30
  const std::string code = totp_code(kRfcSecret, at(start));
  EXPECT_EQ(totp_code(kRfcSecret, at(start + 29)), code);
  EXPECT_NE(totp_code(kRfcSecret, at(start + 30)), code);
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(start + 59)), start / 30);    // one step later
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(start + 60)), std::nullopt);  // two steps later
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(start - 30)), start / 30);    // one step earlier
  EXPECT_EQ(verify_totp(kRfcSecret, code, at(start - 31)), std::nullopt);  // two steps earlier
}

TEST(Totp, ToleratesBlanksAroundAndTheAppsGrouping) {
  const auto now = at(59);
  EXPECT_EQ(verify_totp(kRfcSecret, " 287082 ", now), 1);
  EXPECT_EQ(verify_totp(kRfcSecret, "\t287082", now), 1);
  EXPECT_EQ(verify_totp(kRfcSecret, "287 082", now), 1);
}

TEST(Totp, RefusesMalformedCodes) {
  const auto now = at(59);
  for (const std::string& bad : std::vector<std::string>{
           "", "28708", "2870820", "94287082", "28708a", "287-082", "28 7082", "2870 82", "+287082",
           "287082\n", "２８７０８２", std::string("287082\0", 7), "0x1234", "      "}) {
    EXPECT_EQ(verify_totp(kRfcSecret, bad, now), std::nullopt) << "code: " << bad;
  }
  EXPECT_EQ(verify_totp(kRfcSecret, "000000", now), std::nullopt);
}

TEST(Totp, RefusesWithABrokenSecret) {
  EXPECT_EQ(verify_totp("", "287082", at(59)), std::nullopt);
  EXPECT_EQ(verify_totp("not base32!", "287082", at(59)), std::nullopt);
  EXPECT_EQ(verify_totp(kRfcSecret, "287082", at(-100)), std::nullopt);
}

TEST(TotpSecret, IsTwentyRandomBytesInUnpaddedBase32) {
  const std::string a = new_totp_secret();
  const std::string b = new_totp_secret();
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(a, std::regex("[A-Z2-7]{32}"))) << a;
  // A fresh secret works end to end.
  const auto now = at(1700000000);
  EXPECT_EQ(verify_totp(a, totp_code(a, now), now), 1700000000 / 30);
}

TEST(TotpUri, HasTheKeyUriFormatWithPercentEncoding) {
  EXPECT_EQ(totp_uri("JBSWY3DPEHPK3PXP", "jan@example.org"),
            "otpauth://totp/Oploop:jan@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Oploop"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(totp_uri("JBSWY3DPEHPK3PXP", "a b:c&d=é", "Stichting A&B"),
            "otpauth://totp/Stichting%20A%26B:a%20b%3Ac%26d%3D%C3%A9?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Stichting%20A%26B&algorithm=SHA1&digits=6&period=30");
}

// The dark modules drawn by the SVG path "M{x} {y}h{n}v1h-{n}z…", as a set of (x, y).
std::set<std::pair<int, int>> modules_in_path(const std::string& d) {
  std::set<std::pair<int, int>> cells;
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::size_t consumed = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator();
       ++it) {
    EXPECT_EQ(static_cast<std::size_t>(it->position()), consumed) << "unexpected path data";
    consumed += it->length();
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), n = std::stoi((*it)[3]);
    EXPECT_EQ(n, std::stoi((*it)[4]));
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(cells.insert({x + i, y}).second) << "overlap";
    }
  }
  EXPECT_EQ(consumed, d.size()) << "unexpected path data";
  return cells;
}

struct Svg {
  std::string text;
  int size = 0;
  std::set<std::pair<int, int>> dark;
};

Svg parse_svg(const std::string& svg) {
  Svg out{svg, 0, {}};
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re")));
  if (!m.empty()) {
    out.size = std::stoi(m[1]);
    EXPECT_EQ(m[1], m[2]);
  }
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"re(<path fill="#000" d="([^"]*)"/>)re")));
  if (!m.empty()) {
    out.dark = modules_in_path(m[1]);
  }
  return out;
}

TEST(QrSvg, IsOneAccessibleSvgWithOnePath) {
  const std::string svg =
      qr_svg(totp_uri(kRfcSecret, "jan@example.org"), "QR-code <voor> \"Jan\" & co");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" ")) << svg;
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"200\" height=\"200\""), std::string::npos);
  EXPECT_NE(svg.find("<title>QR-code &lt;voor&gt; &quot;Jan&quot; &amp; co</title>"),
            std::string::npos)
      << svg;
  EXPECT_EQ(svg.find("<voor>"), std::string::npos);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = svg.find(needle); p != std::string::npos; p = svg.find(needle, p + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("<path"), 1u);
  EXPECT_EQ(count("<rect"), 1u);  // the white background only
}

TEST(QrSvg, DrawsExactlyTheModulesOfTheQrCodeWithAQuietZone) {
  const std::string text = totp_uri(new_totp_secret(), "marieke@example.org");
  const Svg svg = parse_svg(qr_svg(text, "QR"));
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  ASSERT_NE(qr, nullptr);
  std::set<std::pair<int, int>> expected;
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if (qr->data[y * qr->width + x] & 1) {
        expected.insert({x + 4, y + 4});
      }
    }
  }
  EXPECT_EQ(svg.size, qr->width + 8);
  QRcode_free(qr);
  EXPECT_EQ(svg.dark, expected);
}

TEST(QrSvg, RefusesTextThatCannotBeEncoded) {
  EXPECT_THROW(qr_svg("", "QR"), std::invalid_argument);
  EXPECT_THROW(qr_svg(std::string(5000, 'x'), "QR"), std::invalid_argument);
}

// End to end: rasterise the SVG's modules to a PBM image and let zbar read it back.
TEST(QrSvg, DecodesWithZbar) {
  if (!std::filesystem::exists("/usr/bin/zbarimg")) {
    GTEST_SKIP() << "zbarimg not installed (Debian zbar-tools)";
  }
  const std::string text = totp_uri(new_totp_secret(), "jan@example.org", "Oploop Test");
  const Svg svg = parse_svg(qr_svg(text, "QR"));
  ASSERT_GT(svg.size, 0);
  constexpr int scale = 4;
  const auto image =
      std::filesystem::temp_directory_path() / ("oploop-qr-" + std::to_string(::getpid()) + ".pbm");
  {
    std::ofstream out(image);
    out << "P1\n" << svg.size * scale << ' ' << svg.size * scale << '\n';
    for (int y = 0; y < svg.size * scale; ++y) {
      for (int x = 0; x < svg.size * scale; ++x) {
        out << (svg.dark.contains({x / scale, y / scale}) ? '1' : '0')
            << (x % 35 == 34 ? '\n' : ' ');
      }
      out << '\n';
    }
  }
  const std::string command = "/usr/bin/zbarimg --quiet --raw " + image.string() + " 2>/dev/null";
  std::string decoded;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
      decoded += buffer;
    }
    ::pclose(pipe);
  }
  std::filesystem::remove(image);
  while (!decoded.empty() && decoded.back() == '\n') {
    decoded.pop_back();
  }
  EXPECT_EQ(decoded, text);
}

}  // namespace
}  // namespace oploop::auth
