#include <catch2/catch.hpp>

#include "candor/rules/date.h"

using candor::rules::Date;

TEST_CASE("Date::parse accepts exactly YYYY-MM-DD on the real calendar", "[rules][date]") {
  CHECK(Date::parse("1970-01-01")->days_since_epoch() == 0);
  CHECK(Date::parse("2025-06-01")->to_string() == "2025-06-01");
  CHECK(Date::parse("0001-01-01").has_value());
  CHECK(Date::parse("9999-12-31").has_value());

  CHECK_FALSE(Date::parse(""));
  CHECK_FALSE(Date::parse("2025-6-01"));
  CHECK_FALSE(Date::parse("2025-06-1"));
  CHECK_FALSE(Date::parse(" 2025-06-01"));
  CHECK_FALSE(Date::parse("2025-06-01 "));
  CHECK_FALSE(Date::parse("2025-06-01T00:00:00Z"));
  CHECK_FALSE(Date::parse("2025/06/01"));
  CHECK_FALSE(Date::parse("+025-06-01"));
  CHECK_FALSE(Date::parse("0000-01-01"));
  CHECK_FALSE(Date::parse("2025-00-10"));
  CHECK_FALSE(Date::parse("2025-13-10"));
  CHECK_FALSE(Date::parse("2025-04-31"));
  CHECK_FALSE(Date::parse("2025-01-00"));
  CHECK_FALSE(Date::parse("2025-01-32"));
}

TEST_CASE("29 February exists only in leap years", "[rules][date]") {
  CHECK(Date::parse("2024-02-29"));
  CHECK(Date::parse("2000-02-29"));        // divisible by 400
  CHECK_FALSE(Date::parse("1900-02-29"));  // divisible by 100 only
  CHECK_FALSE(Date::parse("2023-02-29"));
  CHECK_FALSE(Date::parse("2024-02-30"));
  CHECK(candor::rules::days_in_month(2024, 2) == 29);
  CHECK(candor::rules::days_in_month(2100, 2) == 28);
  CHECK(candor::rules::days_in_month(2025, 13) == 0);
}

TEST_CASE("day arithmetic follows the civil calendar", "[rules][date]") {
  CHECK(Date::parse("2024-03-01")->days_after(*Date::parse("2024-02-28")) == 2);
  CHECK(Date::parse("2023-03-01")->days_after(*Date::parse("2023-02-28")) == 1);
  CHECK(Date::parse("2025-01-01")->days_after(*Date::parse("2024-01-01")) == 366);
  CHECK(Date::parse("2026-01-01")->days_after(*Date::parse("2025-01-01")) == 365);
  CHECK(Date::parse("1969-12-31")->days_since_epoch() == -1);
  CHECK(Date::parse("2000-03-01")->days_since_epoch() == 11017);
  CHECK(Date::parse("2024-12-31")->plus_days(1).to_string() == "2025-01-01");
  CHECK(Date::parse("2024-02-28")->plus_days(1).to_string() == "2024-02-29");
  CHECK(Date::parse("2025-03-01")->plus_days(-1).to_string() == "2025-02-28");
  CHECK(*Date::parse("2024-02-29") < *Date::parse("2024-03-01"));
}

TEST_CASE("every day from 1600 to 2400 round-trips through text", "[rules][date]") {
  const Date first = *Date::from_civil(1600, 1, 1);
  const Date last = *Date::from_civil(2400, 12, 31);
  int checked = 0, wrong = 0;
  for (Date d = first; d <= last; d = d.plus_days(1)) {
    const auto again = Date::parse(d.to_string());
    const auto civil = Date::from_civil(d.year(), d.month(), d.day());
    wrong += !again || *again != d || !civil || *civil != d;
    ++checked;
  }
  CHECK(checked == 292'560);  // 2 x 146,097 days per 400 years, plus leap year 2400
  CHECK(wrong == 0);
}

TEST_CASE("today_utc is a plausible day", "[rules][date]") {
  const Date today = Date::today_utc();
  CHECK(today.year() >= 2024);
  CHECK(today.year() < 2200);
}
