// Ids, tokens, hashing, time text and resource lookup (src/core).
#include <gtest/gtest.h>

#include <set>

#include "core/clock.hpp"
#include "core/clock_detail.hpp"
#include "core/random.hpp"
#include "core/resources.hpp"

namespace oploop {
namespace {

TEST(Random, IdsAre26LowercaseBase32CharactersAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = new_id();
    ASSERT_EQ(id.size(), 26u);
    ASSERT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(Random, TokensAreUrlSafeBase64WithoutPadding) {
  std::string token = random_token();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_NE(random_token(), random_token());
}

TEST(Random, Sha256MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Random, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("token", "token"));
  EXPECT_FALSE(constant_time_equal("token", "tokeN"));
  EXPECT_FALSE(constant_time_equal("token", "token2"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TimePoint utc(const std::string& s) { return parse_rfc3339(s); }

TEST(Clock, FormatsAndParsesRfc3339InUtc) {
  TimePoint t = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{12} +
                std::chrono::minutes{53} + std::chrono::seconds{57} +
                std::chrono::milliseconds{999};
  EXPECT_EQ(to_rfc3339(t), "2026-11-23T12:53:57Z");  // whole seconds
  EXPECT_EQ(to_date(t), "2026-11-23");
  EXPECT_EQ(to_rfc3339(utc("2026-11-23T12:53:57Z")), "2026-11-23T12:53:57Z");
  EXPECT_EQ(to_rfc3339(utc("2026-11-23t13:53:57+01:00")), "2026-11-23T12:53:57Z");
  EXPECT_EQ(to_rfc3339(utc("2026-11-23T07:23:57-05:30")), "2026-11-23T12:53:57Z");
  EXPECT_EQ(utc("2026-11-23T12:53:57.25Z") - utc("2026-11-23T12:53:57Z"),
            std::chrono::milliseconds{250});
  EXPECT_EQ(to_rfc3339(TimePoint{}), "1970-01-01T00:00:00Z");
}

TEST(Clock, RefusesMalformedTimestamps) {
  for (const char* bad :
       {"", "2026-11-23", "2026-11-23T12:53:57", "2026-11-23 12:53:57Z", "2026-11-23T24:00:00Z",
        "2026-11-23T12:60:00Z", "2026-11-23T12:53:60Z", "2026-02-29T00:00:00Z",
        "2026-11-23T12:53:57.Z", "2026-11-23T12:53:57+0100", "2026-11-23T12:53:57Zjunk",
        "2026-13-01T00:00:00Z", "２026-11-23T12:53:57Z"}) {
    EXPECT_THROW(parse_rfc3339(bad), std::invalid_argument) << bad;
  }
}

TEST(Clock, ValidatesRealCalendarDays) {
  EXPECT_TRUE(is_valid_date("2024-02-29"));   // leap year
  EXPECT_TRUE(is_valid_date("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(is_valid_date("1900-02-29"));  // divisible by 100
  EXPECT_FALSE(is_valid_date("2026-02-29"));
  EXPECT_FALSE(is_valid_date("2026-04-31"));
  EXPECT_TRUE(is_valid_date("2026-12-31"));
  for (const char* bad : {"", "2026-1-01", "2026-01-1", "20260101", "2026/01/01", "2026-00-10",
                          "2026-01-00", "0000-01-01", "2026-01-01 ", "+026-01-01"}) {
    EXPECT_FALSE(is_valid_date(bad)) << bad;
  }
}

TEST(Clock, CountsDaysBetweenDates) {
  EXPECT_EQ(days_between("2026-11-23", "2026-11-23"), 0);
  EXPECT_EQ(days_between("2024-02-28", "2024-03-01"), 2);
  EXPECT_EQ(days_between("2026-03-01", "2026-02-28"), -1);
  EXPECT_EQ(days_between("2025-11-23", "2026-11-23"), 365);
  EXPECT_THROW(days_between("2026-02-30", "2026-03-01"), std::invalid_argument);
}

TEST(Clock, AmsterdamDateFollowsSummerTime) {
  // CET (+1) in winter, CEST (+2) from the last Sunday of March to the last Sunday of October.
  EXPECT_EQ(amsterdam_date(utc("2026-12-31T22:59:59Z")), "2026-12-31");
  EXPECT_EQ(amsterdam_date(utc("2026-12-31T23:00:00Z")), "2027-01-01");
  EXPECT_EQ(amsterdam_date(utc("2026-06-30T21:59:59Z")), "2026-06-30");
  EXPECT_EQ(amsterdam_date(utc("2026-06-30T22:00:00Z")), "2026-07-01");
  EXPECT_EQ(amsterdam_date(utc("2026-10-24T22:30:00Z")), "2026-10-25");  // 00:30 CEST
  EXPECT_EQ(amsterdam_date(utc("2026-10-25T22:30:00Z")), "2026-10-25");  // 23:30 CET
  // After the last transition the zone file lists, summer time goes on.
  EXPECT_EQ(amsterdam_date(utc("2038-03-28T22:30:00Z")), "2038-03-29");
  EXPECT_EQ(amsterdam_date(utc("2045-07-01T22:30:00Z")), "2045-07-02");
  EXPECT_EQ(amsterdam_date(utc("2045-12-01T22:30:00Z")), "2045-12-01");
}

TEST(Clock, EuRuleFallbackAgreesWithTheTzDatabase) {
  // Every half hour around each transition from 2000 to 2040.
  for (int year = 2000; year <= 2040; ++year) {
    for (unsigned month : {3u, 10u}) {
      auto start = std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} / 20};
      for (int h = 0; h < 14 * 24; ++h) {
        for (int m : {0, 59}) {
          TimePoint t = start + std::chrono::hours{h} + std::chrono::minutes{m};
          ASSERT_EQ(detail::amsterdam_date_eu_rule(t), amsterdam_date(t)) << to_rfc3339(t);
        }
      }
    }
  }
}

TEST(Clock, FormatsDatesTheDutchWay) {
  EXPECT_EQ(format_date_nl("2026-11-23"), "23-11-2026");
  EXPECT_EQ(format_date_nl("2026-02-30"), "2026-02-30");  // not a date: shown as it is
  EXPECT_EQ(format_date_nl(""), "");
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(utc("2026-11-23T12:00:00Z"));
  EXPECT_EQ(to_rfc3339(clock.now()), "2026-11-23T12:00:00Z");
  clock.advance(std::chrono::minutes{15});
  EXPECT_EQ(to_rfc3339(clock.now()), "2026-11-23T12:15:00Z");
}

TEST(Resources, RootIsFixedAndFilesAreRead) {
  EXPECT_FALSE(resource_root().empty());
  EXPECT_EQ(&resource_root(), &resource_root());
  EXPECT_EQ(resource_path("src/storage/migrations"), resource_root() / "src/storage/migrations");
  EXPECT_THROW(read_text_file("/nonexistent/oploop/file"), std::runtime_error);
  EXPECT_THROW(read_text_file("/tmp"), std::runtime_error);
  EXPECT_NE(read_text_file("/proc/self/status").find("Name:"), std::string::npos);
}

}  // namespace
}  // namespace oploop
