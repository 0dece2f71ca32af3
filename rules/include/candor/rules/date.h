// Date: a civil (proleptic Gregorian) calendar day, with no time and no time zone.
//
// Rules compare record dates with an "as of" day so that a CI run is reproducible; hours and
// zones would only add ways to be off by one. A Date is a count of days since 1970-01-01, so
// differences are plain subtraction and the type is trivially copyable and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace candor::rules {

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01

  // Parses exactly "YYYY-MM-DD" (years 0001-9999, a real day of the real calendar: 2024-02-29
  // is valid, 2023-02-29 and 2025-04-31 are not). Nothing else is accepted: no times, no
  // time zones, no "2025-1-5", no surrounding spaces.
  static std::optional<Date> parse(std::string_view text);

  // Returns nullopt unless (year, month, day) is a real day in years 1-9999.
  static std::optional<Date> from_civil(int year, int month, int day);

  static constexpr Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }

  // Today in UTC, from the system clock. The only impure function here: callers pass the result
  // in as "as of", so nothing else ever reads the clock.
  static Date today_utc();

  constexpr std::int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;  // 1-12
  int day() const;    // 1-31

  std::string to_string() const;  // "YYYY-MM-DD"

  constexpr Date plus_days(std::int32_t n) const { return Date(days_ + n); }
  // Days from `earlier` to *this: positive when *this is later.
  constexpr std::int32_t days_after(Date earlier) const { return days_ - earlier.days_; }

  friend constexpr auto operator<=>(Date, Date) =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 bug

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);  // 0 for a month outside 1-12

}  // namespace candor::rules
