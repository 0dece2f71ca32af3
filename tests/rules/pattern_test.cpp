// The regex defences (rules/src/pattern.h): what is refused at load, and that matching is a
// full match that stays fast on hostile input.
#include "pattern.h"

#include <catch2/catch.hpp>

#include <string>

using namespace candor::rules;

TEST_CASE("safe patterns pass the check", "[rules][regex]") {
  for (const char* ok : {"^https://", "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$", "[A-Z0-9]{8}",
                         "(https|http)://.*", "(ab)+", "(?:ab){2}", "a{2,3}(b)?", "[(]+",
                         "\\(a+\\)+", "x(y{1})", "(a)*", "[a-z][a-z-]*"}) {
    INFO(ok);
    CHECK(check_pattern(ok).empty());
  }
}

TEST_CASE("patterns that can backtrack catastrophically are refused", "[rules][regex]") {
  for (const char* bad :
       {"(a+)+", "(a*)*", "(a+)*b", "(a|aa)+", "(a|a)*", "(x?)+", "(a{2,})+", "((a)+)+",
        "((ab|cd))*", "(?:a+)+", "([a-z]+-?)+$", "(a+){2,5}", "(.*)+", "[a-z]+(-[a-z]+)*"}) {
    INFO(bad);
    CHECK_FALSE(check_pattern(bad).empty());
  }
}

TEST_CASE("back-references and over-long patterns are refused", "[rules][regex]") {
  CHECK(check_pattern("(a)\\1").find("back-reference") != std::string::npos);
  CHECK(check_pattern(std::string(256, 'a')).empty());
  CHECK(check_pattern(std::string(257, 'a')).find("limit is 256") != std::string::npos);
}

TEST_CASE("matching is a full match", "[rules][regex]") {
  const CompiledPattern p = compile_pattern("b+");
  CHECK(full_match(p, "bbb"));
  CHECK_FALSE(full_match(p, "abbb"));
  CHECK_FALSE(full_match(p, "bbba"));
  CHECK_FALSE(full_match(p, ""));
  const CompiledPattern https = compile_pattern("^https://.*");
  CHECK(full_match(https, "https://example.org/x"));
  CHECK_FALSE(full_match(https, "http://example.org"));
}

TEST_CASE("bad syntax throws at compile time", "[rules][regex]") {
  CHECK_THROWS_AS(compile_pattern("(unclosed"), std::regex_error);
  CHECK_THROWS_AS(compile_pattern("[z-a]"), std::regex_error);
}

TEST_CASE("matching the longest allowed input neither recurses deeply nor takes long",
          "[rules][regex]") {
  // With libstdc++'s default executor these overflow the stack or run for minutes.
  const std::string as(10000, 'a');
  CHECK(full_match(compile_pattern(".*"), as));
  CHECK_FALSE(full_match(compile_pattern("a*a*a*a*b"), as));
  CHECK_FALSE(full_match(compile_pattern("[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}"), as));
}
