// Time is passed in, so tests can control it. All stored timestamps are UTC,
// written as RFC 3339 text ("2026-11-23T12:53:57Z"); dates as "YYYY-MM-DD".
#pragma once

#include <chrono>
#include <string>

namespace oploop {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that tests move by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds d) { now_ += d; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

std::string to_rfc3339(TimePoint t);            // "2026-11-23T12:53:57Z"
std::string to_date(TimePoint t);               // "2026-11-23" (UTC)
TimePoint parse_rfc3339(const std::string& s);  // throws std::invalid_argument
bool is_valid_date(const std::string& s);       // strict YYYY-MM-DD, real calendar day
int days_between(const std::string& from_date, const std::string& to_date);  // to - from
std::string amsterdam_date(TimePoint t);                  // local calendar date in Europe/Amsterdam
std::string format_date_nl(const std::string& iso_date);  // "2026-11-23" -> "23-11-2026"
// The instant that is `hour`:`minute` on `iso_date` in Europe/Amsterdam (a valid date; times
// in the hour skipped by summer time resolve one hour later).
TimePoint amsterdam_time(const std::string& iso_date, int hour, int minute);
std::string add_days(const std::string& iso_date, int days);  // "2026-11-30", 1 -> "2026-12-01"
int iso_weekday(const std::string& iso_date);                 // Monday 1 … Sunday 7

}  // namespace oploop
